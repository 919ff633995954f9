import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../shared/shell/content-security-policy';
import {
  contentTypeFor,
  parseByteRange,
  resolveAppFile,
  serveAppRequest,
  type ServedFolders,
} from '../../../electron/main/serve-file';
import { servedFolders } from '../../../electron/main/served-folders';

/** 1000 bytes whose value is their offset mod 251, so any slice is recognisable. */
const knownBytes = Uint8Array.from({ length: 1000 }, (_, index) => index % 251);
/** Larger than one 64 KiB read, so streaming takes several pulls. */
const multiChunkBytes = Uint8Array.from({ length: 200_000 }, (_, index) => (index * 7) % 256);

let sandbox: string;
let folders: ServedFolders;
const secret = 'TOP-SECRET-OUTSIDE-THE-SERVED-FOLDERS';

beforeAll(async () => {
  sandbox = await mkdtemp(path.join(tmpdir(), 'onemap-serve-file-'));
  folders = { renderer: path.join(sandbox, 'renderer'), geodata: path.join(sandbox, 'geodata') };
  await mkdir(path.join(folders.renderer, 'assets'), { recursive: true });
  await mkdir(path.join(folders.geodata, '.sources'), { recursive: true });
  await mkdir(path.join(sandbox, 'outside'), { recursive: true });
  await writeFile(path.join(sandbox, 'secret.txt'), secret);
  await writeFile(path.join(sandbox, 'outside', 'secret.geojson'), secret);
  await writeFile(path.join(sandbox, 'package.json'), secret);
  await writeFile(path.join(folders.renderer, 'index.html'), '<!doctype html><title>OneMap</title>');
  await writeFile(path.join(folders.renderer, 'assets', 'app.js'), 'console.log("onemap")');
  await writeFile(path.join(folders.renderer, 'known.bin'), knownBytes);
  await writeFile(path.join(folders.renderer, 'multi-chunk.bin'), multiChunkBytes);
  await writeFile(path.join(folders.renderer, 'empty.txt'), '');
  await writeFile(path.join(folders.geodata, 'counties.geojson'), '{"type":"FeatureCollection","features":[]}');
  await writeFile(path.join(folders.geodata, 'SOURCES.md'), '# Sources');
  await writeFile(path.join(folders.geodata, '.sources', 'raw.json'), secret);
  // Symlinks: one escaping to a file, one escaping through a directory, one staying inside.
  await symlink(path.join(sandbox, 'secret.txt'), path.join(folders.geodata, 'escape.geojson'));
  await symlink(path.join(sandbox, 'outside'), path.join(folders.renderer, 'linked-outside'));
  await symlink(path.join(folders.geodata, 'counties.geojson'), path.join(folders.geodata, 'alias.geojson'));
});

afterAll(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
  return serveAppRequest(new Request(url, { method, headers }), folders, { log: () => undefined });
}

async function bodyBytes(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

describe('resolveAppFile — mapping app:// URLs to files', () => {
  it.each([
    ['app://onemap/', 'renderer/index.html'],
    ['app://onemap', 'renderer/index.html'],
    ['app://onemap/index.html', 'renderer/index.html'],
    ['app://onemap/index.html?lang=en#/map', 'renderer/index.html'],
    ['app://onemap/assets/app.js', 'renderer/assets/app.js'],
    ['app://onemap/geodata/counties.geojson', 'geodata/counties.geojson'],
    ['app://onemap/geodata/SOURCES.md', 'geodata/SOURCES.md'],
    ['app://onemap/geodata/alias.geojson', 'geodata/counties.geojson'],
  ])('serves %s from %s', async (url, expected) => {
    const resolution = await resolveAppFile(url, folders);
    expect(resolution).toEqual({ ok: true, filePath: path.join(await realSandbox(), expected) });
  });

  it.each([
    ['another host with dot segments', 'app://x/../../etc/passwd', 404, 'not a URL of the app origin'],
    ['a look-alike origin', 'app://onemap.evil/index.html', 404, 'not a URL of the app origin'],
    ['dot segments', 'app://onemap/../../etc/passwd', 400, 'traversal'],
    ['dot segments inside geodata', 'app://onemap/geodata/../../secret.txt', 400, 'traversal'],
    ['a single dot segment', 'app://onemap/./index.html', 400, 'traversal'],
    ['encoded dot segments', 'app://onemap/%2e%2e/%2e%2e/etc/passwd', 400, 'traversal'],
    ['upper-case encoded dot segments', 'app://onemap/%2E%2E/secret.txt', 400, 'traversal'],
    ['mixed encoded dot segments', 'app://onemap/.%2e/secret.txt', 400, 'traversal'],
    ['encoded slashes', 'app://onemap/geodata/..%2f..%2fpackage.json', 400, 'separator'],
    ['encoded upper-case slashes', 'app://onemap/geodata/..%2F..%2Fpackage.json', 400, 'separator'],
    ['encoded backslashes', 'app://onemap/assets%5c..%5c..%5csecret.txt', 400, 'separator'],
    ['a raw backslash', 'app://onemap/assets\\..\\..\\secret.txt', 404, 'not a URL of the app origin'],
    ['an absolute path (double slash)', 'app://onemap//etc/passwd', 400, 'empty path segment'],
    ['an encoded absolute path', 'app://onemap/%2fetc%2fpasswd', 400, 'separator'],
    ['a Windows drive with encoded backslashes', 'app://onemap/C:%5cWindows%5cwin.ini', 400, 'separator'],
    ['a Windows drive', 'app://onemap/C:/Windows/win.ini', 400, 'colon'],
    ['an NTFS alternate data stream', 'app://onemap/index.html:secret', 400, 'colon'],
    ['a NUL byte', 'app://onemap/index.html%00.png', 400, 'control character'],
    ['an encoded newline', 'app://onemap/index%0A.html', 400, 'control character'],
    ['a malformed escape', 'app://onemap/%E0%A4%A', 400, 'percent-encoding'],
    ['a symlink escaping the folder (file)', 'app://onemap/geodata/escape.geojson', 403, 'symlink'],
    ['a symlink escaping the folder (directory)', 'app://onemap/linked-outside/secret.geojson', 403, 'symlink'],
    ['a hidden folder', 'app://onemap/geodata/.sources/raw.json', 404, 'hidden'],
    ['a missing file', 'app://onemap/nope.js', 404, 'no such file'],
    ['the geodata folder itself', 'app://onemap/geodata', 404, 'directories'],
    ['a trailing slash', 'app://onemap/geodata/', 400, 'empty path segment'],
  ] as const)('refuses %s (%s) with %i', async (_why, url, status, reason) => {
    const resolution = await resolveAppFile(url, folders);
    expect(resolution).toEqual({ ok: false, status, reason: expect.stringContaining(reason) });
  });

  it('never returns the secret through serveAppRequest, whatever the trick', async () => {
    for (const url of [
      'app://onemap/../secret.txt',
      'app://onemap/%2e%2e/secret.txt',
      'app://onemap/geodata/..%2f..%2fpackage.json',
      'app://onemap/geodata/escape.geojson',
      'app://onemap/linked-outside/secret.geojson',
      'app://onemap/geodata/.sources/raw.json',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(await response.text(), url).not.toContain(secret);
    }
  });
});

describe('parseByteRange', () => {
  it.each([
    [null, { kind: 'whole' }],
    ['', { kind: 'whole' }],
    ['bytes=0-9', { kind: 'partial', start: 0, end: 9 }],
    ['bytes=990-', { kind: 'partial', start: 990, end: 999 }],
    ['bytes=-10', { kind: 'partial', start: 990, end: 999 }],
    ['bytes=-5000', { kind: 'partial', start: 0, end: 999 }],
    ['bytes=995-2000', { kind: 'partial', start: 995, end: 999 }],
    ['bytes=999-999', { kind: 'partial', start: 999, end: 999 }],
    ['BYTES=0-0', { kind: 'partial', start: 0, end: 0 }],
    ['bytes= 5-6 ', { kind: 'partial', start: 5, end: 6 }],
    ['bytes=0-99999999999999999999999', { kind: 'partial', start: 0, end: 999 }],
    ['bytes=1000-', { kind: 'unsatisfiable' }],
    ['bytes=1000-1001', { kind: 'unsatisfiable' }],
    ['bytes=5-2', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=', { kind: 'unsatisfiable' }],
    ['bytes=-', { kind: 'unsatisfiable' }],
    ['bytes=abc', { kind: 'unsatisfiable' }],
    ['bytes=1.5-2', { kind: 'unsatisfiable' }],
    ['bytes=-1-2', { kind: 'unsatisfiable' }],
    ['bytes 0-9', { kind: 'unsatisfiable' }],
    ['items=0-9', { kind: 'whole' }],
    ['bytes=0-1,5-6', { kind: 'whole' }],
    ['bytes=0-1, 2000-3000', { kind: 'whole' }],
  ])('%j of a 1000-byte file → %j', (header, expected) => {
    expect(parseByteRange(header, 1000)).toEqual(expected);
  });

  it('finds nothing satisfiable in an empty file', () => {
    expect(parseByteRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=-1', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange(null, 0)).toEqual({ kind: 'whole' });
  });
});

describe('serveAppRequest — responses', () => {
  it('answers a plain GET with 200, the whole file, Accept-Ranges and the CSP', async () => {
    const response = await get('app://onemap/known.bin');
    expect(response.status).toBe(200);
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-length')).toBe('1000');
    expect(response.headers.get('content-range')).toBeNull();
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await bodyBytes(response)).toEqual(knownBytes);
  });

  it('streams a file larger than one read chunk intact', async () => {
    const response = await get('app://onemap/multi-chunk.bin');
    expect(response.status).toBe(200);
    expect(await bodyBytes(response)).toEqual(multiChunkBytes);
  });

  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=10-19', 10, 19],
    ['bytes=990-', 990, 999],
    ['bytes=-10', 990, 999],
    ['bytes=-5000', 0, 999],
    ['bytes=995-2000', 995, 999],
    ['bytes=500-500', 500, 500],
  ])('answers Range %s with 206 and exactly bytes %i-%i', async (range, start, end) => {
    const response = await get('app://onemap/known.bin', { Range: range });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/1000`);
    expect(response.headers.get('content-length')).toBe(String(end - start + 1));
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(await bodyBytes(response)).toEqual(knownBytes.slice(start, end + 1));
  });

  it('answers a range deep inside a multi-chunk file with exactly that slice', async () => {
    const response = await get('app://onemap/multi-chunk.bin', { Range: 'bytes=65530-131080' });
    expect(response.status).toBe(206);
    expect(await bodyBytes(response)).toEqual(multiChunkBytes.slice(65530, 131081));
  });

  it.each(['bytes=1000-', 'bytes=5-2', 'bytes=-0', 'bytes=abc'])('answers Range %s with 416 and bytes */size', async (range) => {
    const response = await get('app://onemap/known.bin', { Range: range });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe('bytes */1000');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect((await bodyBytes(response)).length).toBe(0);
  });

  it('answers a multi-range request with 200 and the whole file (documented choice)', async () => {
    const response = await get('app://onemap/known.bin', { Range: 'bytes=0-1,5-6' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-range')).toBeNull();
    expect(await bodyBytes(response)).toEqual(knownBytes);
  });

  it('ignores a Range with another unit, and any Range with If-Range (no validators are sent)', async () => {
    expect((await get('app://onemap/known.bin', { Range: 'items=0-1' })).status).toBe(200);
    const conditional = await get('app://onemap/known.bin', { Range: 'bytes=0-1', 'If-Range': '"etag"' });
    expect(conditional.status).toBe(200);
    expect((await bodyBytes(conditional)).length).toBe(1000);
  });

  it('answers HEAD with the headers and no body, ignoring Range', async () => {
    const response = await get('app://onemap/known.bin', {}, 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('1000');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.body).toBeNull();
    const ranged = await get('app://onemap/known.bin', { Range: 'bytes=0-9' }, 'HEAD');
    expect(ranged.status).toBe(200);
    expect(ranged.headers.get('content-length')).toBe('1000');
  });

  it('serves an empty file as 200 and refuses any range of it with 416', async () => {
    const whole = await get('app://onemap/empty.txt');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe('0');
    expect((await bodyBytes(whole)).length).toBe(0);
    const ranged = await get('app://onemap/empty.txt', { Range: 'bytes=0-' });
    expect(ranged.status).toBe(416);
    expect(ranged.headers.get('content-range')).toBe('bytes */0');
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await get('app://onemap/index.html', {}, 'POST');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('puts the CSP on errors too', async () => {
    for (const url of ['app://onemap/nope.js', 'app://onemap/%2e%2e/secret.txt', 'app://onemap/geodata/escape.geojson']) {
      expect((await get(url)).headers.get('content-security-policy'), url).toBe(contentSecurityPolicy());
    }
  });

  it('sends the right Content-Type', async () => {
    expect((await get('app://onemap/')).headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await get('app://onemap/assets/app.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://onemap/geodata/counties.geojson')).headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
    expect(contentTypeFor('/x/font.WOFF2')).toBe('font/woff2');
    expect(contentTypeFor('/x/tiles.pmtiles')).toBe('application/vnd.pmtiles');
    expect(contentTypeFor('/x/unknown.xyz')).toBe('application/octet-stream');
  });
});

describe('servedFolders', () => {
  it('serves geodata from the repository in development and from resources when packaged', () => {
    expect(servedFolders({ isPackaged: false, appPath: '/repo', resourcesPath: '/electron/resources' })).toEqual({
      renderer: path.join('/repo', 'dist', 'renderer'),
      geodata: path.join('/repo', 'geodata'),
    });
    expect(
      servedFolders({ isPackaged: true, appPath: '/opt/OneMap/resources/app.asar', resourcesPath: '/opt/OneMap/resources' }),
    ).toEqual({
      renderer: path.join('/opt/OneMap/resources/app.asar', 'dist', 'renderer'),
      geodata: path.join('/opt/OneMap/resources', 'geodata'),
    });
  });
});

async function realSandbox(): Promise<string> {
  const { realpath } = await import('node:fs/promises');
  return realpath(sandbox);
}
