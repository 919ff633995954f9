// A sidebar tab whose panel's code loads later (renderer/src/lib/sidebar-tab.ts `lazyPanel`): it
// suspends until the code is in, renders at once after a preload, and a failed load is an error.
import { describe, expect, it } from 'vitest';
import type { ComponentType, ReactElement } from 'react';
import { lazyPanel } from '../../../renderer/src/lib/sidebar-tab';

const Loaded: ComponentType = () => null;

/** Renders a function component as React would, once: its element, or what it throws. */
function renderOnce(Panel: ComponentType): { element?: ReactElement; thrown?: unknown } {
  try {
    return { element: (Panel as () => ReactElement)() };
  } catch (thrown) {
    return { thrown };
  }
}

describe('lazyPanel', () => {
  it('suspends on a promise until the code is in, then renders the loaded panel', async () => {
    let loads = 0;
    const tab = lazyPanel(async () => {
      loads += 1;
      return Loaded;
    });
    const first = renderOnce(tab.Panel);
    expect(first.thrown).toBeInstanceOf(Promise);
    await first.thrown;
    expect(renderOnce(tab.Panel).element?.type).toBe(Loaded);
    expect(loads).toBe(1);
  });

  it('renders at once after a preload, loading the code once', async () => {
    let loads = 0;
    const tab = lazyPanel(async () => {
      loads += 1;
      return Loaded;
    });
    await Promise.all([tab.preload!(), tab.preload!()]);
    expect(renderOnce(tab.Panel).element?.type).toBe(Loaded);
    expect(loads).toBe(1);
  });

  it('throws a failed load as an error, not another promise', async () => {
    const tab = lazyPanel(() => Promise.reject(new Error('chunk missing')));
    await renderOnce(tab.Panel).thrown;
    expect(renderOnce(tab.Panel).thrown).toEqual(new Error('chunk missing'));
  });
});
