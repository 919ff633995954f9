import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import layers from '../../../seeds/layers.json';
import { featureFromGeoJson, type Feature, type GeoJsonFeature, type LayerDefinition } from '../../../shared/model';
import { crsInfo } from '../../../shared/crs';
import {
  crsChoices,
  dominantGkZone,
  formatAccepts,
  formatTakesCrs,
  formatTakesEncoding,
  gkZoneCode,
  gkZoneOfLongitude,
  toExportFeature,
} from '../../../renderer/src/features/export/layer-export';

const definitions = ((layers as unknown as { layers?: LayerDefinition[] }).layers ?? (layers as unknown as LayerDefinition[])) as LayerDefinition[];
const wellsLayer = definitions.find((definition) => definition.id === 'wells')!;
const time = { createdAt: '2021-06-30T00:00:00.000Z', updatedAt: '2021-06-30T00:00:00.000Z' } as never;

const demoWells = (file: string): Feature[] =>
  (JSON.parse(readFileSync(new URL(`../../../seeds/demo/${file}.geojson`, import.meta.url), 'utf8')) as { features: GeoJsonFeature[] }).features.map((feature) => featureFromGeoJson(feature, 'wells', time));

describe('a store feature as an exported row', () => {
  const well = demoWells('wells-non-agricultural')[0]!;

  test('with codes: the layer fields in definition order (missing ones null), then status, county and demo', () => {
    const exported = toExportFeature(well, wellsLayer, 'codes');
    expect(exported.id).toBe(well.id);
    expect(exported.geometry).toEqual(well.geometry);
    expect(Object.keys(exported.properties!)).toEqual([...wellsLayer.fields.map((field) => field.key), 'status', 'county', 'demo']);
    expect(exported.properties!.name).toBe(well.properties.name);
    expect(exported.properties!.note).toBeNull();
    expect(exported.properties).toMatchObject({ status: well.status, county: well.county, demo: true });
  });

  test('a real (non-demo) feature says demo: false; values the definition does not name are kept', () => {
    const real: Feature = { ...well, demo: false, properties: { ...well.properties, legacyCode: 'X-1' } };
    const exported = toExportFeature(real, wellsLayer, 'codes');
    expect(exported.properties!.demo).toBe(false);
    expect(exported.properties!.legacyCode).toBe('X-1');
  });

  test('reads back as the same store feature (featureFromGeoJson)', () => {
    const back = featureFromGeoJson(toExportFeature(well, wellsLayer, 'codes'), 'wells', time);
    const withoutNulls = Object.fromEntries(Object.entries(back.properties).filter(([, value]) => value !== null));
    expect({ ...back, properties: withoutNulls }).toEqual(well);
  });
});

describe('Gauss-Krüger zones', () => {
  test('zone 39 is EPSG:4527 (zone number in the easting), central meridian 117°E', () => {
    expect(gkZoneCode(39)).toBe('EPSG:4527');
    expect(crsInfo(gkZoneCode(39))).toMatchObject({ zone: 39, centralMeridian: 117, zonePrefix: true });
    expect(gkZoneCode(38)).toBe('EPSG:4526');
    expect(() => gkZoneCode(50)).toThrow(RangeError);
  });

  test('the zone of a longitude: boundaries at ±1.5° from the central meridian', () => {
    expect(gkZoneOfLongitude(115.4)).toBe(38);
    expect(gkZoneOfLongitude(115.6)).toBe(39);
    expect(gkZoneOfLongitude(118.4)).toBe(39);
    expect(gkZoneOfLongitude(60)).toBe(25);
  });

  test('Hengshui demo wells lie mostly in zone 39 (some west of 115.5°E in 38)', () => {
    const wells = [...demoWells('wells-non-agricultural'), ...demoWells('wells-agricultural')];
    const west = wells.filter((well) => (well.geometry.coordinates as number[])[0]! < 115.5).length;
    expect(west).toBeGreaterThan(0);
    expect(west).toBeLessThan(wells.length / 2);
    expect(dominantGkZone(wells)).toBe(39);
    expect(dominantGkZone(wells.filter((well) => (well.geometry.coordinates as number[])[0]! < 115.5))).toBe(38);
    expect(dominantGkZone([])).toBeNull();
  });

  test('choices: WGS84 then the 21 zones of China', () => {
    const choices = crsChoices();
    expect(choices[0]).toEqual({ code: 'EPSG:4326', zone: null });
    expect(choices.slice(1).map((choice) => choice.zone)).toEqual(Array.from({ length: 21 }, (_, index) => 25 + index));
    expect(choices.find((choice) => choice.zone === 39)!.code).toBe('EPSG:4527');
  });
});

describe('formats', () => {
  test('tables take points only; CRS for tables and Shapefile; encodings for Shapefile and CSV', () => {
    expect(formatAccepts('csv', 'Point')).toBe(true);
    expect(formatAccepts('csv', 'Polygon')).toBe(false);
    expect(formatAccepts('xlsx', 'LineString')).toBe(false);
    expect(formatAccepts('shapefile', 'Polygon')).toBe(true);
    expect(['geojson', 'csv', 'xlsx', 'shapefile', 'kml', 'geopackage'].filter((format) => formatTakesCrs(format as never))).toEqual(['csv', 'xlsx', 'shapefile']);
    expect(['geojson', 'csv', 'xlsx', 'shapefile', 'kml', 'geopackage'].filter((format) => formatTakesEncoding(format as never))).toEqual(['csv', 'shapefile']);
  });
});
