import { isHubOrigin } from './hub-origin';

/**
 * The one Content-Security-Policy of OneMap, sent by both shells: the Electron `app://` protocol
 * handler and the web shell's static server. Everything the renderer loads comes from its own
 * origin; nothing may be fetched from anywhere else (the app is offline by design), except the
 * configured team hub's origin in connect-src.
 */
export const contentSecurityPolicyDirectives: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'none'"],
  // 'wasm-unsafe-eval' lets WebAssembly compile (sql.js reads GeoPackage imports); it does not allow eval().
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  // MapLibre runs its tile worker from a same-origin file; blob: covers worker bootstrapping.
  'worker-src': ["'self'", 'blob:'],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'", 'data:', 'blob:'],
  'manifest-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
};

export interface ContentSecurityPolicyOptions {
  /**
   * The team hub's origin (shared/shell/hub-origin.ts), added to connect-src and nowhere else:
   * the desktop shell names the configured hub; the web shell opened from the hub needs none
   * ('self' is the hub).
   */
  readonly hubOrigin?: string | null;
}

export function contentSecurityPolicy(options: ContentSecurityPolicyOptions = {}): string {
  const hubOrigin = options.hubOrigin ?? null;
  if (hubOrigin !== null && !isHubOrigin(hubOrigin)) {
    // Never write something else into the policy (a path, a wildcard, a second source, a ';').
    throw new Error(`contentSecurityPolicy: hubOrigin ${JSON.stringify(hubOrigin).slice(0, 200)} is not an http(s) origin`);
  }
  return Object.entries(contentSecurityPolicyDirectives)
    .map(([directive, sources]) => `${directive} ${(directive === 'connect-src' && hubOrigin !== null ? [...sources, hubOrigin] : sources).join(' ')}`)
    .join('; ');
}

/** The port the web shell listens on unless ONEMAP_PORT says otherwise. IndexedDB is per origin,
 * and the origin includes the port: a different port would open an empty store. */
export const defaultWebShellPort = 47615;
