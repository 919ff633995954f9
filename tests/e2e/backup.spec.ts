// Rolling backups in the web shell (OPFS) end to end, in real Chromium with the real IndexedDB:
// back up, edit more, restore → the store is the backed-up one; a downloaded backup restores
// into a fresh profile; a truncated file is refused with nothing changed; the daily backup is
// written shortly after start-up (and its cost measured).
import { gunzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { test, expect, type Page } from './helpers/test';
import { MapDriver } from './drivers/map-driver';
import { ProgressDriver } from './drivers/progress-driver';
import { StoreProbe } from './drivers/store-probe';
import { readBackupHeader } from '../../shared/ipc/backups';

const wellsTarget = 'wells-non-agricultural-2021';

interface StoreSnapshot {
  journalEntries: number;
  features: number;
  /** The current value of the features the test edits (null when never edited: the packed base). */
  edited: Record<string, { status: string; depthM: unknown; sealedDate: unknown; revision: number } | null>;
}

/**
 * What the store holds, read straight from IndexedDB (not through the app): the journal's size,
 * the number of features (packed base of each layer's current generation, with edits and deletes
 * applied), and the current value of the given features.
 */
async function storeSnapshot(page: Page, featureIds: string[]): Promise<StoreSnapshot> {
  const probe = new StoreProbe(page);
  const journalEntries = await probe.count('journal');
  const { count, byId } = await probe.currentFeatures({ ids: featureIds });
  const edited: StoreSnapshot['edited'] = {};
  for (const id of featureIds) {
    const { feature, edited: hasEdit } = byId[id]!;
    edited[id] = feature && hasEdit ? { status: feature.status, depthM: feature.properties.depthM ?? null, sealedDate: feature.properties.sealedDate ?? null, revision: feature.revision } : null;
  }
  return { journalEntries, features: count, edited };
}

async function openApp(page: Page): Promise<MapDriver> {
  const map = new MapDriver(page);
  await map.open();
  return map;
}

async function openBackups(page: Page) {
  await page.getByRole('button', { name: '备份', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: '备份' });
  await expect(dialog.getByTestId('backup-location')).toContainText('本浏览器');
  return dialog;
}

async function editDepth(page: Page, depth: string): Promise<void> {
  const panel = page.locator('.feature-panel');
  await panel.getByRole('button', { name: '编辑属性' }).click();
  await panel.getByLabel('井深 (米)').fill(depth);
  await panel.locator('.attribute-form').getByRole('button', { name: '保存' }).click();
  await expect(panel.locator('dd', { hasText: `${depth} 米` })).toBeVisible();
}

test.describe.configure({ mode: 'serial' });

test.describe('rolling backups (web shell, OPFS)', () => {
  let downloaded = '';
  let backedUp: StoreSnapshot;
  let wellA = '';
  let wellB = '';

  test('back up now, edit more, restore: the store is the backed-up one again', async ({ page }, testInfo) => {
    test.setTimeout(600_000);
    const map = await openApp(page);
    const progress = new ProgressDriver(page);
    ({ id: wellA } = await progress.firstOverdue(wellsTarget));
    await progress.openOverdueFeature(wellsTarget, wellA);
    await progress.changeStatus('已封填', '2021-06-30');
    backedUp = await storeSnapshot(page, [wellA]);
    expect(backedUp.edited[wellA]).toMatchObject({ status: 'sealed', sealedDate: '2021-06-30' });

    let dialog = await openBackups(page);
    await dialog.getByRole('button', { name: '立即备份' }).click();
    await expect(dialog.getByTestId('backup-status')).toHaveText(/^已备份（[\d.]+ (KB|MB)）。$/);
    const manual = dialog.locator('[data-testid="backup-row"][data-reason="manual"]');
    await expect(manual).toHaveCount(1);
    await expect(manual.getByTestId('backup-counts')).toHaveText(`要素 ${backedUp.features.toLocaleString('zh-CN')} · 日志 ${backedUp.journalEntries} 条 · 照片 0 张`);

    // Download it for the next test (a fresh profile).
    const [download] = await Promise.all([page.waitForEvent('download'), manual.getByRole('button', { name: '下载' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^onemap-backup-manual-\d{8}T\d{9}Z-[0-9a-f]{8}\.json\.gz$/);
    downloaded = testInfo.outputPath(download.suggestedFilename());
    await download.saveAs(downloaded);
    const bytes = await readFile(downloaded);
    expect(readBackupHeader(bytes)).toMatchObject({ reason: 'manual', counts: { features: backedUp.features, journalEntries: backedUp.journalEntries, photos: 0 } });
    expect(JSON.parse(gunzipSync(bytes).toString('utf8'))).toMatchObject({ format: 'onemap-backup', formatVersion: 1 });
    await dialog.getByRole('button', { name: '关闭' }).click();

    // More edits: a new depth on the same well, another well sealed.
    await editDepth(page, '800');
    ({ id: wellB } = await progress.firstOverdue(wellsTarget));
    expect(wellB).not.toBe(wellA);
    await progress.openOverdueFeature(wellsTarget, wellB);
    await progress.changeStatus('已封填', '2021-07-01');
    const edited = await storeSnapshot(page, [wellA, wellB]);
    expect(edited.journalEntries).toBe(backedUp.journalEntries + 2);
    expect(edited.edited[wellA]).toMatchObject({ depthM: 800 });
    expect(edited.edited[wellB]).toMatchObject({ status: 'sealed' });

    // Restore the manual backup: a confirmation saying what will be replaced, then a reload.
    dialog = await openBackups(page);
    await dialog.locator('[data-testid="backup-row"][data-reason="manual"]').getByRole('button', { name: '从此备份恢复' }).click();
    const confirm = dialog.getByTestId('backup-confirm');
    await expect(confirm).toContainText('替换当前的全部数据');
    await expect(confirm).toContainText(`日志 ${backedUp.journalEntries} 条`);
    await expect(confirm).toContainText(`日志 ${edited.journalEntries} 条`);
    await Promise.all([page.waitForEvent('load'), confirm.getByRole('button', { name: '确认恢复' }).click()]);
    await map.waitForIdle();
    await expect(page.getByTestId('backup-restored')).toContainText('已从');
    // The restore replaced the journal (shorter now): not mistaken for a store the browser emptied.
    await expect(page.getByTestId('store-loss')).toHaveCount(0);

    const restored = await storeSnapshot(page, [wellA, wellB]);
    expect(restored).toEqual({ ...backedUp, edited: { [wellA]: backedUp.edited[wellA], [wellB]: null } });
    // And the app shows it: well A sealed with its original depth.
    await page.getByRole('tab', { name: '图层', exact: true }).click();
    await page.getByLabel('按编号或名称搜索').fill(wellA);
    await page.getByRole('button', { name: new RegExp(`^${wellA}`) }).click();
    await expect(page.locator('.feature-panel').getByTestId('feature-status')).toHaveText('已封填');
    await expect(page.locator('.feature-panel').locator('dd', { hasText: '800 米' })).toHaveCount(0);

    // What was replaced was kept as a before-import backup.
    dialog = await openBackups(page);
    const safety = dialog.locator('[data-testid="backup-row"][data-reason="before-import"]');
    await expect(safety).toHaveCount(1);
    await expect(safety).toContainText('恢复“onemap-backup-manual-');
    await expect(safety.getByTestId('backup-counts')).toContainText(`日志 ${edited.journalEntries} 条`);
  });

  test('a downloaded backup restores into a fresh profile; a truncated file is refused with nothing changed', async ({ page }) => {
    test.setTimeout(480_000);
    expect(downloaded, 'the previous test saved a download').not.toBe('');
    const map = await openApp(page);
    const fresh = await storeSnapshot(page, [wellA]);
    expect(fresh.edited[wellA]).toBeNull();

    // A truncated copy first: refused, naming the file and the cause; nothing changes.
    const bytes = await readFile(downloaded);
    let dialog = await openBackups(page);
    await dialog.getByLabel('从文件恢复').setInputFiles({ name: 'truncated.json.gz', mimeType: 'application/gzip', buffer: bytes.subarray(0, Math.floor(bytes.length * 0.6)) });
    await expect(dialog.getByTestId('backup-error')).toHaveText(/^无法从“truncated\.json\.gz”恢复：文件不完整或已损坏（.+）。未做任何更改。$/);
    await expect(dialog.getByTestId('backup-confirm')).toHaveCount(0);
    // Some other file: refused as not a backup.
    await dialog.getByLabel('从文件恢复').setInputFiles({ name: 'wells.geojson', mimeType: 'application/json', buffer: Buffer.from('{"type":"FeatureCollection","features":[]}') });
    await expect(dialog.getByTestId('backup-error')).toContainText('“wells.geojson”恢复：不是 OneMap 备份文件');
    expect(await storeSnapshot(page, [wellA])).toEqual(fresh);

    // The real file: confirmation, restore, reload.
    await dialog.getByLabel('从文件恢复').setInputFiles(downloaded);
    const confirm = dialog.getByTestId('backup-confirm');
    await expect(confirm).toContainText(downloaded.split('/').pop()!);
    await Promise.all([page.waitForEvent('load'), confirm.getByRole('button', { name: '确认恢复' }).click()]);
    await map.waitForIdle();
    expect(await storeSnapshot(page, [wellA])).toEqual(backedUp);
    dialog = await openBackups(page);
    await expect(dialog.locator('[data-testid="backup-row"][data-reason="before-import"]')).toHaveCount(1);
  });

  test('the daily backup is written shortly after start-up, off the main thread', async ({ page }) => {
    test.setTimeout(300_000);
    await page.addInitScript(() => {
      const longTasks: { start: number; duration: number }[] = [];
      (window as unknown as { __longTasks: typeof longTasks }).__longTasks = longTasks;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await openApp(page);
    const dialog = await openBackups(page);
    await expect(dialog.locator('[data-testid="backup-row"][data-reason="daily"]')).toHaveCount(1, { timeout: 60_000 });
    // Written as the scheduler found none: exactly one.
    await expect(dialog.locator('[data-testid="backup-row"]')).toHaveCount(1);

    // The cost, measured again on a settled app with "back up now": the parts (in the worker) and
    // the longest main-thread task while it ran.
    await dialog.getByRole('button', { name: '立即备份' }).click();
    await expect(dialog.getByTestId('backup-status')).toHaveText(/^已备份/);
    const measured = await page.evaluate(() => {
      const longTasks = (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks;
      return (performance.getEntriesByName('onemap:backup') as PerformanceMeasure[]).map((entry) => {
        const during = longTasks.filter((task) => task.start + task.duration >= entry.startTime && task.start <= entry.startTime + entry.duration);
        const detail = entry.detail as { reason: string; jsonBytes: number; fileBytes: number };
        return { totalMs: Math.round(entry.duration), ...detail, longestMainThreadTaskMs: Math.max(0, ...during.map((task) => task.duration)) };
      });
    });
    console.log(`[backup] demo store (daily at start-up, then back up now): ${JSON.stringify(measured)}`);
    expect(measured).toHaveLength(2);
    expect(measured.map((entry) => entry.reason)).toEqual(['daily', 'manual']);
    for (const entry of measured) expect(entry.jsonBytes).toBeGreaterThan(entry.fileBytes);
  });
});
