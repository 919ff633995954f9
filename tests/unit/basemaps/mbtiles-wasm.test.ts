// sql.js typings live with shared/io (its own @types pull in Node types that shared/ must not see).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../../shared/io/vendor.d.ts" />
// The web shell's MBTiles reader (renderer/src/workers/mbtiles-sqlite.ts): wa-sqlite with the
// read-only VFS, here over positioned fs reads instead of FileReaderSync — the same code the worker runs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import initSqlJs from 'sql.js';
import { BasemapPackageError } from '../../../shared/basemaps/package-info';
import { loadWasmSqlite, WasmMbtiles, type WasmSqlite } from '../../../renderer/src/workers/mbtiles-sqlite';
import { countingFileReader, fixture, fixtureBox, waSqliteNodeOptions } from './helpers';

let api: WasmSqlite;
let scratch: string;

beforeAll(async () => {
  api = await loadWasmSqlite(waSqliteNodeOptions());
  scratch = mkdtempSync(path.join(tmpdir(), 'onemap-mbtiles-wasm-'));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

async function storedTiles(file: string): Promise<Array<[number, number, number, Uint8Array]>> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(readFileSync(file));
  const rows = (db.exec('SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles')[0]?.values ?? []) as Array<[number, number, number, Uint8Array]>;
  db.close();
  return rows;
}

describe('WasmMbtiles over the committed fixtures', () => {
  it('reads the vector package info (zooms, bounds, layers with geometry)', async () => {
    const reader = countingFileReader(fixture('hengshui-part-vector.mbtiles'));
    const mbtiles = await WasmMbtiles.open(api, reader, { id: 'bp-vectortest1', fileName: 'hengshui-part-vector.mbtiles' });
    expect(mbtiles.info).toMatchObject({ kind: 'mbtiles', tileType: 'mvt', minZoom: 7, maxZoom: 11, title: 'Hengshui part (vector)', bounds: [...fixtureBox] });
    expect(mbtiles.info.vectorLayers.map((layer) => [layer.id, layer.geometry])).toEqual([
      ['counties', 'Polygon'],
      ['rivers', 'LineString'],
      ['seats', 'Point'],
    ]);
    await mbtiles.close();
    reader.close();
  });

  it.each(['hengshui-part-vector.mbtiles', 'hengshui-part-raster.mbtiles'])('answers every tile of %s at its XYZ address (rows flipped, vector inflated)', async (name) => {
    const reader = countingFileReader(fixture(name));
    const mbtiles = await WasmMbtiles.open(api, reader, { id: 'bp-tilestest01', fileName: name });
    try {
      const rows = await storedTiles(fixture(name));
      expect(rows.length).toBeGreaterThan(10);
      for (const [z, x, tmsY, data] of rows) {
        const y = 2 ** z - 1 - tmsY;
        const tile = await mbtiles.tile(z, x, y);
        const expected = mbtiles.info.tileType === 'mvt' ? gunzipSync(data) : Buffer.from(data);
        expect(tile && Buffer.from(tile).equals(expected), `tile ${z}/${x}/${y}`).toBe(true);
      }
      // Outside the package: no tile, not an error.
      expect(await mbtiles.tile(3, 0, 0)).toBeNull();
    } finally {
      await mbtiles.close();
      reader.close();
    }
  });

  it.each([
    ['random bytes', Buffer.from('not a database '.repeat(100)), 'not an SQLite database'],
    ['a truncated header', readFileSync(fixture('hengshui-part-vector.mbtiles')).subarray(0, 50), 'not an SQLite database'],
    ['an SQLite file without MBTiles tables', readFileSync(path.resolve('tests/fixtures/io/schools-zone39.gpkg')), 'no readable metadata table'],
  ])('refuses %s with an error naming the file, and leaves nothing open', async (_why, bytes, reason) => {
    const file = path.join(scratch, 'bad.mbtiles');
    writeFileSync(file, bytes);
    const reader = countingFileReader(file);
    const opening = WasmMbtiles.open(api, reader, { id: 'bp-badfile0001', fileName: 'bad.mbtiles' });
    await expect(opening).rejects.toBeInstanceOf(BasemapPackageError);
    await expect(opening).rejects.toThrow(new RegExp(`^bad\\.mbtiles: .*${reason}`));
    expect(api.vfs.files.size).toBe(0);
    reader.close();
  });

  it('a file whose tile pages are damaged fails on that tile, not silently', async () => {
    const bytes = readFileSync(fixture('hengshui-part-raster.mbtiles'));
    const damaged = Buffer.from(bytes);
    // Zero every page after the first three (schema and metadata survive, the tile b-tree does not).
    damaged.fill(0, 4096 * 3);
    const file = path.join(scratch, 'damaged.mbtiles');
    writeFileSync(file, damaged);
    const reader = countingFileReader(file);
    let failure: unknown = null;
    try {
      const mbtiles = await WasmMbtiles.open(api, reader, { id: 'bp-damaged0001', fileName: 'damaged.mbtiles' });
      await mbtiles.tile(11, 1680, 1000);
      await mbtiles.close();
    } catch (error) {
      failure = error;
    }
    expect(failure).not.toBeNull();
    expect(String(failure)).toMatch(/damaged\.mbtiles|malformed|corrupt|SQLITE/i);
    reader.close();
  });
});

describe('WasmMbtiles reads in place', () => {
  it('opens an 8 MB package and reads one tile touching well under 1% of the file', async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run('CREATE TABLE metadata (name TEXT, value TEXT)');
    db.run('CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)');
    db.run('CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)');
    for (const [name, value] of [['name', 'big'], ['format', 'png'], ['bounds', '115,37,116,38'], ['minzoom', '12'], ['maxzoom', '12']]) db.run('INSERT INTO metadata VALUES (?, ?)', [name!, value!]);
    const tileBytes = 8 * 1024;
    const png = Uint8Array.from({ length: tileBytes }, (_, index) => (index < 8 ? [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a][index]! : index % 251));
    db.run('BEGIN');
    for (let index = 0; index < 1000; index += 1) {
      const tile = png.slice();
      tile[8] = index % 256;
      tile[9] = Math.floor(index / 256);
      db.run('INSERT INTO tiles VALUES (12, ?, ?, ?)', [3300 + (index % 40), 2500 + Math.floor(index / 40), tile]);
    }
    db.run('COMMIT');
    const file = path.join(scratch, 'big.mbtiles');
    writeFileSync(file, db.export());
    db.close();

    const reader = countingFileReader(file);
    expect(reader.size).toBeGreaterThan(8_000_000);
    const mbtiles = await WasmMbtiles.open(api, reader, { id: 'bp-bigfile00001', fileName: 'big.mbtiles' });
    const index = 517;
    const x = 3300 + (index % 40);
    const tmsY = 2500 + Math.floor(index / 40);
    const tile = await mbtiles.tile(12, x, 2 ** 12 - 1 - tmsY).finally(() => mbtiles.close());
    expect(tile?.length).toBe(tileBytes);
    expect([tile![8], tile![9]]).toEqual([index % 256, Math.floor(index / 256)]);
    // Measured: opening plus one tile reads a few pages, not the file.
    expect(reader.bytesRead).toBeLessThan(reader.size / 100);
    console.info(`[measure] ${reader.size} byte MBTiles: open + 1 tile read ${reader.bytesRead} bytes in ${reader.reads} reads`);
    reader.close();
  });
});
