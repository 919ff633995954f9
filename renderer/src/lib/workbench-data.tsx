// What the workbench has loaded and derived once for every panel: the basemap, the store's layers,
// targets and features, the layer settings and drawing order over their defaults, the counties in
// the UI language, and the common actions (pick a feature, the features a layer shows). A sidebar
// tab's panel reads it with useWorkbenchData() instead of taking it through App.tsx.
import { createContext, useContext } from 'react';
import type { Feature, LayerDefinition, Target } from '../../../shared/model';
import type { TallySnapshot } from '../../../shared/analysis/layer-tally';
import type { BasemapData } from '../map/basemap-data';
import type { LayerSettings } from './layer-state';

export interface CountyOption {
  adcode: number;
  name: string;
}

export interface WorkbenchData {
  basemap: BasemapData;
  layers: readonly LayerDefinition[];
  targets: readonly Target[];
  /**
   * Each small layer's features. A layer in `largeLayers` is never held here: a panel that needs
   * its features loads them while open (`useLayerFeatures`, `loadFeatures`).
   */
  featuresByLayer: ReadonlyMap<string, Feature[]>;
  /**
   * Each layer's counts by county, status, demo flag and coded values (a count without a pass over
   * the layer); a large layer's is missing until the large-layers worker has counted it.
   */
  talliesByLayer: ReadonlyMap<string, TallySnapshot>;
  /** The layers over `tiledLayerThreshold` (shared/tiles/large-layer.ts): drawn from tiles, counted and searched in a worker. */
  largeLayers: ReadonlySet<string>;
  /** The first `limit` features of a large layer matching a search needle (shared/analysis/feature-search.ts), found in the worker. */
  searchLargeLayer(layer: LayerDefinition, needle: string, limit: number): Promise<Feature[]>;
  /** A layer's current features: a small layer's at once, a large layer's read on demand. */
  loadFeatures(layerId: string): Promise<Feature[]>;
  /** The layers in drawing order, bottom first. */
  orderedLayers: readonly LayerDefinition[];
  /** Every layer's settings: the user's choice over the defaults. */
  settings: Readonly<Record<string, LayerSettings>>;
  /** The counties by adcode, named in the UI language. */
  counties: readonly CountyOption[];
  countyName(adcode: number): string;
  /** Selects a feature from a list: shows its layer and zooms the map to it. */
  pick(feature: Feature): void;
  /** A layer's features as its filters and the focused county show them (a large layer's read on demand). */
  loadShownFeatures(layerId: string): Promise<Feature[]>;
  /** Moves a layer one step in the drawing order ("up" draws later). */
  moveLayer(layerId: string, direction: 'up' | 'down'): void;
}

const WorkbenchDataContext = createContext<WorkbenchData | null>(null);
export const WorkbenchDataProvider = WorkbenchDataContext.Provider;

export function useWorkbenchData(): WorkbenchData {
  const data = useContext(WorkbenchDataContext);
  if (!data) throw new Error('useWorkbenchData: no WorkbenchDataProvider above this component');
  return data;
}
