// A store feature as the map draws it — the same flat properties for a GeoJSON source and for a
// cut tile (the styles, filters, clicks and e2e queries read these names). No name: nothing on the
// map reads it, and it was the largest value the map's worker encoded and parsed per feature.
import type { Feature as GeoJsonFeature, Geometry as GeoJsonGeometry } from 'geojson';
import type { Feature, LayerDefinition } from '../model';

export const featureIdProperty = 'featureId';

/** The map property holding a coded field's value (prefixed: it must not collide with the fixed ones). */
export const codedPropertyOf = (key: string) => `field:${key}`;

/** The keys of a layer's coded (enum) fields: the ones filters read. */
export function codedFieldKeys(definition: Pick<LayerDefinition, 'fields'> | undefined): string[] {
  return (definition?.fields ?? []).filter((field) => field.type === 'enum').map((field) => field.key);
}

/** Flat properties: id, layer, status, county, demo flag, and every coded field ('' when empty). */
export function mapProperties(feature: Feature, codedKeys: readonly string[]): Record<string, string | number | boolean | null> {
  const properties: Record<string, string | number | boolean | null> = {
    [featureIdProperty]: feature.id,
    layerId: feature.layerId,
    status: feature.status,
    county: feature.county,
    demo: feature.demo,
  };
  for (const key of codedKeys) {
    const value = feature.properties[key];
    properties[codedPropertyOf(key)] = value === undefined || value === null ? '' : String(value);
  }
  return properties;
}

export function toMapFeature(feature: Feature, definition?: Pick<LayerDefinition, 'fields'>): GeoJsonFeature<GeoJsonGeometry> {
  return { type: 'Feature', geometry: feature.geometry as GeoJsonGeometry, properties: mapProperties(feature, codedFieldKeys(definition)) };
}
