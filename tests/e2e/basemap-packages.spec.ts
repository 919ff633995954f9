import path from 'node:path';
import { test, expect, saveScreenshot, type Page } from './helpers/test';
import { MapDriver } from './drivers/map-driver';
import { BasemapPackagesDriver } from './drivers/basemap-packages-driver';

const fixtures = path.resolve('tests/fixtures/basemaps');
const fixture = (name: string) => path.join(fixtures, name);

// What the fixtures hold (tests/fixtures/basemaps/README.md): the part of Hengshui inside
// 115.45–115.95 E, 37.55–37.95 N, from geodata/ — 7 counties, the Fuyang River, 4 seats.
const counties = ['冀州区', '景县', '枣强县', '桃城区', '武强县', '武邑县', '深州市'];
const box = { west: 115.45, south: 37.55, east: 115.95, north: 37.95 };
/** The county fill colours the raster fixture was drawn with (make-fixtures.mjs). */
const rasterPalette = [
  [228, 214, 178],
  [200, 224, 190],
  [214, 200, 230],
  [236, 206, 206],
  [190, 214, 232],
] as const;

async function expectFittedToBox(map: MapDriver) {
  const [west, south, east, north] = await map.bounds();
  // The view shows the whole package box, and not much more (fitted with padding).
  expect(west).toBeLessThanOrEqual(box.west + 0.01);
  expect(east).toBeGreaterThanOrEqual(box.east - 0.01);
  expect(south).toBeLessThanOrEqual(box.south + 0.01);
  expect(north).toBeGreaterThanOrEqual(box.north - 0.01);
  expect(east - west).toBeLessThan(2);
}

async function expectBuiltInBasemap(page: Page, visible: boolean) {
  const visibility = await page.evaluate(() => window.__onemap!.map.getLayoutProperty('county-fill', 'visibility') ?? 'visible');
  expect(visibility).toBe(visible ? 'visible' : 'none');
}

test.describe('offline basemap packages in the web shell', () => {
  // Each test starts the app and draws extra tile sources in software WebGL: on a loaded shared
  // machine that alone took over two minutes (measured), so the budget is generous; it only matters on failure.
  test.describe.configure({ timeout: 420_000 });

  test('a vector PMTiles package: listed, drawn from the file, outlined, under the planning layers, and back to the default', async ({ page }, testInfo) => {
    const map = new MapDriver(page);
    const basemaps = new BasemapPackagesDriver(page);
    await basemaps.openApp();

    await basemaps.add(fixture('hengshui-part-vector.pmtiles'));
    const row = basemaps.packageRow('hengshui-part-vector.pmtiles');
    await expect(row).toContainText('Hengshui part (vector)');
    await expect(row).toContainText('PMTiles · 矢量 · 级别 7–11');
    await expect(row.getByRole('radio')).toBeChecked();
    await basemaps.waitForIdle();

    await expectFittedToBox(map);
    await expectBuiltInBasemap(page, false);
    // queryRenderedFeatures on the package's own layers: every vector layer of the file is drawn.
    const drawn = await basemaps.renderedPackageFeatures();
    expect(drawn.counties).toEqual(counties);
    expect(drawn.rivers).toEqual(['滏阳河']);
    expect(drawn.seats).toEqual(expect.arrayContaining(['桃城区', '衡水市']));

    const outlines = await basemaps.renderedOutlines();
    expect(outlines).toHaveLength(1);
    expect(outlines[0]?.active).toBe(true);

    // The planning layers stay on top of the package.
    const order = await basemaps.layerOrder();
    const lastPackageLayer = Math.max(...order.map((id, index) => (id.startsWith('basemap-package-') ? index : -1)));
    const firstPlanningLayer = order.findIndex((id) => id.startsWith('planning:'));
    expect(firstPlanningLayer).toBeGreaterThan(-1);
    expect(lastPackageLayer).toBeLessThan(firstPlanningLayer);
    await saveScreenshot(page, testInfo, 'basemap-package-vector-pmtiles');

    await basemaps.select(/默认底图/);
    await basemaps.waitForIdle();
    await expectBuiltInBasemap(page, true);
    expect(await basemaps.renderedPackageFeatures()).toEqual({});
    expect((await map.renderedCounties()).length).toBeGreaterThan(0);
    // The outline of the (now inactive) package is still drawn.
    expect(await basemaps.renderedOutlines()).toEqual([{ packageId: outlines[0]!.packageId, active: false }]);
  });

  test('a raster PMTiles package draws its image tiles; switching back shows none of them', async ({ page }, testInfo) => {
    const map = new MapDriver(page);
    const basemaps = new BasemapPackagesDriver(page);
    await basemaps.openApp();
    // The built-in basemap's blended fills hit these colours at a few anti-aliased pixels only.
    const before = await basemaps.countPixels(rasterPalette);
    expect(before).toBeLessThan(2_000);

    await basemaps.add(fixture('hengshui-part-raster.pmtiles'));
    await expect(basemaps.packageRow('hengshui-part-raster.pmtiles')).toContainText('PMTiles · 栅格 · 级别 9–11');
    await basemaps.waitForIdle();
    await expectFittedToBox(map);
    const pixels = await basemaps.countPixels(rasterPalette);
    // The county colours of the rendered tiles cover a large part of the 1280 × ~700 map.
    expect(pixels).toBeGreaterThan(100_000);
    await saveScreenshot(page, testInfo, 'basemap-package-raster-pmtiles');

    await basemaps.select(/默认底图/);
    await basemaps.waitForIdle();
    expect(await basemaps.countPixels(rasterPalette)).toBeLessThan(2_000);
  });

  test('MBTiles packages (vector and raster) are read in place by SQLite in a worker', async ({ page }) => {
    const map = new MapDriver(page);
    const basemaps = new BasemapPackagesDriver(page);
    await basemaps.openApp();

    await basemaps.add(fixture('hengshui-part-vector.mbtiles'));
    await expect(basemaps.packageRow('hengshui-part-vector.mbtiles')).toContainText('MBTiles · 矢量 · 级别 7–11');
    await basemaps.waitForIdle();
    await expectFittedToBox(map);
    const drawn = await basemaps.renderedPackageFeatures();
    expect(drawn.counties).toEqual(counties);
    expect(drawn.rivers).toEqual(['滏阳河']);

    await basemaps.add(fixture('hengshui-part-raster.mbtiles'));
    await expect(basemaps.packageRow('hengshui-part-raster.mbtiles')).toContainText('MBTiles · 栅格 · 级别 9–11');
    await expect(basemaps.packageRow('hengshui-part-raster.mbtiles').getByRole('radio')).toBeChecked();
    await basemaps.waitForIdle();
    expect(await basemaps.countPixels(rasterPalette)).toBeGreaterThan(100_000);
    expect(await basemaps.renderedPackageFeatures()).toEqual({});

    // Both outlines are drawn, the raster one active.
    const outlines = await basemaps.renderedOutlines();
    expect(outlines.map((outline) => outline.active).sort()).toEqual([false, true]);

    // Remove the active package: back to the default basemap, one outline left.
    await basemaps.packageRow('hengshui-part-raster.mbtiles').getByRole('button', { name: /移除/ }).click();
    await expect(basemaps.packageRow('hengshui-part-raster.mbtiles')).toHaveCount(0);
    await basemaps.waitForIdle();
    await expectBuiltInBasemap(page, true);
    expect(await basemaps.renderedOutlines()).toHaveLength(1);
  });

  test('a corrupt or foreign file is refused with a message naming it, and nothing is added', async ({ page }) => {
    const basemaps = new BasemapPackagesDriver(page);
    await basemaps.openApp();

    const junk = Buffer.from('this is not a tile archive\n'.repeat(40));
    // Said in the UI's language; the reader's English only behind 详情.
    const alert = basemaps.switcher.getByRole('alert');
    const expectSaid = async (sentence: string, technical: string) => {
      await expect(alert.locator('.error-sentence')).toContainText(sentence);
      await expect(alert.getByText(technical)).toBeHidden();
      await alert.getByText('详情', { exact: true }).click();
      await expect(alert.getByText(technical)).toBeVisible();
    };
    await basemaps.add({ name: 'broken.pmtiles', mimeType: 'application/octet-stream', buffer: junk });
    await basemaps.expectAlertNaming('broken.pmtiles');
    await expectSaid('不是可读取的 PMTiles 底图包。', 'not a readable PMTiles archive');

    await basemaps.add({ name: 'broken.mbtiles', mimeType: 'application/octet-stream', buffer: junk });
    await basemaps.expectAlertNaming('broken.mbtiles');
    await expectSaid('不是 SQLite 数据库', 'not an SQLite database');

    // A real SQLite file that is not an MBTiles package (no metadata table).
    const { readFileSync } = await import('node:fs');
    const geopackage = readFileSync(path.resolve('tests/fixtures/io/schools-zone39.gpkg'));
    await basemaps.add({ name: 'schools.mbtiles', mimeType: 'application/octet-stream', buffer: geopackage });
    await basemaps.expectAlertNaming('schools.mbtiles');
    await expectSaid('不是 MBTiles 文件：缺少可读取的元数据表或瓦片表。', 'no readable metadata table');

    await expect(basemaps.switcher.getByTestId('basemap-package')).toHaveCount(0);
    await expectBuiltInBasemap(page, true);
    expect(await basemaps.renderedOutlines()).toEqual([]);
  });

  test('after a reload the package is remembered and asks for its file again; the same file brings it back', async ({ page }) => {
    // Two cold starts of the app (the first open and the reload).
    test.setTimeout(600_000);
    const basemaps = new BasemapPackagesDriver(page);
    await basemaps.openApp();
    await basemaps.add(fixture('hengshui-part-vector.pmtiles'));
    const row = basemaps.packageRow('hengshui-part-vector.pmtiles');
    const id = await row.getAttribute('data-package-id');
    await basemaps.waitForIdle();

    await page.reload();
    await basemaps.waitForIdle();
    await basemaps.openSwitcher();
    const reloaded = basemaps.packageRow('hengshui-part-vector.pmtiles');
    await expect(reloaded.getByRole('radio')).toBeDisabled();
    await expect(reloaded.getByRole('button', { name: '重新选择文件' })).toBeVisible();
    await expectBuiltInBasemap(page, true);
    // The outline is remembered with the package.
    expect((await basemaps.renderedOutlines()).map((outline) => outline.packageId)).toEqual([id]);

    const chooser = page.waitForEvent('filechooser');
    await reloaded.getByRole('button', { name: '重新选择文件' }).click();
    await (await chooser).setFiles(fixture('hengshui-part-vector.pmtiles'));
    await expect(reloaded.getByRole('radio')).toBeChecked();
    await expect(basemaps.switcher.getByTestId('basemap-package')).toHaveCount(1);
    expect(await reloaded.getAttribute('data-package-id')).toBe(id);
    await basemaps.waitForIdle();
    expect((await basemaps.renderedPackageFeatures()).counties).toEqual(counties);
  });
});
