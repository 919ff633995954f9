// Exports through the UI: layers as Shapefile (GBK), GeoPackage and CSV in a Gauss-Krüger zone,
// checked with GDAL's ogrinfo and shared/crs; the map as PNG and PDF; Cancel leaves no download.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import Papa from 'papaparse';
import { PDFDocument } from 'pdf-lib';
import { transform } from '../../shared/crs';
import { pageLayout } from '../../renderer/src/features/map-export/layout';
import { test, expect, shareOpenedApp, type Page } from './helpers/test';
import { MapDriver } from './drivers/map-driver';
import { ExportDriver } from './drivers/export';
import { StoreProbe } from './drivers/store-probe';
import { ImportDriver } from './drivers/import';

const probe = spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' });
const ogrinfoMissing = probe.status !== 0;
const ogrinfoSkip = 'ogrinfo (Debian gdal-bin) is not installed: apt-get install gdal-bin';

const wellsTotal = 2785;
const villagesTotal = 4795;

function ogrinfo(...args: string[]): string {
  const run = spawnSync('ogrinfo', ['-ro', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout + run.stderr;
}

interface StoreWell {
  id: string;
  name: string;
  coordinates: [number, number];
}

/** A well as the store holds it (its name), at the position the map's source draws it (fed by watchLayer). */
async function storeWell(page: Page, id: string): Promise<StoreWell> {
  const coordinates = await page.evaluate((wanted) => {
    const source = window.__onemap!.map.getSource('planning:wells') as unknown as { serialize(): { data: { features: Array<{ properties: Record<string, unknown>; geometry: { coordinates: [number, number] } }> } } };
    const feature = source.serialize().data.features.find((candidate) => candidate.properties.featureId === wanted);
    if (!feature) throw new Error(`no well ${wanted} on the map`);
    return feature.geometry.coordinates;
  }, id);
  const stored = (await new StoreProbe(page).currentFeatures({ layerId: 'wells', ids: [id] })).byId[id]?.feature;
  if (!stored) throw new Error(`no well ${id} in the store`);
  expect(stored.geometry.coordinates).toEqual(coordinates);
  return { id, name: String(stored.properties.name), coordinates };
}

// One opened app for these tests, in this order: each closes its dialog; the Cancel test comes
// first because it must see sql.js's WebAssembly fetched for the first time; the PNG test, last,
// hides the layers.
test.describe('exports from one opened app', () => {
  shareOpenedApp();

  test.describe('layer export', () => {
    test('Cancel during a long export (4,795 villages as GeoPackage) stops it: no download, then a new export works', async ({ page }) => {
      const exporter = new ExportDriver(page);
      // Hold sql.js's WebAssembly so the export is certainly still writing when Cancel is pressed.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let wasmRequests = 0;
      await page.route(/sql-wasm.*\.wasm$/, async (route) => {
        wasmRequests += 1;
        await held;
        await route.continue().catch(() => undefined);
      });
      const downloads: string[] = [];
      page.on('download', (download) => downloads.push(download.suggestedFilename()));

      await exporter.openLayerExport('villages', { format: 'GeoPackage（.gpkg）', scope: 'all' });
      await exporter.startButton().click();
      const progress = exporter.layerDialog().getByTestId('export-progress');
      await expect(progress).toContainText(`正在写入 GeoPackage（.gpkg） 文件（4,795 / 4,795 个要素）`);
      await expect(exporter.layerDialog().getByRole('progressbar', { name: '导出进度' })).toHaveAttribute('max', String(villagesTotal));
      expect(wasmRequests).toBe(1);
      await exporter.layerDialog().getByRole('button', { name: '取消导出' }).click();
      await expect(exporter.layerDialog().getByRole('status')).toHaveText('已取消导出，未生成文件。');
      release();
      // Were the worker still running, the file would be written and downloaded within a few seconds.
      await page.waitForTimeout(5_000);
      expect(downloads).toEqual([]);

      const saved = await exporter.runLayerExport();
      expect(saved.fileName).toMatch(/^村庄_\d{4}-\d{2}-\d{2}_示例数据\.gpkg$/);
      expect(downloads).toHaveLength(1);
      await exporter.closeLayerDialog();
      await page.unroute(/sql-wasm.*\.wasm$/);
    });

    test('wells as Shapefile in GBK: ogrinfo reads 2,785 features in GK zone 39 with their Chinese names and the demo marking', async ({ page }) => {
      test.skip(ogrinfoMissing, ogrinfoSkip);
      const exporter = new ExportDriver(page);
      const well = await storeWell(page, 'HS-NW-0001');
      await exporter.openLayerExport('wells', { format: 'Shapefile（.zip）', encoding: 'gbk', scope: 'all' });
      // The default coordinate system is the 3° zone holding most wells: 39.
      await expect(exporter.layerDialog().getByLabel('坐标系')).toHaveValue('EPSG:4527');
      const saved = await exporter.runLayerExport();
      expect(saved.fileName).toMatch(/^地下水取水井_\d{4}-\d{2}-\d{2}_示例数据_GBK\.zip$/);

      const entries = unzipSync(readFileSync(saved.path));
      expect(Object.keys(entries).sort()).toEqual(['wells.cpg', 'wells.dbf', 'wells.prj', 'wells.shp', 'wells.shx']);
      expect(new TextDecoder().decode(entries['wells.cpg'])).toBe('GBK');
      // The name is GBK in the .dbf: it decodes as GBK, and its UTF-8 bytes are nowhere.
      expect(new TextDecoder('gbk').decode(entries['wells.dbf'])).toContain(well.name);
      expect(Buffer.from(entries['wells.dbf']!).includes(Buffer.from(well.name, 'utf8'))).toBe(false);

      const summary = ogrinfo('-al', '-so', `/vsizip/${saved.path}`);
      expect(summary).toMatch(new RegExp(`Feature Count: ${wellsTotal}\\b`));
      expect(summary).toContain('CGCS2000 / 3-degree Gauss-Kruger zone 39');
      expect(summary).toMatch(/Geometry: Point/);
      const one = ogrinfo('-al', `/vsizip/${saved.path}`, '-where', `onemap_id = '${well.id}'`);
      expect(one).toMatch(/Feature Count: 1\b/);
      // Chinese titles (cut to the .dbf's 10 bytes: 井名/用水单位 → 井名/用水) and labelled values, no English keys or codes.
      expect(one).toContain(`井名/用水 (String) = ${well.name}`);
      expect(one).toMatch(/取水井类别 \(String\) = (非农业取水井|农业灌溉取水井)/);
      expect(one).toMatch(/关停状态 \(String\) = (已登记|已排期|已接通引江水|已封填|已验收)/);
      expect(one).toContain('示例数据 (String) = 是');
      expect(one).not.toMatch(/wellClass|non-agricultural|registered|sealed/);
      await exporter.closeLayerDialog();
    });

    test('wells as GeoPackage: ogrinfo reads 2,785 features in EPSG:4326 with their Chinese names', async ({ page }) => {
      test.skip(ogrinfoMissing, ogrinfoSkip);
      const exporter = new ExportDriver(page);
      const well = await storeWell(page, 'HS-NW-0002');
      await exporter.openLayerExport('wells', { format: 'GeoPackage（.gpkg）', scope: 'all' });
      await expect(exporter.layerDialog().getByLabel('坐标系')).toBeDisabled();
      const saved = await exporter.runLayerExport();
      expect(saved.fileName).toMatch(/^地下水取水井_\d{4}-\d{2}-\d{2}_示例数据\.gpkg$/);
      const summary = ogrinfo('-al', '-so', saved.path);
      expect(summary).toMatch(new RegExp(`Feature Count: ${wellsTotal}\\b`));
      expect(summary).toMatch(/ID\["EPSG",4326\]/);
      const one = ogrinfo('-al', saved.path, '-where', `onemap_id = '${well.id}'`);
      expect(one).toMatch(/Feature Count: 1\b/);
      expect(one).toContain(`井名/用水单位 (String) = ${well.name}`);
      expect(one).not.toMatch(/ERROR/);
      const [lon, lat] = well.coordinates;
      expect(one).toContain(`POINT (${lon} ${lat})`);
      await exporter.closeLayerDialog();
    });

    test('the codes option writes the store\'s keys and codes (status=registered, wellClass=non-agricultural)', async ({ page }) => {
      const exporter = new ExportDriver(page);
      await exporter.openLayerExport('wells', { format: 'CSV 表格', scope: 'all', naming: 'codes' });
      const saved = await exporter.runLayerExport();
      const [header, ...cells] = Papa.parse<string[]>(readFileSync(saved.path, 'utf8').slice(1), { skipEmptyLines: true }).data;
      expect(header).toEqual(expect.arrayContaining(['onemap_id', 'name', 'wellClass', 'status', 'county', 'demo']));
      const column = (name: string) => new Set(cells.map((row) => row[header!.indexOf(name)]));
      expect([...column('wellClass')].sort()).toEqual(['agricultural', 'non-agricultural']);
      expect(column('status').has('registered')).toBe(true);
      await exporter.closeLayerDialog();
    });

  });

  test.describe('map export', () => {
    test('PDF at A4 landscape: pdf-lib reads one A4 page with the title, creator and creation date', async ({ page }) => {
      test.setTimeout(150_000);
      const exporter = new ExportDriver(page);
      const title = '衡水市地下水压采进展图';
      const before = Date.now();
      await exporter.openMapExport({ format: 'pdf', dpi: 150, title });
      const saved = await exporter.runMapExport();
      expect(saved.fileName).toMatch(/^衡水市地下水压采进展图_\d{4}-\d{2}-\d{2}\.pdf$/);
      const document = await PDFDocument.load(readFileSync(saved.path), { updateMetadata: false });
      expect(document.getPageCount()).toBe(1);
      const { width, height } = document.getPage(0).getSize();
      expect(width).toBeCloseTo((297 / 25.4) * 72, 1);
      expect(height).toBeCloseTo((210 / 25.4) * 72, 1);
      expect(document.getTitle()).toBe(title);
      expect(document.getCreator()).toBe('OneMap');
      const created = document.getCreationDate()!.getTime();
      expect(created).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(created).toBeLessThanOrEqual(Date.now());
    });

    test('PNG at A4 landscape 150 dpi: the page size, and the 示例数据 watermark only while demo data shows', async ({ page }) => {
      test.setTimeout(150_000);
      const map = new MapDriver(page);
      const exporter = new ExportDriver(page);
      await exporter.openMapExport({ format: 'png', paper: 'A4 横向（297 × 210 毫米）', dpi: 150 });
      await expect(exporter.mapDialog().getByText('将加“示例数据 / Demo data”水印')).toBeVisible();
      const withDemo = await exporter.runMapExport();
      expect(withDemo.fileName).toMatch(/^衡水市规划一张图_\d{4}-\d{2}-\d{2}\.png$/);
      const demoPng = readFileSync(withDemo.path);
      expect(pngSize(demoPng)).toEqual({ width: 1754, height: 1240, dpi: 150 });

      await exporter.setAllLayersVisible(false);
      await expect(page.locator('.demo-watermark')).toHaveCount(0);
      await map.waitForIdle();
      await exporter.openMapExport({ format: 'png', dpi: 150 });
      const withoutDemo = readFileSync((await exporter.runMapExport()).path);
      expect(pngSize(withoutDemo)).toEqual({ width: 1754, height: 1240, dpi: 150 });

      const mapBox = pageLayout('a4-landscape', 150).map;
      const inked = await watermarkPixels(page, demoPng, mapBox);
      const clean = await watermarkPixels(page, withoutDemo, mapBox);
      console.log(`watermark-hue pixels in the map: ${inked} with demo data, ${clean} without`);
      expect(inked).toBeGreaterThan(5_000);
      expect(clean).toBeLessThan(inked / 50);
    });

  });
});

test.describe('layer export with an import', () => {
  test('filtered wells as CSV in GK zone 39 (Chinese titles and labels): the row of a known well holds its store position transformed by shared/crs; the file maps back onto the layer', async ({ page }) => {
    test.setTimeout(300_000);
    const map = new MapDriver(page);
    const exporter = new ExportDriver(page);
    await map.open();
    await exporter.layers.open();
    await exporter.layers.showOnlyStatuses('wells', ['已登记']);
    const shown = await exporter.layers.shownCount('wells');
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(wellsTotal);
    await exporter.openLayerExport('wells', { format: 'CSV 表格', crs: 'EPSG:4527', scope: 'shown' });
    const saved = await exporter.runLayerExport();
    expect(saved.fileName).toMatch(/^地下水取水井_筛选_\d{4}-\d{2}-\d{2}_示例数据\.csv$/);
    const text = readFileSync(saved.path, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, ...cells] = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true }).data;
    const rows = cells.map((row) => Object.fromEntries(header!.map((name, index) => [name, row[index]])) as Record<string, string>);
    expect(rows).toHaveLength(shown);
    expect(new Set(rows.map((row) => row['关停状态']))).toEqual(new Set(['已登记']));
    expect(rows.every((row) => row['示例数据'] === '是')).toBe(true);
    expect(new Set(rows.map((row) => row['取水井类别']))).toEqual(new Set(['非农业取水井', '农业灌溉取水井']));
    const well = await storeWell(page, rows[0]!.onemap_id!);
    const [easting, northing] = transform(well.coordinates, 'EPSG:4326', 'EPSG:4527');
    expect(easting).toBeGreaterThan(39_000_000);
    expect(Math.abs(Number(rows[0]!['东坐标']) - easting)).toBeLessThan(0.001);
    expect(Math.abs(Number(rows[0]!['北坐标']) - northing)).toBeLessThan(0.001);
    expect(rows[0]!['井名/用水单位']).toBe(well.name);

    // Handed back, the file goes into its layer by itself: titles to fields, labels to codes.
    await exporter.closeLayerDialog();
    const wizard = new ImportDriver(page);
    await wizard.open();
    await wizard.chooseFile(saved.path);
    await wizard.detected();
    await wizard.chooseExistingLayer('地下水取水井');
    expect(await wizard.mappedColumn('取水井类别')).toBe('取水井类别');
    expect(await wizard.mappedColumn('用途')).toBe('用途');
    expect(await wizard.mappedColumn('井深')).toBe('井深（米）');
    await expect(wizard.wizard.getByTestId('import-mapping').getByLabel('状态', { exact: true })).toHaveValue('关停状态');
    await expect(wizard.wizard.getByTestId('import-required-missing')).toHaveCount(0);
    await expect(wizard.commitButton()).toBeEnabled();
  });

  test('a layer imported from a CSV with Chinese column names (编号, 名称, 类别) exports them under those names, and ogrinfo reads them', async ({ page }) => {
    test.setTimeout(300_000);
    test.skip(ogrinfoMissing, ogrinfoSkip);
    const map = new MapDriver(page);
    const exporter = new ExportDriver(page);
    const wizard = new ImportDriver(page);
    await map.open();
    await wizard.open();
    const csv = '编号,名称,类别,东坐标,北坐标\r\nJC-001,衡水市第一中学监测井,非农业取水井,39385840.202,4182882.134\r\nJC-002,桃城区人民公园监测井,非农业取水井,39387109.289,4182242.939\r\n';
    await wizard.chooseFile({ name: 'monitoring.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await wizard.detected();
    await wizard.chooseNewLayer();
    await wizard.commit();
    await wizard.waitForReport();
    await wizard.close();
    const layerId = (await wizard.storedLayer('import-1'))!.id;

    await exporter.openLayerExport(layerId, { format: 'CSV 表格', crs: 'EPSG:4527', scope: 'all' });
    const table = await exporter.runLayerExport();
    await exporter.closeLayerDialog();
    const [header, ...rows] = Papa.parse<string[]>(readFileSync(table.path, 'utf8').slice(1), { skipEmptyLines: true }).data;
    expect(header).toEqual(['onemap_id', '编号', '名称', '类别', '状态', '县区代码', '示例数据', '东坐标', '北坐标']);
    expect(rows.map((row) => row[2]).sort()).toEqual(['桃城区人民公园监测井', '衡水市第一中学监测井']);
    expect(rows.every((row) => row[4] === '已登记' && row[6] === '否')).toBe(true);

    await exporter.openLayerExport(layerId, { format: 'Shapefile（.zip）', encoding: 'gbk', scope: 'all' });
    const shapefile = await exporter.runLayerExport();
    const one = ogrinfo('-al', `/vsizip/${shapefile.path}`, '-where', "onemap_id IS NOT NULL");
    expect(one).toMatch(/Feature Count: 2\b/);
    expect(one).toContain('编号 (String) = JC-001');
    expect(one).toContain('名称 (String) = 衡水市第一中学监测井');
    expect(one).toContain('类别 (String) = 非农业取水井');
    expect(one).not.toMatch(/field\d/);
  });
});

/** Pixels of the watermark's hue (magenta-red, clearly saturated) inside a box of a PNG, counted in the page. */
async function watermarkPixels(page: Page, png: Buffer, box: { x: number; y: number; width: number; height: number }): Promise<number> {
  return page.evaluate(
    async ({ base64, box }) => {
      const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      const { data } = context.getImageData(box.x, box.y, box.width, box.height);
      let count = 0;
      for (let index = 0; index < data.length; index += 4) {
        const [r, g, b] = [data[index]!, data[index + 1]!, data[index + 2]!];
        const max = Math.max(r, g, b);
        const min = Math.min(r, g, b);
        if (max !== r || max - min < 0.2 * max) continue;
        // Hue between 320° and 355°: red above green, blue above green, blue well below red.
        const hue = 360 + (60 * (g - b)) / (max - min);
        if (hue >= 320 && hue <= 355) count += 1;
      }
      return count;
    },
    { base64: png.toString('base64'), box },
  );
}

function pngSize(png: Buffer): { width: number; height: number; dpi: number | null } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  const physical = png.indexOf(Buffer.from('pHYs', 'latin1'));
  return {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    dpi: physical < 0 ? null : Math.round(png.readUInt32BE(physical + 4) * 0.0254),
  };
}
