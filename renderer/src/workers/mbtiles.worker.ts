// MBTiles for the web shell: SQLite (wa-sqlite) in this worker reads the picked File in place,
// one synchronous slice per page (FileReaderSync exists only in workers), so the map thread never
// waits on SQLite and no file is ever loaded whole.
import * as Comlink from 'comlink';
import wasmUrl from '@journeyapps/wa-sqlite/dist/wa-sqlite.wasm?url';
import { BasemapPackageError, type BasemapPackageErrorCode, type BasemapPackageInfo } from '../../../shared/basemaps/package-info';
import { loadWasmSqlite, WasmMbtiles, type RandomAccessReader, type WasmSqlite } from './mbtiles-sqlite';

// In DedicatedWorkerGlobalScope only (the renderer's tsconfig has the DOM lib, not WebWorker).
declare const FileReaderSync: { new (): { readAsArrayBuffer(blob: Blob): ArrayBuffer } };

let api: Promise<WasmSqlite> | null = null;
const open = new Map<string, WasmMbtiles>();

function fileReader(file: Blob): RandomAccessReader {
  const reader = new FileReaderSync();
  return {
    size: file.size,
    read: (offset, length) => new Uint8Array(reader.readAsArrayBuffer(file.slice(offset, offset + length))),
  };
}

export type MbtilesOpenResult = { ok: true; info: BasemapPackageInfo } | { ok: false; code: BasemapPackageErrorCode; fileName: string; reason: string };

const workerApi = {
  /** Opens (or reopens) a package's file under its id; the info, or why the file is refused. */
  async open(id: string, file: File): Promise<MbtilesOpenResult> {
    api ??= loadWasmSqlite({ locateFile: () => wasmUrl });
    const sqlite = await api;
    await open.get(id)?.close();
    open.delete(id);
    try {
      const mbtiles = await WasmMbtiles.open(sqlite, fileReader(file), { id, fileName: file.name });
      open.set(id, mbtiles);
      return { ok: true, info: mbtiles.info };
    } catch (error) {
      if (error instanceof BasemapPackageError) return { ok: false, code: error.code, fileName: error.fileName, reason: error.reason };
      return { ok: false, code: 'basemap-unreadable', fileName: file.name, reason: error instanceof Error ? error.message : String(error) };
    }
  },
  /** One tile (XYZ), inflated; null when the package has none there. */
  async tile(id: string, z: number, x: number, y: number): Promise<Uint8Array | null> {
    const mbtiles = open.get(id);
    if (!mbtiles) throw new Error(`basemap package ${id} is not open`);
    const bytes = await mbtiles.tile(z, x, y);
    return bytes ? Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]) : null;
  },
  async close(id: string): Promise<void> {
    await open.get(id)?.close();
    open.delete(id);
  },
};

export type MbtilesWorkerApi = typeof workerApi;
Comlink.expose(workerApi);
