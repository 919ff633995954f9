// The planning layers (wells, parks, villages, farmland…) on the map: one source per layer —
// GeoJSON for a small layer (`updateData` by feature id), vector tiles cut from the store for a
// big one (planning-tiles.ts) — styled by status from the layer definition, updated from the
// store's change feed, never reloaded whole for one edit.
import type { ExpressionSpecification, FilterSpecification, GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { FeatureCollection, Geometry } from 'geojson';
import { codedPropertyOf, featureIdProperty, toMapFeature } from '../../../shared/tiles/map-feature';
import { tileLayerName } from '../../../shared/tiles/encode';
import { applyTiledChanges, refreshTouchedTiles, tiledFeatureTarget, tiledLayerThreshold, tiledSource, type TiledLayer } from './planning-tiles';
import { setFilterIfChanged, setVisibilityIfChanged } from './style-changes';
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
  /**
   * `database`: the store's name, when its layers may be drawn from tiles. `features` is null for a
   * layer the store knows to hold more than `tiledLayerThreshold` (`atLeast`): tiles read it by parts.
   */
  | { kind: 'reset'; features: readonly Feature[]; database?: string }
  | { kind: 'reset'; features: null; atLeast: number; database: string }
  | { kind: 'changes'; upserted: readonly Feature[]; removed: readonly string[] };

export { featureIdProperty } from '../../../shared/tiles/map-feature';

/**
 * Each layer draws in its own colour family (one hue, light = not started → dark = done, in the
 * workflow's order) with its own outline, so no colour means two things on one map: a grey dot is
 * never both a registered well and an untreated village. Layers the seeds do not know (imports)
 * take a family by their id from the spare ones.
 */
export interface SymbolFamily {
  /** Light to dark, one per workflow state (the last repeats past the end). */
  ramp: readonly string[];
  /** Outline of points and polygons. */
  stroke: string;
  /** Outline width of points at full size (px). */
  strokeWidth: number;
}

const families: Readonly<Record<string, SymbolFamily>> = {
  wells: { ramp: ['#74a9cf', '#3690c0', '#0570b0', '#045a8d', '#023858'], stroke: '#ffffff', strokeWidth: 0.6 },
  villages: { ramp: ['#dadaeb', '#bcbddc', '#807dba', '#3f007d'], stroke: '#3f007d', strokeWidth: 1.2 },
  'pocket-parks': { ramp: ['#c7e9c0', '#74c476', '#238b45'], stroke: '#00441b', strokeWidth: 1 },
  farmland: { ramp: ['#fee391', '#fec44f', '#cc8a00', '#8c5a00'], stroke: '#662506', strokeWidth: 1 },
  'rural-roads': { ramp: ['#fcbba1', '#fb6a4a', '#a50f15'], stroke: '#67000d', strokeWidth: 1 },
  'urban-projects': { ramp: ['#fcc5c0', '#f768a1', '#ae017e'], stroke: '#49006a', strokeWidth: 1.2 },
  'residential-blocks': { ramp: ['#969696'], stroke: '#ffffff', strokeWidth: 0.6 },
};

const spareFamilies: readonly SymbolFamily[] = [
  { ramp: ['#ccece6', '#66c2a4', '#238b45', '#00441b'], stroke: '#00441b', strokeWidth: 1 },
  { ramp: ['#fdd0a2', '#fd8d3c', '#d94801', '#7f2704'], stroke: '#7f2704', strokeWidth: 1 },
  { ramp: ['#d9d9d9', '#969696', '#525252', '#000000'], stroke: '#000000', strokeWidth: 1 },
];

export function symbolFamilyOf(definition: LayerDefinition): SymbolFamily {
  const known = families[definition.id];
  if (known) return known;
  let hash = 0;
  for (const character of definition.id) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return spareFamilies[hash % spareFamilies.length]!;
}

// A layer an import created (`import-<n>`, features/import/mapping/new-layer.ts newLayerId) starts in its
// first state: grey, small dots would be lost among the demo layers. Its first state takes a
// strong colour of its own (by n, so two imports differ), and its points are drawn larger.
const importedLayerColours = ['#c2185b', '#00acc1', '#5e35b1', '#6d4c41', '#7cb342', '#e53935'];
const importedLayerId = /^import-(\d+)$/;

function importedLayerNumber(definition: LayerDefinition): number | null {
  const match = importedLayerId.exec(definition.id);
  return match ? Number(match[1]) : null;
}

export function statusColors(definition: LayerDefinition): Array<[string, string]> {
  const imported = importedLayerNumber(definition);
  const { ramp } = symbolFamilyOf(definition);
  return definition.status.states.map((state, index) => [
    state.value,
    index === 0 && imported !== null ? importedLayerColours[(imported - 1) % importedLayerColours.length]! : ramp[Math.min(index, ramp.length - 1)]!,
  ]);
}

// A status edit sets the feature's `status` state at once (tiled layers): it wins over the
// property until the re-cut tile carries the same value.
function statusColorExpression(definition: LayerDefinition): ExpressionSpecification {
  return ['match', ['coalesce', ['feature-state', 'status'], ['get', 'status']], ...statusColors(definition).flat(), symbolFamilyOf(definition).ramp[0]!] as unknown as ExpressionSpecification;
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

export { codedPropertyOf, toMapFeature } from '../../../shared/tiles/map-feature';

/**
 * A planning GeoJSON source's tile buffer, in pixels of its 512-px tiles. MapLibre's default, 128,
 * copies each feature into the tiles around it a quarter of a tile away (≈ 2.25 tiles per point),
 * and its worker parses every copy; circles are not clipped at tile edges, and the widest line
 * drawn is 5 px, so 16 px is enough.
 */
export const planningSourceBuffer = 16;

function collectionOf(features: readonly Feature[], definition?: LayerDefinition): FeatureCollection<Geometry> {
  return { type: 'FeatureCollection', features: features.map((feature) => toMapFeature(feature, definition)) };
}

/** The definition (and tiles, or null for GeoJSON) each map's planning layers were drawn for: a changed one is drawn anew. */
interface Drawn {
  definition: LayerDefinition;
  tiled: TiledLayer | null;
}
const drawnLayers = new WeakMap<MapLibreMap, Map<string, Drawn>>();

/** The tiles a planning layer is drawn from, or null when it is one GeoJSON source (or not drawn). */
export function planningTilesOf(map: MapLibreMap, layerId: string): TiledLayer | null {
  return drawnLayers.get(map)?.get(layerId)?.tiled ?? null;
}

/** The feature-state target of a planning feature (a tiled source names its source layer). */
export function planningFeatureTarget(map: MapLibreMap, layerId: string, featureId: string) {
  const sourceId = sourceIdOf(layerId);
  return planningTilesOf(map, layerId) ? tiledFeatureTarget(sourceId, featureId) : { source: sourceId, id: featureId };
}

/**
 * Adds a layer's source and style layers (GeoJSON, with `features` when given, or `tiled`); true
 * when they were (re-)added.
 */
export function addPlanningLayer(map: MapLibreMap, definition: LayerDefinition, beforeLayerId?: string, tiled?: TiledLayer | null, features?: readonly Feature[]): boolean {
  const sourceId = sourceIdOf(definition.id);
  const drawn = drawnLayers.get(map) ?? new Map<string, Drawn>();
  drawnLayers.set(map, drawn);
  const before = drawn.get(definition.id);
  const kind = tiled === undefined ? (before?.tiled ?? null) : tiled;
  if (map.getSource(sourceId)) {
    if (before === undefined || (before.definition.version === definition.version && before.tiled?.database === kind?.database)) {
      drawn.set(definition.id, before ?? { definition, tiled: kind });
      return false;
    }
    // Its colours (states) and coded-field properties follow the definition, its source the layer's size: remove and add again.
    for (const styleLayerId of styleLayerIdsOf(before.definition)) if (map.getLayer(styleLayerId)) map.removeLayer(styleLayerId);
    map.removeSource(sourceId);
  }
  drawn.set(definition.id, { definition, tiled: kind });
  map.addSource(sourceId, kind ? tiledSource(definition, kind) : { type: 'geojson', data: collectionOf(features ?? [], definition), promoteId: featureIdProperty, buffer: planningSourceBuffer });
  const sourceLayer = kind ? { 'source-layer': tileLayerName } : {};
  const color = statusColorExpression(definition);
  const family = symbolFamilyOf(definition);
  const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];
  const [first, second] = styleLayerIdsOf(definition);
  const imported = importedLayerNumber(definition) !== null;
  switch (definition.geometryType) {
    case 'Point':
      map.addLayer(
        {
          id: first!,
          type: 'circle',
          source: sourceId,
          ...sourceLayer,
          paint: {
            'circle-color': color,
            'circle-radius': imported
              ? ['interpolate', ['linear'], ['zoom'], 8, ['case', selected, 7, 4.5], 14, ['case', selected, 11, 8]]
              : ['interpolate', ['linear'], ['zoom'], 8, ['case', selected, 6, 2.5], 14, ['case', selected, 10, 6]],
            'circle-stroke-color': ['case', selected, '#d81b60', imported ? '#ffffff' : family.stroke],
            'circle-stroke-width': ['case', selected, 2.5, imported ? 1.2 : family.strokeWidth],
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
          ...sourceLayer,
          layout: { 'line-cap': 'round', 'line-join': 'round' },
          paint: { 'line-color': ['case', selected, '#d81b60', color], 'line-width': ['case', selected, 5, 3] },
        },
        beforeLayerId,
      );
      break;
    default:
      map.addLayer({ id: first!, type: 'fill', source: sourceId, ...sourceLayer, paint: { 'fill-color': color, 'fill-opacity': 0.55 } }, beforeLayerId);
      map.addLayer(
        {
          id: second!,
          type: 'line',
          source: sourceId,
          ...sourceLayer,
          paint: { 'line-color': ['case', selected, '#d81b60', family.stroke], 'line-width': ['case', selected, 3, 1] },
        },
        beforeLayerId,
      );
  }
  return true;
}

/** The tiles a reset's layer is drawn from (more than `tiledLayerThreshold` features), or null for GeoJSON. */
function tilesFor(reset: Extract<PlanningLayerChanges, { kind: 'reset' }>): TiledLayer | null {
  const size = reset.features === null ? reset.atLeast : reset.features.length;
  return reset.database !== undefined && size > tiledLayerThreshold ? { database: reset.database } : null;
}

/**
 * Draws a layer from its first reset: a layer not on the map yet is added with its data (no empty
 * source first, no second load); one already there takes the reset as a change. True when the
 * source was (re-)added (the caller applies the views).
 */
export function addPlanningLayerWith(map: MapLibreMap, definition: LayerDefinition, reset: Extract<PlanningLayerChanges, { kind: 'reset' }>, beforeLayerId: string): boolean {
  if (map.getSource(sourceIdOf(definition.id))) return applyPlanningChanges(map, definition, reset);
  const tiled = tilesFor(reset);
  return addPlanningLayer(map, definition, beforeLayerId, tiled, tiled ? undefined : (reset.features ?? undefined));
}

/**
 * Applies the store's change feed to a layer's source. A reset picks the source by the layer's
 * size (one rule: more than `tiledLayerThreshold` features → tiles); true when the source was
 * replaced (the caller re-applies the views: filters, opacity, order).
 */
export function applyPlanningChanges(map: MapLibreMap, definition: LayerDefinition, changes: PlanningLayerChanges): boolean {
  const sourceId = sourceIdOf(definition.id);
  if (!map.getSource(sourceId)) return false;
  const tiled = planningTilesOf(map, definition.id);
  if (changes.kind === 'reset') {
    const wanted = tilesFor(changes);
    const replaced = addPlanningLayer(map, definition, undefined, wanted);
    if (wanted) {
      if (!replaced) refreshTouchedTiles(map, sourceId, 'all');
    } else if (changes.features !== null) map.getSource<GeoJSONSource>(sourceId)?.setData(collectionOf(changes.features, definition));
    return replaced;
  }
  if (tiled) {
    void applyTiledChanges(map, sourceId, tiled, definition.id, changes.upserted).catch((error: unknown) => console.error('planning tiles', definition.id, error));
    return false;
  }
  const source = map.getSource<GeoJSONSource>(sourceId);
  if (!source) return false;
  // Upserts are a remove + add of the same id, which covers new and changed features alike.
  const upsertedIds = changes.upserted.map((feature) => feature.id);
  source.updateData({
    remove: [...changes.removed, ...upsertedIds],
    add: changes.upserted.map((feature) => toMapFeature(feature, definition)),
  });
  return false;
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
      setVisibilityIfChanged(map, styleLayerId, view.visible ? 'visible' : 'none');
      setFilterIfChanged(map, styleLayerId, filter);
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

/**
 * The lowest planning layer on the map, or `fallback` when there is none: an overlay added later
 * that draws under the planning layers goes below it.
 */
export function lowestPlanningLayerId(map: MapLibreMap, fallback: string): string {
  return map.getLayersOrder().find((id) => id.startsWith('planning:')) ?? fallback;
}

export function planningStyleLayerIds(views: readonly PlanningLayerView[]): string[] {
  return views.flatMap((view) => styleLayerIdsOf(view.definition));
}
