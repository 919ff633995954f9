import { lazyPanel, type SidebarTab } from '../../lib/sidebar-tab';

export const workspacesTab: SidebarTab = { id: 'workspaces', labelKey: 'workspaces.tab', order: 70, ...lazyPanel(() => import('./WorkspacesPanel').then((module) => module.WorkspacesPanel)) };
