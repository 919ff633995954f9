// The web shell served by the hub itself (`buildHub({ webRoot, geodataRoot })`): the built renderer
// at `/` and the repository's basemap files at `/geodata/`, the same URL layout as `npm start`'s web
// shell (vite.config.ts), so the app and the API share one origin and the CSP's connect-src 'self'
// covers the hub. Files are read through sirv (Range → 206, ETag).
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import sirv from 'sirv';
import { contentSecurityPolicy } from '../shared/shell/content-security-policy';

export interface WebShellOptions {
  /** The built renderer (`dist/renderer`, with index.html). */
  webRoot?: string;
  /** The repository's `geodata/` folder, served at `/geodata/`. */
  geodataRoot?: string;
}

/** The headers `npm start`'s web shell sends (vite.config.ts), on every answer of the hub. */
export const securityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': contentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

type Serve = (request: { url: string; headers: IncomingHttpHeaders }, response: ServerResponse, next: () => void) => void;

function folder(root: string): Serve {
  // dev: files are looked up on each request (no scan at start, a rebuilt renderer is seen at once).
  return sirv(root, { dev: true, etag: true, extensions: ['html'], dotfiles: false }) as unknown as Serve;
}

export function notFoundAnswer(method: string, url: string): { error: { code: string; message: string } } {
  return { error: { code: 'not-found', message: `no such route: ${method} ${url.split('?')[0]}` } };
}

/**
 * A not-found handler's first step: answers GET/HEAD of a file of the web shell and returns true;
 * false for anything else (API paths stay JSON 404s).
 */
export function webShellServer(options: WebShellOptions): ((request: FastifyRequest, reply: FastifyReply) => boolean) | null {
  const app = options.webRoot ? folder(options.webRoot) : null;
  const geodata = options.geodataRoot ? folder(options.geodataRoot) : null;
  if (!app && !geodata) return null;
  return (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const url = request.raw.url ?? '/';
    const path = url.split('?')[0]!;
    if (path === '/v1' || path.startsWith('/v1/')) return false;
    // No dotfiles (sirv's dev mode does not filter them), no encoded slashes or backslashes.
    if (/\/\.|%2f|%5c|\\/i.test(path)) return false;
    let serve: Serve | null;
    let rest: string;
    if (path.startsWith('/geodata/')) {
      serve = geodata;
      rest = url.slice('/geodata'.length);
    } else {
      serve = app;
      rest = url;
    }
    if (!serve) return false;
    void reply.hijack();
    serve({ url: rest, headers: request.raw.headers }, reply.raw, () => {
      reply.raw.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' });
      reply.raw.end(JSON.stringify(notFoundAnswer(request.method, url)));
    });
    return true;
  };
}
