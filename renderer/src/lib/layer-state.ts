import type { Feature, FieldDefinition, LayerDefinition } from '../../../shared/model';
import { codedValueOf, noCodedValue, type TallyGroup, type TallySnapshot } from '../../../shared/analysis/layer-tally';

export { codedValueOf, noCodedValue };

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

/** The layer's coded fields (enums, e.g. 取水井类别), in the definition's order: what can be filtered by type. */
export function codedFields(layer: LayerDefinition): CodedField[] {
  return layer.fields.filter((field): field is CodedField => field.type === 'enum');
}

export function matchesFieldFilters(feature: Feature, filters: LayerSettings['fieldFilters']): boolean {
  if (!filters) return true;
  for (const [key, values] of Object.entries(filters)) if (!values.includes(codedValueOf(feature, key))) return false;
  return true;
}

export type CodedValueCount = { value: string; count: number };

function codedCounts(field: CodedField, fill: (add: (value: string, count: number) => void) => void): CodedValueCount[] {
  const counts = new Map<string, number>(field.values.map((option) => [option.value, 0]));
  fill((value, count) => counts.set(value, (counts.get(value) ?? 0) + count));
  return [...counts].filter(([value, count]) => value !== noCodedValue || count > 0).map(([value, count]) => ({ value, count }));
}

/** How many of `features` have each value of a coded field (every defined value listed, in order; a missing value last if any). */
export function countByCodedValue(features: readonly Feature[], field: CodedField): CodedValueCount[] {
  return codedCounts(field, (add) => {
    for (const feature of features) add(codedValueOf(feature, field.key), 1);
  });
}

/**
 * {@link countByCodedValue} of a layer's features in `county` (all when null), from its tally; null
 * when the tally does not tell that field's values apart (a field added since it was built).
 */
export function countByCodedValueInTally(tally: TallySnapshot, field: CodedField, county: number | null): CodedValueCount[] | null {
  if (!tally.codedKeys.includes(field.key)) return null;
  return codedCounts(field, (add) => {
    for (const group of tally.groups) if (county === null || group.county === county) add(group.coded[field.key]!, group.count);
  });
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

function groupShown(group: TallyGroup, settings: LayerSettings, county: number | null): boolean {
  if (county !== null && group.county !== county) return false;
  if (settings.statuses !== null && !settings.statuses.includes(group.status)) return false;
  for (const [key, values] of Object.entries(settings.fieldFilters ?? {})) if (!values.includes(group.coded[key]!)) return false;
  return true;
}

/**
 * How many features {@link featuresShown} would give, from the layer's tally; null when a filter
 * is on a field the tally does not tell apart (the caller counts the features instead).
 */
export function countShownInTally(tally: TallySnapshot, settings: LayerSettings, county: number | null): number | null {
  if (Object.keys(settings.fieldFilters ?? {}).some((key) => !tally.codedKeys.includes(key))) return null;
  return tally.count((group) => groupShown(group, settings, county));
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
