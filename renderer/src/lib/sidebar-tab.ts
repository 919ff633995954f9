// A sidebar tab as its feature registers it (exported from the feature's index.ts); the app lists
// the registered tabs in app/sidebar-tabs.ts and renders them in `order`.
import type { ComponentType } from 'react';

export interface SidebarTab {
  /** The tab's id in the workbench store. */
  id: string;
  /** The locale key of the tab's label. */
  labelKey: string;
  /** Position in the tab bar, ascending. */
  order: number;
  /** The panel shown while the tab is open; it reads what it needs from the workbench hooks. */
  Panel: ComponentType;
  /** While the tab is open the map draws only these planning layers (by id); absent: all that are visible. */
  mapLayers?: readonly string[];
  /** While the tab is open the map draws the store's coverage overlay (which the tab's panel sets). */
  showsCoverage?: boolean;
}
