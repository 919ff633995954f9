// The data set of the rendering benches (B3 pan/zoom, B9 open): synthetic points and polygons as
// GeoJSON files, and the same files pre-cut by GDAL to MBTiles. Pre-cutting 250,000 features takes
// GDAL minutes here, so both are kept under test-reports/bench/cache/, keyed by counts, seed and
// zooms, and reused by later runs. Also drives the app's own import wizard to bring the files into
// a page's store, as a user would.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildMbtiles, readMbtiles } from './gdal-tiles.mjs';
import { root } from './lib.mjs';
import { syntheticPoints, syntheticPolygons, writeGeoJson } from './synthetic-layers.mjs';

export const renderDataSeed = 20210630;

/**
 * { points, polygons } counts (a count of 0 leaves that layer out). Returns the GeoJSON files, the
 * tiles read from the MBTiles and whether they came from the cache.
 */
export async function prepareRenderData({ points, polygons, minZoom, maxZoom, log }) {
  const key = `p${points}-a${polygons}-s${renderDataSeed}-z${minZoom}-${maxZoom}`;
  const directory = path.join(root, 'test-reports/bench/cache', key);
  const mbtiles = path.join(directory, 'layers.mbtiles');
  const files = {
    points: points > 0 ? path.join(directory, 'points.geojson') : null,
    polygons: polygons > 0 ? path.join(directory, 'polygons.geojson') : null,
  };
  const cached = existsSync(mbtiles);
  if (!cached) {
    // Built in a scratch folder and renamed at the end, so an interrupted run leaves no half cache.
    const scratch = `${directory}.partial`;
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    const layers = [];
    if (points > 0) {
      await writeGeoJson(path.join(scratch, 'points.geojson'), syntheticPoints(points, renderDataSeed));
      layers.push({ name: 'points', file: path.join(scratch, 'points.geojson') });
    }
    if (polygons > 0) {
      await writeGeoJson(path.join(scratch, 'polygons.geojson'), syntheticPolygons(polygons, renderDataSeed));
      layers.push({ name: 'polygons', file: path.join(scratch, 'polygons.geojson') });
    }
    const started = Date.now();
    log?.(`  pre-cutting ${points.toLocaleString('en')} points + ${polygons.toLocaleString('en')} polygons to MBTiles (z${minZoom}–${maxZoom}) with GDAL…`);
    buildMbtiles(scratch, layers, { minZoom, maxZoom });
    log?.(`  GDAL pre-cut in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(path.dirname(directory), { recursive: true });
    renameSync(scratch, directory);
  }
  const { tiles, bytes } = readMbtiles(mbtiles);
  return { files, tiles, tileBytes: bytes, cached, mbtiles };
}

/**
 * Imports one GeoJSON file into the open app as a new layer through the import wizard (the same
 * clicks as tests/e2e/drivers/import.ts) and waits for its report. Returns the report's text.
 */
export async function importThroughWizard(page, file, timeoutMs) {
  await page.getByRole('button', { name: '导入', exact: true }).click();
  const wizard = page.getByTestId('import-wizard');
  await wizard.waitFor({ timeout: timeoutMs });
  await wizard.getByLabel('选择文件', { exact: true }).setInputFiles(file);
  await wizard.getByTestId('import-detected').waitFor({ timeout: timeoutMs });
  await wizard.getByRole('radio', { name: '新建图层' }).check();
  await wizard.getByRole('button', { name: /^导入 \d+ 个要素$/ }).click();
  const report = wizard.getByTestId('import-report');
  await report.waitFor({ timeout: timeoutMs });
  const text = (await report.textContent()) ?? '';
  await wizard.getByRole('button', { name: '关闭' }).last().click();
  await wizard.waitFor({ state: 'detached', timeout: timeoutMs });
  return text;
}
