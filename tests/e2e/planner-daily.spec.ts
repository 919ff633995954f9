// The planner's daily work (issue 13 C): the note of a status change on the feature and in exports,
// the transient undo notice, the dashboard cards' scope lines.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { test, expect } from './helpers/test';
import { MapDriver } from './drivers/map-driver';
import { ProgressDriver } from './drivers/progress-driver';
import { ExportDriver } from './drivers/export';

const wellsTarget = 'wells-non-agricultural-2021';

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
});
