import { readFileSync } from 'node:fs';
import { test, expect } from './helpers/test';
import { MapDriver } from './drivers/map-driver';

test.describe('overlay tables', () => {
  test('wells inside farmland are listed and export to CSV and Excel', async ({ page }) => {
    const map = new MapDriver(page);
    await map.open();
    await map.openTab('专题分析');
    const section = page.locator('details', { hasText: '农田范围内的取水井' }).first();
    const rowCount = Number(/共 (\d+) 行/.exec((await section.locator('.export-buttons .muted').textContent()) ?? '')![1]);
    expect(rowCount).toBeGreaterThan(0);

    const [csv] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: '导出 CSV' }).click()]);
    expect(csv.suggestedFilename()).toBe('农田范围内的取水井.csv');
    const text = readFileSync(await csv.path(), 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('井编号,类别,状态,县（市、区）,农田项目');
    expect(lines).toHaveLength(rowCount + 1);

    const [xlsx] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: '导出 Excel' }).click()]);
    expect(xlsx.suggestedFilename()).toBe('农田范围内的取水井.xlsx');
    const bytes = readFileSync(await xlsx.path());
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');

    // A row of the table (in the drawer over the map) selects its well on the map.
    await section.getByRole('button', { name: '查看表格' }).click();
    await page.getByTestId('overlay-drawer').locator('tbody tr').first().click();
    await expect(page.locator('.feature-panel')).toBeVisible();
  });
});
