// The features of a few layers for a panel or dialog that passes over them (parks, overlays, the
// layer editor, export): a small layer's from the workbench data at once, a large layer's
// (`WorkbenchData.largeLayers`) read only while the panel that asks is open.
import { useMemo } from 'react';
import type { Feature } from '../../../shared/model';
import { useLargeLayerFeatures } from '../db/workspace-hooks';
import { useWorkbenchData } from './workbench-data';
import { useWorkspace } from './workspace';

export interface LayerFeatures {
  /** Each listed layer's features; a large layer's once read. */
  readonly features: ReadonlyMap<string, Feature[]>;
  /** Whether a listed large layer is still being read. */
  readonly loading: boolean;
}

export function useLayerFeatures(layerIds: readonly string[]): LayerFeatures {
  const { featuresByLayer, largeLayers } = useWorkbenchData();
  const { database } = useWorkspace();
  const key = layerIds.join('|');
  const largeIds = useMemo(() => (key === '' ? [] : key.split('|')).filter((id) => largeLayers.has(id)), [key, largeLayers]);
  const large = useLargeLayerFeatures(database, largeIds);
  return useMemo(() => {
    const features = new Map<string, Feature[]>();
    for (const id of key === '' ? [] : key.split('|')) {
      const list = largeLayers.has(id) ? large.get(id) : featuresByLayer.get(id);
      if (list !== undefined) features.set(id, list);
    }
    return { features, loading: largeIds.some((id) => !large.has(id)) };
  }, [key, largeLayers, large, featuresByLayer, largeIds]);
}
