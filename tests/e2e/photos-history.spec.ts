import { test, expect } from './helpers/test';
import { MapDriver } from './drivers/map-driver';
import { ProgressDriver } from './drivers/progress-driver';

const wellsTarget = 'wells-non-agricultural-2021';
// A 2×2 red PNG.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAwMDAwMDAAAANAAH/8a5aNQAAAABJRU5ErkJggg==', 'base64');

test.describe('photos, history and undo across a reload', () => {
  test('a status change and a photo survive a reload; undo twice removes exactly those two edits; redo restores them', async ({ page }) => {
    test.setTimeout(150_000);
    const map = new MapDriver(page);
    const progress = new ProgressDriver(page);
    await map.open();
    const { id } = await progress.firstOverdue(wellsTarget);
    await progress.openOverdueFeature(wellsTarget, id);
    const panel = page.locator('.feature-panel');
    const statusBefore = (await panel.getByTestId('feature-status').textContent()) ?? '';

    await progress.changeStatus('已封填', '2021-06-30');
    await panel.getByLabel('添加照片（文件或相机）').setInputFiles({ name: 'well-sealed.png', mimeType: 'image/png', buffer: png });
    await expect(panel.getByTestId('photo-state')).toHaveText('已保存 1 张照片');
    await expect(panel.getByTestId('photo')).toHaveCount(1);

    await page.reload();
    await map.waitForIdle();
    // Sealed, the well has left the overdue list: find it by its id.
    await page.getByRole('tab', { name: '图层', exact: true }).click();
    await page.getByLabel('按编号或名称搜索').fill(id);
    await page.getByRole('button', { name: new RegExp(`^${id}`) }).click();
    await expect(panel.getByTestId('feature-status')).toHaveText('已封填');
    await expect(panel.getByTestId('photo')).toHaveCount(1);
    await expect(panel.getByTestId('photo').locator('img')).toHaveAttribute('alt', 'well-sealed.png');
    await panel.locator('details.history summary').click();
    await expect(panel.getByTestId('history-entry')).toHaveCount(2);

    await page.getByRole('button', { name: '撤销', exact: true }).click();
    await expect(panel.getByTestId('photo')).toHaveCount(0);
    await expect(panel.getByTestId('feature-status')).toHaveText('已封填');
    await page.getByRole('button', { name: '撤销', exact: true }).click();
    await expect(panel.getByTestId('feature-status')).toHaveText(statusBefore);

    await page.getByRole('button', { name: '重做', exact: true }).click();
    await expect(panel.getByTestId('feature-status')).toHaveText('已封填');
    await page.getByRole('button', { name: '重做', exact: true }).click();
    await expect(panel.getByTestId('photo')).toHaveCount(1);
  });
});
