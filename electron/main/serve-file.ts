/**
 * The pure-Node half of the app:// protocol: map an app URL to a file inside a served folder
 * (refusing anything that could leave it), parse HTTP Range, and build a standard `Response`
 * that streams only the requested slice. No Electron import, so all of it is unit-tested in Node;
 * protocol.ts only plugs `serveAppRequest` into `protocol.handle`.
 */
import { open, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { contentSecurityPolicy } from '../../shared/shell/content-security-policy';
import { allowedHubOrigin, appOrigin, isAppUrl } from './app-origin';

/** Absolute folders behind `app://onemap/` (the built renderer) and `app://onemap/geodata/`. */
export interface ServedFolders {
  readonly renderer: string;
  readonly geodata: string;
}

/** The first URL path segment that switches from the renderer folder to the geodata folder. */
export const geodataUrlSegment = 'geodata';

export type AppFileResolution =
  | { readonly ok: true; readonly filePath: string }
  | { readonly ok: false; readonly status: 400 | 403 | 404; readonly reason: string };

function refuse(status: 400 | 403 | 404, reason: string): AppFileResolution {
  return { ok: false, status, reason };
}

/** Why a decoded path segment may not be used, or null when it is an ordinary file name. */
function segmentProblem(segment: string): string | null {
  if (segment === '') return 'empty path segment (double slash, absolute path or directory)';
  if (segment === '.' || segment === '..') return 'dot segment (path traversal)';
  if (segment.includes('/') || segment.includes('\\')) return 'encoded path separator';
  for (let index = 0; index < segment.length; index += 1) {
    const code = segment.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return 'control character (NUL included)';
  }
  // A colon would make `C:` a drive on Windows, or name an NTFS alternate data stream.
  if (segment.includes(':')) return 'colon in path segment';
  return null;
}

function isStrictlyInside(folder: string, candidate: string): boolean {
  const relative = path.relative(folder, candidate);
  return (
    relative !== '' &&
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  );
}

/**
 * Resolve an app:// URL to a real file path inside one of the served folders.
 *
 * The raw URL is checked segment by segment *before* any normalisation: Chromium already
 * resolves `..` and `%2e%2e` in standard-scheme URLs, but this function must not depend on that,
 * so any dot segment, encoded separator (`%2f`, `%5c`), backslash, NUL, empty segment (`//`,
 * absolute paths) or colon is refused outright. After that the joined path must stay inside the
 * folder, and so must its realpath — a symlink pointing out of the folder is refused too.
 */
export async function resolveAppFile(url: string, folders: ServedFolders): Promise<AppFileResolution> {
  if (!isAppUrl(url)) return refuse(404, 'not a URL of the app origin');
  const afterOrigin = url.slice(appOrigin.length);
  const rawPath = afterOrigin.split(/[?#]/u, 1)[0] ?? '';
  const rawSegments = rawPath === '' || rawPath === '/' ? ['index.html'] : rawPath.slice(1).split('/');

  const segments: string[] = [];
  for (const rawSegment of rawSegments) {
    let segment: string;
    try {
      segment = decodeURIComponent(rawSegment);
    } catch {
      return refuse(400, 'malformed percent-encoding');
    }
    const problem = segmentProblem(segment);
    if (problem !== null) return refuse(400, problem);
    if (segment.startsWith('.')) return refuse(404, 'hidden files are not served');
    segments.push(segment);
  }

  const isGeodata = segments[0] === geodataUrlSegment;
  const folder = path.resolve(isGeodata ? folders.geodata : folders.renderer);
  const relativeSegments = isGeodata ? segments.slice(1) : segments;
  if (relativeSegments.length === 0) return refuse(404, 'directories are not served');

  const candidate = path.resolve(folder, ...relativeSegments);
  if (!isStrictlyInside(folder, candidate)) return refuse(403, 'path leaves the served folder');

  let realFolder: string;
  let realFile: string;
  try {
    realFolder = await realpath(folder);
  } catch {
    return refuse(404, 'served folder is missing');
  }
  try {
    realFile = await realpath(candidate);
  } catch {
    return refuse(404, 'no such file');
  }
  if (!isStrictlyInside(realFolder, realFile)) return refuse(403, 'symlink leads outside the served folder');
  return { ok: true, filePath: realFile };
}

/**
 * What to send for a Range header, given the file size.
 * - `whole`: no Range, a unit other than bytes (RFC 9110 says ignore it), or several ranges —
 *   multi-range requests are answered with the whole file as 200, which RFC 9110 allows (a server
 *   MAY ignore Range) and which spares us multipart/byteranges that no OneMap client asks for.
 * - `partial`: one satisfiable range, `end` inclusive and clamped to the file.
 * - `unsatisfiable`: a malformed bytes range, first-pos beyond the end, first > last, a zero
 *   suffix, or any range of an empty file → 416.
 */
export type ByteRangeDecision =
  | { readonly kind: 'whole' }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' };

export function parseByteRange(header: string | null | undefined, size: number): ByteRangeDecision {
  if (header === null || header === undefined || header.trim() === '') return { kind: 'whole' };
  const unitMatch = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)=(.*)$/su.exec(header);
  if (unitMatch === null) return { kind: 'unsatisfiable' };
  const [, unit = '', rangeSet = ''] = unitMatch;
  if (unit.toLowerCase() !== 'bytes') return { kind: 'whole' };

  const specs = rangeSet
    .split(',')
    .map((spec) => spec.trim())
    .filter((spec) => spec !== '');
  if (specs.length > 1) return { kind: 'whole' };
  const spec = specs[0];
  if (spec === undefined) return { kind: 'unsatisfiable' };

  const suffix = /^-(\d+)$/u.exec(spec);
  if (suffix !== null) {
    const length = Number(suffix[1]);
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
  }
  const bounded = /^(\d+)-(\d*)$/u.exec(spec);
  if (bounded === null) return { kind: 'unsatisfiable' };
  const start = Number(bounded[1]);
  const last = bounded[2] === '' || bounded[2] === undefined ? Number.POSITIVE_INFINITY : Number(bounded[2]);
  if (last < start || start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(last, size - 1) };
}

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.pbf': 'application/x-protobuf',
  '.pmtiles': 'application/vnd.pmtiles',
  '.fgb': 'application/octet-stream',
};

export function contentTypeFor(filePath: string): string {
  return contentTypes[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers every app:// response carries, errors included; the CSP names the configured hub. */
export function appResponseHeaders(): Headers {
  return new Headers({
    'Content-Security-Policy': contentSecurityPolicy({ hubOrigin: allowedHubOrigin() }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  });
}

function plainResponse(status: number, text: string, extraHeaders: Record<string, string> = {}): Response {
  const headers = appResponseHeaders();
  headers.set('Content-Type', 'text/plain; charset=utf-8');
  for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
  return new Response(text, { status, headers });
}

const readChunkBytes = 64 * 1024;

/**
 * A pull-driven stream of bytes [start, end] of an open file: each `pull` reads one chunk at an
 * explicit position, so memory stays at one chunk whatever the file size and however slowly the
 * consumer reads. (Readable.toWeb over fs.createReadStream buffered whole files in some Node
 * versions — nodejs/node#46347, #47128 — so the slice is read here directly.) The file handle is
 * closed at the end, on error and on cancel.
 */
export function fileSliceStream(handle: FileHandle, start: number, end: number): ReadableStream<Uint8Array> {
  let position = start;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close().catch(() => undefined);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const remaining = end + 1 - position;
      if (remaining <= 0) {
        await close();
        controller.close();
        return;
      }
      try {
        const chunk = new Uint8Array(Math.min(readChunkBytes, remaining));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
        if (bytesRead === 0) throw new Error('file became shorter while it was being served');
        position += bytesRead;
        controller.enqueue(chunk.subarray(0, bytesRead));
        if (position > end) {
          await close();
          controller.close();
        }
      } catch (error) {
        await close();
        controller.error(error);
      }
    },
    async cancel() {
      await close();
    },
  });
}

export interface ServeOptions {
  /** Where refused requests are reported; defaults to console.warn. */
  readonly log?: (message: string) => void;
}

/**
 * Answer one app:// request: GET and HEAD only; 200 with Accept-Ranges, 206 with Content-Range
 * for one range, 416 with an unsatisfied Content-Range (`bytes *` then `/size`) when unsatisfiable. HEAD ignores Range
 * (RFC 9110 defines range handling for GET only). `If-Range` always falls back to the whole file:
 * no validators are sent, so none can match.
 */
export async function serveAppRequest(request: Request, folders: ServedFolders, options: ServeOptions = {}): Promise<Response> {
  const log = options.log ?? ((message: string) => console.warn(message));
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    return plainResponse(405, 'Method not allowed', { Allow: 'GET, HEAD' });
  }

  const resolution = await resolveAppFile(request.url, folders);
  if (!resolution.ok) {
    if (resolution.status !== 404) log(`[app://] refused ${JSON.stringify(request.url)}: ${resolution.reason}`);
    return plainResponse(resolution.status, resolution.status === 404 ? 'Not found' : 'Refused');
  }
  return serveFile(request, resolution.filePath, { log });
}

/**
 * Stream one file that the caller already resolved and checked (an app file, or a basemap package
 * registered in main): the same GET/HEAD, Range, 206/416 and headers as `serveAppRequest`.
 */
export async function serveFile(request: Request, filePath: string, options: ServeOptions = {}): Promise<Response> {
  const log = options.log ?? ((message: string) => console.warn(message));
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    return plainResponse(405, 'Method not allowed', { Allow: 'GET, HEAD' });
  }
  const resolution = { filePath };

  let handle: FileHandle;
  try {
    handle = await open(resolution.filePath, 'r');
  } catch {
    return plainResponse(404, 'Not found');
  }

  let size: number;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      await handle.close();
      return plainResponse(404, 'Not found');
    }
    size = stats.size;
  } catch (error) {
    await handle.close().catch(() => undefined);
    log(`[app://] could not stat ${resolution.filePath}: ${String(error)}`);
    return plainResponse(500, 'Internal error');
  }

  const headers = appResponseHeaders();
  headers.set('Content-Type', contentTypeFor(resolution.filePath));
  headers.set('Accept-Ranges', 'bytes');

  const rangeHeader = method === 'GET' && !request.headers.has('if-range') ? request.headers.get('range') : null;
  const decision = parseByteRange(rangeHeader, size);

  if (decision.kind === 'unsatisfiable') {
    await handle.close();
    headers.set('Content-Range', `bytes */${size}`);
    headers.set('Content-Length', '0');
    return new Response(null, { status: 416, headers });
  }

  const start = decision.kind === 'partial' ? decision.start : 0;
  const end = decision.kind === 'partial' ? decision.end : size - 1;
  const length = end - start + 1;
  headers.set('Content-Length', String(length));
  if (decision.kind === 'partial') headers.set('Content-Range', `bytes ${start}-${end}/${size}`);
  const status = decision.kind === 'partial' ? 206 : 200;

  if (method === 'HEAD' || length === 0) {
    await handle.close();
    return new Response(null, { status, headers });
  }
  return new Response(fileSliceStream(handle, start, end), { status, headers });
}
