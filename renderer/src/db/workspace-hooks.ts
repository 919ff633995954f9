// Hooks over several layers at once, for the layer panel and the other workbench panels.
import { useEffect, useState } from 'react';
import type { Feature } from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import { watchLayer } from './repositories';
import { LayerFeatureList } from './layer-feature-list';

/**
 * Current features of every listed layer, keyed by layer id; undefined until each has been read.
 * Each layer is read once and then follows its change feed: an edit re-reads nothing, and only the
 * edited layer's array is new (the others keep their identity, so memos over them hold).
 */
export function useFeaturesOfLayers(database: OneMapDatabase, layerIds: readonly string[]): ReadonlyMap<string, Feature[]> | undefined {
  const key = layerIds.join('|');
  const [features, setFeatures] = useState<ReadonlyMap<string, Feature[]> | undefined>(undefined);
  useEffect(() => {
    const ids = key === '' ? [] : key.split('|');
    const lists = new Map<string, LayerFeatureList>();
    const publish = () => {
      if (lists.size === ids.length) setFeatures(new Map(ids.map((id) => [id, lists.get(id)!.features()])));
    };
    publish();
    const stops = ids.map((layerId) =>
      watchLayer(database, layerId, (changes) => {
        if (changes.kind === 'reset') lists.set(layerId, new LayerFeatureList(changes.snapshot.baseIds, changes.snapshot.features));
        else lists.get(layerId)?.apply(changes.upserted, changes.removed);
        publish();
      }),
    );
    return () => stops.forEach((stop) => stop());
    // layerIds is compared by content through `key`.
  }, [database, key]);
  return features;
}
