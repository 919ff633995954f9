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
    // The map's parks source (updated in place) gains exactly the adopted site, as a planned pocket park.
    const parksOnMap = () =>
      page.evaluate(async () => {
        const source = window.__onemap!.map.getSource('planning:pocket-parks') as unknown as { getData(): Promise<GeoJSON.FeatureCollection> };
        const data = await source.getData();
        return data.features.map((feature) => ({ id: String(feature.properties?.featureId), status: feature.properties?.status }));
      });
    const known = new Set((await parksOnMap()).map((park) => park.id));
    await coverage.adopt(1);
    await expect.poll(() => coverage.coveredPopulation()).toBe(before + gain);
    const adopted = (await parksOnMap()).filter((park) => !known.has(park.id)).map((park) => park.status);
    expect(adopted).toEqual(['planned']);

    // Undo takes the adopted park away again, and the coverage with it; redo brings both back.
    await page.getByRole('button', { name: '撤销', exact: true }).click();
    await expect.poll(() => coverage.coveredPopulation()).toBe(before);
    await page.getByRole('button', { name: '重做', exact: true }).click();
    await expect.poll(() => coverage.coveredPopulation()).toBe(before + gain);
  });

  test('a site drawn by the planner is ranked with the others', async ({ page }) => {
    const map = new MapDriver(page);
    const coverage = new CoverageDriver(page);
    await map.open();
    await coverage.open();
    // Only drawn sites: the grid is left out.
    await page.getByLabel('包含自动生成的网格候选点').uncheck();
    // Centre the map on a residential block that no park covers yet, and draw the site around it.
    await page.evaluate(async () => {
      const map = window.__onemap!.map;
      const source = map.getSource('coverage-residents') as unknown as { getData(): Promise<GeoJSON.FeatureCollection<GeoJSON.Point>> };
      const uncovered = (await source.getData()).features.find((feature) => feature.properties?.covered === false)!;
      map.jumpTo({ center: uncovered.geometry.coordinates as [number, number], zoom: 16 });
    });
    await page.getByRole('button', { name: '在地图上画候选地块' }).click();
    const box = (await page.getByTestId('map').boundingBox())!;
    for (const [fx, fy] of [[0.47, 0.47], [0.53, 0.47], [0.53, 0.53]] as const) await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
    await page.mouse.dblclick(box.x + box.width * 0.47, box.y + box.height * 0.53);
    await expect(page.getByText('手绘 1 个，导入 0 个')).toBeVisible();
    const rows = page.locator('.candidate-table tbody tr');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('手绘');
  });
});
