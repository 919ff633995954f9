import { isAppUrl } from './app-origin';

/**
 * Web permissions the app origin may use; every other permission, and every request from any
 * other origin, is denied.
 *
 * - `fullscreen`: the map's full-screen control (Element.requestFullscreen).
 * - `clipboard-sanitized-write`: "copy coordinates / feature id" (navigator.clipboard.writeText).
 *
 * Deliberately denied:
 * - `geolocation`: Chromium's location provider on Windows and Linux asks Google's network
 *   location service, which needs the internet and would send nearby Wi-Fi data abroad. OneMap is
 *   offline by design; a field GPS fix belongs in a main-process bridge to a local receiver.
 * - `clipboard-read`, `media`, `notifications`, `midi`, `hid`/`serial`/`usb`, `openExternal`,
 *   `fileSystem`, `pointerLock`, `keyboardLock`, `window-management`, `storage-access`, …: nothing
 *   in the app needs them, so a compromised renderer should not get them either.
 */
export const permissionsGrantedToApp: ReadonlySet<string> = new Set(['fullscreen', 'clipboard-sanitized-write']);

/**
 * Decide a permission request or check. `requester` is the requesting frame's URL (request
 * handler, check handler's `requestingUrl`) or the requesting origin (`app://onemap`).
 */
export function isPermissionGranted(permission: string, requester: string | undefined): boolean {
  return permissionsGrantedToApp.has(permission) && isAppUrl(requester);
}
