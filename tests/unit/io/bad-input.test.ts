// The bad-input corpus: each case asserts its error code (the promise rejects: nothing partial comes
// back) or, where OneMap repairs or only warns, the warning code and where it points.
import { randomBytes } from 'node:crypto';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { ImportError, importFile, type ImportOptions, type ImportResult } from '../../../shared/io';
import expected from '../../fixtures/io/expected.json';
import { fixture, metres } from './helpers';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const geojson = (value: unknown): Uint8Array => utf8(JSON.stringify(value));

async function importError(fileName: string, bytes: Uint8Array, options?: ImportOptions): Promise<ImportError> {
  let result: ImportResult | undefined;
  try {
    result = await importFile(fileName, bytes, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    const importError = error as ImportError;
    expect(importError.zh.length).toBeGreaterThan(0);
    expect(importError.en.length).toBeGreaterThan(0);
    return importError;
  }
  throw new Error(`expected ${fileName} to be refused, got ${result.features.features.length} features`);
}

const point = (coordinates: unknown, properties: Record<string, unknown> = {}, id?: string) => ({
  type: 'Feature',
  ...(id ? { id } : {}),
  properties,
  geometry: { type: 'Point', coordinates },
});
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const square = (x: number, y: number) => [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]];

const villageEntries = () => unzipSync(fixture('villages-gbk-no-cpg.zip'));

describe('bad input', () => {
  test('empty file → empty-file', async () => {
    expect((await importError('wells.csv', new Uint8Array())).code).toBe('empty-file');
  });

  test('truncated zip → invalid-zip', async () => {
    const bytes = fixture('villages-gbk-no-cpg.zip');
    expect((await importError('villages.zip', bytes.subarray(0, Math.floor(bytes.length / 2)))).code).toBe('invalid-zip');
  });

  test('Shapefile zip without .shx → shapefile-incomplete, naming the missing file', async () => {
    const { 'villages.shx': _shx, ...rest } = villageEntries();
    const error = await importError('villages.zip', zipSync(rest));
    expect(error.code).toBe('shapefile-incomplete');
    expect(error.location.file).toBe('villages.shx');
  });

  test('a .shp cut short inside a valid zip → invalid-shapefile', async () => {
    const entries = villageEntries();
    const shp = entries['villages.shp'] as Uint8Array;
    const error = await importError('villages.zip', zipSync({ ...entries, 'villages.shp': shp.subarray(0, shp.length - 40) }));
    expect(error.code).toBe('invalid-shapefile');
    expect(error.location.file).toBe('villages.shp');
  });

  test('a bare .shp or an old .xls → unsupported-format with a hint', async () => {
    expect((await importError('villages.shp', fixture('villages-gbk-no-cpg.zip'))).code).toBe('unsupported-format');
    expect((await importError('wells.xls', utf8('junk'))).code).toBe('unsupported-format');
  });

  describe('NaN / Infinity → non-finite-coordinate with the feature or row', () => {
    test('GeoJSON with NaN as Python writes it', async () => {
      const text = '{"type":"FeatureCollection","features":[' + JSON.stringify(point([115.7, 37.7])) + ',{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[NaN, 37.7]}}]}';
      const error = await importError('points.geojson', utf8(text));
      expect(error.code).toBe('non-finite-coordinate');
      expect(error.location.featureIndex).toBe(1);
    });
    test('GeoJSON with 1e999 (parses to Infinity)', async () => {
      const text = '{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[115.7,37.7],[1e999,37.8]]}}';
      const error = await importError('line.geojson', utf8(text));
      expect(error.code).toBe('non-finite-coordinate');
      expect(error.location.featureIndex).toBe(0);
    });
    test('CSV with Infinity and NaN cells', async () => {
      const error = await importError('wells.csv', utf8('名称,经度,纬度\n甲,115.7,37.7\n乙,Infinity,37.8\n'));
      expect(error.code).toBe('non-finite-coordinate');
      expect(error.location.row).toBe(3);
      expect((await importError('wells.csv', utf8('名称,经度,纬度\n甲,NaN,37.7\n'))).location.row).toBe(2);
    });
  });

  describe('50 MB of junk (generated here) is refused quickly under any name', () => {
    const junk = randomBytes(50 * 1024 * 1024);
    const cases: [string, string][] = [
      ['junk.zip', 'invalid-zip'],
      ['junk.geojson', 'not-text'],
      ['junk.csv', 'not-text'],
      ['junk.kml', 'not-text'],
      ['junk.gpkg', 'invalid-geopackage'],
      ['junk.xlsx', 'invalid-xlsx'],
      ['junk.bin', 'unsupported-format'],
    ];
    for (const [name, code] of cases) {
      test(`${name} → ${code}`, async () => {
        const started = performance.now();
        expect((await importError(name, junk)).code).toBe(code);
        expect(performance.now() - started).toBeLessThan(5000);
      });
    }
    test('50 MB of printable junk named .geojson → invalid-json', async () => {
      const text = new Uint8Array(junk.length);
      for (let index = 0; index < junk.length; index += 1) text[index] = 0x21 + ((junk[index] as number) % 90);
      expect((await importError('junk.geojson', text)).code).toBe('invalid-json');
    });
  });

  test('a "1 GB virtual file": a zip whose directory declares a 1 GB entry is refused before inflating', async () => {
    const zip = zipSync({ 'big.shp': new Uint8Array(1000), 'big.shx': new Uint8Array(100), 'big.dbf': new Uint8Array(100) }, { level: 0 });
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    const oneGigabyte = 1024 * 1024 * 1024;
    for (let offset = 0; offset + 4 <= zip.length; offset += 1) {
      const signature = view.getUint32(offset, true);
      if (signature === 0x04034b50) view.setUint32(offset + 22, oneGigabyte, true); // local header: uncompressed size
      if (signature === 0x02014b50) view.setUint32(offset + 24, oneGigabyte, true); // central directory: uncompressed size
    }
    const before = process.memoryUsage().arrayBuffers;
    for (const name of ['big.zip', 'big.xlsx']) {
      const error = await importError(name, zip);
      expect(error.code).toBe('file-too-large');
      expect(error.details.declaredBytes).toBe(oneGigabyte);
    }
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(100 * 1024 * 1024);
  });

  test('mixed geometry → warning mixed-geometry with counts (decided: the wizard filters by the target layer)', async () => {
    const result = await importFile(
      'mixed.geojson',
      geojson(collection(point([115.7, 37.7]), point([115.71, 37.7]), { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: square(115.7, 37.7) } })),
    );
    expect(result.features.features).toHaveLength(3);
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'mixed-geometry', details: { counts: { Point: 2, Polygon: 1 } } }));
  });

  test('a GeometryCollection of mixed kinds → unsupported-geometry', async () => {
    const feature = { type: 'Feature', properties: {}, geometry: { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [115.7, 37.7] }, { type: 'LineString', coordinates: [[115.7, 37.7], [115.8, 37.8]] }] } };
    const error = await importError('gc.geojson', geojson(collection(point([115.7, 37.7]), feature)));
    expect(error.code).toBe('unsupported-geometry');
    expect(error.location.featureIndex).toBe(1);
  });

  test('unclosed rings are closed with a ring-unclosed warning; a ring too short to close → invalid-geometry', async () => {
    const open = [[[115.7, 37.7], [115.71, 37.7], [115.71, 37.71], [115.7, 37.71]]];
    const result = await importFile('open.geojson', geojson(collection({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: square(115.6, 37.6) } }, { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: open } })));
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'ring-unclosed', featureIndex: 1 }));
    const ring = (result.features.features[1]?.geometry.coordinates as number[][][])[0] as number[][];
    expect(ring).toHaveLength(5);
    expect(ring[4]).toEqual(ring[0]);
    const error = await importError('short.geojson', geojson(collection({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[115.7, 37.7], [115.71, 37.7]]] } })));
    expect(error.code).toBe('invalid-geometry');
    expect(error.location.featureIndex).toBe(0);
  });

  test('self-intersecting polygon (a bow tie) → self-intersection warning with the feature index', async () => {
    const bowTie = [[[115.7, 37.7], [115.71, 37.71], [115.71, 37.7], [115.7, 37.71], [115.7, 37.7]]];
    const result = await importFile('bowtie.geojson', geojson(collection({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: square(115.6, 37.6) } }, { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: bowTie } })));
    const warnings = result.warnings.filter((warning) => warning.code === 'self-intersection');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.featureIndex).toBe(1);
  });

  test('wrong .prj (says zone 38, data is zone 39) → file-crs-mismatch warning, read as zone 39', async () => {
    const entries = villageEntries();
    const zone38 = new TextDecoder()
      .decode(entries['villages.prj'])
      .replace('Zone_39', 'Zone_38')
      .replace('39500000.0', '38500000.0')
      .replace('"Central_Meridian",117.0', '"Central_Meridian",114.0');
    const result = await importFile('villages.zip', zipSync({ ...entries, 'villages.prj': utf8(zone38) }));
    expect(result.sourceCrs).toBe('EPSG:4527');
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'file-crs-mismatch', details: { declared: 'EPSG:4526', used: 'EPSG:4527' } }));
    const ring = (result.features.features[0]?.geometry.coordinates as number[][][])[0] as number[][];
    expect(Math.min(...ring.map((position) => metres(position, expected.villages[0]!.firstVertexLonLat)))).toBeLessThan(0.1);
  });

  test('a .prj naming Beijing 1954 → unsupported-crs', async () => {
    const beijing =
      'PROJCS["Beijing_1954_3_Degree_GK_Zone_39",GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",39500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
    const error = await importError('villages.zip', zipSync({ ...villageEntries(), 'villages.prj': utf8(beijing) }));
    expect(error.code).toBe('unsupported-crs');
    expect(error.location.file).toBe('villages.shp');
  });

  test('a chosen CRS that does not fit the values → crs-mismatch', async () => {
    const error = await importError('points-zone39-gbk.csv', fixture('points-zone39-gbk.csv'), { crs: 'EPSG:4526' });
    expect(error.code).toBe('crs-mismatch');
  });

  test('eastings from two zones in one file → mixed-zones', async () => {
    const error = await importError('mixed.csv', utf8('名称,东坐标,北坐标\n甲,39385000,4180000\n乙,38650000,4180000\n'));
    expect(error.code).toBe('mixed-zones');
  });

  test('duplicate ids → duplicate-id warning on the later feature, whose id is dropped', async () => {
    const result = await importFile('dup.geojson', geojson(collection(point([115.7, 37.7], {}, 'w1'), point([115.71, 37.7], {}, 'w2'), point([115.72, 37.7], {}, 'w1'))));
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'duplicate-id', featureIndex: 2, details: { id: 'w1' } }));
    expect(result.features.features.map((feature) => feature.id)).toEqual(['w1', 'w2', undefined]);
  });

  describe('a UTF-8 BOM is not part of the data', () => {
    test('CSV: the first header is still found as 经度', async () => {
      const result = await importFile('bom.csv', utf8('\uFEFF经度,纬度,名称\n115.7,37.7,甲\n'));
      expect(result.encoding).toBe('utf-8');
      expect(result.fields).toEqual(['名称']);
      expect(result.features.features[0]?.geometry.coordinates).toEqual([115.7, 37.7]);
    });
    test('GeoJSON', async () => {
      const result = await importFile('bom.geojson', utf8('\uFEFF' + JSON.stringify(collection(point([115.7, 37.7], { 名称: '甲' })))));
      expect(result.features.features[0]?.properties).toEqual({ 名称: '甲' });
    });
  });

  test('text formats that are neither UTF-8 nor GBK → undecodable-text', async () => {
    // 0x80 0xFF is invalid UTF-8 and invalid GB18030.
    expect((await importError('bad.csv', new Uint8Array([0x41, 0x2c, 0x42, 0x0a, 0x80, 0xff, 0x2c, 0x31]))).code).toBe('undecodable-text');
  });

  test('CSV without coordinate columns → coordinate-columns-not-found; a text coordinate → invalid-coordinate with row and column', async () => {
    expect((await importError('a.csv', utf8('名称,地址\n甲,桃城区\n'))).code).toBe('coordinate-columns-not-found');
    const error = await importError('b.csv', utf8('名称,X,Y\n甲,4182882.1,39385840.2\n乙,见附图,39385840.2\n'));
    expect(error.code).toBe('invalid-coordinate');
    expect(error.location).toEqual({ row: 3, column: 'X' });
  });

  test('broken XML → invalid-kml; JSON that is not GeoJSON → invalid-geojson', async () => {
    expect((await importError('a.kml', utf8('<kml><Document><Placemark></Document>'))).code).toBe('invalid-kml');
    expect((await importError('a.geojson', utf8('{"type":"Topology"}'))).code).toBe('invalid-geojson');
  });
});
