import { test, expect } from './helpers/test';
import { MapDriver } from './drivers/map-driver';
import { ProgressDriver } from './drivers/progress-driver';
import { LayersDriver } from './drivers/layers-driver';

const wellsTarget = 'wells-non-agricultural-2021';

test.describe('bulk status updates', () => {
  test('seals every scheduled well of one county, selected by filter, in one change', async ({ page }) => {
    const map = new MapDriver(page);
    const progress = new ProgressDriver(page);
    const layers = new LayersDriver(page);
    await map.open();
    const before = await progress.reading(wellsTarget);
    const countyBefore = await progress.countyDone(wellsTarget, 131103);

    await layers.open();
    await layers.chooseCounty('冀州区');
    await layers.showOnlyStatuses('wells', ['已排期']);
    const shown = await layers.shownCount('wells');
    expect(shown).toBeGreaterThan(0);
    await layers.openBulkUpdateForFilter('wells');
    expect(await layers.dialogScopeCount()).toBe(shown);
    const updated = await layers.applyBulk('已封填', '2021-06-30');
    expect(updated).toBe(shown);
    // The filter shows scheduled wells only: the sealed ones left it.
    await expect.poll(() => layers.shownCount('wells')).toBe(0);

    await progress.openProgress();
    // Agricultural wells are in the same layer; only the non-agricultural ones count for 1,285.
    const after = await progress.reading(wellsTarget);
    expect(after.done).toBeGreaterThan(before.done);
    expect(after.done - before.done).toBeLessThanOrEqual(updated);
    expect(await progress.countyDone(wellsTarget, 131103)).toBe(countyBefore + (after.done - before.done));
    expect(after.overdue).toBeLessThanOrEqual(before.overdue!);
  });

  test('selects wells by drawing an area on the map; Esc cancels a drawing', async ({ page }) => {
    const map = new MapDriver(page);
    const layers = new LayersDriver(page);
    await map.open();
    await layers.open();
    await layers.chooseCounty('桃城区');
    await map.waitForIdle();

    // Esc leaves the drawing without a dialog.
    await layers.layer('wells').getByRole('button', { name: '按区域选择并批量更新' }).click();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    await layers.selectByArea('wells', [
      [0.3, 0.3],
      [0.7, 0.3],
      [0.7, 0.7],
      [0.3, 0.7],
    ]);
    const inArea = await layers.dialogScopeCount();
    const shownInCounty = await layers.shownCount('wells');
    expect(inArea).toBeGreaterThan(0);
    expect(inArea).toBeLessThan(shownInCounty);
    const updated = await layers.applyBulk('已验收', '2021-06-30');
    // Only wells whose workflow allows the move (sealed → verified) are updated.
    expect(updated).toBeGreaterThan(0);
    expect(updated).toBeLessThanOrEqual(inArea);
  });
});

test.describe('bulk status updates by type', () => {
  test('a drawn area in 冀州区 shows its wells by type before writing and can be limited to non-agricultural wells', async ({ page }) => {
    const map = new MapDriver(page);
    const progress = new ProgressDriver(page);
    const layers = new LayersDriver(page);
    await map.open();
    const nonAgriculturalBefore = await progress.reading(wellsTarget);
    // The agricultural target has no quantity: its headline is "完成 N 眼 · 报告未给出数量".
    const agriculturalDone = async () => Number(/[\d,]+/.exec((await progress.card('wells-agricultural-2021').getByTestId('target-done').textContent()) ?? '')![0].replace(/,/g, ''));
    const agriculturalBefore = await agriculturalDone();

    await layers.open();
    await layers.chooseCounty('冀州区');
    await map.waitForIdle();
    // Inside the map's controls (the GPS button sits at the bottom left).
    await layers.selectByArea('wells', [
      [0.15, 0.15],
      [0.85, 0.15],
      [0.85, 0.8],
      [0.15, 0.8],
    ]);
    const inArea = await layers.dialogScopeCount();
    const byType = await layers.bulkTypeCounts();
    expect(byType['非农业取水井']).toBeGreaterThan(0);
    expect(byType['农业灌溉取水井']).toBeGreaterThan(0);
    expect(byType['非农业取水井']! + byType['农业灌溉取水井']!).toBe(inArea);

    await layers.bulkKeepOnlyTypes(['非农业取水井']);
    const dialog = page.getByRole('dialog', { name: '批量更新状态' });
    await dialog.getByLabel('新状态').selectOption({ label: '已封填' });
    // Before anything is written the dialog says how many of each type will change.
    await expect(dialog.getByTestId('bulk-summary')).toContainText('农业灌溉取水井 0 个');
    const updated = await layers.applyBulk('已封填', '2021-06-30');
    expect(updated).toBeGreaterThan(0);
    expect(updated).toBeLessThanOrEqual(byType['非农业取水井']!);

    await progress.openProgress();
    await expect.poll(async () => (await progress.reading(wellsTarget)).done).toBe(nonAgriculturalBefore.done + updated);
    expect(await agriculturalDone()).toBe(agriculturalBefore);
  });

  test('the layer panel filters wells by 取水井类别: counts, the map and the bulk selection follow', async ({ page }) => {
    const map = new MapDriver(page);
    const layers = new LayersDriver(page);
    await map.open();
    await layers.open();
    await layers.chooseCounty('冀州区');
    await map.waitForIdle();
    const all = await layers.shownCount('wells');
    await layers.showOnlyFieldValues('wells', '取水井类别', ['非农业取水井']);
    const nonAgricultural = await layers.shownCount('wells');
    expect(nonAgricultural).toBeGreaterThan(0);
    expect(nonAgricultural).toBeLessThan(all);

    await map.waitForIdle();
    const drawnClasses = await page.evaluate(() =>
      window.__onemap!.map.queryRenderedFeatures({ layers: ['planning:wells:circle'] }).map((feature) => String(feature.properties['field:wellClass'])),
    );
    expect(drawnClasses.length).toBeGreaterThan(0);
    expect(new Set(drawnClasses)).toEqual(new Set(['non-agricultural']));

    await layers.openBulkUpdateForFilter('wells');
    expect(await layers.dialogScopeCount()).toBe(nonAgricultural);
    expect(await layers.bulkTypeCounts()).toEqual({ 非农业取水井: nonAgricultural, 农业灌溉取水井: 0 });
  });

  test('the dialog opens on the most common allowed next status, and after the update says what was done with 关闭', async ({ page }) => {
    const map = new MapDriver(page);
    const layers = new LayersDriver(page);
    await map.open();
    await layers.open();
    await layers.chooseCounty('冀州区');
    const statusCount = async (label: string) => {
      const text = (await layers.layer('wells').locator('.status-option', { hasText: label }).textContent()) ?? '';
      return Number(/([\d,]+)\s*$/.exec(text)![1]!.replace(/,/g, ''));
    };
    // Every status but 已封填/已验收 may move to 已封填: the most common allowed move.
    const movable = (await statusCount('已登记')) + (await statusCount('已排期')) + (await statusCount('已接通引江水'));
    expect(movable).toBeGreaterThan(0);
    await layers.openBulkUpdateForFilter('wells');
    const dialog = page.getByRole('dialog', { name: '批量更新状态' });
    await expect(dialog.getByLabel('新状态').locator('option:checked')).toHaveText('已封填');
    await expect(dialog.getByRole('button', { name: `更新 ${movable} 个` })).toBeEnabled();
    await dialog.getByRole('button', { name: '取消' }).click();

    // Scheduled wells only: 已验收 is not open to any of them, so the dialog does not open on it.
    await layers.showOnlyStatuses('wells', ['已排期']);
    const scheduled = await layers.shownCount('wells');
    await layers.openBulkUpdateForFilter('wells');
    await expect(dialog.getByLabel('新状态').locator('option:checked')).not.toHaveText('已验收');
    await expect(dialog.getByLabel('新状态').locator('option', { hasText: '已验收' })).toBeDisabled();
    await expect(dialog.getByRole('button', { name: `更新 ${scheduled} 个` })).toBeEnabled();
    await dialog.getByRole('button', { name: /^更新/ }).click();
    await expect(dialog.getByRole('status')).toContainText(`已更新 ${scheduled} 个要素为「`);
    await expect(dialog.getByRole('button', { name: '取消' })).toHaveCount(0);
    await expect(dialog.getByRole('button', { name: /^更新/ })).toHaveCount(0);
    await dialog.getByRole('button', { name: '关闭' }).click();
    await expect(dialog).toBeHidden();
  });
});
