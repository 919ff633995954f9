import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from './helpers/test';
import { AppDriver } from './drivers/app-driver';
import { EditingDriver } from './drivers/editing';
import { ImportDriver, metresBetween } from './drivers/import';
import { MapDriver } from './drivers/map-driver';
import { ProgressDriver } from './drivers/progress-driver';
import { StoreProbe } from './drivers/store-probe';
import { WorkspacesDriver } from './drivers/workspaces-driver';

const fixtures = path.join(import.meta.dirname, '../fixtures/workspaces');
const boundaryFile = path.join(fixtures, 'shiyi-counties-gk120-gbk.zip');
const wellsFile = path.join(fixtures, 'shiyi-wells-gk120.csv');
const expectedWells = JSON.parse(readFileSync(path.join(fixtures, 'expected-wells.json'), 'utf8')) as Record<string, [number, number]>;
const wellsTarget = 'wells-non-agricultural-2021';
const city = '示例市';

/** A GeoJSON boundary file given as bytes: two counties share the code 990101. */
function duplicateCodesFile() {
  const box = (west: number) => [[[west, 36], [west + 0.1, 36], [west + 0.1, 36.1], [west, 36.1], [west, 36]]];
  const features = [990101, 990102, 990101].map((code, index) => ({ type: 'Feature', properties: { 代码: String(code), 名称: `${'甲乙丙'[index]}县` }, geometry: { type: 'Polygon', coordinates: box(120 + index * 0.1) } }));
  return { name: 'duplicates.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })) };
}

test.describe('workspaces', () => {
  test('a second city from a GBK Shapefile in a Gauss-Krüger zone: import, dashboard and status there, Hengshui untouched', async ({ page }, testInfo) => {
    test.setTimeout(300_000);
    const app = new AppDriver(page);
    const map = new MapDriver(page);
    const workspaces = new WorkspacesDriver(page);
    const hengshuiStore = new StoreProbe(page);
    await app.open();
    const hengshuiBefore = await hengshuiStore.digest();

    await workspaces.openTab();
    await expect(workspaces.panel.getByTestId('workspace-current')).toHaveText('当前工作区：衡水市');

    // A bad boundary file: refused with what to fix, nothing created.
    await workspaces.chooseBoundaryFile('重复代码', duplicateCodesFile());
    await expect(workspaces.boundaryError()).toContainText('第 3 个要素');
    await expect(workspaces.boundaryError()).toContainText('区划代码 990101 重复（第 1 个要素已使用）');
    await expect(workspaces.createButton()).toBeDisabled();
    expect(await workspaces.registered()).toEqual([]);

    // The real one: GBK names and the zone of its .prj found by the import readers.
    await workspaces.chooseBoundaryFile(city, boundaryFile);
    const detected = await workspaces.detected();
    expect(detected).toContain('Shapefile（.zip）');
    expect(detected).toContain('EPSG:4549');
    expect(detected).toContain('GBK');
    expect(await workspaces.countiesListed()).toEqual(['东城区 · 990102', '西山县 · 990121', '南湖县 · 990122', '北岭县 · 990123']);
    // The screenshot shows what was detected, the fields chosen and the counties it will make.
    await workspaces.form.getByTestId('workspace-detected').evaluate((detected) => {
      detected.scrollIntoView({ block: 'start' });
      let scroller = detected.parentElement;
      while (scroller && scroller.scrollHeight <= scroller.clientHeight) scroller = scroller.parentElement;
      scroller?.scrollBy(0, -120); // below the sticky tab bar
    });
    await new AppDriver(page).waitForSettled();
    await page.screenshot({ path: path.join(import.meta.dirname, '../artifacts/workspaces-new.png') });
    await workspaces.create(city);
    const creationMs = await workspaces.switchToIdleMs();

    const [registered] = await workspaces.registered();
    expect(registered).toMatchObject({ name: { zh: city }, database: expect.stringMatching(/^onemap-ws-ws-/) });
    registered!.extent.forEach((value, index) => expect(Math.abs(value - [119.75, 36.25, 120.25, 37.0][index]!)).toBeLessThan(1e-6));
    // The map draws the city's own counties (no bundled basemap: the panel says so) and starts on it.
    expect((await map.renderedCounties()).map((county) => county.adcode)).toEqual([990102, 990121, 990122, 990123]);
    await workspaces.openTab();
    await expect(workspaces.panel.getByTestId('workspace-basemap-note')).toContainText('没有内置底图');
    const [west, south, east, north] = await map.bounds();
    expect(west < 119.75 && east > 120.25 && south < 36.25 && north > 37.0 && east - west < 3).toBe(true);
    await page.screenshot({ path: path.join(import.meta.dirname, '../artifacts/workspaces-second-city.png') });

    // The import wizard detects the wells' zone from THIS workspace's extent (6-digit eastings, no CRS named).
    const wizard = new ImportDriver(page);
    await wizard.open();
    await wizard.chooseFile(wellsFile);
    expect((await wizard.detected()).crs).toContain('EPSG:4549');
    await wizard.chooseExistingLayer('地下水取水井');
    await wizard.setFixedValue('取水井类别', '非农业取水井');
    await wizard.setFixedValue('用途', '其他');
    await wizard.commit();
    expect(await wizard.waitForReport()).toContain('已向“地下水取水井”添加 6 个要素');
    await wizard.close();
    const cityStore = new StoreProbe(page, registered!.database);
    const well = await cityStore.editedFeature('wells', 'SY-0001');
    expect(well?.county).toBe(990102);
    expect(metresBetween(well!.geometry.coordinates as number[], expectedWells['SY-0001']!)).toBeLessThan(0.1);

    // The dashboard counts this city's wells by its counties; a status update moves it.
    const progress = new ProgressDriver(page);
    await progress.openProgress();
    await expect.poll(() => progress.reading(wellsTarget).then((reading) => reading.done)).toBe(0);
    await new EditingDriver(page).openFromSearch('东城1号井', 'SY-0001');
    await progress.changeStatus('已封填', '2021-06-30');
    await progress.openProgress();
    await expect.poll(() => progress.reading(wellsTarget).then((reading) => reading.done)).toBe(1);
    expect(await progress.countyDone(wellsTarget, 990102)).toBe(1);

    // Back to Hengshui: its store is exactly as before; its counties and its own progress are back.
    const backMs = await workspaces.switchTo('衡水市');
    expect((await map.renderedCounties()).map((county) => county.adcode)).toContain(131102);
    expect(await hengshuiStore.digest()).toEqual(hengshuiBefore);
    await progress.openProgress();
    expect((await progress.reading(wellsTarget)).done).toBeGreaterThan(1);

    // And to the city again: what was done there is still there.
    const againMs = await workspaces.switchTo(city);
    expect((await cityStore.editedFeature('wells', 'SY-0001'))?.status).toBe('sealed');
    await progress.openProgress();
    await expect.poll(() => progress.reading(wellsTarget).then((reading) => reading.done)).toBe(1);
    const times = { creationMs, backMs, againMs, againBackMs: await workspaces.switchTo('衡水市') };
    testInfo.annotations.push({ type: 'switch-to-idle-ms', description: JSON.stringify(times) });
    console.log('switch to map idle (ms):', JSON.stringify(times));
  });

  test('a template of Hengshui (definitions, targets, boundaries) starts another workspace; a damaged one creates nothing', async ({ page }) => {
    test.setTimeout(240_000);
    const workspaces = new WorkspacesDriver(page);
    const map = new MapDriver(page);
    await new AppDriver(page).open();
    await workspaces.openTab();
    const section = page.getByTestId('workspace-template');

    await section.getByLabel('从模板新建工作区').setInputFiles({ name: 'broken.onemap-template', mimeType: 'application/gzip', buffer: Buffer.from('not a template') });
    await expect(section.getByTestId('workspace-template-error')).toContainText('“broken.onemap-template”不是有效的工作区模板');
    expect(await workspaces.registered()).toEqual([]);

    const downloading = page.waitForEvent('download');
    await section.getByRole('button', { name: '导出为模板' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^衡水市-\d{4}-\d{2}-\d{2}\.onemap-template$/);
    const bytes = readFileSync(await download.path());

    await section.getByLabel('新工作区名称').fill('邢台市（模板）');
    await section.getByLabel('从模板新建工作区').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/gzip', buffer: bytes });
    await workspaces.waitForOpen('邢台市（模板）');
    // Hengshui's boundaries and targets came with the template; no features did.
    expect((await map.renderedCounties()).map((county) => county.adcode)).toContain(131102);
    const [registered] = await workspaces.registered();
    const store = new StoreProbe(page, registered!.database);
    expect(await store.count('targets')).toBeGreaterThan(10);
    expect((await store.currentFeatures()).count).toBe(0);
    const progress = new ProgressDriver(page);
    await progress.openProgress();
    await expect.poll(() => progress.reading(wellsTarget).then((reading) => reading.done)).toBe(0);
  });
});
