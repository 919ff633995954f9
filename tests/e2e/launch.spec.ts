// What a start does: the map parses each tile once.
import { test, expect } from './helpers/test';
import { MapDriver } from './drivers/map-driver';

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

});
