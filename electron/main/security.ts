import { app, type Session, type WebContents } from 'electron';
import { allowedHubOrigin, isAllowedRequestUrl, isAppUrl } from './app-origin';
import { isPermissionGranted } from './permissions';

/**
 * Locks that apply to every session and every web contents. The decisions themselves live in
 * the Electron-free modules app-origin.ts and permissions.ts, where they are unit-tested; this
 * file only wires them to Electron's hooks.
 */

function warn(message: string): void {
  console.warn(`[security] ${message}`);
}

export interface SessionHardeningOptions {
  /** Allow devtools:// requests (development only: DevTools are disabled when packaged). */
  readonly allowDevTools: boolean;
}

export function hardenSession(session: Session, options: SessionHardeningOptions): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = isPermissionGranted(permission, details.requestingUrl);
    if (!granted) warn(`denied permission request ${permission} from ${details.requestingUrl}`);
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionGranted(permission, details.requestingUrl ?? requestingOrigin),
  );
  // HID, serial and USB device access: none, ever.
  session.setDevicePermissionHandler(() => false);
  // Chromium's spell checker downloads dictionaries from Google: off, the app is offline.
  session.setSpellCheckerEnabled(false);

  // The network lock: every request that is not the app origin, the configured hub (or DevTools
  // in development) is cancelled before it leaves, whatever the renderer or a dependency tries.
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequestUrl(details.url, { ...options, hubOrigin: allowedHubOrigin() });
    if (!allowed) warn(`blocked request to ${details.url.slice(0, 200)}`);
    callback({ cancel: !allowed });
  });
}

export function hardenWebContents(contents: WebContents): void {
  // No new windows of any kind: window.open, target=_blank, shift-click.
  contents.setWindowOpenHandler(({ url }) => {
    warn(`denied new window for ${url.slice(0, 200)}`);
    return { action: 'deny' };
  });
  // Navigation may only stay inside the app origin (in-page hash routing never reaches here).
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) {
      warn(`blocked navigation to ${event.url.slice(0, 200)}`);
      event.preventDefault();
    }
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) {
      warn(`blocked frame navigation to ${event.url.slice(0, 200)}`);
      event.preventDefault();
    }
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) {
      warn(`blocked redirect to ${event.url.slice(0, 200)}`);
      event.preventDefault();
    }
  });
  // <webview> is disabled in webPreferences; refuse it here too in case anything turns it on.
  contents.on('will-attach-webview', (event) => {
    warn('blocked <webview>');
    event.preventDefault();
  });
}

/** Apply hardenWebContents to every web contents the app will ever create. Call before ready. */
export function hardenEveryWebContents(): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}
