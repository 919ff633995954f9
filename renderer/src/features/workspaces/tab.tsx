import type { SidebarTab } from '../../lib/sidebar-tab';
import { WorkspacesPanel } from './WorkspacesPanel';

export const workspacesTab: SidebarTab = { id: 'workspaces', labelKey: 'workspaces.tab', order: 70, Panel: WorkspacesPanel };
