import type { Feature, LayerDefinition } from '../../../shared/model';

/** How the user has set up one planning layer in the layer panel. */
export interface LayerSettings {
  visible: boolean;
  /** 0–1 */
  opacity: number;
  /** Statuses shown, or null for all. */
  statuses: string[] | null;
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

/** The features a layer shows under the county filter and its status filter. */
export function featuresShown(features: readonly Feature[], settings: LayerSettings, county: number | null): Feature[] {
  return features.filter(
    (feature) => (county === null || feature.county === county) && (settings.statuses === null || settings.statuses.includes(feature.status)),
  );
}
