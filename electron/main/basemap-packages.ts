/**
 * Offline basemap packages in the desktop shell. Main keeps the picked files' paths in its own
 * store (userData/basemap-packages.json); the renderer only sees ids. Tiles are read in place:
 * - PMTiles: `app://onemap/basemaps/<id>` streams byte ranges of the file (serve-file's Range
 *   handling); the renderer's `pmtiles` library asks for the header, directories and tiles by Range.
 * - MBTiles: `app://onemap/basemaps/<id>/<z>/<x>/<y>` answers one tile from the SQLite file, opened
 *   read-only with Node's built-in `node:sqlite` (Electron 41 ships Node 24); rows are TMS (y flipped)
 *   and gzip-compressed vector tiles are inflated before they are sent.
 * No Electron import here (the dialog is passed in), so all of it is unit-tested in Node.
 */
import { open, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PMTiles, type RangeResponse, type Source } from 'pmtiles';
import { z } from 'zod';
import {
  BasemapPackageError,
  basemapPackageIdFrom,
  basemapPackageIdPattern,
  basemapPackageInfoSchema,
  basemapPackageKindOf,
  isGzip,
  isValidTileAddress,
  mbtilesPackageInfo,
  pmtilesPackageInfo,
  tileContentTypes,
  tmsRow,
  type BasemapPackageInfo,
} from '../../shared/basemaps/package-info';
import type { AddBasemapPackageResult } from '../../shared/ipc';
import { appOrigin } from './app-origin';
import { appResponseHeaders, serveFile } from './serve-file';
import type { IpcImplementation } from './ipc/validated-handler';

// ---------------------------------------------------------------------------------------------
// MBTiles through a tiny synchronous SQL interface (node:sqlite in Electron; tests plug in sql.js).

export type SqlRow = Readonly<Record<string, unknown>>;

export interface MbtilesDatabase {
  /** The first row of a query, or undefined. */
  get(sql: string, ...params: Array<number | string>): SqlRow | undefined;
  all(sql: string): SqlRow[];
  close(): void;
}

export type OpenMbtiles = (filePath: string) => MbtilesDatabase;

interface NodeSqliteStatement {
  get(...params: Array<number | string>): SqlRow | undefined;
  all(...params: Array<number | string>): SqlRow[];
}
interface NodeSqliteModule {
  DatabaseSync: new (location: string, options?: { readOnly?: boolean; open?: boolean }) => {
    prepare(sql: string): NodeSqliteStatement;
    close(): void;
  };
}

/** node:sqlite, opened read-only (never creates, never writes, never takes a write lock). */
export const openMbtilesWithNodeSqlite: OpenMbtiles = (filePath) => {
  const sqlite = process.getBuiltinModule('node:sqlite') as NodeSqliteModule | undefined;
  if (!sqlite) throw new Error(`node:sqlite is not available in Node ${process.versions.node}`);
  const db = new sqlite.DatabaseSync(filePath, { readOnly: true });
  const statements = new Map<string, NodeSqliteStatement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    get: (sql, ...params) => prepared(sql).get(...params),
    all: (sql) => prepared(sql).all(),
    close: () => db.close(),
  };
};

function asBytes(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return null;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Reads one MBTiles file: facts for the package info, then tiles by XYZ address. */
export class MbtilesReader {
  private constructor(
    private readonly db: MbtilesDatabase,
    readonly info: BasemapPackageInfo,
  ) {}

  /** Opens and checks the file; throws BasemapPackageError naming the file. Closes it on failure. */
  static open(openDatabase: OpenMbtiles, filePath: string, facts: { id: string; fileName: string; size: number }): MbtilesReader {
    let db: MbtilesDatabase;
    try {
      db = openDatabase(filePath);
    } catch (error) {
      throw new BasemapPackageError(facts.fileName, 'basemap-not-sqlite', `cannot open as SQLite (${message(error)})`, { cause: error });
    }
    try {
      const metadata: Record<string, string> = {};
      let rows: SqlRow[];
      try {
        rows = db.all('SELECT name, value FROM metadata');
      } catch (error) {
        throw new BasemapPackageError(facts.fileName, 'basemap-not-mbtiles', `not an MBTiles file: no readable metadata table (${message(error)})`, { cause: error });
      }
      for (const row of rows) if (typeof row.name === 'string' && row.value !== null && row.value !== undefined) metadata[row.name] = String(row.value);
      let range: SqlRow | undefined;
      let sample: SqlRow | undefined;
      try {
        range = db.get('SELECT min(zoom_level) AS min, max(zoom_level) AS max FROM tiles');
        sample = db.get('SELECT tile_data FROM tiles LIMIT 1');
      } catch (error) {
        throw new BasemapPackageError(facts.fileName, 'basemap-not-mbtiles', `not an MBTiles file: no readable tiles table (${message(error)})`, { cause: error });
      }
      const zoomRange = typeof range?.min === 'number' && typeof range.max === 'number' ? { min: range.min, max: range.max } : null;
      const sampleBytes = asBytes(sample?.tile_data);
      const info = mbtilesPackageInfo({ ...facts, metadata, zoomRange, sampleTile: sampleBytes ? sampleBytes.subarray(0, 16) : null });
      return new MbtilesReader(db, info);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** The tile at XYZ (z, x, y), inflated when it is a gzip vector tile; null when there is none. */
  tile(z: number, x: number, y: number): Uint8Array | null {
    const row = this.db.get('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?', z, x, tmsRow(z, y));
    const bytes = asBytes(row?.tile_data);
    if (!bytes) return null;
    return this.info.tileType === 'mvt' && isGzip(bytes) ? new Uint8Array(gunzipSync(bytes)) : bytes;
  }

  close(): void {
    this.db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// PMTiles: the header and metadata through the `pmtiles` library over positioned file reads.

/** A `pmtiles` Source reading byte ranges of a local file (one read per call, nothing cached). */
export class NodeFileSource implements Source {
  constructor(private readonly filePath: string) {}
  getKey(): string {
    return this.filePath;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const handle = await open(this.filePath, 'r');
    try {
      const buffer = new Uint8Array(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return { data: buffer.buffer.slice(0, bytesRead) };
    } finally {
      await handle.close();
    }
  }
}

export async function inspectPmtiles(filePath: string, facts: { id: string; fileName: string; size: number }): Promise<BasemapPackageInfo> {
  if (facts.size < 127) throw new BasemapPackageError(facts.fileName, 'basemap-not-pmtiles', `too short for a PMTiles archive (${facts.size} bytes)`);
  const archive = new PMTiles(new NodeFileSource(filePath));
  let header: Awaited<ReturnType<PMTiles['getHeader']>>;
  let metadata: unknown;
  try {
    header = await archive.getHeader();
    metadata = await archive.getMetadata();
  } catch (error) {
    throw new BasemapPackageError(facts.fileName, 'basemap-not-pmtiles', `not a readable PMTiles archive (${message(error)})`, { cause: error });
  }
  return pmtilesPackageInfo({ ...facts, header, metadata });
}

/** Reads a picked file's header in place and answers its info; throws BasemapPackageError. */
export async function inspectBasemapPackage(filePath: string, id: string, openDatabase: OpenMbtiles): Promise<BasemapPackageInfo> {
  const fileName = path.basename(filePath);
  const kind = basemapPackageKindOf(fileName);
  if (kind === null) throw new BasemapPackageError(fileName, 'basemap-not-a-package', 'not a .pmtiles or .mbtiles file');
  let size: number;
  try {
    const stats = await stat(filePath);
    if (!stats.isFile()) throw new Error('not a regular file');
    size = stats.size;
  } catch (error) {
    throw new BasemapPackageError(fileName, 'basemap-unreadable', `cannot read the file (${message(error)})`, { cause: error });
  }
  if (kind === 'pmtiles') return inspectPmtiles(filePath, { id, fileName, size });
  const reader = MbtilesReader.open(openDatabase, filePath, { id, fileName, size });
  reader.close();
  return reader.info;
}

// ---------------------------------------------------------------------------------------------
// The store: id → path + info, JSON in userData, written atomically.

const storedPackageSchema = z.strictObject({ id: z.string().regex(basemapPackageIdPattern), path: z.string().min(1), info: basemapPackageInfoSchema });
const storeFileSchema = z.strictObject({ version: z.literal(1), packages: z.array(storedPackageSchema) });
export type StoredBasemapPackage = z.infer<typeof storedPackageSchema>;

export interface BasemapPackageStore {
  list(): Promise<StoredBasemapPackage[]>;
  get(id: string): Promise<StoredBasemapPackage | undefined>;
  /** Adds a package, or replaces the one with the same path (same file picked again). */
  put(entry: StoredBasemapPackage): Promise<StoredBasemapPackage>;
  remove(id: string): Promise<boolean>;
}

export function createBasemapPackageStore(filePath: string, log: (message: string) => void = console.warn): BasemapPackageStore {
  let cache: StoredBasemapPackage[] | null = null;
  let writes: Promise<unknown> = Promise.resolve();

  async function load(): Promise<StoredBasemapPackage[]> {
    if (cache) return cache;
    let text: string | null = null;
    try {
      text = await readFile(filePath, 'utf8');
    } catch {
      cache = [];
      return cache;
    }
    try {
      const parsed = storeFileSchema.safeParse(JSON.parse(text));
      if (parsed.success) {
        cache = parsed.data.packages.filter((entry) => entry.id === entry.info.id);
        return cache;
      }
      log(`[basemaps] ignoring invalid ${filePath}: ${z.prettifyError(parsed.error)}`);
    } catch (error) {
      log(`[basemaps] ignoring unreadable ${filePath}: ${String(error)}`);
    }
    cache = [];
    return cache;
  }

  async function save(packages: StoredBasemapPackage[]): Promise<void> {
    await mkdir(path.dirname(filePath), { recursive: true });
    const temporaryPath = `${filePath}.${process.pid}.tmp`;
    await writeFile(temporaryPath, `${JSON.stringify({ version: 1, packages }, null, 2)}\n`, 'utf8');
    await rename(temporaryPath, filePath);
    cache = packages;
  }

  function queued<T>(work: () => Promise<T>): Promise<T> {
    const result = writes.then(work);
    writes = result.catch(() => undefined);
    return result;
  }

  return {
    list: () => queued(async () => [...(await load())]),
    get: (id) => queued(async () => (await load()).find((entry) => entry.id === id)),
    put: (entry) =>
      queued(async () => {
        const checked = storedPackageSchema.parse(entry);
        const packages = await load();
        const same = packages.find((existing) => existing.path === checked.path);
        const stored = same ? { ...checked, id: same.id, info: { ...checked.info, id: same.id } } : checked;
        await save(same ? packages.map((existing) => (existing === same ? stored : existing)) : [...packages, stored]);
        return stored;
      }),
    remove: (id) =>
      queued(async () => {
        const packages = await load();
        if (!packages.some((entry) => entry.id === id)) return false;
        await save(packages.filter((entry) => entry.id !== id));
        return true;
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// The app:// route.

export const basemapsUrlSegment = 'basemaps';

export type BasemapRequestTarget =
  | { readonly kind: 'archive'; readonly id: string }
  | { readonly kind: 'tile'; readonly id: string; readonly z: number; readonly x: number; readonly y: number };

/**
 * Parses `app://onemap/basemaps/<id>` and `app://onemap/basemaps/<id>/<z>/<x>/<y>`; null for any
 * other app URL, `'invalid'` for a basemaps URL that is malformed (bad id, bad address, extra parts).
 */
export function parseBasemapUrl(url: string): BasemapRequestTarget | 'invalid' | null {
  const prefix = `${appOrigin}/${basemapsUrlSegment}/`;
  if (!url.startsWith(prefix)) return null;
  const rest = url.slice(prefix.length).split(/[?#]/u, 1)[0] ?? '';
  const parts = rest.split('/');
  const [id, ...address] = parts;
  if (id === undefined || !basemapPackageIdPattern.test(id)) return 'invalid';
  if (address.length === 0) return { kind: 'archive', id };
  if (address.length !== 3 || address.some((part) => !/^\d{1,10}$/u.test(part))) return 'invalid';
  const [z, x, y] = address.map(Number) as [number, number, number];
  if (!isValidTileAddress(z, x, y)) return 'invalid';
  return { kind: 'tile', id, z, x, y };
}

function textResponse(status: number, body: string): Response {
  const headers = appResponseHeaders();
  headers.set('Content-Type', 'text/plain; charset=utf-8');
  return new Response(body, { status, headers });
}

export interface BasemapRoute {
  /** True for URLs under app://onemap/basemaps/ (answered by `serve`, never by the file folders). */
  matches(url: string): boolean;
  serve(request: Request): Promise<Response>;
  /** Close the open MBTiles files of one package (after remove), or of all. */
  close(id?: string): void;
}

export function createBasemapRoute(
  store: BasemapPackageStore,
  options: { openMbtiles?: OpenMbtiles; log?: (message: string) => void } = {},
): BasemapRoute {
  const openDatabase = options.openMbtiles ?? openMbtilesWithNodeSqlite;
  const log = options.log ?? ((text: string) => console.warn(text));
  const readers = new Map<string, MbtilesReader>();

  function readerFor(entry: StoredBasemapPackage): MbtilesReader {
    let reader = readers.get(entry.id);
    if (!reader) {
      reader = MbtilesReader.open(openDatabase, entry.path, { id: entry.id, fileName: entry.info.fileName, size: entry.info.size });
      readers.set(entry.id, reader);
    }
    return reader;
  }

  return {
    matches: (url) => parseBasemapUrl(url) !== null,
    async serve(request) {
      const target = parseBasemapUrl(request.url);
      if (target === null) return textResponse(404, 'Not found');
      if (target === 'invalid') {
        log(`[app://] refused ${JSON.stringify(request.url)}: malformed basemap package URL`);
        return textResponse(400, 'Refused');
      }
      const method = request.method.toUpperCase();
      if (method !== 'GET' && method !== 'HEAD') return textResponse(405, 'Method not allowed');
      const entry = await store.get(target.id);
      if (!entry) return textResponse(404, 'Not found');

      if (target.kind === 'archive') {
        if (entry.info.kind !== 'pmtiles') return textResponse(404, 'Not found');
        return serveFile(request, entry.path, { log });
      }
      if (entry.info.kind !== 'mbtiles') return textResponse(404, 'Not found');
      let tile: Uint8Array | null;
      try {
        tile = readerFor(entry).tile(target.z, target.x, target.y);
      } catch (error) {
        log(`[basemaps] ${entry.info.fileName}: tile ${target.z}/${target.x}/${target.y} unreadable: ${message(error)}`);
        return textResponse(500, 'Tile unreadable');
      }
      const headers = appResponseHeaders();
      if (tile === null) {
        // No tile there: an empty answer, which MapLibre draws as nothing (a sparse archive is normal).
        return new Response(null, { status: 204, headers });
      }
      headers.set('Content-Type', tileContentTypes[entry.info.tileType]);
      headers.set('Content-Length', String(tile.byteLength));
      return new Response(method === 'HEAD' ? null : (tile as Uint8Array<ArrayBuffer>), { status: 200, headers });
    },
    close(id) {
      for (const [readerId, reader] of readers) {
        if (id !== undefined && readerId !== id) continue;
        reader.close();
        readers.delete(readerId);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// IPC: pick, list, remove.

export interface BasemapPackageDependencies {
  readonly store: BasemapPackageStore;
  readonly route: BasemapRoute;
  /** Shows the open dialog (.pmtiles/.mbtiles); the chosen path, or null when cancelled. */
  readonly pickFile: () => Promise<string | null>;
  readonly openMbtiles?: OpenMbtiles;
  readonly newId?: () => string;
  readonly log?: (message: string) => void;
}

/** The open-dialog filters main passes to dialog.showOpenDialog. */
export const basemapPackageFileFilters = [
  { name: 'PMTiles / MBTiles', extensions: ['pmtiles', 'mbtiles'] },
  { name: 'PMTiles', extensions: ['pmtiles'] },
  { name: 'MBTiles', extensions: ['mbtiles'] },
] as const;

export function basemapPackageHandlers(dependencies: BasemapPackageDependencies): {
  addBasemapPackage: IpcImplementation<'addBasemapPackage'>;
  listBasemapPackages: IpcImplementation<'listBasemapPackages'>;
  removeBasemapPackage: IpcImplementation<'removeBasemapPackage'>;
} {
  const { store, route } = dependencies;
  const openDatabase = dependencies.openMbtiles ?? openMbtilesWithNodeSqlite;
  const newId = dependencies.newId ?? (() => basemapPackageIdFrom(randomBytes(12)));
  const log = dependencies.log ?? ((text: string) => console.warn(text));
  return {
    async addBasemapPackage(): Promise<AddBasemapPackageResult> {
      const filePath = await dependencies.pickFile();
      if (filePath === null) return { status: 'cancelled' };
      const resolved = path.resolve(filePath);
      const existing = (await store.list()).find((entry) => entry.path === resolved);
      const id = existing?.id ?? newId();
      try {
        const info = await inspectBasemapPackage(resolved, id, openDatabase);
        route.close(id);
        const stored = await store.put({ id, path: resolved, info });
        return { status: 'added', package: stored.info };
      } catch (error) {
        if (error instanceof BasemapPackageError) {
          log(`[basemaps] refused ${resolved}: ${error.reason}`);
          return { status: 'refused', code: error.code, fileName: error.fileName, reason: error.reason };
        }
        throw error;
      }
    },
    async listBasemapPackages() {
      return (await store.list()).map((entry) => entry.info);
    },
    async removeBasemapPackage({ id }) {
      route.close(id);
      await store.remove(id);
    },
  };
}
