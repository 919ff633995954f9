// Domain actions on the import wizard, and read-only looks into the store (IndexedDB in the page).
import { expect, type Page } from '../helpers/test';
import { AppDriver } from './app-driver';
import { StoreProbe, type ProbeFeature } from './store-probe';

export interface StoreCounts {
  journal: number;
  featureEdits: number;
  featureChunks: number;
  layers: number;
  layerJournal: number;
}

/** A feature as the store holds it (the per-feature edit row's value). */
export type StoredFeature = ProbeFeature;

export type FileInput = string | { name: string; mimeType: string; buffer: Buffer };

export class ImportDriver {
  constructor(readonly page: Page) {}

  /** Opens OneMap and waits for the map. */
  async openApp(): Promise<void> {
    await new AppDriver(this.page).open();
  }

  get wizard() {
    return this.page.getByTestId('import-wizard');
  }

  async open(): Promise<void> {
    await this.page.getByRole('button', { name: '导入', exact: true }).click();
    await expect(this.wizard).toBeVisible();
  }

  /** Chooses a file in the wizard (the wizard reads it at once). */
  async chooseFile(file: FileInput): Promise<void> {
    await this.wizard.getByLabel('选择文件', { exact: true }).setInputFiles(file);
  }

  /** Waits until the file has been read and returns what the wizard says it detected. */
  async detected(): Promise<{ format: string; crs: string; encoding: string; count: string }> {
    const detected = this.wizard.getByTestId('import-detected');
    await expect(detected).toBeVisible({ timeout: 150_000 });
    return {
      format: (await detected.getByTestId('import-format').textContent()) ?? '',
      crs: (await detected.getByTestId('import-crs').textContent()) ?? '',
      encoding: (await detected.getByTestId('import-encoding').textContent()) ?? '',
      count: (await detected.getByTestId('import-count').textContent()) ?? '',
    };
  }

  async previewTableText(): Promise<string> {
    return (await this.wizard.getByTestId('import-preview-table').textContent()) ?? '';
  }

  /** The wizard's table layout panel (CSV, .txt, Excel): header row, coordinate columns, rows left out. */
  tableLayout() {
    return this.wizard.getByTestId('import-table-layout');
  }

  /** Corrects the header row and/or the coordinate columns in the table layout panel and reads the file again. */
  async correctTable(choice: { headerRow?: number; columns?: [string, string] }): Promise<void> {
    const panel = this.tableLayout();
    if (choice.headerRow !== undefined) await panel.getByLabel('表头所在行').fill(String(choice.headerRow));
    if (choice.columns) {
      await panel.getByLabel('第一个坐标列（经度或 X）').selectOption(choice.columns[0]);
      await panel.getByLabel('第二个坐标列（纬度或 Y）').selectOption(choice.columns[1]);
    }
    await panel.getByRole('button', { name: '按此重新读取' }).click();
  }

  async chooseExistingLayer(layerName: string): Promise<void> {
    await this.wizard.getByRole('radio', { name: '已有图层' }).check();
    const select = this.wizard.getByLabel('目标图层');
    const value = await select.locator('option', { hasText: layerName }).first().getAttribute('value');
    await select.selectOption(value ?? '');
    await expect(this.wizard.getByTestId('import-mapping')).toBeVisible();
  }

  async chooseNewLayer(): Promise<void> {
    await this.wizard.getByRole('radio', { name: '新建图层' }).check();
  }

  /** The source a layer field (by its label) takes: a column name, or '' when none. */
  async mappedColumn(fieldLabel: string): Promise<string> {
    const select = this.wizard.getByTestId('import-mapping').getByLabel(fieldLabel, { exact: true });
    return select.evaluate((element) => {
      const chosen = (element as HTMLSelectElement).selectedOptions[0];
      return chosen && !chosen.value.startsWith('\u0000') ? chosen.value : '';
    });
  }

  async mapColumn(fieldLabel: string, column: string): Promise<void> {
    await this.wizard.getByTestId('import-mapping').getByLabel(fieldLabel, { exact: true }).selectOption(column);
  }

  /** Gives a layer field a fixed value (an enum field: the option's label). */
  async setFixedValue(fieldLabel: string, optionLabel: string): Promise<void> {
    const mapping = this.wizard.getByTestId('import-mapping');
    await mapping.getByLabel(fieldLabel, { exact: true }).selectOption({ label: '固定值…' });
    await mapping.getByLabel(`“${fieldLabel}”的固定值`).selectOption({ label: optionLabel });
  }

  commitButton() {
    return this.wizard.getByRole('button', { name: /^导入 \d+ 个要素$/ });
  }

  async commit(): Promise<void> {
    await this.commitButton().click();
  }

  async waitForReport(): Promise<string> {
    const report = this.wizard.getByTestId('import-report');
    await expect(report).toBeVisible({ timeout: 240_000 });
    return (await report.textContent()) ?? '';
  }

  async close(): Promise<void> {
    await this.wizard.getByRole('button', { name: '关闭' }).last().click();
    await expect(this.wizard).toHaveCount(0);
  }

  /** Record counts of the store's tables, read from IndexedDB in the page. */
  async storeCounts(): Promise<StoreCounts> {
    return new StoreProbe(this.page).counts(['journal', 'featureEdits', 'featureChunks', 'layers', 'layerJournal']);
  }

  /** The current (edited) features of a layer as the store keeps them (imports are edit rows). */
  async storedFeatures(layerId: string): Promise<StoredFeature[]> {
    return (await new StoreProbe(this.page).currentFeatures({ layerId, all: true })).features;
  }

  /**
   * A layer's packed base as stored: its record's feature count, the features in its chunks, and
   * the properties of the features whose property `key` has one of `values` (looked up in the page).
   */
  async storedBaseSummary(layerId: string, key: string, values: readonly unknown[]): Promise<{ featureCount: number | null; chunkFeatures: number; found: { properties: Record<string, unknown>; coordinates: unknown }[] }> {
    return new StoreProbe(this.page).baseSummary(layerId, key, values);
  }

  async storedLayer(layerId: string): Promise<{ id: string; name: { zh: string }; geometryType: string; fields: { key: string; type: string; label: { zh: string } }[] } | null> {
    return new StoreProbe(this.page).get('layers', layerId);
  }
}

/** Distance in metres between two WGS84 positions (haversine; ≪1 mm error at these distances). */
export function metresBetween([lon1, lat1]: readonly number[], [lon2, lat2]: readonly number[]): number {
  const radians = Math.PI / 180;
  const dLat = ((lat2! - lat1!) * radians) / 2;
  const dLon = ((lon2! - lon1!) * radians) / 2;
  const a = Math.sin(dLat) ** 2 + Math.cos(lat1! * radians) * Math.cos(lat2! * radians) * Math.sin(dLon) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}
