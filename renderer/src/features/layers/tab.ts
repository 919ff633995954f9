import { lazyPanel, type SidebarTab } from '../../lib/sidebar-tab';

export const layersTab: SidebarTab = { id: 'layers', labelKey: 'tabs.layers', order: 20, ...lazyPanel(() => import('./LayersTabPanel').then((module) => module.LayersPanel)) };
