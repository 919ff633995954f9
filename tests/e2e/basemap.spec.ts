import { test, expect, saveScreenshot, shareOpenedApp } from './helpers/test';
import { MapDriver } from './drivers/map-driver';

const hengshuiCounties = [
  { adcode: 131102, name: '桃城区' },
  { adcode: 131103, name: '冀州区' },
  { adcode: 131121, name: '枣强县' },
  { adcode: 131122, name: '武邑县' },
  { adcode: 131123, name: '武强县' },
  { adcode: 131124, name: '饶阳县' },
  { adcode: 131125, name: '安平县' },
  { adcode: 131126, name: '故城县' },
  { adcode: 131127, name: '景县' },
  { adcode: 131128, name: '阜城县' },
  { adcode: 131182, name: '深州市' },
];

// One opened app for these tests, in this order: each leaves the view, the panels and the language
// as it found them (the county test returns to 全市, the English test switches back).
test.describe('offline Hengshui basemap in the web shell', { tag: '@smoke' }, () => {
  shareOpenedApp();

  test('opens fitted to Hengshui with all 11 counties rendered and labelled', async ({ page }, testInfo) => {
    const map = new MapDriver(page);

    expect(await map.renderedCounties()).toEqual(hengshuiCounties);
    expect(await map.renderedLabels('county-labels')).toEqual(hengshuiCounties.map((county) => county.name).sort());
    expect(await map.renderedFeatureCount('lake-fill')).toBeGreaterThan(0);
    expect(await map.renderedFeatureCount('river-line')).toBeGreaterThan(0);
    expect(await map.renderedFeatureCount('seat-circle')).toBeGreaterThanOrEqual(12);

    // Fitted to the city: the view contains all of Hengshui (≈115.1–116.6 E, 37.1–38.4 N) and not much more.
    const [west, south, east, north] = await map.bounds();
    expect(west).toBeLessThan(115.2);
    expect(east).toBeGreaterThan(116.5);
    expect(south).toBeLessThan(37.3);
    expect(north).toBeGreaterThan(38.2);
    expect(east - west).toBeLessThan(4);

    await expect(page.getByRole('heading', { level: 1 })).toContainText('规划一张图');
    await expect(page.locator('.maplibregl-ctrl-scale')).toBeVisible();
    await expect(page.getByTestId('persistence')).toHaveText(/^本地存储：/);
    await expect(page.locator('.maplibregl-ctrl-attrib')).toContainText('OpenStreetMap');
    await saveScreenshot(page, testInfo, 'hengshui-basemap');
  });

  test('labels are drawn with the bundled CJK font, loaded from the app itself', async ({ page }) => {
    const font = await page.evaluate(async () => {
      await document.fonts.ready;
      const faces = [...document.fonts].filter((face) => face.family.replace(/"/g, '') === 'Noto Sans SC');
      return {
        faces: faces.length,
        loaded: faces.filter((face) => face.status === 'loaded').length,
        coversRareCharacters: document.fonts.check('16px "Noto Sans SC"', '滏阳河滹沱河衡水湖'),
      };
    });
    expect(font.faces).toBeGreaterThan(50);
    expect(font.loaded).toBeGreaterThan(0);
    expect(font.coversRareCharacters).toBe(true);
    const fontFiles = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((entry) => entry.name)
        .filter((name) => /noto-sans-sc.*\.woff2?$/.test(name)),
    );
    expect(fontFiles.length).toBeGreaterThan(0);
    for (const file of fontFiles) expect(new URL(file).origin).toBe(new URL(page.url()).origin);
  });

  test('shows the cursor coordinates in WGS84', async ({ page }) => {
    const map = new MapDriver(page);
    await expect(page.getByTestId('cursor-coordinates')).toHaveText('将鼠标移到地图上查看坐标');
    const readout = await map.cursorReadoutAt(0.5, 0.5);
    const expected = await map.pointUnder(0.5, 0.5);
    const match = /经度 ([\d.]+)，纬度 ([\d.]+)/.exec(readout);
    expect(match, readout).not.toBeNull();
    expect(Number(match![1])).toBeCloseTo(expected.lon, 2);
    expect(Number(match![2])).toBeCloseTo(expected.lat, 2);
    expect(Number(match![1])).toBeGreaterThan(115);
    expect(Number(match![2])).toBeGreaterThan(37);
  });

  test('zooms to a county chosen from the list', async ({ page }) => {
    const map = new MapDriver(page);
    await map.zoomToCounty('景县');
    const [west, south, east, north] = await map.bounds();
    // 景县 lies around 116.0–116.5 E, 37.5–37.9 N: the view now shows it, not the whole city.
    expect(east - west).toBeLessThan(1.2);
    expect(west).toBeGreaterThan(115.6);
    expect(east).toBeLessThan(116.9);
    expect(south).toBeGreaterThan(37.2);
    expect(north).toBeLessThan(38.2);
    await expect(page.getByRole('button', { name: '景县', exact: true })).toHaveAttribute('aria-pressed', 'true');

    await map.zoomToCounty('全市');
    const [cityWest, , cityEast] = await map.bounds();
    expect(cityEast - cityWest).toBeGreaterThan(1.3);
  });

  test('switches to English and keeps the choice after a reload', async ({ page }) => {
    const map = new MapDriver(page);
    await map.switchLanguage();
    await map.openTab('Counties');
    await expect(page.getByRole('heading', { name: 'Counties and districts' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await map.waitForIdle();
    const englishLabels = await map.renderedLabels('county-labels');
    expect(englishLabels).toContain('Taocheng District');
    expect(englishLabels.some((label) => /[\u4e00-\u9fff]/.test(label))).toBe(false);

    await page.reload();
    await map.waitForIdle();
    await map.openTab('Counties');
    await expect(page.getByRole('heading', { name: 'Counties and districts' })).toBeVisible();
    await map.switchLanguage();
    await expect(page.getByRole('heading', { name: '县（市、区）' })).toBeVisible();
  });
});

test.describe('the web shell', { tag: '@smoke' }, () => {
  test('is served with a strict Content-Security-Policy', async ({ page }) => {
    const response = await page.goto('./');
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    // JavaScript eval stays forbidden; only WebAssembly compilation is allowed (sql.js for
    // GeoPackage, wa-sqlite for MBTiles): 'wasm-unsafe-eval' is not 'unsafe-eval'.
    expect(policy).not.toContain("'unsafe-eval'");
    expect(policy).not.toContain("'unsafe-inline'");
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(policy).toMatch(/connect-src 'self'/);
  });
});
