// Domain actions for exports: a layer through the layer panel's export dialog, the map through the
// header's "导出地图". Each returns the saved download (path and suggested name).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, type Page } from '../helpers/test';
import { LayersDriver } from './layers-driver';

export interface SavedDownload {
  path: string;
  fileName: string;
}

export interface LayerExportChoice {
  /** Option text as the dialog shows it (Chinese UI): "Shapefile（.zip）", "GeoPackage（.gpkg）", "CSV 表格"… */
  format: string;
  /** EPSG code of the coordinate system, when the format takes one. */
  crs?: string;
  encoding?: 'utf-8' | 'gbk';
  scope?: 'shown' | 'all';
  /** Column names and values: Chinese titles and labels (the default) or the store's keys and codes. */
  naming?: 'labels' | 'codes';
}

export class ExportDriver {
  readonly layers: LayersDriver;
  private readonly directory = mkdtempSync(path.join(tmpdir(), 'onemap-export-e2e-'));

  constructor(readonly page: Page) {
    this.layers = new LayersDriver(page);
  }

  layerDialog() {
    return this.page.getByRole('dialog', { name: '导出图层' });
  }

  mapDialog() {
    return this.page.getByRole('dialog', { name: '导出地图' });
  }

  /** Opens the export dialog of a layer from the layer panel and sets the choices. */
  async openLayerExport(layerId: string, choice: LayerExportChoice): Promise<void> {
    await this.layers.open();
    await this.layers.layer(layerId).getByRole('button', { name: /^导出/ }).click();
    const dialog = this.layerDialog();
    await expect(dialog).toBeVisible();
    if (choice.scope) await dialog.getByRole('radio', { name: choice.scope === 'all' ? /图层全部要素/ : /当前筛选显示/ }).check();
    await dialog.getByLabel('格式').selectOption({ label: choice.format });
    if (choice.crs) await dialog.getByLabel('坐标系').selectOption(choice.crs);
    if (choice.encoding) await dialog.getByLabel('文字编码').selectOption(choice.encoding);
    if (choice.naming) await dialog.getByLabel('列名与取值').selectOption(choice.naming);
  }

  startButton() {
    return this.layerDialog().getByRole('button', { name: /^导出 [\d,]+ 个要素$/ });
  }

  /** Runs the export of the open layer dialog and saves what the browser downloads. */
  async runLayerExport(): Promise<SavedDownload> {
    const download = this.nextDownload(this.layerDialog());
    await this.startButton().click();
    const saved = await this.save(await download);
    await expect(this.layerDialog().getByRole('status')).toContainText('已导出');
    return saved;
  }

  /** The next download, or a failure with the dialog's error text as soon as it shows one. */
  private async nextDownload(dialog: ReturnType<Page['getByRole']>, timeout = 90_000) {
    const failed = dialog
      .getByRole('alert')
      .waitFor({ timeout })
      .then(async () => {
        throw new Error(`the export failed: ${await dialog.getByRole('alert').textContent()}`);
      });
    const download = this.page.waitForEvent('download', { timeout });
    failed.catch(() => undefined);
    return Promise.race([download, failed]);
  }

  async closeLayerDialog(): Promise<void> {
    await this.layerDialog().getByRole('button', { name: '关闭' }).click();
    await expect(this.layerDialog()).toBeHidden();
  }

  async openMapExport(choice: { paper?: string; dpi?: number; format: 'png' | 'pdf'; title?: string }): Promise<void> {
    await this.page.getByRole('button', { name: '导出地图' }).click();
    const dialog = this.mapDialog();
    await expect(dialog).toBeVisible();
    if (choice.title !== undefined) await dialog.getByLabel('标题').fill(choice.title);
    if (choice.paper) await dialog.getByLabel('纸张').selectOption({ label: choice.paper });
    if (choice.dpi) await dialog.getByLabel('分辨率').selectOption(String(choice.dpi));
    await dialog.getByLabel('格式').selectOption(choice.format);
  }

  async runMapExport(): Promise<SavedDownload> {
    const dialog = this.mapDialog();
    const download = this.nextDownload(dialog, 120_000);
    await dialog.getByRole('button', { name: '导出', exact: true }).click();
    const saved = await this.save(await download);
    await expect(dialog.getByRole('status')).toContainText('已导出');
    await dialog.getByRole('button', { name: '关闭' }).click();
    await expect(dialog).toBeHidden();
    return saved;
  }

  /** Hides or shows every planning layer in the layer panel. */
  async setAllLayersVisible(visible: boolean): Promise<void> {
    await this.layers.open();
    const boxes = this.page.locator('.layer-item .layer-name input[type="checkbox"]');
    for (let index = 0; index < (await boxes.count()); index += 1) await boxes.nth(index).setChecked(visible);
  }

  private async save(download: { suggestedFilename(): string; saveAs(path: string): Promise<void> }): Promise<SavedDownload> {
    const fileName = download.suggestedFilename();
    const target = path.join(this.directory, `${Date.now()}-${fileName}`);
    await download.saveAs(target);
    return { path: target, fileName };
  }
}
