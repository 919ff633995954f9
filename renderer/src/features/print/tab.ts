import { lazyPanel, type SidebarTab } from '../../lib/sidebar-tab';

export const printTab: SidebarTab = { id: 'print', labelKey: 'print.tab', order: 45, ...lazyPanel(() => import('./PrintPanel').then((module) => module.PrintPanel)) };
