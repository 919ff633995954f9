/**
 * The one Content-Security-Policy of OneMap, sent by both shells: the Electron `app://` protocol
 * handler and the web shell's static server. Everything the renderer loads comes from its own
 * origin; nothing may be fetched from anywhere else (the app is offline by design).
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

export function contentSecurityPolicy(): string {
  return Object.entries(contentSecurityPolicyDirectives)
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join('; ');
}

/** The port the web shell listens on unless ONEMAP_PORT says otherwise. IndexedDB is per origin,
 * and the origin includes the port: a different port would open an empty store. */
export const defaultWebShellPort = 47615;
