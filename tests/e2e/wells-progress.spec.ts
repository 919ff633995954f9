import { test, expect } from './helpers/test';
import { MapDriver } from './drivers/map-driver';
import { ProgressDriver } from './drivers/progress-driver';

const wellsTarget = 'wells-non-agricultural-2021';

test.describe('wells closure progress', () => {
  test('sealing an overdue well moves progress, the overdue list and the county row, and survives a reload', async ({ page }) => {
    const map = new MapDriver(page);
    const progress = new ProgressDriver(page);
    await map.open();

    const before = await progress.reading(wellsTarget);
    expect(before.overdue).toBeGreaterThan(0);
    const { id, countyName } = await progress.firstOverdue(wellsTarget);
    const adcode = Number(await progress.card(wellsTarget).locator('tr[data-county]', { hasText: countyName }).first().getAttribute('data-county'));
    const countyBefore = await progress.countyDone(wellsTarget, adcode);

    await progress.openOverdueFeature(wellsTarget, id);
    await expect(page.locator('.feature-panel').getByTestId('feature-status')).toHaveText(/已排期|已登记|已接通引江水/);
    await progress.changeStatus('已封填', '2021-06-30');
    await expect(page.locator('.feature-panel').getByTestId('feature-status')).toHaveText('已封填');

    const expectMoved = async () => {
      await expect.poll(() => progress.reading(wellsTarget)).toEqual({ done: before.done + 1, overdue: before.overdue! - 1 });
      expect(await progress.countyDone(wellsTarget, adcode)).toBe(countyBefore + 1);
      await expect(progress.card(wellsTarget).locator('.overdue-table').getByRole('button', { name: id, exact: true })).toHaveCount(0);
    };
    await expectMoved();

    await page.reload();
    await map.waitForIdle();
    await expectMoved();
  });
});
