// Domain actions on the 图层定义 (layer definitions) tab: open it, start a new layer or edit one,
// fill the form's texts, fields, states and transitions (controls by their ids: a label wrapping
// a control takes the control's value into its accessible name), save, and read the stored definition.
import { expect, type Page } from '../helpers/test';
import type { LayerDefinition } from '../../../shared/model';
import { StoreProbe } from './store-probe';
import { openSidebarTab } from './app-driver';

export class LayerEditorDriver {
  constructor(readonly page: Page) {}

  get form() {
    return this.page.locator('form.layer-editor-form');
  }

  get problems() {
    return this.page.getByTestId('layer-editor-problems');
  }

  async openTab(): Promise<void> {
    await openSidebarTab(this.page, '图层定义');
    await expect(this.page.getByRole('region', { name: '图层定义' })).toBeVisible();
  }

  async startNewLayer(): Promise<void> {
    await this.page.getByRole('button', { name: '+ 新建图层' }).click();
    await expect(this.form).toBeVisible();
  }

  async edit(layerName: string): Promise<void> {
    await this.page.getByRole('button', { name: `修改定义：${layerName}` }).click();
    await expect(this.form).toBeVisible();
  }

  /** The summary line of a layer in the list ("… 第 N 版"). */
  summary(layerId: string) {
    return this.page.locator(`.layer-editor-list li[data-layer-id="${layerId}"] small`);
  }

  field(index: number) {
    return this.form.locator(`[data-field-index="${index}"]`);
  }

  state(index: number) {
    return this.form.locator(`[data-state-index="${index}"]`);
  }

  async setName(zh: string, en: string): Promise<void> {
    await this.form.locator('#layer-name-zh').fill(zh);
    await this.form.locator('#layer-name-en').fill(en);
  }

  /** Adds a field at the end; `type` by its Chinese label (文本, 数值, 日期, 选项…). */
  async addField(zh: string, en: string, type: string, options: { unit?: string; values?: [string, string][] } = {}): Promise<number> {
    await this.form.getByRole('button', { name: '+ 添加字段' }).click();
    const index = (await this.form.locator('[data-field-index]').count()) - 1;
    await this.setField(index, zh, en);
    await this.form.locator(`#layer-field-${index}-type`).selectOption({ label: type });
    if (options.unit !== undefined) await this.form.locator(`#layer-field-${index}-unit-zh`).fill(options.unit);
    for (const [at, [valueZh, valueEn]] of (options.values ?? []).entries()) {
      await this.field(index).getByRole('button', { name: '+ 添加可选值' }).click();
      await this.form.locator(`#layer-field-${index}-value-${at}-zh`).fill(valueZh);
      await this.form.locator(`#layer-field-${index}-value-${at}-en`).fill(valueEn);
    }
    return index;
  }

  async setField(index: number, zh: string, en: string): Promise<void> {
    await this.form.locator(`#layer-field-${index}-zh`).fill(zh);
    await this.form.locator(`#layer-field-${index}-en`).fill(en);
  }

  async setRequired(index: number, required: boolean): Promise<void> {
    await this.form.locator(`#layer-field-${index}-required`).setChecked(required);
  }

  /** Sets state `index` (adding states as needed): its labels and the date field it records (by label). */
  async setState(index: number, zh: string, en: string, dateField?: string): Promise<void> {
    while ((await this.form.locator('[data-state-index]').count()) <= index) await this.form.getByRole('button', { name: '+ 添加状态' }).click();
    await this.form.locator(`#layer-state-${index}-zh`).fill(zh);
    await this.form.locator(`#layer-state-${index}-en`).fill(en);
    if (dateField !== undefined) await this.form.locator(`#layer-state-${index}-date`).selectOption({ label: dateField });
  }

  async allow(from: string, to: string, allowed = true): Promise<void> {
    await this.form.getByRole('checkbox', { name: `从“${from}”变更为“${to}”` }).setChecked(allowed);
  }

  async save(): Promise<void> {
    await this.form.getByRole('button', { name: '保存图层定义' }).click();
  }

  /** Saves and waits for the editor to close with its notice. */
  async saveAndClose(notice: RegExp): Promise<void> {
    await this.save();
    await expect(this.form).toBeHidden();
    await expect(this.page.locator('.layer-editor-notice')).toHaveText(notice);
  }

  async storedLayer(layerId: string): Promise<LayerDefinition | null> {
    return new StoreProbe(this.page).get<LayerDefinition>('layers', layerId);
  }
}
