// Issue 19 (B9): a layer over the tiles threshold (20,000) is never read whole by the window. Its
// counts come from the large-layers worker, the layer panel's search finds its features through
// that worker, and an edit changes its counts.
import { writeFileSync } from 'node:fs';
import { test, expect } from './helpers/test';
import { ImportDriver } from './drivers/import';
import { LayersDriver } from './drivers/layers-driver';
import { EditingDriver } from './drivers/editing';
import { StoreProbe } from './drivers/store-probe';

const count = 24_000;
const columns = 200;

function writeGrid(file: string): void {
  const parts = ['{"type":"FeatureCollection","name":"large-points","features":[\n'];
  for (let index = 0; index < count; index += 1) {
    const lon = (115.4 + (index % columns) * 0.003).toFixed(6);
    const lat = (37.3 + Math.floor(index / columns) * 0.004).toFixed(6);
    parts.push(`${index ? ',\n' : ''}{"type":"Feature","properties":{"name":"大点 ${index + 1}"},"geometry":{"type":"Point","coordinates":[${lon},${lat}]}}`);
  }
  parts.push('\n]}\n');
  writeFileSync(file, parts.join(''));
}

test('a layer over the tiles threshold: the panel counts it, search finds its feature, an edit changes the count', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const wizard = new ImportDriver(page);
  const layers = new LayersDriver(page);
  const editing = new EditingDriver(page);
  await wizard.openApp();
  const file = testInfo.outputPath('large-points.geojson');
  writeGrid(file);
  await wizard.open();
  await wizard.chooseFile(file);
  expect((await wizard.detected()).count).toBe('24,000');
  await wizard.chooseNewLayer();
  await wizard.commit();
  expect(await wizard.waitForReport()).toContain('24000');
  await wizard.close();
  const stored = await new StoreProbe(page).records<{ id: string; name: { zh: string } }>('layers');
  const layerId = stored.find((layer) => layer.name.zh === 'large-points')!.id;
  // Drawn from tiles: the same rule that keeps it out of the window's arrays.
  await expect.poll(() => page.evaluate((id) => window.__onemap!.map.getSource(`planning:${id}`)?.type ?? null, layerId), { timeout: 120_000 }).toBe('vector');

  await layers.open();
  await expect(page.getByTestId(`layer-count-${layerId}`)).toHaveText('显示 24,000 / 共 24,000', { timeout: 120_000 });
  const statusCount = async (label: string) => {
    const text = (await layers.layer(layerId).locator('.status-option', { hasText: label }).textContent()) ?? '';
    return Number(/([\d,]+)\s*$/.exec(text)![1]!.replace(/,/g, ''));
  };
  expect(await statusCount('已登记')).toBe(24_000);
  expect(await statusCount('进行中')).toBe(0);

  // Search: the worker finds the feature by its name; the demo layers' results are unchanged.
  await page.getByRole('searchbox', { name: '按编号或名称搜索' }).fill('大点 12345');
  const result = page.locator('.search-results').getByRole('button', { name: '大点 12345' });
  await expect(result).toHaveCount(1);
  await expect(page.locator('.search-results')).toContainText('找到 1 个');
  await result.click();
  await expect(editing.panel).toBeVisible();
  const featureId = await editing.panel.getAttribute('data-feature-id');
  expect(featureId).toBeTruthy();

  // An edit: 已登记 → 进行中; the worker's counts follow.
  await editing.panel.getByLabel('新状态').selectOption({ label: '进行中' });
  await editing.panel.getByRole('button', { name: '保存', exact: true }).click();
  await expect(editing.panel.getByTestId('save-state')).toHaveText('已保存');
  await expect.poll(() => statusCount('进行中'), { timeout: 60_000 }).toBe(1);
  expect(await statusCount('已登记')).toBe(23_999);
  await expect(page.getByTestId(`layer-count-${layerId}`)).toHaveText('显示 24,000 / 共 24,000');

  // A search still finds it, and the wells' search (a small layer, read in the window) still works.
  await page.getByRole('searchbox', { name: '按编号或名称搜索' }).fill('HS-NW-0001');
  await expect(page.locator('.search-results').getByRole('button', { name: /HS-NW-0001/ }).first()).toBeVisible();
});
