// Issue 19, item 5, in Chromium: the store the app wrote in real IndexedDB (the seeded demo layers,
// restored from the saved profile) holds one id filter per chunk and each generation's id index,
// and the app's store code finds a feature by id on a new connection reading one index bucket and
// one chunk, not the whole layer.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from './helpers/test';
import { STORE_NAME } from './drivers/store-probe';
import type { LayerLookupReport } from './feature-lookup-page/entry';

const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'feature-lookup-page', 'entry.ts');

async function bundle(): Promise<string> {
  const result = await build({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, logLevel: 'warning' });
  return result.outputFiles[0]!.text;
}

test('a feature is found by id through its generation\'s id index in the store the app wrote', async ({ page, app }) => {
  await app.open();
  // Evaluated over the protocol: the page's CSP (script-src 'self') does not apply to it.
  await page.evaluate(await bundle());
  const reports = await page.evaluate((name) => (window as unknown as { __featureLookup: { check(name: string): Promise<LayerLookupReport[]> } }).__featureLookup.check(name), STORE_NAME);
  expect(reports.length, 'layer bases in the seeded store').toBeGreaterThan(0);
  expect(reports.filter((report) => report.chunks >= 3).length, 'layers of three chunks or more').toBeGreaterThan(0);
  for (const report of reports) {
    expect(report.filters, `${report.layerId}: one filter per chunk`).toBe(report.chunks);
    expect(report.filterTypes, `${report.layerId}: filters stored as plain strings`).toEqual(['string']);
    expect(report.buckets, `${report.layerId}: the generation's index buckets`).toBe(report.bucketsExpected);
    expect(report.bucketTypes, `${report.layerId}: buckets stored as plain strings`).toEqual(['string']);
    expect(report.otherRows, `${report.layerId}: rows that are neither filter nor bucket (a version 6 pack)`).toBe(0);
    expect(report.idsMissingFromFilters, `${report.layerId}: ids missing from their chunk's filter`).toBe(0);
    expect(report.idsMissingFromIndex, `${report.layerId}: ids the index does not place in their chunk`).toBe(0);
    expect(report.found, `${report.layerId}: ${report.lookedUp} found`).toBe(true);
    expect(report.filterRowsRead, `${report.layerId}: featureFilters rows read to find ${report.lookedUp}`).toBe(1);
    expect(report.readItsBucket, `${report.layerId}: the row read is ${report.lookedUp}'s bucket`).toBe(true);
    expect(report.chunksRead, `${report.layerId}: chunks read to find ${report.lookedUp}`).toBe(1);
  }
});
