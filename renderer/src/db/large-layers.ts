// The window's data about large layers (over `tiledLayerThreshold`, shared/tiles/large-layer.ts)
// off the main thread, run by one worker for every large layer of the window
// (workers/large-layers.worker.ts). It opens the workspace's IndexedDB database by name (its own
// connection, shared by its follows), reads each followed layer once and then follows its change
// feed (`watchLayer`: Dexie's notifications reach workers), applying only the changed features, as
// `LayerFeatureList` does in the window for small layers. The window receives each layer's tally
// (a few groups of counts) after the read and after every change, and the first search matches
// when it asks — never the layer's features.
import type { Feature, LayerDefinition } from '../../../shared/model';
import type { TallyGroup } from '../../../shared/analysis/layer-tally';
import { searchLayer } from '../../../shared/analysis/feature-search';
import { openOneMapDatabase, type OneMapDatabase } from './schema';
import { watchLayer } from './repositories';
import { LayerFeatureList } from './layer-feature-list';

/** A tally as it crosses to the window (plain data; the window makes a `TallySnapshot` of it). */
export interface TallyData {
  readonly codedKeys: readonly string[];
  readonly groups: readonly TallyGroup[];
  readonly total: number;
}

interface Follow {
  list: LayerFeatureList | null;
  /** Searches waiting for the first read. */
  readonly waiting: (() => void)[];
  stopped: boolean;
  stop(): void;
}

function wakeAll(follow: Follow): void {
  for (const wake of follow.waiting.splice(0)) wake();
}

/**
 * The follows of one worker (or one test): `follow`, `search` and `stop` as the window calls them.
 * `release` is called with each `onTally` callback when its follow ends (Comlink frees its proxy).
 */
export function largeLayerFollows(release: (onTally: (tally: TallyData) => void) => void = () => undefined) {
  /** Each follow from the moment it is asked for (so a search or a stop never misses it). */
  const follows = new Map<number, Follow>();
  // One connection per database, shared by its follows, closed with the last.
  const databases = new Map<string, { opened: Promise<OneMapDatabase>; users: number }>();
  const openShared = (name: string): Promise<OneMapDatabase> => {
    let entry = databases.get(name);
    if (entry === undefined) {
      entry = { opened: openOneMapDatabase(name), users: 0 };
      databases.set(name, entry);
    }
    entry.users += 1;
    return entry.opened;
  };
  const releaseDatabase = (name: string): void => {
    const entry = databases.get(name);
    if (entry === undefined) return;
    entry.users -= 1;
    if (entry.users > 0) return;
    databases.delete(name);
    void entry.opened.then((database) => database.close());
  };

  return {
    /**
     * Calls `onTally` with the layer's counts after its first read and after every committed
     * change, until `stop(id)`. `codedKeys`: the coded fields the tally tells apart.
     */
    async follow(id: number, databaseName: string, layerId: string, codedKeys: readonly string[], onTally: (tally: TallyData) => void): Promise<void> {
      const follow: Follow = { list: null, waiting: [], stopped: false, stop: () => void (follow.stopped = true) };
      follows.set(id, follow);
      const database = await openShared(databaseName);
      if (follow.stopped) {
        wakeAll(follow);
        releaseDatabase(databaseName);
        release(onTally);
        return;
      }
      const stopWatching = watchLayer(
        database,
        layerId,
        (changes) => {
          if (changes.kind === 'reset') {
            follow.list = new LayerFeatureList(changes.snapshot.baseIds, changes.snapshot.features, codedKeys);
            wakeAll(follow);
          } else follow.list?.apply(changes.upserted, changes.removed);
          if (follow.list === null) return;
          const tally = follow.list.tally();
          onTally({ codedKeys: tally.codedKeys, groups: tally.groups, total: tally.total });
        },
        (error) => console.error('large layer', layerId, error),
      );
      follow.stop = () => {
        stopWatching();
        wakeAll(follow);
        releaseDatabase(databaseName);
        release(onTally);
      };
    },

    /** The first `limit` features of the followed layer matching `needle` (shared/analysis/feature-search.ts), in the layer's order. */
    async search(id: number, layer: LayerDefinition, needle: string, limit: number): Promise<Feature[]> {
      const follow = follows.get(id);
      if (follow === undefined) return [];
      if (follow.list === null) await new Promise<void>((resolve) => follow.waiting.push(resolve));
      return follow.list === null ? [] : searchLayer(layer, follow.list.features(), needle, limit);
    },

    stop(id: number): void {
      const follow = follows.get(id);
      if (follow === undefined) return;
      follows.delete(id);
      follow.stop();
    },
  };
}
