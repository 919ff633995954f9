import { test, expect } from './helpers/test';
import { MapDriver } from './drivers/map-driver';
import { CoverageDriver } from './drivers/coverage-driver';

test.describe('pocket-park coverage', () => {
  test('a wider radius covers more; adopting the top candidate adds exactly its listed gain; undo takes it back', async ({ page }) => {
    const map = new MapDriver(page);
    const coverage = new CoverageDriver(page);
    await map.open();
    await coverage.open();

    expect(await coverage.radius()).toBe(300);
    const at300 = await coverage.coveredPercent();
    await coverage.chooseRadius(/^500 米/);
    await expect.poll(() => coverage.radius()).toBe(500);
    await expect.poll(() => coverage.coveredPercent()).toBeGreaterThan(at300);

    // The candidate list follows the radius (it is recomputed after the slider rests).
    await expect(page.locator('.candidate-table tr[data-rank="1"]')).toBeVisible();
    const before = await coverage.coveredPopulation();
    const gain = await coverage.candidateGain(1);
    expect(gain).toBeGreaterThan(0);
    await coverage.adopt(1);
    await expect.poll(() => coverage.coveredPopulation()).toBe(before + gain);

    // The adopted site is a planned pocket park, and the map's parks source holds it (updated in place).
    const adopted = await page.evaluate(async () => {
      const source = window.__onemap!.map.getSource('planning:pocket-parks') as unknown as { getData(): Promise<GeoJSON.FeatureCollection> };
      const data = await source.getData();
      return data.features.filter((feature) => feature.properties?.name === '候选点1号口袋公园').map((feature) => feature.properties?.status);
    });
    expect(adopted).toEqual(['planned']);

    // Undo takes the adopted park away again, and the coverage with it; redo brings both back.
    await page.getByRole('button', { name: '撤销', exact: true }).click();
    await expect.poll(() => coverage.coveredPopulation()).toBe(before);
    await page.getByRole('button', { name: '重做', exact: true }).click();
    await expect.poll(() => coverage.coveredPopulation()).toBe(before + gain);
  });
});
