// Electron main's basemap packages: the app:// route (PMTiles by Range, MBTiles by z/x/y), the
// store, and the IPC handlers. basemap-packages.ts imports no Electron; protocol.ts does, so its
// routing is checked with a stubbed `electron`. The MBTiles reader runs over sql.js here: Vitest
// runs on Node 20, which has no node:sqlite (Electron 41's Node 24 has it); where node:sqlite
// exists the same route tests also run over it.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  basemapPackageHandlers,
  createBasemapPackageStore,
  createBasemapRoute,
  openMbtilesWithNodeSqlite,
  parseBasemapUrl,
  type BasemapPackageStore,
  type OpenMbtiles,
} from '../../../electron/main/basemap-packages';
import { validatedHandler } from '../../../electron/main/ipc/validated-handler';
import type { BasemapPackageInfo } from '../../../shared/basemaps/package-info';
import { fixture, sqlJsOpener } from '../basemaps/helpers';

vi.mock('electron', () => ({
  protocol: { registerSchemesAsPrivileged: vi.fn() },
}));

const fromApp = { senderFrame: { url: 'app://onemap/index.html' } };
const hasNodeSqlite = process.getBuiltinModule('node:sqlite') !== undefined;

let sandbox: string;
let sqlJs: OpenMbtiles;
const quiet = () => undefined;

beforeAll(async () => {
  sandbox = await mkdtemp(path.join(tmpdir(), 'onemap-basemap-packages-'));
  sqlJs = await sqlJsOpener();
  for (const name of ['hengshui-part-vector.pmtiles', 'hengshui-part-raster.pmtiles', 'hengshui-part-vector.mbtiles', 'hengshui-part-raster.mbtiles']) {
    copyFileSync(fixture(name), path.join(sandbox, name));
  }
  writeFileSync(path.join(sandbox, 'broken.pmtiles'), 'not a tile archive\n'.repeat(20));
  writeFileSync(path.join(sandbox, 'broken.mbtiles'), 'not a database\n'.repeat(20));
  writeFileSync(path.join(sandbox, 'notes.txt'), 'hello');
});

afterAll(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

let counter = 0;
function setup(openMbtiles: OpenMbtiles = sqlJs) {
  counter += 1;
  const storeFile = path.join(sandbox, `store-${counter}`, 'basemap-packages.json');
  const store = createBasemapPackageStore(storeFile, quiet);
  const log = vi.fn<(message: string) => void>();
  const route = createBasemapRoute(store, { openMbtiles, log });
  let nextPick: string | null = null;
  let ids = 0;
  const handlers = basemapPackageHandlers({
    store,
    route,
    openMbtiles,
    pickFile: async () => nextPick,
    newId: () => `bp-test${String((ids += 1)).padStart(6, '0')}`,
    log: quiet,
  });
  const add = async (name: string | null) => {
    nextPick = name === null ? null : path.join(sandbox, name);
    return handlers.addBasemapPackage({});
  };
  return { store, storeFile, route, handlers, add, log };
}

async function added(result: Awaited<ReturnType<ReturnType<typeof setup>['add']>>): Promise<BasemapPackageInfo> {
  if (result.status !== 'added') throw new Error(`expected added, got ${JSON.stringify(result)}`);
  return result.package;
}

const get = (url: string, headers: Record<string, string> = {}, method = 'GET') => new Request(url, { method, headers });

describe('parseBasemapUrl', () => {
  it.each([
    ['app://onemap/basemaps/bp-abcdefgh12', { kind: 'archive', id: 'bp-abcdefgh12' }],
    ['app://onemap/basemaps/bp-abcdefgh12?v=1', { kind: 'archive', id: 'bp-abcdefgh12' }],
    ['app://onemap/basemaps/bp-abcdefgh12/7/105/49', { kind: 'tile', id: 'bp-abcdefgh12', z: 7, x: 105, y: 49 }],
  ])('reads %s', (url, expected) => {
    expect(parseBasemapUrl(url)).toEqual(expected);
  });

  it.each([
    'app://onemap/basemaps/',
    'app://onemap/basemaps/../geodata/hengshui-city.geojson',
    'app://onemap/basemaps/%2e%2e%2fsecret',
    'app://onemap/basemaps/bp-ABCDEFGH12',
    'app://onemap/basemaps/bp-abcdefgh12/7/105',
    'app://onemap/basemaps/bp-abcdefgh12/7/128/0',
    'app://onemap/basemaps/bp-abcdefgh12/-1/0/0',
    'app://onemap/basemaps/bp-abcdefgh12/7/1.5/0',
    'app://onemap/basemaps/bp-abcdefgh12/7/1/2/3',
    'app://onemap/basemaps/bp-abcdefgh12//7/1/2',
  ])('refuses %s', (url) => {
    expect(parseBasemapUrl(url)).toBe('invalid');
  });

  it('leaves every other app URL to the file folders', () => {
    expect(parseBasemapUrl('app://onemap/index.html')).toBeNull();
    expect(parseBasemapUrl('app://onemap/geodata/hengshui-city.geojson')).toBeNull();
    expect(parseBasemapUrl('app://onemap/basemapsx/bp-abcdefgh12')).toBeNull();
    expect(parseBasemapUrl('https://example.com/basemaps/bp-abcdefgh12')).toBeNull();
  });
});

describe('adding, listing and removing packages (IPC handlers)', () => {
  it('adds a PMTiles package: the renderer gets info and an id, main keeps the path', async () => {
    const { add, handlers, storeFile } = setup();
    const info = await added(await add('hengshui-part-vector.pmtiles'));
    expect(info).toMatchObject({ id: 'bp-test000001', fileName: 'hengshui-part-vector.pmtiles', kind: 'pmtiles', tileType: 'mvt', minZoom: 7, maxZoom: 11 });
    expect(JSON.stringify(info)).not.toContain(sandbox);
    expect(await handlers.listBasemapPackages({})).toEqual([info]);
    const stored = JSON.parse(await readFile(storeFile, 'utf8')) as { packages: Array<{ path: string }> };
    expect(stored.packages.map((entry) => entry.path)).toEqual([path.join(sandbox, 'hengshui-part-vector.pmtiles')]);
  });

  it('adds an MBTiles package (vector and raster)', async () => {
    const { add } = setup();
    expect(await added(await add('hengshui-part-vector.mbtiles'))).toMatchObject({ kind: 'mbtiles', tileType: 'mvt', minZoom: 7, maxZoom: 11 });
    expect(await added(await add('hengshui-part-raster.mbtiles'))).toMatchObject({ kind: 'mbtiles', tileType: 'png', minZoom: 9, maxZoom: 11 });
  });

  it('picking the same file again keeps its id and one entry', async () => {
    const { add, handlers } = setup();
    const first = await added(await add('hengshui-part-raster.pmtiles'));
    const second = await added(await add('hengshui-part-raster.pmtiles'));
    expect(second.id).toBe(first.id);
    expect(await handlers.listBasemapPackages({})).toHaveLength(1);
  });

  it('a cancelled dialog adds nothing', async () => {
    const { add, handlers } = setup();
    expect(await add(null)).toEqual({ status: 'cancelled' });
    expect(await handlers.listBasemapPackages({})).toEqual([]);
  });

  it.each([
    ['broken.pmtiles', /not a readable PMTiles archive/, ['basemap-not-pmtiles']],
    ['broken.mbtiles', /cannot open as SQLite|not an MBTiles file/, ['basemap-not-sqlite', 'basemap-not-mbtiles']],
    ['notes.txt', /not a \.pmtiles or \.mbtiles file/, ['basemap-not-a-package']],
  ])('refuses %s with its code, naming it, and registers nothing', async (name, reason, codes) => {
    const { add, handlers, storeFile } = setup();
    const result = await add(name);
    expect(result).toMatchObject({ status: 'refused', fileName: name });
    expect(codes).toContain(result.status === 'refused' && result.code);
    expect(result.status === 'refused' && result.reason).toMatch(reason);
    expect(await handlers.listBasemapPackages({})).toEqual([]);
    await expect(readFile(storeFile, 'utf8')).rejects.toThrow();
  });

  it('the store survives a restart, and a damaged store file is ignored', async () => {
    const { add, storeFile } = setup();
    const info = await added(await add('hengshui-part-vector.pmtiles'));
    expect(await createBasemapPackageStore(storeFile, quiet).list()).toEqual([{ id: info.id, path: path.join(sandbox, 'hengshui-part-vector.pmtiles'), info }]);
    writeFileSync(storeFile, '{"version":1,"packages":[{"id":"../../x"');
    const log = vi.fn();
    expect(await createBasemapPackageStore(storeFile, log).list()).toEqual([]);
    expect(log).toHaveBeenCalledOnce();
  });

  it('remove forgets the package (the file stays) and its URL then answers 404', async () => {
    const { add, handlers, route } = setup();
    const info = await added(await add('hengshui-part-vector.mbtiles'));
    expect((await route.serve(get(`app://onemap/basemaps/${info.id}/7/105/49`))).status).toBe(200);
    await handlers.removeBasemapPackage({ id: info.id });
    expect(await handlers.listBasemapPackages({})).toEqual([]);
    expect((await route.serve(get(`app://onemap/basemaps/${info.id}/7/105/49`))).status).toBe(404);
    expect(readFileSync(path.join(sandbox, 'hengshui-part-vector.mbtiles')).length).toBeGreaterThan(0);
  });

  it('the IPC gate refuses a malformed id before the store is touched', async () => {
    const store: BasemapPackageStore = { list: vi.fn(), get: vi.fn(), put: vi.fn(), remove: vi.fn() };
    const handlers = basemapPackageHandlers({ store, route: createBasemapRoute(store), pickFile: async () => null });
    const gate = validatedHandler('removeBasemapPackage', handlers.removeBasemapPackage, { log: quiet });
    for (const id of ['../../etc/passwd', 'bp-', 'BP-ABCDEFGH12', 42, '']) {
      await expect(gate(fromApp, { id })).rejects.toThrow(/invalid payload/);
    }
    await expect(gate(fromApp, { id: 'bp-abcdefgh12', path: '/etc' })).rejects.toThrow(/invalid payload/);
    expect(store.remove).not.toHaveBeenCalled();
  });
});

describe.each([
  ['sql.js', () => sqlJs],
  ...(hasNodeSqlite ? [['node:sqlite', () => openMbtilesWithNodeSqlite] as const] : []),
] as Array<[string, () => OpenMbtiles]>)('the app:// basemaps route (MBTiles over %s)', (_engine, opener) => {
  it('serves a PMTiles archive by Range: 206 with the exact bytes, 416 past the end, HEAD without body', async () => {
    const { add, route } = setup(opener());
    const info = await added(await add('hengshui-part-raster.pmtiles'));
    const bytes = readFileSync(fixture('hengshui-part-raster.pmtiles'));
    const url = `app://onemap/basemaps/${info.id}`;

    const partial = await route.serve(get(url, { Range: 'bytes=0-16383' }));
    expect(partial.status).toBe(206);
    expect(partial.headers.get('Content-Range')).toBe(`bytes 0-16383/${bytes.length}`);
    expect(partial.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(Buffer.from(await partial.arrayBuffer()).equals(bytes.subarray(0, 16384))).toBe(true);

    const middle = await route.serve(get(url, { Range: 'bytes=30000-30099' }));
    expect(middle.status).toBe(206);
    expect(Buffer.from(await middle.arrayBuffer()).equals(bytes.subarray(30000, 30100))).toBe(true);

    const beyond = await route.serve(get(url, { Range: `bytes=${bytes.length}-` }));
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('Content-Range')).toBe(`bytes */${bytes.length}`);

    const head = await route.serve(get(url, {}, 'HEAD'));
    expect(head.status).toBe(200);
    expect(head.headers.get('Content-Length')).toBe(String(bytes.length));
    expect(head.body).toBeNull();

    expect((await route.serve(get(url, {}, 'POST'))).status).toBe(405);
  });

  it('serves MBTiles tiles by XYZ: rows flipped, vector tiles inflated, images as stored', async () => {
    const { add, route } = setup(opener());
    const vector = await added(await add('hengshui-part-vector.mbtiles'));
    const raster = await added(await add('hengshui-part-raster.mbtiles'));
    const { default: initSqlJs } = await import('sql.js');
    const SQL = await initSqlJs();
    for (const [info, name] of [[vector, 'hengshui-part-vector.mbtiles'], [raster, 'hengshui-part-raster.mbtiles']] as const) {
      const db = new SQL.Database(readFileSync(fixture(name)));
      const rows = (db.exec('SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles')[0]?.values ?? []) as Array<[number, number, number, Uint8Array]>;
      db.close();
      for (const [z, x, tmsY, data] of rows) {
        const y = 2 ** z - 1 - tmsY;
        const response = await route.serve(get(`app://onemap/basemaps/${info.id}/${z}/${x}/${y}`));
        expect(response.status, `${name} ${z}/${x}/${y}`).toBe(200);
        const body = Buffer.from(await response.arrayBuffer());
        if (info.tileType === 'mvt') {
          expect(response.headers.get('Content-Type')).toBe('application/vnd.mapbox-vector-tile');
          expect(body.equals(gunzipSync(data))).toBe(true);
        } else {
          expect(response.headers.get('Content-Type')).toBe('image/png');
          expect(body.equals(Buffer.from(data))).toBe(true);
        }
      }
    }
    // A tile the package does not have: 204, empty.
    const missing = await route.serve(get(`app://onemap/basemaps/${raster.id}/3/0/0`));
    expect(missing.status).toBe(204);
    expect((await missing.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers 400 for malformed basemap URLs and 404 for unknown ids or the wrong kind of address', async () => {
    const { add, route, log } = setup(opener());
    const pm = await added(await add('hengshui-part-vector.pmtiles'));
    const mb = await added(await add('hengshui-part-vector.mbtiles'));
    expect((await route.serve(get('app://onemap/basemaps/not-an-id/geodata'))).status).toBe(400);
    expect((await route.serve(get(`app://onemap/basemaps/${mb.id}/7/999/0`))).status).toBe(400);
    expect(log).toHaveBeenCalled();
    expect((await route.serve(get('app://onemap/basemaps/bp-unknown00001'))).status).toBe(404);
    expect((await route.serve(get(`app://onemap/basemaps/${pm.id}/7/105/49`))).status).toBe(404);
    expect((await route.serve(get(`app://onemap/basemaps/${mb.id}`))).status).toBe(404);
  });
});

describe('protocol.ts routing (stubbed electron)', () => {
  it('sends /basemaps/ to the basemap route and everything else to the app folders', async () => {
    const { serveAppProtocol } = await import('../../../electron/main/protocol');
    const { add, route } = setup();
    const info = await added(await add('hengshui-part-vector.mbtiles'));
    let handler: ((request: Request) => Promise<Response>) | undefined;
    const session = { protocol: { handle: (_scheme: string, fn: (request: Request) => Promise<Response>) => (handler = fn) } };
    const folders = { renderer: path.join(sandbox, 'no-renderer'), geodata: path.join(sandbox, 'no-geodata') };
    serveAppProtocol(session as never, folders, route);
    expect((await handler!(get(`app://onemap/basemaps/${info.id}/7/105/49`))).status).toBe(200);
    expect((await handler!(get('app://onemap/index.html'))).status).toBe(404);
  });
});

it('node:sqlite availability is what the header comment says', () => {
  const major = Number(process.versions.node.split('.')[0]);
  if (hasNodeSqlite) expect(major).toBeGreaterThanOrEqual(22);
  else expect(() => openMbtilesWithNodeSqlite(fixture('hengshui-part-vector.mbtiles'))).toThrow(/node:sqlite is not available/);
});
