// Hooks over several layers at once, for the layer panel and the other workbench panels.
import { useEffect, useState } from 'react';
import type { Feature, LayerDefinition } from '../../../shared/model';
import type { TallySnapshot } from '../../../shared/analysis/layer-tally';
import { tiledLayerThreshold } from '../../../shared/tiles/large-layer';
import { followLargeLayer, type LargeLayerFollow } from '../workers/large-layers-client';
import type { OneMapDatabase } from './schema';
import { watchLayer } from './repositories';
import { LayerFeatureList } from './layer-feature-list';

export interface LayersContent {
  /** Each small layer's current features; a large layer (see `large`) is never held here. */
  readonly features: ReadonlyMap<string, Feature[]>;
  /**
   * Each layer's counts by county, status, demo flag and the values of its coded (enum) fields; a
   * large layer's once the large-layers worker has counted it (until then it is missing).
   */
  readonly tallies: ReadonlyMap<string, TallySnapshot>;
  /** The layers over `tiledLayerThreshold` (the map's rule, counted on the change feed's reset). */
  readonly large: ReadonlySet<string>;
  /** The first `limit` matches of a large layer, found in the worker; [] for another layer. */
  searchLarge(layer: LayerDefinition, needle: string, limit: number): Promise<Feature[]>;
}

/** A layer to follow, and the coded (enum) fields whose values its tally tells apart. */
export interface FollowedLayer {
  readonly id: string;
  readonly codedKeys: readonly string[];
}

const noFeatures: ReadonlyMap<string, Feature[]> = new Map();

type Large = { kind: 'large'; follow: LargeLayerFollow; tally: TallySnapshot | null };
type Followed = { kind: 'small'; list: LayerFeatureList } | Large;

/**
 * Current features and counts of every listed layer, keyed by layer id; undefined until each has
 * been read — or, for a layer over `tiledLayerThreshold`, found to be that large (the window
 * never reads it: the large-layers worker counts it, and its tally arrives when counted). A small
 * layer is read once and then follows its change feed: an edit re-reads nothing, its counts
 * change by the edited features only, and only the edited layer's array and tally are new (the
 * others keep their identity, so memos over them hold).
 */
export function useLayersContent(database: OneMapDatabase, layers: readonly FollowedLayer[]): LayersContent | undefined {
  // A layer whose coded fields change is followed afresh (its tally tells other values apart).
  const key = layers.map((layer) => [layer.id, ...layer.codedKeys].join(',')).join('|');
  const [content, setContent] = useState<LayersContent | undefined>(undefined);
  useEffect(() => {
    const specs = key === '' ? [] : key.split('|').map((entry) => entry.split(','));
    const followed = new Map<string, Followed>();
    let stopped = false;
    const searchLarge = async (layer: LayerDefinition, needle: string, limit: number): Promise<Feature[]> => {
      const entry = followed.get(layer.id);
      return entry?.kind === 'large' ? await entry.follow.search(layer, needle, limit) : [];
    };
    const publish = () => {
      if (stopped || followed.size !== specs.length) return;
      const features = new Map<string, Feature[]>();
      const tallies = new Map<string, TallySnapshot>();
      const large = new Set<string>();
      for (const [id] of specs) {
        const entry = followed.get(id!)!;
        if (entry.kind === 'small') {
          features.set(id!, entry.list.features());
          tallies.set(id!, entry.list.tally());
        } else {
          large.add(id!);
          if (entry.tally !== null) tallies.set(id!, entry.tally);
        }
      }
      setContent({ features, tallies, large, searchLarge });
    };
    publish();
    const stops = specs.map(([layerId, ...codedKeys]) => {
      const id = layerId!;
      const stopWatching = watchLayer(
        database,
        id,
        (changes) => {
          const current = followed.get(id);
          if (changes.kind === 'large-reset') {
            // Still large after a new base: the worker's own follow sees the new base too.
            if (current?.kind === 'large') return;
            const entry: Large = {
              kind: 'large',
              tally: null,
              follow: followLargeLayer(database.name, id, codedKeys, (tally) => {
                if (followed.get(id) !== entry) return;
                entry.tally = tally;
                publish();
              }),
            };
            followed.set(id, entry);
          } else if (changes.kind === 'reset') {
            if (current?.kind === 'large') current.follow.stop();
            followed.set(id, { kind: 'small', list: new LayerFeatureList(changes.snapshot.baseIds, changes.snapshot.features, codedKeys) });
          } else if (current?.kind === 'small') current.list.apply(changes.upserted, changes.removed);
          // A large layer's edits reach its tally through the worker.
          else return;
          publish();
        },
        undefined,
        { skipReadAbove: tiledLayerThreshold },
      );
      return () => {
        stopWatching();
        const entry = followed.get(id);
        if (entry?.kind === 'large') entry.follow.stop();
      };
    });
    return () => {
      stopped = true;
      stops.forEach((stop) => stop());
    };
    // layers are compared by id and coded fields through `key`.
  }, [database, key]);
  return content;
}

/**
 * The features of the listed large layers, read whole in the window only while a panel or dialog
 * that needs them is open (each read once, then following its change feed); a layer not yet read
 * is missing from the map.
 */
export function useLargeLayerFeatures(database: OneMapDatabase, layerIds: readonly string[]): ReadonlyMap<string, Feature[]> {
  const key = [...layerIds].sort().join('|');
  const [loaded, setLoaded] = useState<{ key: string; features: ReadonlyMap<string, Feature[]> }>({ key: '', features: new Map() });
  useEffect(() => {
    const ids = key === '' ? [] : key.split('|');
    const lists = new Map<string, LayerFeatureList>();
    const publish = () => setLoaded({ key, features: new Map([...lists].map(([id, list]) => [id, list.features()])) });
    const stops = ids.map((id) =>
      watchLayer(database, id, (changes) => {
        if (changes.kind === 'reset') lists.set(id, new LayerFeatureList(changes.snapshot.baseIds, changes.snapshot.features));
        else lists.get(id)?.apply(changes.upserted, changes.removed);
        publish();
      }),
    );
    return () => stops.forEach((stop) => stop());
  }, [database, key]);
  return loaded.key === key ? loaded.features : noFeatures;
}
