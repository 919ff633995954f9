// The import's fast feature check must agree with the full (zod) check on every feature: it may
// only skip zod for features zod accepts. Each case below is refused by both, with the same issues.
import { describe, expect, it } from 'vitest';
import type { Feature, LayerDefinition } from '../../../shared/model';
import { ImportedLayerBase } from '../../../renderer/src/db/imported-base';
import { checkFeature, featureIssues } from '../../../renderer/src/db/validation';
import { testWellsLayer } from './store-fixtures';

const layer: LayerDefinition = {
  ...testWellsLayer,
  fields: [
    ...testWellsLayer.fields,
    { key: 'count', type: 'integer', required: true, min: 1, max: 10, label: { zh: '数', en: 'Count' } },
    { key: 'kind', type: 'enum', required: false, values: [{ value: 'a', label: { zh: 'a', en: 'a' } }], label: { zh: '类', en: 'Kind' } },
    { key: 'open', type: 'boolean', required: false, label: { zh: '开', en: 'Open' } },
  ],
};
const polygonLayer: LayerDefinition = { ...layer, id: 'test-areas', geometryType: 'Polygon' };

const good: Feature = {
  id: 'F-1',
  layerId: layer.id,
  geometry: { type: 'Point', coordinates: [115.5, 37.5] },
  properties: { name: 'well', depthM: 12.5, plannedDate: '2021-09-30', count: 3, kind: 'a', open: true, sealedDate: null },
  status: 'registered',
  county: 131102,
  demo: false,
  createdAt: '2021-07-01T08:00:00.000Z',
  updatedAt: '2021-07-01T08:00:00.000Z',
  revision: 1,
};
const square = [[115, 37], [115.1, 37], [115.1, 37.1], [115, 37]];

type Variant = [string, (feature: Feature) => unknown, LayerDefinition?];
const variants: Variant[] = [
  ['longitude out of range', (feature) => ({ ...feature, geometry: { type: 'Point', coordinates: [200, 37] } })],
  ['latitude NaN', (feature) => ({ ...feature, geometry: { type: 'Point', coordinates: [115, Number.NaN] } })],
  ['infinite elevation', (feature) => ({ ...feature, geometry: { type: 'Point', coordinates: [115, 37, Infinity] } })],
  ['four numbers', (feature) => ({ ...feature, geometry: { type: 'Point', coordinates: [115, 37, 1, 2] } })],
  ['string coordinate', (feature) => ({ ...feature, geometry: { type: 'Point', coordinates: ['115', 37] } })],
  ['extra geometry key', (feature) => ({ ...feature, geometry: { type: 'Point', coordinates: [115, 37], bbox: [0, 0, 1, 1] } })],
  ['line in a point layer', (feature) => ({ ...feature, geometry: { type: 'LineString', coordinates: [[115, 37], [115.1, 37]] } })],
  ['empty multipoint', (feature) => ({ ...feature, geometry: { type: 'MultiPoint', coordinates: [] } })],
  ['unknown geometry type', (feature) => ({ ...feature, geometry: { type: 'Circle', coordinates: [115, 37] } })],
  ['unclosed ring', (feature) => ({ ...feature, layerId: polygonLayer.id, geometry: { type: 'Polygon', coordinates: [[[115, 37], [115.1, 37], [115.1, 37.1], [115, 37.1]]] } }), polygonLayer],
  ['short ring', (feature) => ({ ...feature, layerId: polygonLayer.id, geometry: { type: 'Polygon', coordinates: [[[115, 37], [115.1, 37], [115, 37]]] } }), polygonLayer],
  ['empty multipolygon part', (feature) => ({ ...feature, layerId: polygonLayer.id, geometry: { type: 'MultiPolygon', coordinates: [[square], []] } }), polygonLayer],
  ['unknown property', (feature) => ({ ...feature, properties: { ...feature.properties, colour: 'red' } })],
  ['undefined value', (feature) => ({ ...feature, properties: { ...feature.properties, name: undefined } })],
  ['required field missing', (feature) => ({ ...feature, properties: { name: 'x' } })],
  ['required field null', (feature) => ({ ...feature, properties: { ...feature.properties, count: null } })],
  ['integer with a fraction', (feature) => ({ ...feature, properties: { ...feature.properties, count: 1.5 } })],
  ['integer above max', (feature) => ({ ...feature, properties: { ...feature.properties, count: 11 } })],
  ['number below min', (feature) => ({ ...feature, properties: { ...feature.properties, depthM: -1 } })],
  ['number as string', (feature) => ({ ...feature, properties: { ...feature.properties, depthM: '12' } })],
  ['string too long', (feature) => ({ ...feature, properties: { ...feature.properties, name: 'x'.repeat(101) } })],
  ['impossible date', (feature) => ({ ...feature, properties: { ...feature.properties, plannedDate: '2021-02-30' } })],
  ['date with time', (feature) => ({ ...feature, properties: { ...feature.properties, plannedDate: '2021-02-03T00:00' } })],
  ['enum value not allowed', (feature) => ({ ...feature, properties: { ...feature.properties, kind: 'b' } })],
  ['boolean as number', (feature) => ({ ...feature, properties: { ...feature.properties, open: 1 } })],
  ['object value', (feature) => ({ ...feature, properties: { ...feature.properties, name: { zh: 'x' } } })],
  ['unknown status', (feature) => ({ ...feature, status: 'lost' })],
  ['county too short', (feature) => ({ ...feature, county: 1311 })],
  ['empty id', (feature) => ({ ...feature, id: '' })],
  ['id too long', (feature) => ({ ...feature, id: 'x'.repeat(201) })],
  ['other layer', (feature) => ({ ...feature, layerId: 'other-layer' })],
  ['properties an array', (feature) => ({ ...feature, properties: [] })],
];

describe('the import feature check', () => {
  it('accepts what the full check accepts', () => {
    expect(featureIssues(layer, good)).toEqual([]);
    expect(checkFeature(layer, good)).toEqual([]);
    const polygon = { ...good, layerId: polygonLayer.id, geometry: { type: 'MultiPolygon' as const, coordinates: [[square as [number, number][]]] } };
    expect(checkFeature(polygonLayer, polygon)).toEqual(featureIssues(polygonLayer, polygon));
    expect(checkFeature(polygonLayer, polygon)).toEqual([]);
  });

  it.each(variants)('refuses, with the full check\'s issues: %s', (_name, variant, variantLayer = layer) => {
    const feature = variant(good) as Feature;
    const full = featureIssues(variantLayer, feature);
    expect(full.length).toBeGreaterThan(0);
    expect(checkFeature(variantLayer, feature)).toEqual(full);
  });

  it('ImportedLayerBase keeps only valid features, names repeated ids, and packs once', () => {
    const base = new ImportedLayerBase(layer, '2021-07-01T08:00:00.000Z');
    const input = { id: 'A', geometry: good.geometry, properties: good.properties };
    expect(base.add(input)).toEqual({ issues: [] });
    expect(base.add({ ...input, id: 'B', properties: { count: 0 } }).issues).toMatchObject([{ path: 'count' }]);
    expect(base.add(input)).toEqual({ issues: [], duplicateOf: 0 });
    expect(base.count).toBe(1);
    expect(base.invalid).toBe(true);
    expect(base.pack().featureCount).toBe(1);
    expect(() => base.pack()).toThrow();
  });
});
