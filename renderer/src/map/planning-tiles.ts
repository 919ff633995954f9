// Big planning layers are drawn from vector tiles cut on demand from the store (a worker:
// workers/planning-tiles.worker.ts over db/tile-store.ts), served through the `onemap-tiles`
// protocol. An edit re-cuts only the tiles its old and new extents touch; a status change shows
// at once through feature state, before its tile is re-cut.
import type { Map as MapLibreMap, VectorSourceSpecification } from 'maplibre-gl';
import { loadedMapLibre } from './maplibre';
import type { Feature, LayerDefinition } from '../../../shared/model';
import type { BoundingBox } from '../../../shared/geo/bbox';
import { ancestorAt, boxIntersection, featureIdProperty, tileBufferFraction, tileLayerName, tilesTouched, type TileId } from '../../../shared/tiles';
import { planningTilesWorker } from '../workers/planning-tiles-client';

/** A layer with more features than this is drawn from tiles (`shared/tiles/large-layer.ts`). */
export { tiledLayerThreshold } from '../../../shared/tiles/large-layer';

/**
 * Tiles are cut up to this zoom; deeper zooms overscale them (the same tile, drawn larger). Not
 * lower: MapLibre splits a source's deepest tiles into deeper tiles of their own (map maxZoom 19
 * less `zoomLevelsToOverscale` 4 = 15) and caches those slices by URL, so a re-cut would not reach
 * them.
 */
export const tileMaxZoom = 15;

/** Past this many tiles an edit reloads the layer's tiles whole (a huge polygon moved). */
const maxRefreshedTiles = 400;

const protocol = 'onemap-tiles';
let protocolAdded = false;

function addProtocolOnce(): void {
  if (protocolAdded) return;
  protocolAdded = true;
  loadedMapLibre().addProtocol(protocol, async (parameters) => {
    // onemap-tiles://<database>/<layer>/<version>/<z>/<x>/<y>
    const [database, layerId, version, z, x, y] = parameters.url.slice(protocol.length + 3).split('/').map(decodeURIComponent);
    const data = await planningTilesWorker().tile(database!, layerId!, Number(version), { z: Number(z), x: Number(x), y: Number(y) });
    return { data };
  });
}

export interface TiledLayer {
  database: string;
}

export function tiledSource(definition: LayerDefinition, tiled: TiledLayer): VectorSourceSpecification {
  addProtocolOnce();
  const path = [tiled.database, definition.id, String(definition.version ?? 1)].map(encodeURIComponent).join('/');
  return { type: 'vector', tiles: [`${protocol}://${path}/{z}/{x}/{y}`], minzoom: 0, maxzoom: tileMaxZoom, promoteId: featureIdProperty };
}

/** The feature-state target of a feature in a tiled source. */
export function tiledFeatureTarget(sourceId: string, featureId: string) {
  return { source: sourceId, sourceLayer: tileLayerName, id: featureId };
}

interface TileManagerInternals {
  _outOfViewCache?: { filter(keep: (tile: { tileID: { canonical: TileId } }) => boolean): void };
}

const tileKey = (tile: TileId) => `${tile.z}/${tile.x}/${tile.y}`;

/**
 * Re-cuts the tiles a change touched. Tiles are cut up to `tileMaxZoom`; deeper, MapLibre keeps
 * tiles of the deeper zoom sliced from those (their own ids), so the ones in view at the current
 * zoom are listed too. `refreshTiles` reloads only tiles in view; tiles kept for a pan back
 * (MapLibre's out-of-view cache, not public) are dropped here too, or a pan would bring a stale
 * one back. Without that cache's handle, every tile of the source is reloaded.
 */
export function refreshTouchedTiles(map: MapLibreMap, sourceId: string, boxes: readonly BoundingBox[] | 'all'): void {
  if (!map.getSource(sourceId)) return;
  const tiles: TileId[] | null = boxes === 'all' ? null : tilesTouched(boxes, 0, tileMaxZoom, tileBufferFraction);
  const manager = (map.style as unknown as { tileManagers?: Record<string, TileManagerInternals> } | undefined)?.tileManagers?.[sourceId];
  if (tiles === null || boxes === 'all' || tiles.length > maxRefreshedTiles || manager?._outOfViewCache === undefined) {
    map.refreshTiles(sourceId);
    return;
  }
  if (tiles.length === 0) return;
  const keys = new Set(tiles.map(tileKey));
  const touched = (tile: TileId) => keys.has(tileKey(ancestorAt(tile, Math.min(tile.z, tileMaxZoom))));
  manager._outOfViewCache.filter(({ tileID: { canonical } }) => !touched(canonical));
  const deepest = Math.min(Math.floor(map.getZoom()) + 1, Math.ceil(map.getMaxZoom()));
  if (deepest > tileMaxZoom) {
    const bounds = map.getBounds();
    // Grown by half on each side: a tile in view reaches past the view's edge.
    const [halfWidth, halfHeight] = [(bounds.getEast() - bounds.getWest()) / 2, (bounds.getNorth() - bounds.getSouth()) / 2];
    const view: BoundingBox = [bounds.getWest() - halfWidth, bounds.getSouth() - halfHeight, bounds.getEast() + halfWidth, bounds.getNorth() + halfHeight];
    const inView = boxes.map((box) => boxIntersection(box, view)).filter((box): box is BoundingBox => box !== null);
    tiles.push(...tilesTouched(inView, tileMaxZoom + 1, deepest, tileBufferFraction));
  }
  map.refreshTiles(sourceId, tiles);
}

/**
 * A change to a tiled layer: statuses through feature state first (drawn in the next frame), then
 * the worker reports what the commits touched and those tiles are re-cut.
 */
export async function applyTiledChanges(map: MapLibreMap, sourceId: string, tiled: TiledLayer, layerId: string, upserted: readonly Feature[]): Promise<void> {
  if (map.getSource(sourceId)) for (const feature of upserted) map.setFeatureState(tiledFeatureTarget(sourceId, feature.id), { status: feature.status });
  const changes = await planningTilesWorker().changes(tiled.database, layerId);
  refreshTouchedTiles(map, sourceId, changes.all ? 'all' : changes.boxes);
}

/** A layer's current features in a box, from the store (the geometry editor snaps to them). */
export function tiledFeaturesIn(tiled: TiledLayer, layerId: string, box: BoundingBox): Promise<Feature[]> {
  return planningTilesWorker().features(tiled.database, layerId, box);
}
