import { test, expect } from './helpers/test';
import { MapDriver } from './drivers/map-driver';
import { ProgressDriver } from './drivers/progress-driver';

test.describe('attribute form generated from the layer definition', () => {
  test('an out-of-range depth is refused with a message; a valid one is saved and shown with its unit', async ({ page }) => {
    const map = new MapDriver(page);
    const progress = new ProgressDriver(page);
    await map.open();
    const { id } = await progress.firstOverdue('wells-non-agricultural-2021');
    await progress.openOverdueFeature('wells-non-agricultural-2021', id);
    const panel = page.locator('.feature-panel');
    const revisionBefore = await panel.locator('dt', { hasText: '版本' }).locator('xpath=following-sibling::dd[1]').textContent();

    await panel.getByRole('button', { name: '编辑属性' }).click();
    await panel.getByLabel('井深 (米)').fill('3000');
    await panel.locator('.attribute-form').getByRole('button', { name: '保存' }).click();
    await expect(panel.getByRole('alert').first()).toHaveText('不能大于 2000');
    await expect(panel.getByText('有 1 项需要更正，未保存')).toBeVisible();

    await panel.getByLabel('井深 (米)').fill('８００');
    await panel.locator('.attribute-form').getByRole('button', { name: '保存' }).click();
    await expect(panel.locator('dd', { hasText: '800 米' })).toBeVisible();
    const revisionAfter = await panel.locator('dt', { hasText: '版本' }).locator('xpath=following-sibling::dd[1]').textContent();
    expect(Number(revisionAfter)).toBe(Number(revisionBefore) + 1);
  });
});
