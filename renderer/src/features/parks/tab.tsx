import { useMemo } from 'react';
import { useMapController } from '../../map/map-controller';
import type { SidebarTab } from '../../lib/sidebar-tab';
import { useWorkbenchData } from '../../lib/workbench-data';
import { useWorkbench } from '../../lib/workbench-store';
import { CoveragePanel } from './CoveragePanel';

function CoverageTabPanel() {
  const { basemap, featuresByLayer, counties } = useWorkbenchData();
  const map = useMapController();
  const setCoverage = useWorkbench((state) => state.setCoverage);
  const water = useMemo(() => basemap.lakes.features.map((lake) => lake.geometry), [basemap]);
  return (
    <CoveragePanel
      parks={featuresByLayer.get('pocket-parks') ?? []}
      residents={featuresByLayer.get('residential-blocks') ?? []}
      water={water}
      counties={counties}
      countyOf={map.countyOf}
      onOverlay={setCoverage}
      drawArea={map.drawArea}
    />
  );
}

// The coverage view shows the parks and its own drawing of the residents, nothing else.
export const coverageTab: SidebarTab = { id: 'coverage', labelKey: 'tabs.coverage', order: 30, Panel: CoverageTabPanel, mapLayers: ['pocket-parks'], showsCoverage: true };
