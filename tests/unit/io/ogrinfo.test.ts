// Exported Shapefiles and GeoPackages open in GDAL's ogrinfo with the right feature count, CRS and text.
// Needs gdal-bin at run time; skipped with a printed reason where ogrinfo is missing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { exportFeatures, type ExportFormat, type ExportOptions } from '../../../shared/io';
import type { GeoJsonFeature } from '../../../shared/model/geojson-feature';

const probe = spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' });
const ogrinfoVersion = probe.status === 0 ? probe.stdout.trim() : null;
if (!ogrinfoVersion) console.warn('tests/unit/io/ogrinfo.test.ts skipped: ogrinfo (Debian gdal-bin) is not installed.');

const villages: GeoJsonFeature[] = ['北王庄村', '大刘庄村', '前李家屯'].map((name, index) => ({
  type: 'Feature',
  id: `v${index}`,
  properties: { 村名: name, 户数: 100 + index, 备注: index === 1 ? '含“古槐”保护点' : null },
  geometry: {
    type: 'Polygon',
    coordinates: [[[115.7 + index * 0.05, 37.7], [115.71 + index * 0.05, 37.7], [115.71 + index * 0.05, 37.71], [115.7 + index * 0.05, 37.7]]],
  },
}));

const work = mkdtempSync(join(tmpdir(), 'onemap-ogrinfo-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function ogrinfo(format: ExportFormat, options: ExportOptions): Promise<string> {
  const exported = await exportFeatures(villages, format, { name: 'villages', ...options });
  const path = join(work, `${options.encoding ?? 'utf-8'}-${options.crs ?? 'wgs84'}-${exported.fileName}`);
  writeFileSync(path, exported.bytes);
  const source = format === 'shapefile' ? `/vsizip/${path}/villages.shp` : path;
  const run = spawnSync('ogrinfo', ['-al', '-ro', source], { encoding: 'utf8' });
  expect(run.status).toBe(0);
  // GDAL reports what it dislikes (a wrong application_id, a bad blob…) on stderr.
  return run.stdout + run.stderr;
}

describe.skipIf(!ogrinfoVersion)(`exports open in ogrinfo (${ogrinfoVersion ?? 'missing'})`, () => {
  const expectVillages = (output: string): void => {
    expect(output).toMatch(/Feature Count: 3\b/);
    for (const name of ['北王庄村', '大刘庄村', '前李家屯', '含“古槐”保护点']) expect(output).toContain(name);
  };

  test('Shapefile, UTF-8 with .cpg, GK zone 39 → EPSG:4527', async () => {
    const output = await ogrinfo('shapefile', { crs: 'EPSG:4527' });
    expectVillages(output);
    expect(output).toContain('Geometry: Polygon');
    expect(output).toMatch(/CGCS2000 \/ 3-degree Gauss-Kruger zone 39/);
    expect(output).toMatch(/户数 \(Integer/);
  });

  test('Shapefile, GBK with .cpg and language driver 0x4D, WGS84', async () => {
    const output = await ogrinfo('shapefile', { encoding: 'gbk' });
    expectVillages(output);
    expect(output).toMatch(/GEOGCRS\["WGS 84"/);
  });

  test('GeoPackage, EPSG:4326, properties as columns', async () => {
    const output = await ogrinfo('geopackage', {});
    expectVillages(output);
    expect(output).toMatch(/ID\["EPSG",4326\]/);
    expect(output).toMatch(/村名 \(String\)/);
    expect(output).toMatch(/onemap_id \(String\) = v1/);
    expect(output).not.toMatch(/ERROR|Warning|warning/);
  });
});
