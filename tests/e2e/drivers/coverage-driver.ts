// Domain actions on the park-coverage panel.
import { expect, type Page } from '../helpers/test';
import { openSidebarTab } from './app-driver';

function numberIn(text: string): number {
  const match = /[\d,.]+/.exec(text);
  if (!match) throw new Error(`no number in "${text}"`);
  return Number(match[0].replace(/,/g, ''));
}

export class CoverageDriver {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await openSidebarTab(this.page, '公园覆盖');
    await expect(this.page.getByTestId('covered-population')).toBeVisible();
    await expect(this.page.locator('.candidate-table')).toBeVisible({ timeout: 45_000 });
  }

  async coveredPopulation(): Promise<number> {
    return numberIn((await this.page.getByTestId('covered-population').textContent()) ?? '');
  }

  async coveredPercent(): Promise<number> {
    return numberIn((await this.page.getByTestId('covered-percent').textContent()) ?? '');
  }

  async chooseRadius(label: RegExp | string): Promise<void> {
    await this.page.getByRole('group', { name: '常用半径' }).getByRole('button', { name: label }).click();
  }

  async radius(): Promise<number> {
    return numberIn((await this.page.getByTestId('coverage-radius').textContent()) ?? '');
  }

  /** The gain listed for the candidate of a rank. */
  async candidateGain(rank: number): Promise<number> {
    return numberIn((await this.page.locator(`.candidate-table tr[data-rank="${rank}"] [data-testid=candidate-gain]`).textContent()) ?? '');
  }

  async adopt(rank: number): Promise<void> {
    await this.page.locator(`.candidate-table tr[data-rank="${rank}"]`).getByRole('button', { name: '采纳' }).click();
    await expect(this.page.getByRole('status').filter({ hasText: '已采纳为规划公园' })).toBeVisible();
  }
}
