import { describe, expect, it } from 'vitest';
import { featureSchema } from '../../../shared/model/feature';
import { featurePropertiesSchema, validateFeatureAgainstLayer } from '../../../shared/model/feature-validation';
import { featureFromGeoJson, featureToGeoJson } from '../../../shared/model/geojson-feature';
import { layerDefinitionSchema } from '../../../shared/model/layer-definition';
import { inspectionFeature, inspectionLayerInput } from './fixtures';

const layer = layerDefinitionSchema.parse(inspectionLayerInput);

describe('featureSchema', () => {
  it('accepts a well-formed feature', () => {
    expect(featureSchema.safeParse(inspectionFeature()).success).toBe(true);
  });

  it.each([
    ['a revision of 0', { revision: 0 }],
    ['a 5-digit county', { county: 13110 }],
    ['a timestamp without offset', { updatedAt: '2021-03-01T08:00:00' }],
    ['an open polygon ring', { geometry: { type: 'Polygon', coordinates: [[[115, 37], [116, 37], [116, 38], [115, 38]]] } }],
    ['a latitude beyond 90°', { geometry: { type: 'Point', coordinates: [37.7, 115.7] } }],
    ['an object as property value', { properties: { name: { zh: '一' } } }],
  ])('rejects %s', (_label, overrides) => {
    expect(featureSchema.safeParse({ ...inspectionFeature(), ...overrides }).success).toBe(false);
  });

  it('allows a feature outside every county', () => {
    expect(featureSchema.safeParse(inspectionFeature({ county: null })).success).toBe(true);
  });
});

describe('validateFeatureAgainstLayer', () => {
  it('finds nothing wrong with a valid feature', () => {
    expect(validateFeatureAgainstLayer(layer, inspectionFeature())).toEqual([]);
  });

  it('reports each problem with the field it concerns', () => {
    const feature = inspectionFeature({
      geometry: { type: 'LineString', coordinates: [[115, 37], [116, 38]] },
      status: 'sealed',
      properties: { kind: 'c', visits: 1.5, depthM: -1, plannedDate: '2021-02-30', colour: 'red' },
    });
    const paths = validateFeatureAgainstLayer(layer, feature).map((issue) => issue.path).sort();
    expect(paths).toEqual(['colour', 'depthM', 'geometry', 'kind', 'name', 'plannedDate', 'status', 'visits']);
  });

  it('accepts the Multi* variant of the layer geometry and null for optional fields', () => {
    const feature = inspectionFeature({
      geometry: { type: 'MultiPoint', coordinates: [[115, 37]] },
      properties: { name: '二号', kind: 'b', visits: null, active: true, closedDate: '2021-05-01' },
    });
    expect(validateFeatureAgainstLayer(layer, feature)).toEqual([]);
  });

  it('enforces string length and required fields through the properties schema', () => {
    const schema = featurePropertiesSchema(layer);
    expect(schema.safeParse({ name: '一'.repeat(21), kind: 'a' }).success).toBe(false);
    expect(schema.safeParse({ name: null, kind: 'a' }).success).toBe(false);
  });
});

describe('GeoJSON round trip', () => {
  it('moves status, county and demo between properties and members', () => {
    const geoJson = {
      type: 'Feature' as const,
      id: 'P-9',
      properties: { name: '九号', kind: 'a', status: 'closed', county: 131103, demo: true },
      geometry: { type: 'Point' as const, coordinates: [115.5, 37.5] as [number, number] },
    };
    const feature = featureFromGeoJson(geoJson, 'inspection-points', { createdAt: '2021-01-01T00:00:00Z', updatedAt: '2021-01-01T00:00:00Z' });
    expect(feature).toMatchObject({ id: 'P-9', status: 'closed', county: 131103, demo: true, revision: 1, properties: { name: '九号', kind: 'a' } });
    expect(featureSchema.safeParse(feature).success).toBe(true);
    expect(featureToGeoJson(feature)).toEqual(geoJson);
  });

  it('refuses a feature without id or status', () => {
    const time = { createdAt: '2021-01-01T00:00:00Z', updatedAt: '2021-01-01T00:00:00Z' };
    const geometry = { type: 'Point' as const, coordinates: [115.5, 37.5] as [number, number] };
    expect(() => featureFromGeoJson({ type: 'Feature', properties: { status: 'open' }, geometry }, 'x', time)).toThrow(/stable id/);
    expect(() => featureFromGeoJson({ type: 'Feature', id: 1, properties: {}, geometry }, 'x', time)).toThrow(/status/);
  });
});
