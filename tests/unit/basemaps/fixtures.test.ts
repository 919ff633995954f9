// sql.js typings live with shared/io (its own @types pull in Node types that shared/ must not see).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../../shared/io/vendor.d.ts" />
// The committed fixtures are what README.md says, and the PMTiles copies (written by our converter,
// since GDAL 3.6 has no PMTiles driver) are read by the reference `pmtiles` decoder tile for tile
// identical to the MBTiles that GDAL wrote — which also checks the TMS → XYZ row flip.
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import initSqlJs from 'sql.js';
import { PMTiles, TileType } from 'pmtiles';
import { NodeFileSource } from '../../../electron/main/basemap-packages';
import { fixture, fixtureBox } from './helpers';

const pairs = [
  { mbtiles: 'hengshui-part-vector.mbtiles', pmtiles: 'hengshui-part-vector.pmtiles', tileType: TileType.Mvt, zooms: [7, 11] },
  { mbtiles: 'hengshui-part-raster.mbtiles', pmtiles: 'hengshui-part-raster.pmtiles', tileType: TileType.Png, zooms: [9, 11] },
] as const;

describe.each(pairs)('$pmtiles', ({ mbtiles, pmtiles, tileType, zooms }) => {
  it('is small and has the header the README promises', async () => {
    expect(statSync(fixture(pmtiles)).size).toBeLessThan(1024 * 1024);
    expect(statSync(fixture(mbtiles)).size).toBeLessThan(1024 * 1024);
    const header = await new PMTiles(new NodeFileSource(fixture(pmtiles))).getHeader();
    expect(header.specVersion).toBe(3);
    expect(header.tileType).toBe(tileType);
    expect([header.minZoom, header.maxZoom]).toEqual(zooms);
    expect(header.minLon).toBeCloseTo(fixtureBox[0], 3);
    expect(header.minLat).toBeCloseTo(fixtureBox[1], 3);
    expect(header.maxLon).toBeCloseTo(fixtureBox[2], 3);
    expect(header.maxLat).toBeCloseTo(fixtureBox[3], 3);
  });

  it('holds exactly the tiles of the MBTiles file, byte for byte, at their XYZ address', async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database(readFileSync(fixture(mbtiles)));
    const archive = new PMTiles(new NodeFileSource(fixture(pmtiles)));
    const header = await archive.getHeader();
    const [result] = db.exec('SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles');
    const rows = result?.values ?? [];
    expect(rows.length).toBe(header.numAddressedTiles);
    for (const [z, x, tmsY, data] of rows as Array<[number, number, number, Uint8Array]>) {
      const y = 2 ** z - 1 - tmsY;
      const tile = await archive.getZxy(z, x, y);
      expect(tile, `tile ${z}/${x}/${y}`).toBeDefined();
      // The pmtiles library inflates gzip tiles; GDAL stores vector tiles gzip-compressed.
      const { gunzipSync } = await import('node:zlib');
      const expected = data[0] === 0x1f && data[1] === 0x8b ? gunzipSync(data) : Buffer.from(data);
      expect(Buffer.from(tile!.data).equals(expected), `tile ${z}/${x}/${y}`).toBe(true);
      // And the unflipped row is not where the tile is (unless the flip is the identity there).
      if (tmsY !== y) expect(await archive.getZxy(z, x, tmsY).then((other) => (other ? Buffer.from(other.data).equals(expected) : false))).toBe(false);
    }
    db.close();
  });
});

it('the vector fixture declares its three layers with their geometry', async () => {
  const metadata = (await new PMTiles(new NodeFileSource(fixture('hengshui-part-vector.pmtiles'))).getMetadata()) as {
    vector_layers: Array<{ id: string }>;
    tilestats: { layers: Array<{ layer: string; geometry: string }> };
  };
  expect(metadata.vector_layers.map((layer) => layer.id)).toEqual(['counties', 'rivers', 'seats']);
  expect(metadata.tilestats.layers.map((layer) => [layer.layer, layer.geometry])).toEqual([
    ['counties', 'Polygon'],
    ['rivers', 'LineString'],
    ['seats', 'Point'],
  ]);
});
