// The "done when": files made by real tools (tests/fixtures/io/README.md) import with NO option
// set, land within 0.1 m of where PROJ's cs2cs puts them, and show correct Chinese text.
import { describe, expect, test } from 'vitest';
import { importFile } from '../../../shared/io';
import expected from '../../fixtures/io/expected.json';
import { fixture, firstPosition, metres } from './helpers';

const TOLERANCE_METRES = 0.1;

describe('fixtures made by GDAL/PROJ import with no options', () => {
  for (const name of ['villages-gbk-no-cpg.zip', 'villages-gbk-no-cpg-ldid-4d.zip']) {
    test(`${name}: GBK Shapefile without .cpg, GK zone 39 from its .prj`, async () => {
      const result = await importFile(name, fixture(name));
      expect(result.format).toBe('shapefile');
      expect(result.sourceCrs).toBe('EPSG:4527');
      expect(result.encoding).toBe('gbk');
      expect(result.fields).toEqual(['村名', '乡镇', '户数', '人口', '备注']);
      const features = result.features.features;
      expect(features).toHaveLength(expected.villages.length);
      expected.villages.forEach((village, index) => {
        const feature = features[index];
        expect(feature?.properties?.['村名']).toBe(village.name);
        expect(feature?.geometry.type).toBe('Polygon');
        // Rings come back counter-clockwise (RFC 7946); the file's first vertex is still one of them.
        const ring = (feature?.geometry.coordinates as number[][][])[0] as number[][];
        const nearest = Math.min(...ring.map((position) => metres(position, village.firstVertexLonLat)));
        expect(nearest).toBeLessThan(TOLERANCE_METRES);
      });
      expect(features[0]?.properties).toMatchObject({ 乡镇: '桃城区', 户数: 312, 人口: 1046, 备注: null });
      expect(features[3]?.properties?.['备注']).toBe('含“古槐”保护点');
      if (name.includes('ldid')) {
        expect(result.warnings.map((warning) => warning.code)).not.toContain('encoding-detected');
      } else {
        expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'encoding-detected', file: 'villages.dbf' }));
      }
    });
  }

  test('wells-zone39.xlsx: Excel register, X = northing, Y = prefixed easting (written by GDAL)', async () => {
    const result = await importFile('wells-zone39.xlsx', fixture('wells-zone39.xlsx'));
    expect(result.format).toBe('xlsx');
    expect(result.sourceCrs).toBe('EPSG:4527');
    expect(result.sourceAxisOrder).toBe('yx');
    expect(result.layerName).toBe('机井台账');
    expect(result.warnings.map((warning) => warning.code)).toContain('axis-order-swapped');
    const features = result.features.features;
    expect(features).toHaveLength(expected.wells.length);
    expected.wells.forEach((well, index) => {
      const feature = features[index];
      expect(feature?.properties).toMatchObject({ 井编号: well.id, 井名: well.name });
      expect(metres(feature?.geometry.coordinates as number[], well.lonLat)).toBeLessThan(TOLERANCE_METRES);
    });
    expect(features[1]?.properties).toEqual({ 井编号: 'JS-002', 井名: '北王庄2号井', 乡镇: '桃城区', 井深米: 150, 状态: '已封停' });
  });

  test('points-zone39-gbk.csv: GBK CSV with 东坐标/北坐标 in GK zone 39 with the prefix', async () => {
    const result = await importFile('points-zone39-gbk.csv', fixture('points-zone39-gbk.csv'));
    expect(result.format).toBe('csv');
    expect(result.encoding).toBe('gbk');
    expect(result.sourceCrs).toBe('EPSG:4527');
    expect(result.sourceAxisOrder).toBe('xy');
    const features = result.features.features;
    expect(features.map((feature) => feature.properties?.['名称'])).toEqual(expected.points.map((point) => point.name));
    expected.points.forEach((point, index) => {
      expect(metres(features[index]?.geometry.coordinates as number[], point.lonLat)).toBeLessThan(TOLERANCE_METRES);
    });
  });

  test('schools-zone39.gpkg: GeoPackage in EPSG:4527, srs read from gpkg_spatial_ref_sys', async () => {
    const result = await importFile('schools-zone39.gpkg', fixture('schools-zone39.gpkg'));
    expect(result.format).toBe('geopackage');
    expect(result.sourceCrs).toBe('EPSG:4527');
    expect(result.layerName).toBe('schools');
    const features = result.features.features;
    expect(features.map((feature) => feature.id)).toEqual([1, 2, 3, 4]);
    expected.schools.forEach((school, index) => {
      expect(features[index]?.properties?.['学校名称']).toBe(school.name);
      expect(metres(features[index]?.geometry.coordinates as number[], school.lonLat)).toBeLessThan(TOLERANCE_METRES);
    });
  });

  test('parks.kml: KML written by GDAL, names and typed ExtendedData', async () => {
    const result = await importFile('parks.kml', fixture('parks.kml'));
    expect(result.format).toBe('kml');
    expect(result.sourceCrs).toBe('EPSG:4326');
    const features = result.features.features;
    expect(features.map((feature) => feature.properties?.name)).toEqual(expected.parks.map((park) => park.name));
    expect(result.fields).toEqual(['面积公顷', '开放', 'name']);
    expect(features[1]?.properties).toEqual({ name: '滏阳河湿地公园', 面积公顷: 40.2, 开放: 1 });
    expected.parks.forEach((park, index) => {
      expect(metres(firstPosition(features[index]!.geometry), park.firstVertexLonLat)).toBeLessThan(TOLERANCE_METRES);
    });
  });
});
