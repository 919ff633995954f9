// The exchange dialog and the two-profile start, for specs that pass edits between machines
// (the second profile itself is the `secondProfile` fixture of helpers/test.ts).
import { readFileSync } from 'node:fs';
import { expect, type Page } from '../helpers/test';
import { AppDriver } from './app-driver';
import { ProgressDriver } from './progress-driver';

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


/** Opens OneMap in each page, one after the other (two map starts at once would each take longer on two cores). */
export async function openProfiles(...pages: Page[]): Promise<void> {
  for (const opened of pages) await new AppDriver(opened).open();
}
