// export → import → the same features (within 1 cm) and the same properties, for every format.
import { describe, expect, test } from 'vitest';
import { exportFeatures, importFile, type ExportFormat, type ExportOptions, type FeatureCollection } from '../../../shared/io';
import type { GeoJsonFeature } from '../../../shared/model/geojson-feature';
import expected from '../../fixtures/io/expected.json';
import { allPositions, metres } from './helpers';

const TOLERANCE_METRES = 0.01;

const wells: GeoJsonFeature[] = [
  { type: 'Feature', id: 'well-001', properties: { 井名: '北王庄1号井', 井深米: 120, 出水量: 35.75, 在用: true, 备注: null }, geometry: { type: 'Point', coordinates: [115.7043, 37.7711] } },
  { type: 'Feature', id: 'well-002', properties: { 井名: '西关“深井”, 二号', 井深米: 300, 出水量: 12.5, 在用: false, 备注: '已封停 2021-06' }, geometry: { type: 'Point', coordinates: [115.8931, 37.8179] } },
  { type: 'Feature', id: 'well-003', properties: { 井名: '小营村饮水井', 井深米: 210, 出水量: 0.125, 在用: true, 备注: '吉' }, geometry: { type: 'Point', coordinates: [116.2803, 37.6921] } },
];

const villages: GeoJsonFeature[] = [
  {
    type: 'Feature',
    id: 'village-1',
    properties: { 村名: '北王庄村', 户数: 312, 面积: 41.25, 达标: true },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [[115.712, 37.763], [115.724, 37.763], [115.724, 37.7726], [115.712, 37.7726], [115.712, 37.763]],
        [[115.715, 37.765], [115.715, 37.767], [115.717, 37.767], [115.717, 37.765], [115.715, 37.765]],
      ],
    },
  },
  {
    type: 'Feature',
    id: 'village-2',
    properties: { 村名: '东辛庄村', 户数: 276, 面积: 18, 达标: false },
    geometry: {
      type: 'MultiPolygon',
      coordinates: [
        [[[115.571, 38.012], [115.583, 38.012], [115.583, 38.0216], [115.571, 38.0216], [115.571, 38.012]]],
        [[[115.59, 38.03], [115.595, 38.03], [115.595, 38.034], [115.59, 38.03]]],
      ],
    },
  },
];

const roads: GeoJsonFeature[] = [
  { type: 'Feature', id: 'road-1', properties: { 名称: '人民路', 长度米: 1830.5 }, geometry: { type: 'LineString', coordinates: [[115.67, 37.73], [115.69, 37.735], [115.71, 37.74]] } },
  { type: 'Feature', id: 'road-2', properties: { 名称: '滏阳河堤', 长度米: 920 }, geometry: { type: 'MultiLineString', coordinates: [[[115.7, 37.75], [115.71, 37.755]], [[115.72, 37.76], [115.73, 37.77]]] } },
];

const wells3d: GeoJsonFeature[] = wells.map((feature, index) => ({ ...feature, geometry: { type: 'Point', coordinates: [...(feature.geometry.coordinates as [number, number]), 18.5 + index] } }));

const mixed = [...wells.slice(0, 1), ...villages.slice(0, 1), ...roads.slice(0, 1)];

function expectSameFeatures(actual: FeatureCollection, original: readonly GeoJsonFeature[], options: { ids?: boolean } = {}): void {
  expect(actual.features).toHaveLength(original.length);
  original.forEach((feature, index) => {
    const back = actual.features[index] as GeoJsonFeature;
    if (options.ids !== false) expect(back.id).toBe(feature.id);
    // Table-like formats give every feature every column: keys another feature had come back null.
    const own = Object.fromEntries(Object.keys(feature.properties ?? {}).map((key) => [key, back.properties?.[key]]));
    expect(own).toEqual(feature.properties);
    for (const [key, value] of Object.entries(back.properties ?? {})) if (!(key in (feature.properties ?? {}))) expect(value).toBeNull();
    expect(back.geometry.type).toBe(feature.geometry.type);
    const before = allPositions(feature.geometry);
    const after = allPositions(back.geometry);
    expect(after).toHaveLength(before.length);
    expect(after.map((position) => position[2])).toEqual(before.map((position) => position[2]));
    // Rings may come back re-wound; compare as sets of positions.
    for (const position of before) expect(Math.min(...after.map((other) => metres(position, other)))).toBeLessThan(TOLERANCE_METRES);
  });
}

async function roundTrip(features: readonly GeoJsonFeature[], format: ExportFormat, options: ExportOptions = {}) {
  const exported = await exportFeatures({ type: 'FeatureCollection', features: [...features] }, format, options);
  const result = await importFile(exported.fileName, exported.bytes);
  return { exported, result };
}

describe('round trips', () => {
  const cases: [string, ExportFormat, readonly GeoJsonFeature[], ExportOptions, string][] = [
    ['GeoJSON, mixed kinds', 'geojson', mixed, {}, 'EPSG:4326'],
    ['KML, mixed kinds', 'kml', mixed, {}, 'EPSG:4326'],
    ['GeoPackage, polygons with a hole and a MultiPolygon', 'geopackage', villages, {}, 'EPSG:4326'],
    ['GeoPackage, lines', 'geopackage', roads, {}, 'EPSG:4326'],
    ['GeoPackage, points with elevations (WKB Z)', 'geopackage', wells3d, {}, 'EPSG:4326'],
    ['Shapefile UTF-8, polygons, WGS84', 'shapefile', villages, {}, 'EPSG:4326'],
    ['Shapefile GBK, points, GK zone 39', 'shapefile', wells, { encoding: 'gbk', crs: 'EPSG:4527' }, 'EPSG:4527'],
    ['Shapefile UTF-8, lines, CGCS2000 CM 117E (no prefix)', 'shapefile', roads, { crs: 'EPSG:4548' }, 'EPSG:4548'],
    ['CSV, WGS84', 'csv', wells, {}, 'EPSG:4326'],
    ['CSV, GK zone 39', 'csv', wells, { crs: 'EPSG:4527' }, 'EPSG:4527'],
    ['CSV GBK, GK zone 39', 'csv', wells, { crs: 'EPSG:4527', encoding: 'gbk' }, 'EPSG:4527'],
    ['Excel, WGS84', 'xlsx', wells, {}, 'EPSG:4326'],
    ['Excel, GK zone 39', 'xlsx', wells, { crs: 'EPSG:4527' }, 'EPSG:4527'],
  ];
  for (const [label, format, features, options, sourceCrs] of cases) {
    test(label, async () => {
      const { result, exported } = await roundTrip(features, format, { name: '导出测试', ...options });
      expect(exported.fileName.startsWith('导出测试.')).toBe(true);
      expect(result.format).toBe(format);
      expect(result.sourceCrs).toBe(sourceCrs);
      if (options.encoding) expect(result.encoding).toBe(options.encoding);
      expectSameFeatures(result.features, features);
    });
  }

  test('Shapefile GBK: the .dbf bytes are GBK and the .cpg says so', async () => {
    const { unzipSync } = await import('fflate');
    const exported = await exportFeatures(wells, 'shapefile', { encoding: 'gbk', name: 'wells' });
    const files = unzipSync(exported.bytes);
    expect(Object.keys(files).sort()).toEqual(['wells.cpg', 'wells.dbf', 'wells.prj', 'wells.shp', 'wells.shx']);
    expect(new TextDecoder().decode(files['wells.cpg'])).toBe('GBK');
    expect(files['wells.dbf']?.[29]).toBe(0x4d);
    const gbkName = new Uint8Array([0xb1, 0xb1, 0xcd, 0xf5, 0xd7, 0xaf]); // 北王庄 in GBK
    const dbf = files['wells.dbf'] as Uint8Array;
    expect(Buffer.from(dbf).includes(Buffer.from(gbkName))).toBe(true);
  });

  test('CSV starts with a UTF-8 BOM, uses CRLF, and writes 东坐标/北坐标 where cs2cs puts the points', async () => {
    const points: GeoJsonFeature[] = expected.points.map((point) => ({ type: 'Feature', properties: { 名称: point.name }, geometry: { type: 'Point', coordinates: point.lonLat as [number, number] } }));
    const exported = await exportFeatures(points, 'csv', { crs: 'EPSG:4527' });
    expect([...exported.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(exported.bytes).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('名称,东坐标,北坐标');
    expected.points.forEach((point, index) => {
      const [, easting, northing] = (lines[index + 1] as string).split(',').map(Number);
      expect(Math.abs((easting as number) - point.eastingNorthing[0]!)).toBeLessThan(0.002);
      expect(Math.abs((northing as number) - point.eastingNorthing[1]!)).toBeLessThan(0.002);
    });
  });

  test('Shapefile: field names longer than 10 bytes are shortened, with a warning', async () => {
    const feature: GeoJsonFeature = { type: 'Feature', properties: { 规划面积公顷: 41.25, 规划面积公顷数: 40 }, geometry: { type: 'Point', coordinates: [115.7, 37.7] } };
    const { exported, result } = await roundTrip([feature], 'shapefile');
    expect(exported.warnings.filter((warning) => warning.code === 'field-renamed')).toHaveLength(2);
    expect(result.features.features[0]?.properties).toEqual({ 规划面: 41.25, 规划_1: 40 });
  });

  test('GBK: characters GBK lacks become "?" with a warning', async () => {
    const feature: GeoJsonFeature = { type: 'Feature', properties: { 名称: '𠮷野家' }, geometry: { type: 'Point', coordinates: [115.7, 37.7] } };
    const { exported, result } = await roundTrip([feature], 'shapefile', { encoding: 'gbk' });
    expect(exported.warnings.map((warning) => warning.code)).toContain('character-not-encodable');
    expect(result.features.features[0]?.properties?.['名称']).toBe('?野家');
  });

  test('an empty layer round-trips as GeoJSON with a no-features warning', async () => {
    const { result } = await roundTrip([], 'geojson');
    expect(result.features.features).toEqual([]);
    expect(result.warnings.map((warning) => warning.code)).toContain('no-features');
  });
});
