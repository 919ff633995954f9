// ImportOptions and ExportOptions: the user's word on CRS, encoding, sheet and columns; cancel and progress;
// the old GeoJSON crs member; eastings without a zone prefix; export refusals.
import { zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { transform } from '../../../shared/crs';
import { ImportError, exportFeatures, importFile, type ImportProgress } from '../../../shared/io';
import type { GeoJsonFeature } from '../../../shared/model/geojson-feature';
import expected from '../../fixtures/io/expected.json';
import { fixture, metres } from './helpers';
import { hengshuiWorkspace } from '../../../seeds/workspace';

/** The workspace these files belong to: its extent tells a zone the file does not name. */
const hengshui = { workspaceBounds: hengshuiWorkspace.extent };

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

async function rejection(promise: Promise<unknown>): Promise<ImportError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

describe('import options', () => {
  test('GCJ-02 only on the user\'s word: without it the points are WGS84 with a warning', async () => {
    const csv = utf8('名称,lng,lat\n人民公园,115.686,37.738\n');
    const plain = await importFile('amap.csv', csv);
    expect(plain.sourceCrs).toBe('EPSG:4326');
    expect(plain.warnings.map((warning) => warning.code)).toContain('geographic-assumed-wgs84');
    const gcj = await importFile('amap.csv', csv, { crs: 'GCJ-02' });
    expect(gcj.sourceCrs).toBe('GCJ-02');
    const position = gcj.features.features[0]?.geometry.coordinates as number[];
    expect(metres(position, transform([115.686, 37.738], 'GCJ-02', 'EPSG:4326'))).toBeLessThan(0.001);
    expect(metres(position, [115.686, 37.738])).toBeGreaterThan(100);
  });

  test('BD-09 on the user\'s word', async () => {
    const result = await importFile('baidu.csv', utf8('名称,经度,纬度\n甲,115.6925,37.7441\n'), { crs: 'bd09' });
    expect(result.sourceCrs).toBe('BD-09');
    expect(metres(result.features.features[0]?.geometry.coordinates as number[], transform([115.6925, 37.7441], 'BD-09', 'EPSG:4326'))).toBeLessThan(0.001);
  });

  test('chosen columns win over names', async () => {
    const csv = utf8('编号,纬度,经度,X,Y\n1,0,0,115.7,37.7\n');
    const result = await importFile('chosen.csv', csv, { columns: { x: 'X', y: 'Y' } });
    expect(result.features.features[0]?.geometry.coordinates).toEqual([115.7, 37.7]);
    expect(result.fields).toEqual(['编号', '纬度', '经度']);
    expect((await rejection(importFile('chosen.csv', csv, { columns: { lon: 'lon', lat: 'lat' } }))).code).toBe('coordinate-columns-not-found');
  });

  test('the encoding option overrides detection', async () => {
    const result = await importFile('points-zone39-gbk.csv', fixture('points-zone39-gbk.csv'), { encoding: 'gb18030' });
    expect(result.encoding).toBe('gb18030');
    expect(result.features.features[0]?.properties?.['名称']).toBe('滏阳河监测点');
  });

  test('sheets by name or position; a missing one → sheet-not-found', async () => {
    const bytes = fixture('wells-zone39.xlsx');
    expect((await importFile('w.xlsx', bytes, { sheet: '机井台账' })).features.features).toHaveLength(6);
    expect((await importFile('w.xlsx', bytes, { sheet: 1 })).features.features).toHaveLength(6);
    expect((await rejection(importFile('w.xlsx', bytes, { sheet: '汇总' }))).code).toBe('sheet-not-found');
  });

  test('GeoJSON with the old crs member (urn:ogc:def:crs:EPSG::4527)', async () => {
    const well = expected.wells[0]!;
    const document = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4527' } },
      features: [{ type: 'Feature', properties: { 井名: well.name }, geometry: { type: 'Point', coordinates: [well.yEasting, well.xNorthing] } }],
    };
    const result = await importFile('wells.geojson', utf8(JSON.stringify(document)));
    expect(result.sourceCrs).toBe('EPSG:4527');
    expect(metres(result.features.features[0]?.geometry.coordinates as number[], well.lonLat)).toBeLessThan(0.1);
  });

  test('eastings without the zone prefix: the zone that puts them in the workspace, with a warning', async () => {
    const rows = expected.points.map((point) => `${point.name},${(point.eastingNorthing[0]! - 39_000_000).toFixed(3)},${point.eastingNorthing[1]!.toFixed(3)}`);
    const result = await importFile('plain.csv', utf8(['名称,X,Y', ...rows].join('\n')), hengshui);
    expect(result.sourceCrs).toBe('EPSG:4548');
    expect(result.warnings.map((warning) => warning.code)).toContain('zone-inferred-from-workspace');
    expected.points.forEach((point, index) => expect(metres(result.features.features[index]?.geometry.coordinates as number[], point.lonLat)).toBeLessThan(0.1));
  });

  test('degrees-minutes-seconds cells', async () => {
    const result = await importFile('dms.csv', utf8('名称,经度,纬度\n甲,115°42′15.48″,37度46分15.96秒\n'));
    expect(metres(result.features.features[0]?.geometry.coordinates as number[], [115.7043, 37.7711])).toBeLessThan(0.01);
  });

  test('KMZ (a zipped KML)', async () => {
    const result = await importFile('parks.kmz', zipSync({ 'doc.kml': fixture('parks.kml') }));
    expect(result.format).toBe('kml');
    expect(result.features.features).toHaveLength(3);
  });

  test('an aborted signal → cancelled, before or during the work', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await rejection(importFile('wells-zone39.xlsx', fixture('wells-zone39.xlsx'), { signal: controller.signal }))).code).toBe('cancelled');

    const many = { type: 'FeatureCollection', features: Array.from({ length: 20_000 }, (_, index) => ({ type: 'Feature', properties: { index }, geometry: { type: 'Point', coordinates: [115.5 + (index % 100) / 100, 37.5 + index / 40_000] } })) };
    const during = new AbortController();
    const progress: ImportProgress[] = [];
    const error = await rejection(
      importFile('many.geojson', utf8(JSON.stringify(many)), {
        signal: during.signal,
        onProgress: (update) => {
          progress.push(update);
          if (update.phase === 'transform') during.abort();
        },
      }),
    );
    expect(error.code).toBe('cancelled');
    expect(progress.some((update) => update.phase === 'transform' && update.done < 20_000)).toBe(true);
  });

  test('progress reports phases up to the full count', async () => {
    const progress: ImportProgress[] = [];
    await importFile('villages.zip', fixture('villages-gbk-no-cpg.zip'), { onProgress: (update) => progress.push(update) });
    expect(progress[0]?.phase).toBe('read');
    expect(progress.at(-1)).toEqual({ phase: 'transform', done: 6, total: 6 });
  });

  test('a workspace elsewhere changes what un-prefixed eastings mean', async () => {
    const csv = utf8('名称,X,Y\n甲,385000,4180000\n');
    expect((await importFile('a.csv', csv, hengshui)).sourceCrs).toBe('EPSG:4548');
    // A workspace in Sichuan: none of its zones puts these eastings inside it.
    expect((await rejection(importFile('a.csv', csv, { workspaceBounds: [100, 30, 101, 31] }))).code).toBe('zone-undetermined');
  });
});

describe('export options', () => {
  const polygon: GeoJsonFeature = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[115.7, 37.7], [115.71, 37.7], [115.71, 37.71], [115.7, 37.7]]] } };
  const pointFeature: GeoJsonFeature = { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [115.7, 37.7] } };

  test('tables hold points only → export-unsupported-geometry with the feature', async () => {
    const error = await rejection(exportFeatures([pointFeature, polygon], 'csv'));
    expect(error.code).toBe('export-unsupported-geometry');
    expect(error.location.featureIndex).toBe(1);
  });

  test('a Shapefile holds one kind → export-unsupported-geometry', async () => {
    expect((await rejection(exportFeatures([pointFeature, polygon], 'shapefile'))).code).toBe('export-unsupported-geometry');
  });

  test('WGS84-only formats, GBK outside Shapefile/CSV, GCJ-02 in a .prj → export-unsupported-option', async () => {
    expect((await rejection(exportFeatures([pointFeature], 'geojson', { crs: 'EPSG:4527' }))).code).toBe('export-unsupported-option');
    expect((await rejection(exportFeatures([pointFeature], 'kml', { encoding: 'gbk' }))).code).toBe('export-unsupported-option');
    expect((await rejection(exportFeatures([pointFeature], 'shapefile', { crs: 'GCJ-02' }))).code).toBe('export-unsupported-option');
    expect((await rejection(exportFeatures([pointFeature], 'csv', { crs: 'EPSG:3857' }))).code).toBe('unsupported-crs');
  });

  test('CSV in GCJ-02 for consumer maps', async () => {
    const exported = await exportFeatures([pointFeature], 'csv', { crs: 'GCJ-02' });
    const result = await importFile(exported.fileName, exported.bytes, { crs: 'GCJ-02' });
    expect(metres(result.features.features[0]?.geometry.coordinates as number[], [115.7, 37.7])).toBeLessThan(0.2);
  });
});
