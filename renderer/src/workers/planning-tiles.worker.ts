// Cuts the planning layers' vector tiles off the main thread: reads the store (db/tile-store.ts,
// the same IndexedDB the window writes) and answers MapLibre's `onemap-tiles://` requests.
import * as Comlink from 'comlink';
import type { BoundingBox } from '../../../shared/geo/bbox';
import type { Feature } from '../../../shared/model';
import type { TileId } from '../../../shared/tiles';
import { LayerTileStore, type TileChanges } from '../db/tile-store';

const stores = new Map<string, LayerTileStore>();

function storeOf(database: string): LayerTileStore {
  let store = stores.get(database);
  if (store === undefined) {
    store = new LayerTileStore(database);
    stores.set(database, store);
  }
  return store;
}

const workerApi = {
  /** The encoded tile (its bytes are transferred, not copied). */
  async tile(database: string, layerId: string, version: number, tile: TileId): Promise<ArrayBuffer> {
    const bytes = await storeOf(database).tile(layerId, version, tile);
    const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
    return Comlink.transfer(buffer, [buffer]);
  },
  /** What the commits since the last call touched in a layer (extents, or all). */
  changes(database: string, layerId: string): Promise<TileChanges> {
    return storeOf(database).changes(layerId);
  },
  /** A layer's current features meeting a box (the geometry editor snaps to them). */
  features(database: string, layerId: string, box: BoundingBox): Promise<Feature[]> {
    return storeOf(database).features(layerId, box);
  },
};

export type PlanningTilesWorkerApi = typeof workerApi;

Comlink.expose(workerApi);
