// Domain actions on the layer panel: filters, bulk status updates, area selection.
import { expect, type Page } from '../helpers/test';
import { openSidebarTab } from './app-driver';

export class LayersDriver {
  constructor(readonly page: Page) {}

  layer(layerId: string) {
    return this.page.locator(`.layer-item[data-layer-id="${layerId}"]`);
  }

  async open(): Promise<void> {
    await openSidebarTab(this.page, '图层');
  }

  async chooseCounty(name: string): Promise<void> {
    await this.page.getByRole('combobox', { name: '县（市、区）' }).selectOption({ label: name });
  }

  /** Shows only the given statuses of a layer (by their Chinese labels). */
  async showOnlyStatuses(layerId: string, labels: readonly string[]): Promise<void> {
    const options = this.layer(layerId).locator('.status-option');
    for (let index = 0; index < (await options.count()); index += 1) {
      const option = options.nth(index);
      const text = (await option.textContent()) ?? '';
      const wanted = labels.some((label) => text.startsWith(label));
      await option.locator('input').setChecked(wanted);
    }
  }

  /** In a layer's "按属性筛选": picks the coded field (by its label) and keeps only the given values (by their labels). */
  async showOnlyFieldValues(layerId: string, fieldLabel: string, labels: readonly string[]): Promise<void> {
    const group = this.layer(layerId).locator('.coded-filter');
    await group.getByRole('combobox', { name: '筛选字段' }).selectOption({ label: fieldLabel });
    await keepOnly(group, labels);
  }

  async shownCount(layerId: string): Promise<number> {
    const text = (await this.page.getByTestId(`layer-count-${layerId}`).textContent()) ?? '';
    const match = /显示 ([\d,]+)/.exec(text);
    if (!match) throw new Error(`no count in "${text}"`);
    return Number(match[1]!.replace(/,/g, ''));
  }

  async openBulkUpdateForFilter(layerId: string): Promise<void> {
    await this.layer(layerId).getByRole('button', { name: /批量更新状态/ }).click();
    await expect(this.page.getByRole('dialog', { name: '批量更新状态' })).toBeVisible();
  }

  /** Draws a polygon on the map through the given fractions of the map's box, finishing with a double-click. */
  async selectByArea(layerId: string, corners: ReadonlyArray<[number, number]>): Promise<void> {
    await this.layer(layerId).getByRole('button', { name: '按区域选择并批量更新' }).click();
    await expect(this.page.getByRole('status').filter({ hasText: '单击添加顶点' })).toBeVisible();
    const box = await this.page.getByTestId('map').boundingBox();
    if (!box) throw new Error('map has no box');
    const at = ([fx, fy]: [number, number]) => [box.x + box.width * fx, box.y + box.height * fy] as const;
    for (const corner of corners.slice(0, -1)) {
      const [x, y] = at(corner);
      await this.page.mouse.click(x, y);
    }
    const [lastX, lastY] = at(corners[corners.length - 1]!);
    await this.page.mouse.dblclick(lastX, lastY);
    await expect(this.page.getByRole('dialog', { name: '批量更新状态' })).toBeVisible();
  }

  /** In the open bulk dialog: picks the status and date, applies, and returns how many were updated. */
  async applyBulk(statusLabel: string, date: string): Promise<number> {
    const dialog = this.page.getByRole('dialog', { name: '批量更新状态' });
    await dialog.getByLabel('新状态').selectOption({ label: statusLabel });
    await dialog.getByLabel('日期').fill(date);
    await dialog.getByRole('button', { name: /^更新 \d+/ }).click();
    const done = dialog.getByRole('status').filter({ hasText: /已更新 \d+ 个要素/ });
    await expect(done).toBeVisible();
    const count = Number(/已更新 (\d+)/.exec((await done.textContent()) ?? '')![1]);
    // After the update the dialog says what was done and offers only 关闭.
    await expect(dialog.getByRole('button', { name: '取消' })).toHaveCount(0);
    await dialog.getByRole('button', { name: '关闭' }).click();
    await expect(dialog).toBeHidden();
    return count;
  }

  /** In the open bulk dialog: keeps only the features of the given types (value labels of the first coded field). */
  async bulkKeepOnlyTypes(labels: readonly string[]): Promise<void> {
    await keepOnly(this.page.getByRole('dialog', { name: '批量更新状态' }).locator('.coded-filter'), labels);
  }

  /** The bulk dialog's count per type ("非农业取水井" → 12), as its type filter lists them. */
  async bulkTypeCounts(): Promise<Record<string, number>> {
    const options = this.page.getByRole('dialog', { name: '批量更新状态' }).locator('.coded-filter .coded-option');
    const counts: Record<string, number> = {};
    for (const text of await options.allTextContents()) {
      const match = /^(.*?)\s*([\d,]+)$/.exec(text.trim());
      if (match) counts[match[1]!] = Number(match[2]!.replace(/,/g, ''));
    }
    return counts;
  }

  async dialogScopeCount(): Promise<number> {
    const text = (await this.page.getByRole('dialog', { name: '批量更新状态' }).locator('p').first().textContent()) ?? '';
    return Number(/(\d+) 个要素/.exec(text)![1]);
  }
}

async function keepOnly(group: ReturnType<Page['locator']>, labels: readonly string[]): Promise<void> {
  const options = group.locator('.coded-option');
  for (let index = 0; index < (await options.count()); index += 1) {
    const option = options.nth(index);
    const text = ((await option.textContent()) ?? '').trim();
    await option.locator('input').setChecked(labels.some((label) => text.startsWith(label)));
  }
}
