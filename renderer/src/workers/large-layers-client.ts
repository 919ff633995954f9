// The window's side of the large-layers worker (db/large-layers.ts): one worker per window, one
// follow per large layer.
import * as Comlink from 'comlink';
import type { Feature, LayerDefinition } from '../../../shared/model';
import { TallySnapshot } from '../../../shared/analysis/layer-tally';
import type { LargeLayersWorkerApi } from './large-layers.worker';
import { afterMapDrawn } from '../lib/first-draw';

let worker: Comlink.Remote<LargeLayersWorkerApi> | null = null;
let nextId = 1;

function largeLayersWorker(): Comlink.Remote<LargeLayersWorkerApi> {
  worker ??= Comlink.wrap<LargeLayersWorkerApi>(new Worker(new URL('./large-layers.worker.ts', import.meta.url), { type: 'module', name: 'onemap-large-layers' }));
  return worker;
}

export interface LargeLayerFollow {
  /** The first `limit` features of the layer matching `needle` (shared/analysis/feature-search.ts). */
  search(layer: LayerDefinition, needle: string, limit: number): Promise<Feature[]>;
  stop(): void;
}

/**
 * Follows a large layer's counts in the worker: `onTally` after its read and after each change.
 * The read (the whole layer) starts after the map's first draw, which it would slow down.
 */
export function followLargeLayer(databaseName: string, layerId: string, codedKeys: readonly string[], onTally: (tally: TallySnapshot) => void): LargeLayerFollow {
  const remote = largeLayersWorker();
  const id = nextId++;
  let stopped = false;
  const started = afterMapDrawn().then(() => {
    if (stopped) return false;
    remote
      .follow(
        id,
        databaseName,
        layerId,
        codedKeys,
        Comlink.proxy((data) => onTally(new TallySnapshot(data.codedKeys, data.groups, data.total))),
      )
      .catch((error: unknown) => console.error('large layer', layerId, error));
    return true;
  });
  return {
    search: (layer, needle, limit) => started.then((following) => (following ? remote.search(id, layer, needle, limit) : [])),
    stop: () => {
      stopped = true;
      void started.then((following) => {
        if (following) void remote.stop(id);
      });
    },
  };
}
