/**
 * The app's one origin and the pure URL allowlist every security decision uses: navigation,
 * new windows, permission requests, IPC sender checks and the session's request filter.
 * No Electron import, so it is unit-tested in plain Node.
 */
import { isHubOrigin } from '../../shared/shell/hub-origin';

import { desktopAppHost, desktopAppOrigin, desktopAppScheme } from '../../shared/shell/desktop-origin';

export const appScheme = desktopAppScheme;
export const appHost = desktopAppHost;
/** `app://onemap` — written out because Node's URL gives `origin: "null"` for custom schemes. */
export const appOrigin = desktopAppOrigin;
export const appEntryUrl = `${appOrigin}/index.html`;

const appUrlPrefix = `${appOrigin}/`;
const longestAcceptedUrl = 8192;

/**
 * True only for URLs of the app origin, in the canonical form Chromium hands us: lower-case
 * scheme and host, no user info, no port. The check is deliberately byte-exact on the prefix
 * (so `APP://ONEMAP/`, `app://onemap.evil/`, `app://onemap@evil/`, `app://onemap:80/` all fail)
 * and then confirmed with the WHATWG parser, so no parser difference can turn a look-alike into
 * the app origin. Chromium canonicalises standard-scheme hosts to lower case before any of our
 * handlers see a URL, so being strict about case never rejects a real app URL.
 */
export function isAppUrl(candidate: unknown): boolean {
  if (typeof candidate !== 'string' || candidate.length > longestAcceptedUrl) return false;
  if (candidate !== appOrigin && !candidate.startsWith(appUrlPrefix)) return false;
  // The URL parser silently drops tabs and newlines and trims spaces; refuse anything it would
  // have to "fix", as well as backslashes that some parsers treat as slashes.
  if (containsControlSpaceOrBackslash(candidate)) return false;
  let parsed: URL;
  try {
    parsed = new URL(candidate);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${appScheme}:` &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.hostname === appHost &&
    parsed.port === ''
  );
}

function containsControlSpaceOrBackslash(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code <= 0x20 || code === 0x7f || code === 0x5c) return true;
  }
  return false;
}

export interface RequestAllowlistOptions {
  /** DevTools loads its own UI from devtools://; allowed only where DevTools can be opened. */
  readonly allowDevTools: boolean;
  /** The configured team hub's origin (canonical, shared/shell/hub-origin.ts), or none. */
  readonly hubOrigin?: string | null;
}

/**
 * True only for http(s) URLs of exactly the hub's origin, without user info, in the form Chromium
 * hands us (no control characters, spaces or backslashes for a parser to "fix").
 */
export function isHubUrl(candidate: unknown, hubOrigin: string | null | undefined): boolean {
  if (typeof candidate !== 'string' || candidate.length > longestAcceptedUrl || !isHubOrigin(hubOrigin)) return false;
  if (candidate !== hubOrigin && !candidate.startsWith(`${hubOrigin}/`)) return false;
  if (containsControlSpaceOrBackslash(candidate)) return false;
  let parsed: URL;
  try {
    parsed = new URL(candidate);
  } catch {
    return false;
  }
  return parsed.origin === hubOrigin && parsed.username === '' && parsed.password === '';
}

/**
 * The hub origin main allows now (read from hub.json at start, replaced when the user sets
 * another): the request filter and the app:// responses' CSP read it on every request.
 */
let currentHubOrigin: string | null = null;

export function allowedHubOrigin(): string | null {
  return currentHubOrigin;
}

export function setAllowedHubOrigin(origin: string | null): void {
  if (origin !== null && !isHubOrigin(origin)) throw new Error(`not a hub origin: ${JSON.stringify(origin).slice(0, 200)}`);
  currentHubOrigin = origin;
}

/**
 * The session-wide request filter: the app origin, in-memory data owned by it (blob: URLs minted
 * by the app origin, data: URLs the CSP already limits), the configured hub's origin, and DevTools
 * in development. Everything else — other http(s), file:, ws:, other custom schemes — is
 * cancelled; the app is offline by design.
 */
export function isAllowedRequestUrl(url: string, options: RequestAllowlistOptions): boolean {
  if (isAppUrl(url)) return true;
  if (isHubUrl(url, options.hubOrigin)) return true;
  if (url.startsWith('data:')) return true;
  if (url.startsWith('blob:')) return isAppUrl(url.slice('blob:'.length));
  if (options.allowDevTools && (url.startsWith('devtools://devtools/') || url.startsWith('devtools://theme/'))) {
    return true;
  }
  return false;
}
