// Sync on the map: a flag on every feature with a conflict waiting in the review queue, and —
// while the reviewer looks at one — both of its versions: this device's (blue) and the other
// side's (orange, dashed). Temporary sources above the planning layers; nothing is stored.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Feature, FeatureCollection, Geometry, Point } from 'geojson';
import { bbox } from '@turf/bbox';
import { centroid } from '@turf/centroid';
import { overlayBeforeLayerId } from './overlay-order';

export const conflictFlagsSourceId = 'sync-conflict-flags';
export const conflictVersionsSourceId = 'sync-conflict-versions';

const MINE = '#1e63c8';
const THEIRS = '#ef6c00';
const FLAG = '#d32f2f';

/** Both versions of the conflict being reviewed (null where a side deleted the feature). */
export interface ConflictOverlay {
  mine: Geometry | null;
  theirs: Geometry | null;
}

const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };

const versionLayerIds = [`${conflictVersionsSourceId}:fill`, `${conflictVersionsSourceId}:line`, `${conflictVersionsSourceId}:circle`] as const;

/** Adds the flags' or the versions' source and layers when first needed (not at start): the flags under the versions. */
function ensure(map: MapLibreMap, part: 'flags' | 'versions'): void {
  if (part === 'flags' && !map.getSource(conflictFlagsSourceId)) {
    map.addSource(conflictFlagsSourceId, { type: 'geojson', data: empty });
    map.addLayer(
      {
        id: `${conflictFlagsSourceId}:ring`,
        type: 'circle',
        source: conflictFlagsSourceId,
        paint: { 'circle-radius': 11, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': FLAG, 'circle-stroke-width': 3 },
      },
      map.getLayer(versionLayerIds[0]) ? versionLayerIds[0] : overlayBeforeLayerId(map, 'conflicts'),
    );
  }
  if (part === 'versions' && !map.getSource(conflictVersionsSourceId)) {
    map.addSource(conflictVersionsSourceId, { type: 'geojson', data: empty });
    const colour = ['match', ['get', 'side'], 'mine', MINE, THEIRS] as unknown as string;
    const before = overlayBeforeLayerId(map, 'conflicts');
    map.addLayer(
      { id: versionLayerIds[0], type: 'fill', source: conflictVersionsSourceId, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': colour, 'fill-opacity': 0.2 } },
      before,
    );
    map.addLayer(
      {
        id: versionLayerIds[1],
        type: 'line',
        source: conflictVersionsSourceId,
        filter: ['in', ['geometry-type'], ['literal', ['LineString', 'Polygon']]],
        paint: { 'line-color': colour, 'line-width': 3, 'line-dasharray': ['match', ['get', 'side'], 'mine', ['literal', [1, 0]], ['literal', [2, 1]]] as unknown as number[] },
      },
      before,
    );
    map.addLayer(
      {
        id: versionLayerIds[2],
        type: 'circle',
        source: conflictVersionsSourceId,
        filter: ['==', ['geometry-type'], 'Point'],
        paint: { 'circle-radius': 7, 'circle-color': colour, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
      },
      before,
    );
  }
}

/**
 * Flags the features with a conflict waiting (their representative points). False when the map's
 * style is not loaded yet (the caller tries again).
 */
export function setConflictFlags(map: MapLibreMap, geometries: readonly Geometry[]): boolean {
  // No conflict and no flag drawn: nothing to add.
  if (geometries.length === 0 && !map.getSource(conflictFlagsSourceId)) return true;
  try {
    ensure(map, 'flags');
  } catch {
    return false;
  }
  const features: Feature<Point>[] = geometries.map((geometry) => (geometry.type === 'Point' ? { type: 'Feature', properties: {}, geometry } : centroid(geometry)));
  map.getSource<GeoJSONSource>(conflictFlagsSourceId)?.setData({ type: 'FeatureCollection', features });
  return true;
}

/** Draws both versions of a conflict and fits them into view; null removes them. */
export function setConflictOverlay(map: MapLibreMap, overlay: ConflictOverlay | null): void {
  if (!overlay && !map.getSource(conflictVersionsSourceId)) return;
  ensure(map, 'versions');
  const features: Feature[] = [];
  if (overlay?.theirs) features.push({ type: 'Feature', properties: { side: 'theirs' }, geometry: overlay.theirs });
  if (overlay?.mine) features.push({ type: 'Feature', properties: { side: 'mine' }, geometry: overlay.mine });
  map.getSource<GeoJSONSource>(conflictVersionsSourceId)?.setData({ type: 'FeatureCollection', features });
  if (features.length === 0) return;
  const [west, south, east, north] = bbox({ type: 'FeatureCollection', features }) as [number, number, number, number];
  if ([west, south, east, north].every(Number.isFinite)) map.fitBounds([west, south, east, north], { padding: 120, maxZoom: 15, duration: 0 });
}
