// Domain actions on the import wizard, and read-only looks into the store (IndexedDB in the page).
import { expect, type Page } from '../helpers/test';

export interface StoreCounts {
  journal: number;
  featureEdits: number;
  featureChunks: number;
  layers: number;
  layerJournal: number;
}

export interface StoredFeature {
  id: string;
  layerId: string;
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
  status: string;
  county: number | null;
}

export type FileInput = string | { name: string; mimeType: string; buffer: Buffer };

export class ImportDriver {
  constructor(readonly page: Page) {}

  /** Opens OneMap and waits for the map (generously: the machines that run this are shared). */
  async openApp(): Promise<void> {
    await this.page.goto('./');
    await expect(this.page.getByTestId('map')).toHaveAttribute('data-map-state', 'idle', { timeout: 240_000 });
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
    return this.page.evaluate(async () => {
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('onemap');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const count = (store: string) =>
        new Promise<number>((resolve, reject) => {
          if (!database.objectStoreNames.contains(store)) return resolve(0);
          const request = database.transaction(store).objectStore(store).count();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      const counts = {
        journal: await count('journal'),
        featureEdits: await count('featureEdits'),
        featureChunks: await count('featureChunks'),
        layers: await count('layers'),
        layerJournal: await count('layerJournal'),
      };
      database.close();
      return counts;
    });
  }

  /** The current (edited) features of a layer as the store keeps them (imports are edit rows). */
  async storedFeatures(layerId: string): Promise<StoredFeature[]> {
    return this.page.evaluate(async (layer) => {
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('onemap');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const all = <T,>(store: string) =>
        new Promise<T[]>((resolve, reject) => {
          const request = database.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result as T[]);
          request.onerror = () => reject(request.error);
        });
      // The layer's packed base (an import into a new layer), then the edit rows over it.
      const bases = await all<{ layerId: string; generation: number }>('layerBases');
      const base = bases.find((candidate) => candidate.layerId === layer);
      const chunks = await all<{ layerId: string; generation: number; features: StoredFeature[] }>('featureChunks');
      const rows = await all<{ layerId: string; featureId: string; feature: StoredFeature | null }>('featureEdits');
      database.close();
      const features = new Map<string, StoredFeature | null>();
      for (const chunk of chunks) if (base !== undefined && chunk.layerId === layer && chunk.generation === base.generation) for (const feature of chunk.features) features.set(feature.id, feature);
      for (const row of rows) if (row.layerId === layer) features.set(row.featureId, row.feature);
      return [...features.values()].filter((feature): feature is StoredFeature => feature !== null);
    }, layerId);
  }

  /**
   * A layer's packed base as stored: its record's feature count, the features in its chunks, and
   * the properties of the features whose property `key` has one of `values` (looked up in the page).
   */
  async storedBaseSummary(layerId: string, key: string, values: readonly unknown[]): Promise<{ featureCount: number | null; chunkFeatures: number; found: { properties: Record<string, unknown>; coordinates: unknown }[] }> {
    return this.page.evaluate(
      async ({ layer, key, values }) => {
        const database = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open('onemap');
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const base = await new Promise<{ generation: number; featureCount: number } | undefined>((resolve, reject) => {
          const request = database.transaction('layerBases').objectStore('layerBases').get(layer);
          request.onsuccess = () => resolve(request.result as never);
          request.onerror = () => reject(request.error);
        });
        let chunkFeatures = 0;
        const found: { properties: Record<string, unknown>; coordinates: unknown }[] = [];
        await new Promise<void>((resolve, reject) => {
          const request = database.transaction('featureChunks').objectStore('featureChunks').openCursor();
          request.onsuccess = () => {
            const cursor = request.result;
            if (cursor === null) return resolve();
            const chunk = cursor.value as { layerId: string; generation: number; features: { properties: Record<string, unknown>; geometry: { coordinates: unknown } }[] };
            if (base !== undefined && chunk.layerId === layer && chunk.generation === base.generation) {
              chunkFeatures += chunk.features.length;
              for (const feature of chunk.features) if (values.includes(feature.properties[key])) found.push({ properties: feature.properties, coordinates: feature.geometry.coordinates });
            }
            cursor.continue();
          };
          request.onerror = () => reject(request.error);
        });
        database.close();
        return { featureCount: base?.featureCount ?? null, chunkFeatures, found };
      },
      { layer: layerId, key, values: [...values] },
    );
  }

  async storedLayer(layerId: string): Promise<{ id: string; name: { zh: string }; geometryType: string; fields: { key: string; type: string; label: { zh: string } }[] } | null> {
    return this.page.evaluate(async (id) => {
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('onemap');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const layer = await new Promise<unknown>((resolve, reject) => {
        const request = database.transaction('layers').objectStore('layers').get(id);
        request.onsuccess = () => resolve(request.result ?? null);
        request.onerror = () => reject(request.error);
      });
      database.close();
      return layer as never;
    }, layerId);
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
