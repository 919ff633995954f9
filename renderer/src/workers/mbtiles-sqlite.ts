/**
 * MBTiles (SQLite) read in place in a browser: wa-sqlite (SQLite compiled to WebAssembly, its
 * synchronous build) with a read-only VFS whose every read is one synchronous slice of the file —
 * `FileReaderSync.readAsArrayBuffer(file.slice(a, b))` in the worker (mbtiles.worker.ts), positioned
 * `fs.readSync` in the unit tests. SQLite only reads the pages a query needs (the header, the
 * schema, the index b-tree pages down to one tile), so a package of any size costs a few pages.
 *
 * No DOM and no Node API here: the caller passes the module factory options and the reader.
 */
import SQLiteESMFactory from '@journeyapps/wa-sqlite/dist/wa-sqlite.mjs';
import * as SQLite from '@journeyapps/wa-sqlite';
import { FacadeVFS } from '@journeyapps/wa-sqlite/src/FacadeVFS.js';
import * as VFS from '@journeyapps/wa-sqlite/src/VFS.js';
import { gunzipSync } from 'fflate';
import {
  BasemapPackageError,
  isGzip,
  mbtilesPackageInfo,
  tmsRow,
  type BasemapPackageInfo,
} from '../../../shared/basemaps/package-info';

/** Synchronous random access to one file's bytes. */
export interface RandomAccessReader {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer only at the end of the file). */
  read(offset: number, length: number): Uint8Array;
}

const vfsName = 'onemap-readonly-file';

/** A read-only VFS over registered readers: no writes, no journal, no locks (the file is immutable to SQLite). */
class ReadOnlyReaderVfs extends FacadeVFS {
  readonly files = new Map<string, RandomAccessReader>();
  private readonly opened = new Map<number, RandomAccessReader>();

  override jOpen(filename: string | null, fileId: number, flags: number, pOutFlags: DataView): number {
    const reader = filename === null ? undefined : this.files.get(filename);
    if (!reader || (flags & VFS.SQLITE_OPEN_READWRITE) !== 0) return VFS.SQLITE_CANTOPEN;
    this.opened.set(fileId, reader);
    pOutFlags.setInt32(0, VFS.SQLITE_OPEN_READONLY, true);
    return VFS.SQLITE_OK;
  }

  override jClose(fileId: number): number {
    this.opened.delete(fileId);
    return VFS.SQLITE_OK;
  }

  override jRead(fileId: number, pData: Uint8Array, iOffset: number): number {
    const reader = this.opened.get(fileId);
    if (!reader) return VFS.SQLITE_IOERR;
    let bytes: Uint8Array;
    try {
      bytes = iOffset >= reader.size ? new Uint8Array(0) : reader.read(iOffset, Math.min(pData.byteLength, reader.size - iOffset));
    } catch {
      return VFS.SQLITE_IOERR;
    }
    pData.set(bytes.subarray(0, pData.byteLength));
    if (bytes.byteLength < pData.byteLength) {
      pData.fill(0, bytes.byteLength);
      return VFS.SQLITE_IOERR_SHORT_READ;
    }
    return VFS.SQLITE_OK;
  }

  override jWrite(): number {
    return VFS.SQLITE_READONLY;
  }

  override jTruncate(): number {
    return VFS.SQLITE_READONLY;
  }

  override jFileSize(fileId: number, pSize64: DataView): number {
    const reader = this.opened.get(fileId);
    if (!reader) return VFS.SQLITE_IOERR;
    pSize64.setBigInt64(0, BigInt(reader.size), true);
    return VFS.SQLITE_OK;
  }

  override jAccess(filename: string, _flags: number, pResOut: DataView): number {
    pResOut.setInt32(0, this.files.has(filename) ? 1 : 0, true);
    return VFS.SQLITE_OK;
  }

  override jDeviceCharacteristics(): number {
    // Immutable: SQLite skips locking and the hot-journal check, and never looks for a -wal file.
    return VFS.SQLITE_IOCAP_IMMUTABLE;
  }
}

export interface WasmSqlite {
  readonly sqlite3: SQLiteAPI;
  readonly vfs: ReadOnlyReaderVfs;
}

/** Loads the WebAssembly module once; `moduleOptions` can say where the .wasm is (`locateFile`). */
export async function loadWasmSqlite(moduleOptions: object = {}): Promise<WasmSqlite> {
  const module = (await SQLiteESMFactory(moduleOptions)) as object;
  const sqlite3 = SQLite.Factory(module);
  const vfs = new ReadOnlyReaderVfs(vfsName, module);
  sqlite3.vfs_register(vfs, false);
  return { sqlite3, vfs };
}

type Row = Record<string, SQLiteCompatibleType>;

async function query(sqlite3: SQLiteAPI, db: number, sql: string, params: number[] = []): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const statement of sqlite3.statements(db, sql)) {
    if (params.length > 0) sqlite3.bind_collection(statement, params);
    const columns = sqlite3.column_names(statement);
    while ((await sqlite3.step(statement)) === SQLite.SQLITE_ROW) {
      const values = sqlite3.row(statement);
      // Blobs are views into the WebAssembly heap: copy before the next step reuses it.
      rows.push(Object.fromEntries(columns.map((column, index) => {
        const value = values[index] ?? null;
        return [column, value instanceof Uint8Array ? value.slice() : value];
      })));
    }
  }
  return rows;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const sqliteMagic = 'SQLite format 3\0';

/** One open MBTiles file. */
export class WasmMbtiles {
  private constructor(
    private readonly api: WasmSqlite,
    private readonly db: number,
    private readonly name: string,
    readonly info: BasemapPackageInfo,
  ) {}

  /** Opens and checks the file; throws BasemapPackageError naming the file, with nothing left open. */
  static async open(api: WasmSqlite, reader: RandomAccessReader, facts: { id: string; fileName: string }): Promise<WasmMbtiles> {
    const { fileName } = facts;
    let head: Uint8Array;
    try {
      head = reader.read(0, Math.min(100, reader.size));
    } catch (error) {
      throw new BasemapPackageError(fileName, 'basemap-unreadable', `cannot read the file (${message(error)})`, { cause: error });
    }
    if (head.byteLength < 100 || String.fromCharCode(...head.subarray(0, 16)) !== sqliteMagic) {
      throw new BasemapPackageError(fileName, 'basemap-not-sqlite', 'not an SQLite database (an MBTiles file is one)');
    }
    const name = `${facts.id}.mbtiles`;
    api.vfs.files.set(name, reader);
    let db: number | null = null;
    try {
      try {
        db = await api.sqlite3.open_v2(name, SQLite.SQLITE_OPEN_READONLY, vfsName);
      } catch (error) {
        throw new BasemapPackageError(fileName, 'basemap-not-sqlite', `cannot open as SQLite (${message(error)})`, { cause: error });
      }
      const metadata: Record<string, string> = {};
      try {
        for (const row of await query(api.sqlite3, db, 'SELECT name, value FROM metadata')) {
          if (typeof row.name === 'string' && row.value !== null && row.value !== undefined) metadata[row.name] = String(row.value);
        }
      } catch (error) {
        throw new BasemapPackageError(fileName, 'basemap-not-mbtiles', `not an MBTiles file: no readable metadata table (${message(error)})`, { cause: error });
      }
      let range: Row | undefined;
      let sample: Row | undefined;
      try {
        [range] = await query(api.sqlite3, db, 'SELECT min(zoom_level) AS min, max(zoom_level) AS max FROM tiles');
        [sample] = await query(api.sqlite3, db, 'SELECT tile_data FROM tiles LIMIT 1');
      } catch (error) {
        throw new BasemapPackageError(fileName, 'basemap-not-mbtiles', `not an MBTiles file: no readable tiles table (${message(error)})`, { cause: error });
      }
      const zoomRange = typeof range?.min === 'number' && typeof range.max === 'number' ? { min: range.min, max: range.max } : null;
      const sampleTile = sample?.tile_data instanceof Uint8Array ? sample.tile_data.subarray(0, 16) : null;
      const info = mbtilesPackageInfo({ id: facts.id, fileName, size: reader.size, metadata, zoomRange, sampleTile });
      return new WasmMbtiles(api, db, name, info);
    } catch (error) {
      if (db !== null) await api.sqlite3.close(db).catch(() => undefined);
      api.vfs.files.delete(name);
      throw error;
    }
  }

  /** The tile at XYZ (z, x, y), inflated when it is a gzip vector tile; null when there is none. */
  async tile(z: number, x: number, y: number): Promise<Uint8Array | null> {
    const [row] = await query(this.api.sqlite3, this.db, 'SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?', [z, x, tmsRow(z, y)]);
    const bytes = row?.tile_data;
    if (!(bytes instanceof Uint8Array)) return null;
    return this.info.tileType === 'mvt' && isGzip(bytes) ? gunzipSync(bytes) : bytes;
  }

  async close(): Promise<void> {
    await this.api.sqlite3.close(this.db);
    this.api.vfs.files.delete(this.name);
  }
}
