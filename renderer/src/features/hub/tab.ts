import { lazyPanel, type SidebarTab } from '../../lib/sidebar-tab';

export const hubTabId = 'hub';

export const hubTab: SidebarTab = { id: hubTabId, labelKey: 'hub.tab', order: 60, ...lazyPanel(() => import('./HubPanel').then((module) => module.HubPanel)) };
