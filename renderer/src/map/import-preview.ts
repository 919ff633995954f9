// The import wizard's preview on the map: the features read from a file, drawn in a temporary
// source above the planning layers (points, lines and polygon outlines in magenta), and fitted into
// view. Nothing is stored; `null` removes it.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { bbox } from '@turf/bbox';
import { paddingClearOfPanels } from './clear-of-panels';

export const importPreviewSourceId = 'import-preview';
export const importPreviewLayerIds = [`${importPreviewSourceId}:fill`, `${importPreviewSourceId}:line`, `${importPreviewSourceId}:circle`] as const;

const colour = '#d81b60';

function ensure(map: MapLibreMap, beforeLayerId: string | undefined): void {
  if (map.getSource(importPreviewSourceId)) return;
  map.addSource(importPreviewSourceId, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  const before = beforeLayerId !== undefined && map.getLayer(beforeLayerId) ? beforeLayerId : undefined;
  map.addLayer(
    { id: importPreviewLayerIds[0], type: 'fill', source: importPreviewSourceId, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': colour, 'fill-opacity': 0.15 } },
    before,
  );
  map.addLayer(
    {
      id: importPreviewLayerIds[1],
      type: 'line',
      source: importPreviewSourceId,
      filter: ['in', ['geometry-type'], ['literal', ['LineString', 'Polygon']]],
      paint: { 'line-color': colour, 'line-width': 2, 'line-dasharray': [2, 1] },
    },
    before,
  );
  map.addLayer(
    {
      id: importPreviewLayerIds[2],
      type: 'circle',
      source: importPreviewSourceId,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 5, 'circle-color': colour, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 },
    },
    before,
  );
}

/** Shows `collection` as the import preview and fits the map to it; null hides the preview. */
export function setImportPreview(map: MapLibreMap, collection: FeatureCollection<Geometry | null> | null, beforeLayerId?: string): void {
  ensure(map, beforeLayerId);
  const features = (collection?.features ?? []).filter((feature): feature is Feature<Geometry> => feature.geometry !== null);
  map.getSource<GeoJSONSource>(importPreviewSourceId)?.setData({ type: 'FeatureCollection', features });
  if (features.length === 0) return;
  const [west, south, east, north] = bbox({ type: 'FeatureCollection', features }) as [number, number, number, number];
  // The wizard covers the right of the map: keep the features in the part left visible.
  if ([west, south, east, north].every(Number.isFinite)) map.fitBounds([west, south, east, north], { padding: paddingClearOfPanels(map, 60), maxZoom: 14, duration: 0 });
}
