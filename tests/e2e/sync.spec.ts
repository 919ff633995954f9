// Exchanging edits between two machines: two browser contexts (two profiles, each with its own
// IndexedDB) edit the same well's depth differently; B's edit package is imported into A; the
// conflict waits in A's review queue with both versions (and on the map); A keeps B's value;
// A's package goes back to B; both stores then hold the same well. Damaged packages are refused
// in the real browser with their own messages, and the store is unchanged byte for byte.
import { unzipSync, zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import type { BrowserContext } from '@playwright/test';
import { test, expect, type Page } from './helpers/test';
import { MapDriver } from './drivers/map-driver';
import { ProgressDriver } from './drivers/progress-driver';

const WELLS_TARGET = 'wells-non-agricultural-2021';

/** The same watch the fixture puts on `page`, for the second profile's page. */
function watchPage(page: Page, baseURL: string): { problems: string[] } {
  const origin = new URL(baseURL).origin;
  const watch = { problems: [] as string[] };
  void page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin) await route.continue();
    else {
      watch.problems.push(`request to ${url}`);
      await route.abort('blockedbyclient');
    }
  });
  page.on('pageerror', (error) => watch.problems.push(error.message));
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) watch.problems.push(message.text());
  });
  return watch;
}

async function giveName(page: Page, name: string): Promise<void> {
  await page.getByLabel('您的姓名（记入每次修改，其他电脑导入时可见）').fill(name);
  await page.getByRole('button', { name: '记住我的姓名' }).click();
  await expect(page.getByRole('button', { name: '记住我的姓名' })).toHaveCount(0);
}

async function setDepth(page: Page, wellId: string, depth: string): Promise<void> {
  const progress = new ProgressDriver(page);
  await progress.openOverdueFeature(WELLS_TARGET, wellId);
  const panel = page.locator('.feature-panel');
  await panel.getByRole('button', { name: '编辑属性' }).click();
  await panel.getByLabel('井深 (米)').fill(depth);
  await panel.locator('.attribute-form').getByRole('button', { name: '保存' }).click();
  await expect(panel.locator('dd', { hasText: `${depth} 米` })).toBeVisible();
  await panel.getByRole('button', { name: '关闭' }).first().click();
}

function syncDialog(page: Page) {
  return page.getByRole('dialog', { name: '交换编辑' });
}

async function openSync(page: Page) {
  await page.getByRole('button', { name: /^交换编辑/ }).click();
  const dialog = syncDialog(page);
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Exports "all edits" and returns the downloaded file's bytes. */
async function exportAll(page: Page): Promise<{ name: string; bytes: Buffer }> {
  const dialog = syncDialog(page);
  await dialog.getByRole('tab', { name: '导出 / 导入' }).click();
  await dialog.getByLabel('全部修改').check();
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: '导出编辑包' }).click()]);
  await expect(dialog.getByTestId('sync-export-status')).toContainText('已导出');
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

async function importFile(page: Page, file: { name: string; bytes: Buffer }) {
  const dialog = syncDialog(page);
  await dialog.getByRole('tab', { name: '导出 / 导入' }).click();
  await dialog.getByLabel('选择 .onemap 文件').setInputFiles({ name: file.name, mimeType: 'application/zip', buffer: file.bytes });
}

/** Every record of every object store of the app's IndexedDB, read directly (Blobs as type and size). */
function dumpStore(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const opening = indexedDB.open('onemap');
        opening.onerror = () => reject(opening.error);
        opening.onsuccess = () => {
          const database = opening.result;
          const names = [...database.objectStoreNames].sort();
          const transaction = database.transaction(names, 'readonly');
          const dump: Record<string, unknown[]> = {};
          for (const name of names) {
            const request = transaction.objectStore(name).getAll();
            request.onsuccess = () => {
              dump[name] = request.result;
            };
          }
          transaction.oncomplete = () => {
            database.close();
            resolve(JSON.stringify(dump, (_key, value: unknown) => (value instanceof Blob ? { blob: value.type, size: value.size } : value)));
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
  );
}

/** The well as the store holds it (its edit row), without this device's revision and time. */
function storedWell(page: Page, wellId: string): Promise<unknown> {
  return page.evaluate(
    (id) =>
      new Promise((resolve, reject) => {
        const opening = indexedDB.open('onemap');
        opening.onerror = () => reject(opening.error);
        opening.onsuccess = () => {
          const database = opening.result;
          const request = database.transaction('featureEdits', 'readonly').objectStore('featureEdits').get(['wells', id]);
          request.onsuccess = () => {
            database.close();
            const feature = (request.result as { feature: Record<string, unknown> | null } | undefined)?.feature ?? null;
            if (feature === null) return resolve(null);
            const { revision: _revision, updatedAt: _updatedAt, ...content } = feature;
            resolve(content);
          };
          request.onerror = () => reject(request.error);
        };
      }),
    wellId,
  );
}

test.describe('exchanging edits between two profiles', () => {
  let second: BrowserContext | null = null;
  test.afterEach(async () => {
    await second?.close();
    second = null;
  });

  test('the same well edited on both: conflict in the queue, resolved, both agree; damaged packages refused', async ({ page, browser, baseURL }, testInfo) => {
    testInfo.setTimeout(900_000);
    second = await browser.newContext({ baseURL: baseURL as string, viewport: { width: 1280, height: 800 } });
    const pageB = await second.newPage();
    const watchB = watchPage(pageB, baseURL as string);

    // One profile after the other: a first start seeds every demo layer, slow on a busy machine.
    for (const opened of [page, pageB]) {
      await opened.goto('./');
      await expect(opened.getByTestId('map')).toHaveAttribute('data-map-state', 'idle', { timeout: 240_000 });
      await new MapDriver(opened).waitForIdle();
    }
    await giveName(page, '张工');
    await giveName(pageB, '李工');
    const { id: wellId, countyName } = await new ProgressDriver(page).firstOverdue(WELLS_TARGET);
    expect((await new ProgressDriver(pageB).firstOverdue(WELLS_TARGET)).id).toBe(wellId);

    await setDepth(page, wellId, '800');
    await setDepth(pageB, wellId, '900');

    await openSync(pageB);
    const fromB = await exportAll(pageB);
    expect(fromB.name).toMatch(/^onemap-李工-\d{8}-\d{4}\.onemap$/);

    // A imports B's package: the depth is a conflict; A still shows its own value.
    const dialogA = await openSync(page);
    await importFile(page, fromB);
    await expect(dialogA.getByRole('tab', { name: '冲突审核（1）' })).toHaveAttribute('aria-selected', 'true');
    const depthRow = dialogA.getByTestId('sync-diff').locator('tr[data-field="properties.depthM"]');
    await expect(depthRow).toHaveClass(/sync-conflicting/);
    await expect(depthRow.locator('td.sync-mine')).toHaveText('800 米');
    await expect(depthRow.locator('td.sync-theirs')).toHaveText('900 米');
    // Every value as its field shows it (issue 13 item 4): no adcode, true, ISO time or value code.
    const mineOf = (field: string) => dialogA.getByTestId('sync-diff').locator(`tr[data-field="${field}"] td.sync-mine`);
    await expect(mineOf('county')).toHaveText(countyName);
    await expect(mineOf('demo')).toHaveText('是');
    await expect(mineOf('createdAt')).toHaveText(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/);
    await expect(mineOf('properties.wellClass')).toHaveText('非农业取水井');
    expect(((await storedWell(page, wellId)) as { properties: { depthM: number } }).properties.depthM).toBe(800);
    // Flagged on the map and counted in the dashboard; both versions drawn while reviewed.
    await expect(page.getByTestId('sync-conflict-count')).toHaveText('有 1 个编辑冲突待审核（交换编辑 → 冲突审核）');
    await expect
      .poll(() =>
        page.evaluate(() => {
          const style = window.__onemap!.map.getStyle();
          const count = (id: string) => ((style.sources[id] as { data?: { features?: unknown[] } } | undefined)?.data?.features ?? []).length;
          return [count('sync-conflict-flags'), count('sync-conflict-versions')];
        }),
      )
      .toEqual([1, 2]);

    // A keeps theirs.
    await dialogA.getByRole('button', { name: '采用对方版本' }).click();
    await expect(dialogA.getByText('没有待审核的冲突。')).toBeVisible();
    await expect(page.getByTestId('sync-conflict-count')).toHaveCount(0);
    expect(((await storedWell(page, wellId)) as { properties: { depthM: number } }).properties.depthM).toBe(900);

    // A's package goes back to B: no conflict there, and both hold the same well.
    const fromA = await exportAll(page);
    const dialogB = syncDialog(pageB);
    await importFile(pageB, fromA);
    await expect(dialogB.getByTestId('sync-import-status')).toContainText('冲突 0 个');
    expect(await storedWell(pageB, wellId)).toEqual(await storedWell(page, wellId));
    expect(((await storedWell(pageB, wellId)) as { properties: { depthM: number } }).properties.depthM).toBe(900);

    // Damaged packages are refused with their own message, and B's store does not change.
    const files = unzipSync(new Uint8Array(fromA.bytes));
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Record<string, unknown>;
    const damaged: [string, Uint8Array, string][] = [
      ['truncated.onemap', new Uint8Array(fromA.bytes.subarray(0, Math.floor(fromA.bytes.length / 2))), '编辑包不完整'],
      ['altered.onemap', zipSync({ ...files, 'versions.json': new TextEncoder().encode(new TextDecoder().decode(files['versions.json']).replace(/"depthM":900/g, '"depthM":901')) }), '与其校验和不符'],
      ['newer.onemap', zipSync({ ...files, 'manifest.json': new TextEncoder().encode(JSON.stringify({ ...manifest, formatVersion: 99 })) }), '更新版本的 OneMap'],
    ];
    const before = await dumpStore(pageB);
    const shown = new Set<string>();
    for (const [name, bytes, words] of damaged) {
      await importFile(pageB, { name, bytes: Buffer.from(bytes) });
      const status = dialogB.getByTestId('sync-import-status');
      await expect(status).toContainText(words);
      await expect(status).toHaveAttribute('role', 'alert');
      shown.add((await status.textContent()) ?? '');
      expect(await dumpStore(pageB), `${name} changed the store`).toBe(before);
    }
    expect(shown.size).toBe(3);
    expect(watchB.problems).toEqual([]);
  });
});
