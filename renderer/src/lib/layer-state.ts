import type { Feature, FieldDefinition, LayerDefinition } from '../../../shared/model';

/** How the user has set up one planning layer in the layer panel. */
export interface LayerSettings {
  visible: boolean;
  /** 0–1 */
  opacity: number;
  /** Statuses shown, or null for all. */
  statuses: string[] | null;
  /** Coded (enum) fields filtered: field key → the values shown (`noCodedValue` for none). A field not listed shows all. */
  fieldFilters?: Readonly<Record<string, readonly string[]>>;
}

export type CodedField = Extract<FieldDefinition, { type: 'enum' }>;

/** A feature's value of a coded field as the filters see it: a missing value is `noCodedValue`. */
export const noCodedValue = '';

/** The layer's coded fields (enums, e.g. 取水井类别), in the definition's order: what can be filtered by type. */
export function codedFields(layer: LayerDefinition): CodedField[] {
  return layer.fields.filter((field): field is CodedField => field.type === 'enum');
}

export function codedValueOf(feature: Feature, key: string): string {
  const value = feature.properties[key];
  return value === undefined || value === null ? noCodedValue : String(value);
}

export function matchesFieldFilters(feature: Feature, filters: LayerSettings['fieldFilters']): boolean {
  if (!filters) return true;
  for (const [key, values] of Object.entries(filters)) if (!values.includes(codedValueOf(feature, key))) return false;
  return true;
}

/** How many of `features` have each value of a coded field (every defined value listed, in order; a missing value last if any). */
export function countByCodedValue(features: readonly Feature[], field: CodedField): Array<{ value: string; count: number }> {
  const counts = new Map<string, number>(field.values.map((option) => [option.value, 0]));
  for (const feature of features) {
    const value = codedValueOf(feature, field.key);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts].filter(([value, count]) => value !== noCodedValue || count > 0).map(([value, count]) => ({ value, count }));
}

/** Point layers on top, polygons at the bottom: the default drawing order. */
const geometryDrawingRank: Record<string, number> = { Polygon: 0, MultiPolygon: 0, LineString: 1, MultiLineString: 1, Point: 2, MultiPoint: 2 };

export function defaultLayerOrder(layers: readonly LayerDefinition[]): string[] {
  return [...layers]
    .map((layer, index) => ({ layer, index }))
    .sort((a, b) => (geometryDrawingRank[a.layer.geometryType] ?? 0) - (geometryDrawingRank[b.layer.geometryType] ?? 0) || a.index - b.index)
    .map(({ layer }) => layer.id);
}

/** Layers that are context rather than targets start hidden (the coverage view draws residents its own way). */
const hiddenByDefault = new Set(['residential-blocks']);

export function defaultLayerSettings(layerId?: string): LayerSettings {
  return { visible: layerId === undefined || !hiddenByDefault.has(layerId), opacity: 1, statuses: null };
}

/** The features a layer shows under the county filter, its status filter and its coded-field filters. */
export function featuresShown(features: readonly Feature[], settings: LayerSettings, county: number | null): Feature[] {
  return features.filter(
    (feature) =>
      (county === null || feature.county === county) &&
      (settings.statuses === null || settings.statuses.includes(feature.status)) &&
      matchesFieldFilters(feature, settings.fieldFilters),
  );
}
