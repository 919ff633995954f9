// A sidebar tab as its feature registers it (exported from the feature's index.ts); the app lists
// the registered tabs in app/sidebar-tabs.ts and renders them in `order`.
import { createElement, type ComponentType } from 'react';

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
  /** Loads a lazy panel's code ahead of the first opening (`lazyPanel`); absent: the panel is in the start-up bundle. */
  preload?: () => Promise<unknown>;
}

/**
 * A tab's panel whose code is not in the start-up bundle: `lazyPanel(() => import('./X').then((m) => m.X))`
 * spread into the tab. Its code loads at `preload()` (the workbench preloads every tab after the
 * map's first draw) or at the first opening, when the panel suspends (the workbench shows a
 * loading line); once loaded it renders at once, with no loading line.
 */
export function lazyPanel(load: () => Promise<ComponentType>): Pick<SidebarTab, 'Panel' | 'preload'> {
  let loaded: ComponentType | null = null;
  let failed: { error: unknown } | null = null;
  let loading: Promise<unknown> | null = null;
  const preload = () =>
    (loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => (failed = { error }),
    ));
  function LazyPanel() {
    if (loaded !== null) return createElement(loaded);
    // A chunk that failed to load is an error for the nearest error boundary, not a retry loop.
    if (failed !== null) throw failed.error;
    // Suspense: the workbench's boundary shows its fallback until the code is in.
    throw preload();
  }
  return { Panel: LazyPanel, preload };
}
