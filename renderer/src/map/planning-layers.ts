// The planning layers (wells, parks, villages, farmland…) on the map: one GeoJSON source per
// layer, styled by status from the layer definition, updated incrementally from the store's
// change feed (`updateData` by feature id), never reloaded whole for one edit.
import type { ExpressionSpecification, FilterSpecification, GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Feature as GeoJsonFeature, FeatureCollection, Geometry } from 'geojson';
import type { Feature, LayerDefinition } from '../../../shared/model';

/** What the map needs to know about a planning layer's presentation. */
export interface PlanningLayerView {
  definition: LayerDefinition;
  visible: boolean;
  /** 0–1 */
  opacity: number;
  /** Counties shown (adcodes), or null for all. */
  counties: readonly number[] | null;
  /** Statuses shown, or null for all. */
  statuses: readonly string[] | null;
  /** Coded (enum) fields filtered: field key → values shown ('' for none); fields not listed show all. */
  fieldFilters?: Readonly<Record<string, readonly string[]>>;
}

/** The store's change feed, as the map consumes it. */
export type PlanningLayerChanges =
  | { kind: 'reset'; features: readonly Feature[] }
  | { kind: 'changes'; upserted: readonly Feature[]; removed: readonly string[] };

export const featureIdProperty = 'featureId';

// Colours run from "not started" (grey) to "done" (greens), in the workflow's order.
const statusRamp = ['#9e9e9e', '#f0a030', '#3d85c6', '#38a169', '#1b5e20', '#6a1b9a', '#00838f'];

export function statusColors(definition: LayerDefinition): Array<[string, string]> {
  return definition.status.states.map((state, index) => [state.value, statusRamp[index % statusRamp.length]!]);
}

function statusColorExpression(definition: LayerDefinition): ExpressionSpecification {
  return ['match', ['get', 'status'], ...statusColors(definition).flat(), '#9e9e9e'] as unknown as ExpressionSpecification;
}

export const sourceIdOf = (layerId: string) => `planning:${layerId}`;

export function styleLayerIdsOf(definition: LayerDefinition): string[] {
  const base = sourceIdOf(definition.id);
  switch (definition.geometryType) {
    case 'Point':
      return [`${base}:circle`];
    case 'LineString':
      return [`${base}:line`];
    default:
      return [`${base}:fill`, `${base}:outline`];
  }
}

/** The map property holding a coded field's value (prefixed: it must not collide with the fixed ones). */
export const codedPropertyOf = (key: string) => `field:${key}`;

/** A store feature as the map source holds it: flat properties (coded fields too, for the filters), the id promoted for updates. */
export function toMapFeature(feature: Feature, definition?: LayerDefinition): GeoJsonFeature<Geometry> {
  const coded: Record<string, string> = {};
  for (const field of definition?.fields ?? []) {
    if (field.type !== 'enum') continue;
    const value = feature.properties[field.key];
    coded[codedPropertyOf(field.key)] = value === undefined || value === null ? '' : String(value);
  }
  return {
    type: 'Feature',
    geometry: feature.geometry as Geometry,
    properties: {
      [featureIdProperty]: feature.id,
      layerId: feature.layerId,
      status: feature.status,
      county: feature.county,
      demo: feature.demo,
      name: typeof feature.properties.name === 'string' ? feature.properties.name : null,
      ...coded,
    },
  };
}

function collectionOf(features: readonly Feature[], definition?: LayerDefinition): FeatureCollection<Geometry> {
  return { type: 'FeatureCollection', features: features.map((feature) => toMapFeature(feature, definition)) };
}

export function addPlanningLayer(map: MapLibreMap, definition: LayerDefinition, beforeLayerId?: string): void {
  const sourceId = sourceIdOf(definition.id);
  if (map.getSource(sourceId)) return;
  map.addSource(sourceId, { type: 'geojson', data: collectionOf([]), promoteId: featureIdProperty });
  const color = statusColorExpression(definition);
  const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];
  const [first, second] = styleLayerIdsOf(definition);
  switch (definition.geometryType) {
    case 'Point':
      map.addLayer(
        {
          id: first!,
          type: 'circle',
          source: sourceId,
          paint: {
            'circle-color': color,
            'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, ['case', selected, 6, 2.5], 14, ['case', selected, 10, 6]],
            'circle-stroke-color': ['case', selected, '#d81b60', '#ffffff'],
            'circle-stroke-width': ['case', selected, 2.5, 0.6],
          },
        },
        beforeLayerId,
      );
      break;
    case 'LineString':
      map.addLayer(
        {
          id: first!,
          type: 'line',
          source: sourceId,
          layout: { 'line-cap': 'round', 'line-join': 'round' },
          paint: { 'line-color': ['case', selected, '#d81b60', color], 'line-width': ['case', selected, 5, 3] },
        },
        beforeLayerId,
      );
      break;
    default:
      map.addLayer({ id: first!, type: 'fill', source: sourceId, paint: { 'fill-color': color, 'fill-opacity': 0.55 } }, beforeLayerId);
      map.addLayer(
        {
          id: second!,
          type: 'line',
          source: sourceId,
          paint: { 'line-color': ['case', selected, '#d81b60', color], 'line-width': ['case', selected, 3, 1] },
        },
        beforeLayerId,
      );
  }
}

export function applyPlanningChanges(map: MapLibreMap, definition: LayerDefinition, changes: PlanningLayerChanges): void {
  const source = map.getSource<GeoJSONSource>(sourceIdOf(definition.id));
  if (!source) return;
  if (changes.kind === 'reset') {
    source.setData(collectionOf(changes.features, definition));
    return;
  }
  // Upserts are a remove + add of the same id, which covers new and changed features alike.
  const upsertedIds = changes.upserted.map((feature) => feature.id);
  source.updateData({
    remove: [...changes.removed, ...upsertedIds],
    add: changes.upserted.map((feature) => toMapFeature(feature, definition)),
  });
}

function filterFor(view: PlanningLayerView): FilterSpecification {
  const conditions: ExpressionSpecification[] = [];
  if (view.counties !== null) conditions.push(['in', ['get', 'county'], ['literal', [...view.counties]]]);
  if (view.statuses !== null) conditions.push(['in', ['get', 'status'], ['literal', [...view.statuses]]]);
  for (const [key, values] of Object.entries(view.fieldFilters ?? {})) conditions.push(['in', ['get', codedPropertyOf(key)], ['literal', [...values]]]);
  return (conditions.length === 0 ? ['all'] : ['all', ...conditions]) as FilterSpecification;
}

/** Visibility, opacity, filters and drawing order (`views` bottom to top). */
export function applyPlanningViews(map: MapLibreMap, views: readonly PlanningLayerView[], topOfBasemapLayerId: string): void {
  for (const view of views) {
    const filter = filterFor(view);
    for (const styleLayerId of styleLayerIdsOf(view.definition)) {
      const layer = map.getLayer(styleLayerId);
      if (!layer) continue;
      map.setLayoutProperty(styleLayerId, 'visibility', view.visible ? 'visible' : 'none');
      map.setFilter(styleLayerId, filter);
      const opacityProperty =
        layer.type === 'circle' ? 'circle-opacity' : layer.type === 'fill' ? 'fill-opacity' : 'line-opacity';
      map.setPaintProperty(styleLayerId, opacityProperty, layer.type === 'fill' ? view.opacity * 0.55 : view.opacity);
      if (layer.type === 'circle') map.setPaintProperty(styleLayerId, 'circle-stroke-opacity', view.opacity);
    }
  }
  // Later views draw on top: move each below the basemap's labels, in order.
  for (const view of views) {
    for (const styleLayerId of styleLayerIdsOf(view.definition)) {
      if (map.getLayer(styleLayerId)) map.moveLayer(styleLayerId, topOfBasemapLayerId);
    }
  }
}

export function planningStyleLayerIds(views: readonly PlanningLayerView[]): string[] {
  return views.flatMap((view) => styleLayerIdsOf(view.definition));
}
