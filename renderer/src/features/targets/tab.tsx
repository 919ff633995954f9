import type { SidebarTab } from '../../lib/sidebar-tab';
import { TargetsPanel } from './TargetsPanel';

export const targetsTab: SidebarTab = { id: 'targets', labelKey: 'tabs.targets', order: 15, Panel: TargetsPanel };
