import type { SidebarTab } from '../../lib/sidebar-tab';
import { useWorkbenchData } from '../../lib/workbench-data';
import { OverlaysPanel } from './OverlaysPanel';

function OverlaysTabPanel() {
  const data = useWorkbenchData();
  return (
    <OverlaysPanel
      layers={data.layers}
      targets={data.targets}
      featuresByLayer={data.featuresByLayer}
      counties={data.counties}
      onPickFeature={(layerId, featureId) => {
        const feature = data.featuresByLayer.get(layerId)?.find((candidate) => candidate.id === featureId);
        if (feature) data.pick(feature);
      }}
    />
  );
}

export const overlaysTab: SidebarTab = { id: 'overlays', labelKey: 'tabs.overlays', order: 40, Panel: OverlaysTabPanel };
