// The workbench's UI state in one store (Placemark's state/jotai.ts, CoMapeo's context-injected
// stores): the selection, the focused county, each layer's settings and the drawing order, the open
// sidebar tab and which dialogs are open. A zustand vanilla store made per provider, so each window
// (and each test) has its own; components read slices with useWorkbench(selector).
import { createContext, useContext, useState, type ReactNode } from 'react';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { Feature } from '../../../shared/model';
import type { FeatureReference } from '../map/MapView';
import type { CoverageOverlay } from '../map/coverage-overlay';
import { defaultLayerSettings, type LayerSettings } from './layer-state';

/** Features chosen for a bulk status change, and how they were chosen. */
export interface BulkSelection {
  layerId: string;
  features: Feature[];
  selectedBy: 'filter' | 'area';
}

export interface WorkbenchState {
  /** The open sidebar tab's id (see app/sidebar-tabs.ts). */
  tab: string;
  selected: FeatureReference | null;
  /** The focused county's adcode, or null for the whole city. */
  county: number | null;
  /** What the user set in the layer panel; layers not in it have defaultLayerSettings. */
  settingsChosen: Record<string, LayerSettings>;
  /** The drawing order the user chose (bottom first); null until they move a layer. */
  orderChosen: string[] | null;
  /** The coverage analysis the parks tab draws on the map. */
  coverage: CoverageOverlay | null;
  mapExportOpen: boolean;
  /** The layer whose export dialog is open. */
  exportLayerId: string | null;
  bulk: BulkSelection | null;

  setTab(tab: string): void;
  select(selected: FeatureReference | null): void;
  /** Selects a feature and makes its layer visible (a pick from a list or a new feature). */
  selectAndShow(selected: FeatureReference): void;
  setCounty(county: number | null): void;
  setLayerSettings(layerId: string, settings: LayerSettings): void;
  setOrder(order: string[]): void;
  setCoverage(coverage: CoverageOverlay | null): void;
  setMapExportOpen(open: boolean): void;
  setExportLayerId(layerId: string | null): void;
  setBulk(bulk: BulkSelection | null): void;
}

export type WorkbenchStore = StoreApi<WorkbenchState>;

export function createWorkbenchStore(initialTab = 'progress'): WorkbenchStore {
  return createStore<WorkbenchState>()((set) => ({
    tab: initialTab,
    selected: null,
    county: null,
    settingsChosen: {},
    orderChosen: null,
    coverage: null,
    mapExportOpen: false,
    exportLayerId: null,
    bulk: null,
    setTab: (tab) => set({ tab }),
    select: (selected) => set({ selected }),
    selectAndShow: (selected) =>
      set((state) => {
        const settings = state.settingsChosen[selected.layerId] ?? defaultLayerSettings(selected.layerId);
        return {
          selected,
          settingsChosen: settings.visible ? state.settingsChosen : { ...state.settingsChosen, [selected.layerId]: { ...settings, visible: true } },
        };
      }),
    setCounty: (county) => set({ county }),
    setLayerSettings: (layerId, settings) => set((state) => ({ settingsChosen: { ...state.settingsChosen, [layerId]: settings } })),
    setOrder: (orderChosen) => set({ orderChosen }),
    setCoverage: (coverage) => set({ coverage }),
    setMapExportOpen: (mapExportOpen) => set({ mapExportOpen }),
    setExportLayerId: (exportLayerId) => set({ exportLayerId }),
    setBulk: (bulk) => set({ bulk }),
  }));
}

const WorkbenchStoreContext = createContext<WorkbenchStore | null>(null);

/** Gives its subtree a fresh workbench store (one per window). */
export function WorkbenchStoreProvider({ children }: { children: ReactNode }) {
  const [store] = useState(() => createWorkbenchStore());
  return <WorkbenchStoreContext.Provider value={store}>{children}</WorkbenchStoreContext.Provider>;
}

/** A slice of the workbench state; the caller re-renders when that slice changes. */
export function useWorkbench<T>(selector: (state: WorkbenchState) => T): T {
  const store = useContext(WorkbenchStoreContext);
  if (!store) throw new Error('useWorkbench: no WorkbenchStoreProvider above this component');
  return useStore(store, selector);
}
