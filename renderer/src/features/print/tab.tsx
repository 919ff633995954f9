import type { SidebarTab } from '../../lib/sidebar-tab';
import { PrintPanel } from './PrintPanel';

export const printTab: SidebarTab = { id: 'print', labelKey: 'print.tab', order: 45, Panel: PrintPanel };
