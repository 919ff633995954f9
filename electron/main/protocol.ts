import { protocol, type Session } from 'electron';
import { appScheme } from './app-origin';
import type { BasemapRoute } from './basemap-packages';
import { serveAppRequest, type ServedFolders } from './serve-file';

/**
 * Must run before `app` is ready. `standard` gives app:// real origins and relative URL
 * resolution, `secure` makes it a secure context (IndexedDB, crypto.subtle), `supportFetchAPI`
 * and `corsEnabled` let fetch() and workers load from it, `stream` lets 206 bodies stream, and
 * `codeCache` keeps V8's code cache for the bundle. No `bypassCSP`: the CSP header applies.
 */
export function registerAppSchemeAsPrivileged(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: appScheme,
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        corsEnabled: true,
        stream: true,
        codeCache: true,
      },
    },
  ]);
}

/**
 * Serve the renderer at app://onemap/, the basemap files at app://onemap/geodata/ and, when given,
 * the registered basemap packages at app://onemap/basemaps/ (basemap-packages.ts).
 */
export function serveAppProtocol(session: Session, folders: ServedFolders, basemaps?: BasemapRoute): void {
  session.protocol.handle(appScheme, (request) =>
    basemaps?.matches(request.url) ? basemaps.serve(request) : serveAppRequest(request, folders),
  );
}
