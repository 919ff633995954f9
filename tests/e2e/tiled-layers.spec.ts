// Issue 19: a big planning layer is drawn from vector tiles cut from the store. An edit re-cuts
// only the tiles it touched: a status edit and a moved point are drawn in their new state, and the
// features around them are still drawn (no tile lost), after a pan and a zoom too.
import { writeFileSync } from 'node:fs';
import { test, expect, type Page } from './helpers/test';
import { ImportDriver } from './drivers/import';
import { EditingDriver, type LonLat } from './drivers/editing';
import { StoreProbe } from './drivers/store-probe';

const count = 100_000;
const columns = 400;

/** Point `index` of the generated grid: 400 columns 0.002° apart, rows 0.0016° apart, in Hengshui. */
function gridPoint(index: number): LonLat {
  return [Number((115.3 + (index % columns) * 0.002).toFixed(6)), Number((37.2 + Math.floor(index / columns) * 0.0016).toFixed(6))];
}

function writeGrid(file: string): void {
  const parts = ['{"type":"FeatureCollection","name":"tiled-points","features":[\n'];
  for (let index = 0; index < count; index += 1) {
    const [lon, lat] = gridPoint(index);
    parts.push(`${index ? ',\n' : ''}{"type":"Feature","properties":{"name":"格点 ${index + 1}"},"geometry":{"type":"Point","coordinates":[${lon},${lat}]}}`);
  }
  parts.push('\n]}\n');
  writeFileSync(file, parts.join(''));
}

interface Drawn {
  featureId: string;
  status: string;
  lon: number;
  lat: number;
}

/** The layer's features the map draws (properties from the tiles, positions as drawn). */
function drawn(page: Page, layerId: string): Promise<Drawn[]> {
  return page.evaluate((layer) => {
    const map = window.__onemap!.map;
    return map.queryRenderedFeatures({ layers: [`planning:${layer}:circle`] }).map((feature) => {
      const [lon, lat] = (feature.geometry as GeoJSON.Point).coordinates as [number, number];
      return { featureId: String(feature.properties.featureId), status: String(feature.properties.status), lon, lat };
    });
  }, layerId);
}

const near = (feature: Drawn, [lon, lat]: LonLat) => Math.hypot(feature.lon - lon, feature.lat - lat) < 2e-5;

test.describe('a planning layer drawn from tiles', () => {
  test('100,000 points: a status edit and a moved point are drawn, their neighbours stay drawn, after pan and zoom too', { tag: '@heavy' }, async ({ page }, testInfo) => {
    test.setTimeout(900_000);
    const wizard = new ImportDriver(page);
    const editing = new EditingDriver(page);
    await wizard.openApp();
    const file = testInfo.outputPath('tiled-points.geojson');
    writeGrid(file);
    await wizard.open();
    await wizard.chooseFile(file);
    expect((await wizard.detected()).count).toBe('100,000');
    await wizard.chooseNewLayer();
    await wizard.commit();
    expect(await wizard.waitForReport()).toContain('100000');
    await wizard.close();
    const layers = await new StoreProbe(page).records<{ id: string; name: { zh: string } }>('layers');
    const layerId = layers.find((layer) => layer.name.zh === 'tiled-points')!.id;
    await expect.poll(() => page.evaluate((id) => window.__onemap!.map.getSource(`planning:${id}`)?.type ?? null, layerId), { timeout: 120_000 }).toBe('vector');

    // A (status edit), B (moved 0.0008° south, between its row and the one below), C (untouched).
    const a = 50_200;
    const [pointA, pointB, pointC] = [gridPoint(a), gridPoint(a + 1), gridPoint(a + 2)];
    // Tiles carry ids, not names: the ids of the grid points this test follows, from the store.
    const followed = [a, a + 1, a + 2, a - columns];
    const { found } = await new StoreProbe(page).baseSummary(layerId, 'name', followed.map((index) => `格点 ${index + 1}`));
    expect(found).toHaveLength(followed.length);
    const idOf = new Map(found.map((feature) => [Number(String(feature.properties.name).slice(3)) - 1, feature.id]));
    const byName = (features: readonly Drawn[], index: number) => features.filter((feature) => feature.featureId === idOf.get(index));
    // Tiles of zoom 13 drawn (and then cached) before the edits: they must not come back stale.
    await editing.view(pointB, 13);
    await expect.poll(async () => byName(await drawn(page, layerId), a).length, { timeout: 60_000 }).toBeGreaterThan(0);
    await editing.view(pointB, 16);
    await expect.poll(async () => byName(await drawn(page, layerId), a).length, { timeout: 60_000 }).toBeGreaterThan(0);

    // Status: click A, 已登记 → 进行中 in its panel.
    await editing.clickAt(await editing.pixelOf(pointA));
    const idA = await editing.panel.getAttribute('data-feature-id');
    expect(idA).toBeTruthy();
    await editing.panel.getByLabel('新状态').selectOption({ label: '进行中' });
    await editing.panel.getByRole('button', { name: '保存', exact: true }).click();
    await expect(editing.panel.getByTestId('save-state')).toHaveText('已保存');

    // Geometry: click B, drag it south, Enter.
    const movedB: LonLat = [pointB[0], Number((pointB[1] - 0.0008).toFixed(6))];
    await editing.clickAt(await editing.pixelOf(pointB));
    await expect(editing.panel).not.toHaveAttribute('data-feature-id', idA!);
    await editing.startEditingGeometry();
    await editing.drag(await editing.pixelOf(pointB), await editing.pixelOf(movedB));
    await page.keyboard.press('Enter');
    await expect(editing.panel.getByTestId('geometry-state')).toHaveText('图形已保存');
    await editing.clickAt(await editing.pixelOf(gridPoint(a - 3 * columns)));

    const check = async (where: string) => {
      await editing.waitForIdle();
      await expect
        .poll(async () => {
          const features = await drawn(page, layerId);
          const [drawnA] = byName(features, a);
          const drawnB = byName(features, a + 1);
          return {
            a: drawnA ? drawnA.status : null,
            bMoved: drawnB.length > 0 && drawnB.every((feature) => near(feature, movedB)),
            c: byName(features, a + 2).some((feature) => near(feature, pointC)),
            belowA: byName(features, a - columns).length > 0,
          };
        }, { message: where, timeout: 60_000 })
        .toEqual({ a: 'in-progress', bMoved: true, c: true, belowA: true });
    };
    await check('after the edits');

    // Every grid point inside the view (away from its edges) is drawn: no tile is missing.
    const complete = async (where: string) => {
      const bounds = await page.evaluate(() => window.__onemap!.map.getBounds().toArray().flat());
      const [west, south, east, north] = bounds as [number, number, number, number];
      const inset = [west + (east - west) * 0.1, south + (north - south) * 0.1, east - (east - west) * 0.1, north - (north - south) * 0.1];
      const inside = ([lon, lat]: LonLat) => lon > inset[0]! && lon < inset[2]! && lat > inset[1]! && lat < inset[3]!;
      const expected: LonLat[] = [];
      for (let index = 0; index < count; index += 1) if (index !== a + 1 && inside(gridPoint(index))) expected.push(gridPoint(index));
      if (inside(movedB)) expected.push(movedB);
      // Drawn positions on a 1e-5° lattice; a grid point counts as drawn when one lies within 2e-5°.
      const cell = (value: number) => Math.round(value / 1e-5);
      const seen = new Set((await drawn(page, layerId)).map((feature) => `${cell(feature.lon)},${cell(feature.lat)}`));
      const steps = [-2, -1, 0, 1, 2];
      const isDrawn = ([lon, lat]: LonLat) => steps.some((dx) => steps.some((dy) => seen.has(`${cell(lon) + dx},${cell(lat) + dy}`)));
      expect(expected.length, where).toBeGreaterThan(4);
      expect(expected.filter((point) => !isDrawn(point)), `${where}: grid points not drawn`).toEqual([]);
    };
    await complete('at zoom 16');

    // Back at zoom 13 (its tiles were cached before the edits), then a pan far away and back at 16,
    // then out and in again: every tile shown must be a re-cut one.
    await editing.view(pointB, 13);
    await check('at zoom 13, drawn before the edits');
    await complete('at zoom 13');
    await editing.view(gridPoint(2_000), 16);
    await editing.view(pointB, 16);
    await check('after a pan away and back');
    await editing.view(pointB, 12);
    await editing.view(pointB, 17);
    await check('after zooming out and in');
    await editing.view(pointB, 15);
    await complete('at zoom 15');
  });
});
