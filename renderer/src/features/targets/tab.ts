import { lazyPanel, type SidebarTab } from '../../lib/sidebar-tab';

export const targetsTab: SidebarTab = { id: 'targets', labelKey: 'tabs.targets', order: 15, ...lazyPanel(() => import('./TargetsPanel').then((module) => module.TargetsPanel)) };
