// sql.js typings live with shared/io (its own @types pull in Node types that shared/ must not see).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../../shared/io/vendor.d.ts" />
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import initSqlJs, { type SqlValue } from 'sql.js';
import type { RandomAccessReader } from '../../../renderer/src/workers/mbtiles-sqlite';
import type { MbtilesDatabase } from '../../../electron/main/basemap-packages';

export const fixturesDirectory = path.resolve('tests/fixtures/basemaps');
export const fixture = (name: string) => path.join(fixturesDirectory, name);

/** The committed fixtures cover this box (tests/fixtures/basemaps/make-fixtures.mjs). */
export const fixtureBox = [115.45, 37.55, 115.95, 37.95] as const;

/** A positioned-read reader over a file that counts what it read (to prove nothing reads the whole file). */
export function countingFileReader(filePath: string): RandomAccessReader & { bytesRead: number; reads: number; close(): void } {
  const descriptor = openSync(filePath, 'r');
  const size = fstatSync(descriptor).size;
  const reader = {
    size,
    bytesRead: 0,
    reads: 0,
    read(offset: number, length: number): Uint8Array {
      const buffer = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      const count = readSync(descriptor, buffer, 0, buffer.length, offset);
      reader.bytesRead += count;
      reader.reads += 1;
      return buffer.subarray(0, count);
    },
    close() {
      closeSync(descriptor);
    },
  };
  return reader;
}

/**
 * The Electron reader's SQL interface over sql.js (tests only: node:sqlite is not in the Node 20
 * that runs Vitest here; Electron 41's Node 24 has it). sql.js loads the whole file, which is fine
 * for a 40 kB fixture; the production path reads in place.
 */
export async function sqlJsOpener(): Promise<(filePath: string) => MbtilesDatabase> {
  const SQL = await initSqlJs();
  return (filePath) => {
    const db = new SQL.Database(readFileSync(filePath));
    const rows = (sql: string, params: Array<number | string> = []) => {
      const statement = db.prepare(sql, params as SqlValue[]);
      const result: Record<string, unknown>[] = [];
      try {
        const columns = statement.getColumnNames();
        while (statement.step()) {
          const values = statement.get();
          result.push(Object.fromEntries(columns.map((column, index) => [column, values[index] ?? null])));
        }
      } finally {
        statement.free();
      }
      return result;
    };
    return {
      get: (sql, ...params) => rows(sql, params)[0],
      all: (sql) => rows(sql),
      close: () => db.close(),
    };
  };
}

/** The wa-sqlite module options for Node: its .wasm bytes (the browser build fetches it by URL). */
export function waSqliteNodeOptions(): { wasmBinary: Uint8Array } {
  return { wasmBinary: readFileSync(path.resolve('node_modules/@journeyapps/wa-sqlite/dist/wa-sqlite.wasm')) };
}
