// What a start does, in what order: the map first (each tile parsed once), the progress cards after
// its first draw.
import { test, expect } from './helpers/test';
import { MapDriver } from './drivers/map-driver';
import { ProgressDriver } from './drivers/progress-driver';

test.describe('launch', () => {
  test('each tile of the basemap and of the planning layers is loaded once', async ({ page }) => {
    // Counts every tile a source reports loaded, from the map's creation on.
    await page.addInitScript(() => {
      const loads: Record<string, number> = {};
      let handle: unknown;
      Object.defineProperty(window, '__tileLoads', { value: loads });
      Object.defineProperty(window, '__onemap', {
        configurable: true,
        get: () => handle,
        set(value: { map: { on(type: string, listener: (event: { dataType?: string; sourceId?: string; tile?: { tileID: { key: string } } }) => void): void } }) {
          if (value?.map && handle === undefined)
            value.map.on('data', (event) => {
              if (event.dataType !== 'source' || !event.tile || !event.sourceId) return;
              const key = `${event.sourceId} ${event.tile.tileID.key}`;
              loads[key] = (loads[key] ?? 0) + 1;
            });
          handle = value;
        },
      });
    });
    await new MapDriver(page).open();
    const loads = await page.evaluate(() => (window as unknown as { __tileLoads: Record<string, number> }).__tileLoads);
    const sources = new Set(Object.keys(loads).map((key) => key.split(' ')[0]));
    expect([...sources]).toEqual(expect.arrayContaining(['counties', 'rivers', 'lakes', 'planning:wells', 'planning:villages', 'planning:pocket-parks']));
    expect(Object.entries(loads).filter(([, count]) => count !== 1)).toEqual([]);
  });

  test('the progress worker starts only once the map has drawn, then the cards show their numbers', async ({ page }) => {
    const progress = new ProgressDriver(page);
    await new MapDriver(page).open();
    expect((await progress.reading('wells-non-agricultural-2021')).done).toBeGreaterThan(0);
    const timing = await page.evaluate(() => ({
      drawn: performance.getEntriesByName('onemap:map-idle')[0]?.startTime ?? null,
      worker: performance.getEntriesByType('resource').find((entry) => /progress\.worker/.test(entry.name))?.startTime ?? null,
    }));
    expect(timing.drawn).not.toBeNull();
    expect(timing.worker).not.toBeNull();
    expect(timing.worker!).toBeGreaterThanOrEqual(timing.drawn!);
  });
});
