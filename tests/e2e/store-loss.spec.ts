// A store the browser empties behind the app's back (Chromium's corruption recovery after a hard
// kill, eviction, someone clearing site data) is noticed at the next start and reported once,
// with the way to a backup — never silently re-seeded as if nothing happened.
import { test, expect } from './helpers/test';
import { ProgressDriver } from './drivers/progress-driver';
import { freshProfile } from './helpers/profiles';

// A first start, as the store-loss marker is written from the first one on.
test.use(freshProfile);

const wellsTarget = 'wells-non-agricultural-2021';

test('an emptied store is reported at the next start, once, with a restore from a backup', async ({ page, app }) => {
  test.setTimeout(240_000);
  await app.open();
  await expect(page.getByTestId('store-loss')).toHaveCount(0);
  const progress = new ProgressDriver(page);
  const { id } = await progress.firstOverdue(wellsTarget);
  await progress.openOverdueFeature(wellsTarget, id);
  await progress.changeStatus('已封填', '2021-06-30');

  // Delete the database as the browser's recovery would (the app's connection lets go at once).
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase('onemap');
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error);
        request.onblocked = () => reject(new Error('blocked'));
      }),
  );

  await page.reload();
  const notice = page.getByTestId('store-loss');
  await expect(notice).toBeVisible({ timeout: 120_000 });
  await expect(notice).toContainText('被浏览器清空');
  await expect(notice).toContainText('修改日志原有 1 条，现在只有 0 条');
  await notice.getByRole('button', { name: '从备份恢复…' }).click();
  await expect(page.getByRole('dialog', { name: '备份' })).toBeVisible();
  await page.getByRole('dialog', { name: '备份' }).getByRole('button', { name: '关闭' }).click();

  // Reported once: the next start is quiet.
  await app.reload();
  await expect(page.getByTestId('store-loss')).toHaveCount(0);
});
