// The one way a spec opens OneMap and waits for it: every other driver's open/waitForIdle calls
// this. "Idle" is the app's own signal (data-map-state on the map, set on MapLibre's first idle)
// and then MapLibre's: style loaded, no camera move, every tile in view loaded.
import { expect, type Page } from '../helpers/test';

/** Long enough for a first start on a loaded 2-core machine (a fresh profile seeds the demo store). */
export const APP_OPEN_TIMEOUT = 240_000;

export class AppDriver {
  constructor(readonly page: Page) {}

  /** Loads the app (or reloads it: the same page) and waits until the map is idle. */
  async open(): Promise<void> {
    await this.page.goto('./');
    await this.waitForIdle();
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitForIdle();
  }

  /** The app says the map is idle (once per load). */
  async waitForMapState(): Promise<void> {
    await expect(this.page.getByTestId('map')).toHaveAttribute('data-map-state', 'idle', { timeout: APP_OPEN_TIMEOUT });
  }

  /** After the app's idle, and after any camera move: nothing loading or moving. */
  async waitForIdle(): Promise<void> {
    await this.waitForMapState();
    await this.waitForSettled();
  }

  async waitForSettled(): Promise<void> {
    await this.page.waitForFunction(
      () => {
        const map = window.__onemap?.map;
        return Boolean(map && map.loaded() && !map.isMoving() && map.areTilesLoaded());
      },
      null,
      { timeout: APP_OPEN_TIMEOUT },
    );
  }
}

/** Opens a sidebar tab by its label and waits for its panel (a tab's code may still be loading). */
export async function openSidebarTab(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('tab', { name, exact: true }).click();
  await page.getByRole('tabpanel', { name, exact: true }).waitFor();
}
