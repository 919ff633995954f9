// Domain actions on the progress dashboards and the feature panel.
import { expect, type Page } from '../helpers/test';
import { openSidebarTab } from './app-driver';

export interface TargetReading {
  done: number;
  overdue: number | null;
}

function numberIn(text: string): number {
  const match = /[\d,.]+/.exec(text);
  if (!match) throw new Error(`no number in "${text}"`);
  return Number(match[0].replace(/,/g, ''));
}

export class ProgressDriver {
  constructor(readonly page: Page) {}

  card(targetId: string) {
    return this.page.locator(`[data-target-id="${targetId}"]`);
  }

  async openProgress(): Promise<void> {
    await openSidebarTab(this.page, '进度');
  }

  async reading(targetId: string): Promise<TargetReading> {
    const card = this.card(targetId);
    const done = numberIn((await card.getByTestId('target-done').locator('strong').textContent()) ?? '');
    const summary = card.getByTestId('overdue-summary');
    const overdueText = (await summary.count()) > 0 ? ((await summary.textContent()) ?? '') : null;
    const overdue = overdueText === null ? null : /\d/.test(overdueText) ? numberIn(overdueText) : 0;
    return { done, overdue };
  }

  /** The done column of one county's row in a target's by-county table. */
  async countyDone(targetId: string, adcode: number): Promise<number> {
    const cell = this.card(targetId).locator(`tr[data-county="${adcode}"] td`).first();
    return numberIn((await cell.textContent()) ?? '');
  }

  /** The first row of the overdue list: its feature id and county name. */
  async firstOverdue(targetId: string): Promise<{ id: string; countyName: string }> {
    return this.overdue(targetId, 0);
  }

  /** Row `index` (from 0) of the overdue list: its feature id and county name. */
  async overdue(targetId: string, index: number): Promise<{ id: string; countyName: string }> {
    const row = this.card(targetId).locator('.overdue-table tbody tr').nth(index);
    const id = ((await row.locator('td').nth(0).textContent()) ?? '').trim();
    const countyName = ((await row.locator('td').nth(1).textContent()) ?? '').trim();
    return { id, countyName };
  }

  async openOverdueFeature(targetId: string, featureId: string): Promise<void> {
    await this.card(targetId).locator('.overdue-table').getByRole('button', { name: featureId, exact: true }).click();
    await expect(this.page.locator(`.feature-panel[data-feature-id="${featureId}"]`)).toBeVisible();
  }

  /** Changes the open feature's status in its panel (with an optional note) and waits until the store committed it. */
  async changeStatus(statusLabel: string, date: string, note?: string): Promise<void> {
    const panel = this.page.locator('.feature-panel');
    await panel.getByLabel('新状态').selectOption({ label: statusLabel });
    await panel.getByLabel('日期').fill(date);
    if (note !== undefined) await panel.locator('.status-form').getByLabel('备注（可选）').fill(note);
    await panel.getByRole('button', { name: '保存' }).click();
    await expect(panel.getByTestId('save-state')).toHaveText('已保存');
  }
}
