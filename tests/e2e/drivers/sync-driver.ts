// Two-profile set-up and the exchange dialog, for specs that pass edits between machines.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext } from '@playwright/test';
import { expect, type Page } from '../helpers/test';
import { MapDriver } from './map-driver';
import { ProgressDriver } from './progress-driver';

/** The same watch the fixture puts on `page`, for the second profile's page. */
export function watchPage(page: Page, baseURL: string): { problems: string[] } {
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

export async function giveName(page: Page, name: string): Promise<void> {
  await page.getByLabel('您的姓名（记入每次修改，其他电脑导入时可见）').fill(name);
  await page.getByRole('button', { name: '记住我的姓名' }).click();
  await expect(page.getByRole('button', { name: '记住我的姓名' })).toHaveCount(0);
}

export async function setDepth(page: Page, targetId: string, wellId: string, depth: string): Promise<void> {
  const progress = new ProgressDriver(page);
  await progress.openOverdueFeature(targetId, wellId);
  const panel = page.locator('.feature-panel');
  await panel.getByRole('button', { name: '编辑属性' }).click();
  await panel.getByLabel('井深 (米)').fill(depth);
  await panel.locator('.attribute-form').getByRole('button', { name: '保存' }).click();
  await expect(panel.locator('dd', { hasText: `${depth} 米` })).toBeVisible();
  await panel.getByRole('button', { name: '关闭' }).first().click();
}

export function syncDialog(page: Page) {
  return page.getByRole('dialog', { name: '交换编辑' });
}

export async function openSync(page: Page) {
  await page.getByRole('button', { name: /^交换编辑/ }).click();
  const dialog = syncDialog(page);
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Exports "all edits" and returns the downloaded file's bytes. */
export async function exportAll(page: Page): Promise<{ name: string; bytes: Buffer }> {
  const dialog = syncDialog(page);
  await dialog.getByRole('tab', { name: '导出 / 导入' }).click();
  await dialog.getByLabel('全部修改').check();
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: '导出编辑包' }).click()]);
  await expect(dialog.getByTestId('sync-export-status')).toContainText('已导出');
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

export async function importFile(page: Page, file: { name: string; bytes: Buffer }) {
  const dialog = syncDialog(page);
  await dialog.getByRole('tab', { name: '导出 / 导入' }).click();
  await dialog.getByLabel('选择 .onemap 文件').setInputFiles({ name: file.name, mimeType: 'application/zip', buffer: file.bytes });
}


/** A second profile (its own IndexedDB) at the same viewport, watched as the fixture watches `page`. */
export async function secondProfile(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page; watch: { problems: string[] } }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  return { context, page, watch: watchPage(page, baseURL) };
}

/** Opens OneMap in each page, one after the other: a first start seeds every demo layer, slow on a busy machine. */
export async function openProfiles(...pages: Page[]): Promise<void> {
  for (const opened of pages) {
    await opened.goto('./');
    await expect(opened.getByTestId('map')).toHaveAttribute('data-map-state', 'idle', { timeout: 240_000 });
    await new MapDriver(opened).waitForIdle();
  }
}
