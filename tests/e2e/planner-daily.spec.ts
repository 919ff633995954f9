// The planner's daily work (issue 13 C): the note of a status change on the feature and in exports,
// the transient undo notice, the dashboard cards' scope lines.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { LayerDefinition } from '../../shared/model';
import { statusColors } from '../../renderer/src/map/planning-layers';
import { pageLayout } from '../../renderer/src/features/map-export/layout';
import { test, expect, type Page } from './helpers/test';
import { MapDriver } from './drivers/map-driver';
import { ProgressDriver } from './drivers/progress-driver';
import { ExportDriver } from './drivers/export';

const wellsTarget = 'wells-non-agricultural-2021';

const layerDefinitions = JSON.parse(readFileSync(new URL('../../seeds/layers.json', import.meta.url), 'utf8')) as LayerDefinition[];
const definition = (id: string) => layerDefinitions.find((layer) => layer.id === id)!;
const colorsOf = (id: string) => statusColors(definition(id)).map(([, color]) => color);

/** Pixels of a PNG inside `box` whose colour is one of `colors` (±2 per channel), counted in the page. */
async function pixelsOfColors(page: Page, png: Buffer, box: { x: number; y: number; width: number; height: number }, colors: readonly string[]): Promise<number> {
  return page.evaluate(
    async ({ base64, box, colors }) => {
      const wanted = colors.map((hex) => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)));
      const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      const { data } = context.getImageData(box.x, box.y, box.width, box.height);
      let count = 0;
      for (let index = 0; index < data.length; index += 4) {
        if (wanted.some(([r, g, b]) => Math.abs(data[index]! - r!) <= 2 && Math.abs(data[index + 1]! - g!) <= 2 && Math.abs(data[index + 2]! - b!) <= 2)) count += 1;
      }
      return count;
    },
    { base64: png.toString('base64'), box, colors },
  );
}

test.describe("the planner's daily work", () => {
  test('the note typed with a status change shows as the feature’s 备注 and goes out in the export', async ({ page }) => {
    const map = new MapDriver(page);
    const progress = new ProgressDriver(page);
    const exporter = new ExportDriver(page);
    await map.open();
    const { id } = await progress.firstOverdue(wellsTarget);
    await progress.openOverdueFeature(wellsTarget, id);
    const panel = page.locator('.feature-panel');
    const note = '已封填，现场照片已存档';
    await panel.getByLabel('新状态').selectOption({ label: '已封填' });
    await panel.getByLabel('日期').fill('2021-06-30');
    await panel.getByLabel('备注（可选）').fill(note);
    await panel.getByRole('button', { name: '保存' }).click();
    await expect(panel.getByTestId('save-state')).toHaveText('已保存');
    await expect(panel.locator('.attribute', { has: page.locator('dt', { hasText: /^备注$/ }) }).locator('dd')).toHaveText(note);

    await exporter.openLayerExport('wells', { format: 'CSV 表格', scope: 'all' });
    const saved = await exporter.runLayerExport();
    const rows = Papa.parse<string[]>(readFileSync(saved.path, 'utf8').slice(1), { skipEmptyLines: true }).data;
    const row = rows.find((cells) => cells.includes(id));
    expect(row, `the row of ${id}`).toBeDefined();
    expect(row).toContain(note);
  });

  test('"已撤销" is a notice that goes away', async ({ page }) => {
    const map = new MapDriver(page);
    const progress = new ProgressDriver(page);
    await map.open();
    const { id } = await progress.firstOverdue(wellsTarget);
    await progress.openOverdueFeature(wellsTarget, id);
    await progress.changeStatus('已封填', '2021-06-30');
    await page.getByRole('button', { name: '撤销', exact: true }).click();
    const notice = page.locator('.undo-controls').getByRole('status');
    await expect(notice).toHaveText('已撤销');
    await expect(notice).toHaveText('', { timeout: 8000 });
  });

  test('each card’s line under the headline describes its own metric’s scope', async ({ page }) => {
    const map = new MapDriver(page);
    const progress = new ProgressDriver(page);
    await map.open();
    // A sum of a village field: not "4,795 / 4,795 个要素已完成".
    const toilets = progress.card('sanitary-toilets-2021').getByTestId('target-scope');
    await expect(toilets).toContainText('「2021年已改厕数」之和');
    await expect(toilets).toContainText('「2021年计划改厕数」之和');
    await expect(toilets).not.toContainText('已完成');
    // A count over planned years: the map's features in scope, named as such, against the report's 100.
    const parks = progress.card('pocket-parks-2021-2023').getByTestId('target-scope');
    await expect(parks).toContainText('建设年度：2021、2022、2023');
    await expect(parks).toContainText(/图上范围内 \d+ 个要素/);
    await expect(parks).toContainText('状态为建成');
  });

  test('the exported legend lists only what the page shows', async ({ page }) => {
    test.setTimeout(240_000);
    const map = new MapDriver(page);
    const exporter = new ExportDriver(page);
    await map.open();
    await exporter.setAllLayersVisible(false);
    await exporter.layers.layer('wells').getByRole('checkbox', { name: '显示地下水取水井' }).check();
    await exporter.layers.chooseCounty('冀州区');
    await map.waitForIdle();
    const legend = pageLayout('a4-landscape', 150).legend;
    const wellColors = colorsOf('wells');

    // Over 冀州区 its wells show, and the legend lists them.
    await exporter.openMapExport({ format: 'png', dpi: 150 });
    const shown = readFileSync((await exporter.runMapExport()).path);
    expect(await pixelsOfColors(page, shown, legend, wellColors)).toBeGreaterThan(20);

    // Over 景县, with the filter on 冀州区, no well shows: the legend does not list the wells either.
    await page.evaluate(() => window.__onemap!.map.jumpTo({ center: [116.25447, 37.69098], zoom: 12 }));
    await map.waitForIdle();
    await exporter.openMapExport({ format: 'png', dpi: 150 });
    const empty = readFileSync((await exporter.runMapExport()).path);
    expect(await pixelsOfColors(page, empty, legend, wellColors)).toBe(0);
  });

  test('a thematic export (the wells progress map) draws only the layers chosen for it, each layer in its own colours', async ({ page }) => {
    test.setTimeout(240_000);
    const map = new MapDriver(page);
    const exporter = new ExportDriver(page);
    await map.open();
    const wellColors = colorsOf('wells');
    const villageColors = colorsOf('villages');
    expect(villageColors.filter((color) => wellColors.includes(color)), 'wells and villages share no colour').toEqual([]);

    await exporter.openMapExport({ format: 'png', dpi: 150, title: '衡水市非农业取水井封填进度图' });
    const dialog = exporter.mapDialog();
    const layerChoices = dialog.getByRole('group', { name: /图层/ }).getByRole('checkbox');
    await expect(layerChoices.first()).toBeVisible();
    for (let index = 0; index < (await layerChoices.count()); index += 1) {
      const choice = layerChoices.nth(index);
      const label = (await choice.evaluate((input) => input.parentElement?.textContent ?? '')).trim();
      await choice.setChecked(label === '地下水取水井');
    }
    const saved = readFileSync((await exporter.runMapExport()).path);
    const whole = { x: 0, y: 0, ...pageLayout('a4-landscape', 150).page };
    expect(await pixelsOfColors(page, saved, whole, wellColors)).toBeGreaterThan(100);
    // Villages drawn would be thousands of pixels; antialiased edges of other symbols may hit a village tint on a pixel or two.
    expect(await pixelsOfColors(page, saved, whole, villageColors)).toBeLessThan(20);
  });
});
