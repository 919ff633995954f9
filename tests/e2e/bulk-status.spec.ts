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
