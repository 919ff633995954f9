import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gaussKrugerCode } from '../../shared/crs';
import { test, expect } from './helpers/test';
import { MapDriver } from './drivers/map-driver';
import { ImportDriver, metresBetween } from './drivers/import';

const fixtures = path.resolve('tests/fixtures/io');
const expected = JSON.parse(readFileSync(path.join(fixtures, 'expected.json'), 'utf8')) as {
  wells: { id: string; name: string; lonLat: [number, number] }[];
  villages: { name: string; firstVertexLonLat: [number, number] }[];
};

test.describe('import wizard', () => {
  test('an Excel register of wells in GK zone 39 goes into the wells layer with no option set: positions within 0.1 m of PROJ, Chinese intact, one undo step', async ({ page }) => {
    test.setTimeout(420_000);
    const wizard = new ImportDriver(page);
    await wizard.openApp();
    const before = await wizard.storeCounts();

    await wizard.open();
    await wizard.chooseFile(path.join(fixtures, 'wells-zone39.xlsx'));
    const detected = await wizard.detected();
    expect(detected.format).toBe('Excel（.xlsx）');
    expect(detected.crs).toContain('EPSG:4527');
    expect(detected.count).toBe('6');
    expect(await wizard.previewTableText()).toContain('北王庄1号井');
    // The preview is drawn on the map.
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const source = window.__onemap!.map.getSource('import-preview') as unknown as { getData(): Promise<{ features: unknown[] }> } | undefined;
          return source ? (await source.getData()).features.length : 0;
        }),
      )
      .toBe(6);

    await wizard.chooseExistingLayer('地下水取水井');
    // Matched by name: 井名 → 井名/用水单位, 井深米 → 井深 (米); 井编号 → the feature id.
    expect(await wizard.mappedColumn('井名/用水单位')).toBe('井名');
    expect(await wizard.mappedColumn('井深')).toBe('井深米');
    // The register has no well class or use: the required fields need a fixed value first.
    await expect(wizard.wizard.getByTestId('import-required-missing')).toContainText('取水井类别');
    await expect(wizard.commitButton()).toBeDisabled();
    await wizard.setFixedValue('取水井类别', '非农业取水井');
    await wizard.setFixedValue('用途', '其他');
    await wizard.commit();
    const report = await wizard.waitForReport();
    expect(report).toContain('已向“地下水取水井”添加 6 个要素');

    const after = await wizard.storeCounts();
    expect(after.journal).toBe(before.journal + 6);
    const stored = await wizard.storedFeatures('wells');
    for (const well of expected.wells) {
      const feature = stored.find((candidate) => candidate.id === well.id);
      expect(feature, well.id).toBeDefined();
      expect(feature!.properties.name).toBe(well.name);
      expect(feature!.properties.wellClass).toBe('non-agricultural');
      expect(feature!.status).toBe('registered');
      expect(metresBetween(feature!.geometry.coordinates as number[], well.lonLat), well.id).toBeLessThan(0.1);
    }
    expect(stored.find((feature) => feature.id === 'JS-004')?.properties.depthM).toBe(300);
    expect(stored.find((feature) => feature.id === 'JS-001')?.county).toBe(131102);

    // The mapping is remembered for this source.
    await wizard.close();
    await wizard.open();
    await wizard.chooseFile(path.join(fixtures, 'wells-zone39.xlsx'));
    await wizard.detected();
    await expect(wizard.wizard.getByText('已使用上次导入此来源时的字段对应。')).toBeVisible();
    expect(await wizard.mappedColumn('井深')).toBe('井深米');
    await wizard.close();

    // Undo removes the whole import as one step.
    await page.getByRole('button', { name: '撤销', exact: true }).click();
    await expect.poll(async () => (await wizard.storedFeatures('wells')).filter((feature) => feature.id.startsWith('JS-')).length).toBe(0);
  });

  test('a GBK Shapefile of villages without .cpg becomes a new layer with its fields, Chinese text correct', async ({ page }) => {
    test.setTimeout(420_000);
    const map = new MapDriver(page);
    const wizard = new ImportDriver(page);
    await wizard.openApp();
    const before = await wizard.storeCounts();

    await wizard.open();
    await wizard.chooseFile(path.join(fixtures, 'villages-gbk-no-cpg.zip'));
    const detected = await wizard.detected();
    expect(detected.format).toBe('Shapefile（.zip）');
    expect(detected.encoding).toBe('GBK');
    expect(detected.crs).toContain('EPSG:4527');
    expect(await wizard.previewTableText()).toContain('北王庄村');
    await wizard.chooseNewLayer();
    const fields = wizard.wizard.getByTestId('import-new-fields');
    await expect(fields).toContainText('村名');
    await expect(fields.getByLabel('户数 · 类型')).toHaveValue('integer');
    await wizard.commit();
    const report = await wizard.waitForReport();
    expect(report).toContain('已新建图层“villages”');
    expect(report).toContain('添加 6 个要素');

    const layer = await wizard.storedLayer('import-1');
    expect(layer?.name.zh).toBe('villages');
    expect(layer?.geometryType).toBe('Polygon');
    expect(layer?.fields.map((field) => field.label.zh)).toEqual(['村名', '乡镇', '户数', '人口', '备注']);
    const after = await wizard.storeCounts();
    // A small new layer (under 10,000 features) is journaled feature by feature, so that edit
    // packages carry it: one layer journal record and one journal entry per village.
    expect(after).toMatchObject({ layers: before.layers + 1, layerJournal: before.layerJournal + 1, journal: before.journal + expected.villages.length });
    const stored = await wizard.storedFeatures('import-1');
    const nameKey = layer!.fields[0]!.key;
    expect(stored.map((feature) => feature.properties[nameKey]).sort()).toEqual(expected.villages.map((village) => village.name).sort());
    for (const village of expected.villages) {
      const feature = stored.find((candidate) => candidate.properties[nameKey] === village.name)!;
      const firstVertex = (feature.geometry.coordinates as number[][][])[0]![0]!;
      expect(metresBetween(firstVertex, village.firstVertexLonLat), village.name).toBeLessThan(0.1);
    }
    await wizard.close();

    // The new layer is in the layer panel, drawn on the map.
    await map.openTab('图层');
    await expect(page.locator('.sidebar')).toContainText('villages');
    await expect.poll(() => page.evaluate(() => Boolean(window.__onemap!.map.getSource('planning:import-1')))).toBe(true);
  });

  test('Cancel while the features are being committed leaves the store exactly as it was', { tag: '@heavy' }, async ({ page, store }, testInfo) => {
    test.setTimeout(600_000);
    const wizard = new ImportDriver(page);
    await wizard.openApp();
    // A file big enough to be streamed (≥ 32 MiB): the commit reads it again and, once more than
    // the 100,000 features the import holds in memory have come, writes staged chunks while the
    // rest streams in, then one small change switches the layer over. Cancel is clicked once some
    // chunks are written (data-stored > 0), with 200,000 features still to come — every table
    // count must be as before.
    const file = testInfo.outputPath('cancel-points.geojson');
    writeBigPoints(file, 300_000);
    const before = await wizard.storeCounts();

    await wizard.open();
    await wizard.chooseFile(file);
    expect((await wizard.detected()).count).toBe('300,000');
    await wizard.chooseNewLayer();
    await wizard.commit();
    const progress = wizard.wizard.getByTestId('import-progress');
    await expect.poll(async () => Number((await progress.getAttribute('data-stored')) ?? 0), { timeout: 200_000, intervals: [100] }).toBeGreaterThan(0);
    await progress.getByRole('button', { name: '取消' }).click();
    await expect(wizard.wizard.getByTestId('import-outcome')).toHaveText('已取消，未写入任何数据。', { timeout: 150_000 });
    expect(await wizard.storeCounts()).toEqual(before);
    const layers = (await store.keys('layers')).map(String);
    expect(layers.filter((id) => id.startsWith('import-'))).toEqual([]);
  });

  test('a GeoJSON file bigger than 32 MiB is streamed: checked whole, previewed from a sample, committed batch by batch as a new layer', { tag: '@heavy' }, async ({ page, store }, testInfo) => {
    test.setTimeout(600_000);
    const wizard = new ImportDriver(page);
    await wizard.openApp();
    const count = 300_000;
    const file = testInfo.outputPath('big-points.geojson');
    writeBigPoints(file, count);
    expect(statSync(file).size).toBeGreaterThan(32 * 1024 * 1024);

    await wizard.open();
    await wizard.chooseFile(file);
    const detected = await wizard.detected();
    expect(detected.count).toBe('300,000');
    expect(detected.crs).toContain('EPSG:4326');
    // Only a sample is kept for the preview; the wizard says so.
    await expect(wizard.wizard.getByTestId('import-sampled')).toContainText('5,000');
    expect(await wizard.previewTableText()).toContain('测点 1');
    await wizard.chooseNewLayer();
    await expect(wizard.commitButton()).toHaveText('导入 300000 个要素');
    await wizard.commit();
    const report = await wizard.waitForReport();
    expect(report).toContain('300000');

    const layers = (await store.records<{ id: string; name: { zh: string } }>('layers')).map((layer) => ({ id: layer.id, name: layer.name.zh }));
    const imported = layers.find((layer) => layer.name === 'big-points');
    expect(imported, JSON.stringify(layers)).toBeDefined();
    const stored = await wizard.storedBaseSummary(imported!.id, 'name', ['测点 1', '测点 150000', '测点 300000']);
    expect(stored.featureCount).toBe(count);
    expect(stored.chunkFeatures).toBe(count);
    // Features far beyond the preview sample came in with their text and positions.
    const byName = new Map(stored.found.map((feature) => [feature.properties.name, feature.coordinates as number[]]));
    expect([...byName.keys()].sort()).toEqual(['测点 1', '测点 150000', '测点 300000']);
    expect(metresBetween(byName.get('测点 300000')!, bigPoint(count - 1))).toBeLessThan(0.01);
    expect(metresBetween(byName.get('测点 150000')!, bigPoint(149_999))).toBeLessThan(0.01);
  });

  test('an office register (title, 坐标系 note, header on row 3, 合计 and signature rows) imports: the rows left out are listed, the note gives the zone', async ({ page }) => {
    test.setTimeout(420_000);
    const wizard = new ImportDriver(page);
    await wizard.openApp();
    await wizard.open();
    await wizard.chooseFile(path.join(fixtures, 'well-register-2021.xlsx'));
    const detected = await wizard.detected();
    const zone39Plain = gaussKrugerCode({ zoneWidthDegrees: 3, centralMeridian: 117, zonePrefix: false })!;
    expect(detected.crs).toContain(zone39Plain);
    expect(detected.count).toBe('6');
    const layout = wizard.tableLayout();
    await expect(layout.getByTestId('import-table-found')).toContainText('表头在第 3 行，坐标列：X坐标、Y坐标');
    await expect(layout.getByTestId('import-table-crs-note')).toContainText(`第 2 行的坐标系说明按 ${zone39Plain} 读取`);
    const skipped = layout.getByTestId('import-table-skipped');
    await expect(skipped).toContainText('第 1 行（表头上方）：衡水市2021年非农业取水井关停台账');
    await expect(skipped).toContainText('第 10 行（数据之后）：合计 6眼');
    await expect(skipped).toContainText('第 11 行（数据之后）：审核人：王建国');
    expect(await wizard.previewTableText()).not.toContain('合计');
    await wizard.chooseNewLayer();
    await wizard.commit();
    expect(await wizard.waitForReport()).toContain('添加 6 个要素');
    const layer = await wizard.storedLayer('import-1');
    const key = (label: string) => layer!.fields.find((field) => field.label.zh === label)!.key;
    const stored = await wizard.storedFeatures('import-1');
    expect(stored).toHaveLength(6);
    for (const well of expected.wells) {
      const feature = stored.find((candidate) => candidate.properties[key('编号')] === well.id);
      expect(feature, well.id).toBeDefined();
      expect(metresBetween(feature!.geometry.coordinates as number[], well.lonLat), well.id).toBeLessThan(0.1);
    }
  });

  test('a .txt table whose header is not found by name: the wizard offers the header row and the coordinate columns, and reads it with them', async ({ page }) => {
    test.setTimeout(360_000);
    const wizard = new ImportDriver(page);
    await wizard.openApp();
    const before = await wizard.storeCounts();
    await wizard.open();
    // Tab-separated, a title line and a two-cell note above a header whose names say nothing of coordinates.
    const text = ['监测点位表', '填报单位：衡水市水务局\t填报日期：2021-06-30', '点号\t点名\t横向\t纵向', 'P1\t北王庄1号井\t39385840.202\t4182882.134', 'P2\t西关深井\t39402536.815\t4187863.167', ''].join('\r\n');
    await wizard.chooseFile({ name: '监测点.txt', mimeType: 'text/plain', buffer: Buffer.from(new TextEncoder().encode(text)) });
    const error = wizard.wizard.getByTestId('import-read-error');
    await expect(error).toContainText('找不到坐标列');
    // The reader took the note (two cells) for the header: the first rows are shown, the header row is corrected…
    await expect(wizard.tableLayout().getByTestId('import-table-found')).toContainText('把第 2 行当作表头时找不到坐标列');
    await expect(wizard.tableLayout().getByTestId('import-table-leading')).toContainText('第 3 行：点号 点名 横向 纵向');
    await wizard.correctTable({ headerRow: 3 });
    await expect(error).toContainText('表头（第 3 行）的列：点号、点名、横向、纵向');
    // …then the coordinate columns are chosen among that header's columns.
    await wizard.correctTable({ columns: ['横向', '纵向'] });
    const detected = await wizard.detected();
    expect(detected.crs).toContain('EPSG:4527');
    expect(detected.count).toBe('2');
    await expect(wizard.tableLayout().getByTestId('import-table-found')).toContainText('表头在第 3 行，坐标列：横向、纵向');
    await expect(wizard.tableLayout().getByTestId('import-table-skipped')).toContainText('第 2 行（表头上方）：填报单位：衡水市水务局 填报日期：2021-06-30');
    expect(await wizard.previewTableText()).toContain('西关深井');
    expect(await wizard.storeCounts()).toEqual(before);
  });

  test('a truncated zip is refused with an error naming the file; nothing is written', async ({ page }) => {
    test.setTimeout(360_000);
    const wizard = new ImportDriver(page);
    await wizard.openApp();
    const before = await wizard.storeCounts();
    const bytes = readFileSync(path.join(fixtures, 'villages-gbk-no-cpg.zip'));
    await wizard.open();
    await wizard.chooseFile({ name: 'villages-truncated.zip', mimeType: 'application/zip', buffer: bytes.subarray(0, Math.floor(bytes.length / 2)) });
    const error = wizard.wizard.getByTestId('import-read-error');
    await expect(error).toContainText('无法导入“villages-truncated.zip”');
    await expect(error).toContainText('未写入任何数据');
    expect(await wizard.storeCounts()).toEqual(before);
  });

  test('a broken JSON file is refused in the UI language; the parser\'s English message only behind 详情', async ({ page }) => {
    test.setTimeout(360_000);
    const wizard = new ImportDriver(page);
    await wizard.openApp();
    await wizard.open();
    await wizard.chooseFile({ name: '断开的.geojson', mimeType: 'application/geo+json', buffer: Buffer.from('{"type":"FeatureCollection","features":[') });
    const error = wizard.wizard.getByTestId('import-read-error');
    await expect(error).toHaveAttribute('data-error-code', 'invalid-json');
    await expect(error.locator('.error-sentence')).toHaveText('无法导入“断开的.geojson”：文件不是有效的 JSON。 未写入任何数据。');
    const technical = error.locator('details pre').last();
    await expect(technical).toBeHidden();
    await error.getByText('详情', { exact: true }).click();
    await expect(technical).toBeVisible();
    await expect(technical).toContainText(/JSON/);

    // In English the sentence is English.
    await page.getByRole('button', { name: '语言', exact: true }).click();
    await expect(error.locator('.error-sentence')).toHaveText('Cannot import "断开的.geojson": The file is not valid JSON. Nothing was written.');
  });

  test('a GeoPackage is read in the worker (sql.js WebAssembly under the CSP) and previewed', async ({ page }) => {
    test.setTimeout(360_000);
    const wizard = new ImportDriver(page);
    await wizard.openApp();
    await wizard.open();
    await wizard.chooseFile(path.join(fixtures, 'schools-zone39.gpkg'));
    const detected = await wizard.detected();
    expect(detected.format).toBe('GeoPackage');
    expect(detected.crs).toContain('EPSG:4527');
    expect(detected.count).toBe('4');
    expect(await wizard.previewTableText()).toContain('衡水市第一中学');
  });
});

/** Where the big file's point `index` is (a grid over Hengshui). */
function bigPoint(index: number): [number, number] {
  return [Number((115.3 + (index % 600) * 0.002).toFixed(7)), Number((37.2 + Math.floor(index / 600) * 0.0024).toFixed(7))];
}

/** A GeoJSON FeatureCollection of `count` points with Chinese names, written piece by piece. */
function writeBigPoints(file: string, count: number): void {
  const parts: string[] = ['{"type":"FeatureCollection","name":"big-points","features":[\n'];
  for (let index = 0; index < count; index += 1) {
    const [lon, lat] = bigPoint(index);
    parts.push(`${index ? ',\n' : ''}{"type":"Feature","properties":{"name":"测点 ${index + 1}","value":${index},"note":"示例数据：大文件流式导入测试"},"geometry":{"type":"Point","coordinates":[${lon},${lat}]}}`);
  }
  parts.push('\n]}\n');
  writeFileSync(file, parts.join(''));
}
