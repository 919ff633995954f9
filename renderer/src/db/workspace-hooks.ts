// Hooks over several layers at once, for the layer panel and the dashboards.
import { useLiveQuery } from 'dexie-react-hooks';
import type { Feature } from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import { readLayerFeatures } from './repositories';

/** Current features of every listed layer, keyed by layer id; re-read when any of them changes. */
export function useFeaturesOfLayers(database: OneMapDatabase, layerIds: readonly string[]): ReadonlyMap<string, Feature[]> | undefined {
  const key = layerIds.join('|');
  return useLiveQuery(
    async () => new Map(await Promise.all(layerIds.map(async (layerId) => [layerId, await readLayerFeatures(database, layerId)] as const))),
    // layerIds is compared by content through `key`.
    [database, key],
  );
}
