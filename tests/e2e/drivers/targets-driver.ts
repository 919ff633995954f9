// Domain actions on the 目标管理 view (target sets by year) and the year picker of the dashboards.
import { expect, type Page } from '../helpers/test';
import { openSidebarTab } from './app-driver';

export interface HandTarget {
  title: string;
  quote: string;
  quantity: string;
  unit: string;
  layer: string;
  doneStatuses: readonly string[];
  scopeField?: string;
  scopeValues?: string;
}

export class TargetsDriver {
  constructor(readonly page: Page) {}

  get panel() {
    return this.page.getByRole('region', { name: '目标管理' });
  }

  async open(): Promise<void> {
    await openSidebarTab(this.page, '目标');
    await expect(this.panel).toBeVisible();
  }

  async createSet(year: number): Promise<void> {
    await this.panel.getByLabel('新建目标集（年份）').fill(String(year));
    await this.panel.getByRole('button', { name: '新建', exact: true }).click();
    await expect(this.panel.getByTestId('target-set-picker')).toHaveValue(`year-${year}`);
  }

  /** Picks a year in whichever picker is shown (目标管理 or 进度: one choice for both). */
  async chooseYear(year: number): Promise<void> {
    await this.page.getByTestId('target-set-picker').selectOption(`year-${year}`);
  }

  /** The number of targets the chosen set lists. */
  async count(): Promise<number> {
    const text = (await this.panel.getByTestId('targets-count').textContent()) ?? '';
    return Number(/(\d+) 项目标/.exec(text)?.[1] ?? Number.NaN);
  }

  async titles(): Promise<string[]> {
    return this.panel.locator('.target-list > li > strong').allTextContents();
  }

  async addByHand(target: HandTarget): Promise<void> {
    await this.panel.getByRole('button', { name: '添加目标', exact: true }).click();
    const form = this.panel.getByRole('form', { name: '添加目标' });
    await form.getByLabel('目标名称', { exact: true }).fill(target.title);
    await form.getByLabel('报告原文（逐字引用）').fill(target.quote);
    await form.getByLabel('数量', { exact: true }).fill(target.quantity);
    await form.getByLabel('单位', { exact: true }).fill(target.unit);
    await form.getByLabel('图层', { exact: true }).selectOption({ label: target.layer });
    const done = form.getByRole('group', { name: '计为完成的状态' });
    for (const box of await done.getByRole('checkbox').all()) await box.uncheck();
    for (const status of target.doneStatuses) await done.getByLabel(status, { exact: true }).check();
    if (target.scopeField !== undefined) {
      await form.getByLabel('范围条件的字段').selectOption({ label: target.scopeField });
      if (target.scopeValues !== undefined) await form.getByLabel('范围条件的取值').fill(target.scopeValues);
    }
    await form.getByRole('button', { name: '保存', exact: true }).click();
    await expect(form).toBeHidden();
  }

  /** Saves the add form as it is and returns the problems it lists (nothing is written then). */
  async saveEmptyForm(): Promise<string[]> {
    await this.panel.getByRole('button', { name: '添加目标', exact: true }).click();
    const form = this.panel.getByRole('form', { name: '添加目标' });
    await form.getByRole('button', { name: '保存', exact: true }).click();
    const problems = await form.getByTestId('target-issues').locator('li').allTextContents();
    await form.getByRole('button', { name: '取消', exact: true }).click();
    return problems;
  }

  async openImport(): Promise<void> {
    await this.panel.getByRole('button', { name: '从任务分解表导入', exact: true }).click();
  }

  async chooseTable(file: string): Promise<void> {
    await this.panel.getByLabel('任务分解表文件').setInputFiles(file);
  }

  /** The problems the chosen table was refused for (waits until the table has been read). */
  async tableProblems(): Promise<string[]> {
    const problems = this.panel.getByTestId('task-table-problems');
    await expect(problems).toBeVisible();
    return problems.locator('li').allTextContents();
  }

  async previewRows(): Promise<string[][]> {
    const rows = this.panel.getByTestId('task-table-preview').locator('tbody tr');
    await expect(rows.first()).toBeVisible();
    return Promise.all((await rows.all()).map(async (row) => (await row.locator('td').allTextContents()).map((text) => text.trim())));
  }

  async commitImport(count: number): Promise<void> {
    await this.panel.getByRole('button', { name: `导入 ${count} 项目标`, exact: true }).click();
    await expect(this.panel.getByRole('status')).toHaveText(`已导入 ${count} 项目标（可撤销）。`);
    await this.panel.getByRole('button', { name: '关闭', exact: true }).click();
  }

  async cancelImport(): Promise<void> {
    await this.panel.getByRole('button', { name: '取消', exact: true }).click();
  }
}
