// The sidebar's tabs: each feature registers its own (exported from its index.ts); the app adds the
// county list. The workbench renders them in `order` — a new tab is one line here, not App.tsx.
import { progressTab } from '../features/dashboard';
import { layersTab } from '../features/layers';
import { layerEditorTab } from '../features/layer-editor';
import { coverageTab } from '../features/parks';
import { overlaysTab } from '../features/overlays';
import { printTab } from '../features/print';
import { hubTab } from '../features/hub';
import { targetsTab } from '../features/targets';
import { workspacesTab } from '../features/workspaces';
import { useMapController } from '../map/map-controller';
import type { SidebarTab } from '../lib/sidebar-tab';
import { useWorkbenchData } from '../lib/workbench-data';
import { useWorkbench } from '../lib/workbench-store';
import { CountyList } from './CountyList';
import { Legend } from './Legend';

function CountiesPanel() {
  const { basemap } = useWorkbenchData();
  const map = useMapController();
  const county = useWorkbench((state) => state.county);
  const setCounty = useWorkbench((state) => state.setCounty);
  return (
    <>
      <CountyList
        counties={basemap.counties}
        focused={county}
        onFocus={(adcode) => {
          setCounty(adcode);
          map.zoomTo(adcode);
        }}
      />
      <Legend />
    </>
  );
}

const countiesTab: SidebarTab = { id: 'counties', labelKey: 'tabs.counties', order: 50, Panel: CountiesPanel };

export const sidebarTabs: readonly SidebarTab[] = [progressTab, targetsTab, layersTab, layerEditorTab, coverageTab, overlaysTab, printTab, countiesTab, hubTab, workspacesTab].sort((a, b) => a.order - b.order);

/** Loads every lazy tab's code (lib/sidebar-tab.ts `lazyPanel`). */
export function preloadSidebarTabs(): Promise<unknown> {
  return Promise.all(sidebarTabs.map((tab) => tab.preload?.()));
}
