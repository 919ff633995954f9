import { lazyPanel, type SidebarTab } from '../../lib/sidebar-tab';

export const overlaysTab: SidebarTab = { id: 'overlays', labelKey: 'tabs.overlays', order: 40, ...lazyPanel(() => import('./OverlaysTabPanel').then((module) => module.OverlaysTabPanel)) };
