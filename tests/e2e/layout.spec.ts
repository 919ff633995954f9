// Layout at 1280 × 800 (the config's viewport), measured from bounding boxes: what floats over the
// map must not hide controls, hints or what the user asked to see.
import { test, expect, shareOpenedApp, type Page } from './helpers/test';
import { MapDriver } from './drivers/map-driver';
import { LayersDriver } from './drivers/layers-driver';
import { CoverageDriver } from './drivers/coverage-driver';
import { ImportDriver } from './drivers/import';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

async function boxOf(page: Page, selector: string): Promise<Box> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} has no box`);
  return box;
}

test.describe('layout at 1280 × 800', () => {
  // One opened app for these tests, in this order: the drawer is closed again, the candidates
  // only switch the tab, and the attribution test, last, leaves a drawing started.
  test.describe('on one opened app', () => {
    shareOpenedApp();

    test('an overlay table opens in a drawer over the map, one line per row', async ({ page }) => {
      const map = new MapDriver(page);
      await map.openTab('专题分析');
      const section = page.locator('details', { hasText: '农田范围内的取水井' }).first();
      await section.getByRole('button', { name: '查看表格' }).click();
      const drawer = page.getByTestId('overlay-drawer');
      await expect(drawer).toBeVisible();
      const mapBox = await boxOf(page, '[data-testid="map"]');
      const drawerBox = await drawer.boundingBox();
      expect(drawerBox!.x).toBeGreaterThanOrEqual(mapBox.x - 1);
      expect(drawerBox!.width).toBeGreaterThan(800);
      const rows = drawer.locator('tbody tr');
      expect(await rows.count()).toBeGreaterThan(0);
      const heights = await rows.evaluateAll((elements) => elements.slice(0, 30).map((row) => row.getBoundingClientRect().height));
      const lineHeight = await drawer.locator('thead th').first().evaluate((cell) => cell.getBoundingClientRect().height);
      for (const height of heights) expect(height, 'a row wraps').toBeLessThanOrEqual(lineHeight + 2);
      await drawer.getByRole('button', { name: '关闭表格' }).click();
      await expect(drawer).toBeHidden();
    });

    test('candidate-site numbers do not overlap each other nor the county names at the city view', async ({ page }) => {
      const map = new MapDriver(page);
      const coverage = new CoverageDriver(page);
      await coverage.open();
      await expect(page.locator('.candidate-table tr[data-rank="1"]')).toBeVisible();
      await expect
        // The overlay's layers are added with the first analysis: none drawn until they exist.
        .poll(
          () =>
            page.evaluate(() => {
              const map = window.__onemap!.map;
              return map.getLayer('coverage-candidate-centers:label') ? map.queryRenderedFeatures({ layers: ['coverage-candidate-centers:label'] }).length : 0;
            }),
          { timeout: 30_000 },
        )
        .toBeGreaterThan(0);
      await map.waitForIdle();
      // Boxes of the drawn labels from their anchors and the layers' text sizes and offsets (a digit is
      // about 0.55 em wide, a Chinese character 1 em), without the halo and the collision padding.
      const boxes = await page.evaluate(() => {
        const map = window.__onemap!.map;
        const zoom = map.getZoom();
        const countySize = 13 + ((Math.min(Math.max(zoom, 7), 11) - 7) / 4) * 5;
        const labelBox = (lon: number, lat: number, text: string, size: number, perCharacter: number, offsetEm: number) => {
          const pixel = map.project([lon, lat]);
          const width = text.length * perCharacter * size;
          return { x: pixel.x - width / 2, y: pixel.y + offsetEm * size - size / 2, width, height: size, text };
        };
        const point = (feature: { geometry: unknown }) => (feature.geometry as GeoJSON.Point).coordinates as [number, number];
        return {
          candidates: map
            .queryRenderedFeatures({ layers: ['coverage-candidate-centers:label'] })
            .map((feature) => labelBox(...point(feature), String(feature.properties.rank), 12, 0.55, -1.1)),
          counties: map.queryRenderedFeatures({ layers: ['county-labels'] }).map((feature) => labelBox(...point(feature), String(feature.properties.name), countySize, 1, 0)),
        };
      });
      expect(boxes.candidates.length).toBeGreaterThan(0);
      expect(boxes.counties.length).toBe(11);
      const overlaps: string[] = [];
      boxes.candidates.forEach((a, index) => {
        for (const b of boxes.candidates.slice(index + 1)) if (intersects(a, b)) overlaps.push(`${a.text}/${b.text}`);
        for (const county of boxes.counties) if (intersects(a, county)) overlaps.push(`${a.text}/${county.text}`);
      });
      expect(overlaps).toEqual([]);
    });

    test('the attribution is compact: it covers neither the scale bar, 我的位置 nor a drawing hint', async ({ page }) => {
      const attribution = () => boxOf(page, '.maplibregl-ctrl-attrib');
      const scale = await boxOf(page, '.maplibregl-ctrl-scale');
      const gps = await boxOf(page, '[data-testid="gps-control"]');
      await expect(page.locator('.maplibregl-ctrl-attrib')).toContainText('OpenStreetMap');
      expect(intersects(await attribution(), scale), 'attribution over the scale bar').toBe(false);
      expect(intersects(await attribution(), gps), 'attribution over 我的位置').toBe(false);

      // Opened by the user, it stays in the corner; a drawing that starts closes it again.
      await page.locator('.maplibregl-ctrl-attrib-button').click();
      await expect(page.locator('.maplibregl-ctrl-attrib-inner')).toBeVisible();
      expect(intersects(await attribution(), scale)).toBe(false);
      expect(intersects(await attribution(), gps)).toBe(false);

      const layers = new LayersDriver(page);
      await layers.open();
      await layers.layer('wells').getByRole('button', { name: '按区域选择并批量更新' }).click();
      const hint = page.locator('.draw-hint');
      await expect(hint).toContainText('单击添加顶点');
      expect(intersects(await attribution(), await boxOf(page, '.draw-hint')), 'attribution over the drawing hint').toBe(false);
      await page.keyboard.press('Escape');
      await expect(hint).toBeHidden();

      // The geometry editor's hint and buttons too.
      await page.locator('.maplibregl-ctrl-attrib-button').click();
      await page.getByRole('button', { name: '新建要素', exact: true }).click();
      await page.getByRole('group', { name: '在哪个图层新建？' }).getByRole('button', { name: /^口袋公园（/ }).click();
      await expect(page.getByTestId('editing-status')).toBeVisible();
      expect(intersects(await attribution(), await boxOf(page, '[data-testid="editing-status"]')), 'attribution over the editing hint').toBe(false);
    });
  });

  test('with the restore banner shown the header stays one line; the banner goes below it', async ({ page }) => {
    await page.addInitScript(() => {
      if (sessionStorage.getItem('layout-test-restored') !== null) return;
      sessionStorage.setItem('layout-test-restored', '1');
      sessionStorage.setItem(
        'onemap.backup.restored',
        JSON.stringify({
          fileName: 'onemap-backup-before-import-20261206T171110251Z-6cf1bfae.json.gz',
          createdAt: '2026-12-06T17:11:10.251Z',
          counts: { features: 8563, journalEntries: 225, photos: 1 },
        }),
      );
    });
    const map = new MapDriver(page);
    await map.open();
    const banner = page.getByTestId('backup-restored');
    await expect(banner).toContainText('onemap-backup-before-import');
    const header = await boxOf(page, '.app-header');
    expect(header.height, 'header height').toBeLessThanOrEqual(48);
    const title = await boxOf(page, '.app-header h1');
    expect(title.height, 'title on one line').toBeLessThanOrEqual(28);
    for (const button of await page.locator('.app-header button').all()) {
      const box = await button.boundingBox();
      expect(box!.height, `${await button.textContent()} on one line`).toBeLessThanOrEqual(30);
    }
    const bannerBox = await banner.boundingBox();
    expect(bannerBox!.y).toBeGreaterThanOrEqual(header.y + header.height - 1);
  });

  test('an imported layer is drawn in a visible style, and "zoom to imported" puts it beside the wizard, zoom buttons free', async ({ page }) => {
    test.setTimeout(300_000);
    const map = new MapDriver(page);
    const wizard = new ImportDriver(page);
    await wizard.openApp();
    // 12 points in a small cluster in the east of the city.
    const features = Array.from({ length: 12 }, (_, index) => ({
      type: 'Feature',
      properties: { name: `测点${index + 1}` },
      geometry: { type: 'Point', coordinates: [116.05 + (index % 4) * 0.01, 37.75 + Math.floor(index / 4) * 0.01] },
    }));
    await wizard.open();
    await wizard.chooseFile({ name: '测点.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })) });
    await wizard.detected();
    await wizard.chooseNewLayer();
    await wizard.commit();
    expect(await wizard.waitForReport()).toContain('添加 12 个要素');

    const panel = await boxOf(page, '[data-testid="import-wizard"]');
    for (const button of ['.maplibregl-ctrl-zoom-in', '.maplibregl-ctrl-zoom-out']) {
      expect(intersects(await boxOf(page, button), panel), `${button} under the wizard`).toBe(false);
    }

    await wizard.wizard.getByRole('button', { name: '缩放到导入的要素' }).click();
    await page.waitForFunction(() => window.__onemap?.map.isMoving() === false);
    await map.waitForIdle();
    const mapBox = await boxOf(page, '[data-testid="map"]');
    const drawn = await page.evaluate(() => {
      const map = window.__onemap!.map;
      return map.queryRenderedFeatures({ layers: ['planning:import-1:circle'] }).map((feature) => {
        const [lon, lat] = (feature.geometry as GeoJSON.Point).coordinates as [number, number];
        const pixel = map.project([lon, lat]);
        const paint = feature.layer.paint as Record<string, unknown>;
        return { x: pixel.x, y: pixel.y, radius: Number(paint['circle-radius']), color: paint['circle-color'] as { r: number; g: number; b: number } };
      });
    });
    expect(drawn).toHaveLength(12);
    for (const point of drawn) {
      const x = mapBox.x + point.x;
      const y = mapBox.y + point.y;
      expect(x + point.radius, 'a zoomed-to feature under the wizard').toBeLessThan(panel.x);
      expect(x - point.radius).toBeGreaterThan(mapBox.x);
      expect(y).toBeGreaterThan(mapBox.y);
      expect(y).toBeLessThan(mapBox.y + mapBox.height);
      // Visible: not a ~5 px grey dot.
      expect(point.radius).toBeGreaterThanOrEqual(4);
      const { r, g, b } = point.color;
      expect(Math.max(r, g, b) - Math.min(r, g, b), 'a saturated colour, not grey').toBeGreaterThan(0.3);
    }
  });
});
