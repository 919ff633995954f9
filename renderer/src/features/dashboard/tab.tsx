import type { SidebarTab } from '../../lib/sidebar-tab';
import { useWorkbenchData } from '../../lib/workbench-data';
import { useWorkspace } from '../../lib/workspace';
import { Dashboard } from './Dashboard';

function ProgressPanel() {
  const data = useWorkbenchData();
  const { asOf } = useWorkspace();
  return <Dashboard targets={data.targets} layers={data.layers} featuresByLayer={data.featuresByLayer} counties={data.counties} asOf={asOf} onPick={data.pick} />;
}

export const progressTab: SidebarTab = { id: 'progress', labelKey: 'tabs.progress', order: 10, Panel: ProgressPanel };
