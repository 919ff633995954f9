// .prj / WKT recognition on files written by GDAL 3.6 (tests/fixtures/crs/wkt/generate.sh).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crsFromWkt, parseWkt } from '../../../shared/crs';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '../../fixtures/crs/wkt', name), 'utf8');

describe('crsFromWkt', () => {
  it.each([
    ['esri-4326.prj', 'EPSG:4326', 'name'],
    ['esri-4490.prj', 'EPSG:4490', 'name'],
    ['esri-4526.prj', 'EPSG:4526', 'parameters'],
    ['esri-4527.prj', 'EPSG:4527', 'parameters'],
    ['esri-4548.prj', 'EPSG:4548', 'parameters'],
    ['esri-4498.prj', 'EPSG:4498', 'parameters'],
    ['esri-4509.prj', 'EPSG:4509', 'parameters'],
    ['ogc-wkt1-4326.wkt', 'EPSG:4326', 'authority'],
    ['ogc-wkt1-4490.wkt', 'EPSG:4490', 'authority'],
    ['ogc-wkt1-4527.wkt', 'EPSG:4527', 'authority'],
    ['ogc-wkt1-4547.wkt', 'EPSG:4547', 'authority'],
    ['ogc-wkt1-4527-no-authority.wkt', 'EPSG:4527', 'parameters'],
    ['wkt2-4326.wkt', 'EPSG:4326', 'authority'],
    ['wkt2-4490.wkt', 'EPSG:4490', 'authority'],
    ['wkt2-4527.wkt', 'EPSG:4527', 'authority'],
    ['wkt2-4547.wkt', 'EPSG:4547', 'authority'],
    ['wkt2-4547-no-authority.wkt', 'EPSG:4547', 'parameters'],
  ])('%s → %s (by %s)', (file, crs, via) => {
    expect(crsFromWkt(fixture(file))).toMatchObject({ crs, via });
  });

  it.each(['esri-2436.prj', 'esri-4214.prj'])('%s (Beijing 1954) is unsupported, saying why', (file) => {
    const result = crsFromWkt(fixture(file));
    expect(result).toMatchObject({ crs: null, problem: 'unsupported' });
    if (result.crs === null) {
      expect(result.en).toContain('Beijing_1954');
      expect(result.zh).toContain('北京54');
    }
  });

  it('refuses a CRS named WGS84 that sits on the Beijing 1954 datum (a mislabelled file)', () => {
    const wkt = 'GEOGCS["WGS84",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
    expect(crsFromWkt(wkt)).toMatchObject({ crs: null, problem: 'unsupported' });
  });

  it.each([
    ['CGCS2000_3_Degree_GK_Zone_39', 'EPSG:4527'],
    ['CGCS2000_3_Degree_GK_CM_117E', 'EPSG:4548'],
    ['CGCS2000 / 3-degree Gauss-Kruger zone 38', 'EPSG:4526'],
    ['CGCS2000 / 3-degree Gauss-Kruger CM 114E', 'EPSG:4547'],
    ['CGCS2000_GK_Zone_20', 'EPSG:4498'],
    ['CGCS2000 / Gauss-Kruger CM 117E', 'EPSG:4509'],
  ])('recognises the name %s when there are no parameters', (name, crs) => {
    const wkt = `PROJCS["${name}",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],UNIT["Meter",1.0]]`;
    expect(crsFromWkt(wkt)).toMatchObject({ crs, via: 'name' });
  });

  it('refuses UTM and non-standard Transverse Mercator', () => {
    const utm = `PROJCS["WGS_1984_UTM_Zone_50N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
    expect(crsFromWkt(utm)).toMatchObject({ crs: null, problem: 'unsupported' });
    const webMercator = `PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],UNIT["Meter",1.0]]`;
    expect(crsFromWkt(webMercator)).toMatchObject({ crs: null, problem: 'unsupported' });
  });

  it('reports text that is not WKT as unparseable, never throwing', () => {
    for (const text of ['', 'hello', 'PROJCS["x",', 'GEOGCS["a"]]', '\u0000\u0001']) {
      expect(crsFromWkt(text)).toMatchObject({ crs: null, problem: 'unparseable' });
    }
  });

  it('accepts a byte-order mark and round brackets', () => {
    expect(crsFromWkt('\uFEFFGEOGCS("GCS_WGS_1984",DATUM("D_WGS_1984",SPHEROID("WGS_1984",6378137.0,298.257223563)))')).toMatchObject({ crs: 'EPSG:4326' });
  });
});

describe('parseWkt', () => {
  it('parses nested nodes, numbers, strings with doubled quotes and bare enums', () => {
    expect(parseWkt('A["x ""y""",1.5e3,B[NORTH,-2]]')).toEqual({
      keyword: 'A',
      values: ['x "y"', 1500, { keyword: 'B', values: [{ keyword: 'NORTH', values: [] }, -2] }],
    });
  });
});
