// Hooks over several layers at once, for the layer panel and the other workbench panels.
import { useEffect, useState } from 'react';
import type { Feature } from '../../../shared/model';
import type { TallySnapshot } from '../../../shared/analysis/layer-tally';
import type { OneMapDatabase } from './schema';
import { watchLayer } from './repositories';
import { LayerFeatureList } from './layer-feature-list';

export interface LayersContent {
  /** Each layer's current features. */
  readonly features: ReadonlyMap<string, Feature[]>;
  /** Each layer's counts by county, status, demo flag and the values of its coded (enum) fields. */
  readonly tallies: ReadonlyMap<string, TallySnapshot>;
}

/** A layer to follow, and the coded (enum) fields whose values its tally tells apart. */
export interface FollowedLayer {
  readonly id: string;
  readonly codedKeys: readonly string[];
}

/**
 * Current features and counts of every listed layer, keyed by layer id; undefined until each has
 * been read. Each layer is read once and then follows its change feed: an edit re-reads nothing,
 * its counts change by the edited features only, and only the edited layer's array and tally are
 * new (the others keep their identity, so memos over them hold).
 */
export function useLayersContent(database: OneMapDatabase, layers: readonly FollowedLayer[]): LayersContent | undefined {
  // A layer whose coded fields change is followed afresh (its tally tells other values apart).
  const key = layers.map((layer) => [layer.id, ...layer.codedKeys].join(',')).join('|');
  const [content, setContent] = useState<LayersContent | undefined>(undefined);
  useEffect(() => {
    const specs = key === '' ? [] : key.split('|').map((entry) => entry.split(','));
    const lists = new Map<string, LayerFeatureList>();
    const publish = () => {
      if (lists.size !== specs.length) return;
      const ids = specs.map(([id]) => id!);
      setContent({ features: new Map(ids.map((id) => [id, lists.get(id)!.features()])), tallies: new Map(ids.map((id) => [id, lists.get(id)!.tally()])) });
    };
    publish();
    const stops = specs.map(([layerId, ...codedKeys]) =>
      watchLayer(database, layerId!, (changes) => {
        if (changes.kind === 'reset') lists.set(layerId!, new LayerFeatureList(changes.snapshot.baseIds, changes.snapshot.features, codedKeys));
        else lists.get(layerId!)?.apply(changes.upserted, changes.removed);
        publish();
      }),
    );
    return () => stops.forEach((stop) => stop());
    // layers are compared by id and coded fields through `key`.
  }, [database, key]);
  return content;
}
