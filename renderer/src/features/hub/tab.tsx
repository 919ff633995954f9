import type { SidebarTab } from '../../lib/sidebar-tab';
import { HubPanel } from './HubPanel';

export const hubTabId = 'hub';

export const hubTab: SidebarTab = { id: hubTabId, labelKey: 'hub.tab', order: 60, Panel: HubPanel };
