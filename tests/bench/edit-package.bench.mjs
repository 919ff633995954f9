// Issue 5: export and import an edit package with 10,000 changed features and 200 photos, in
// Debian Chromium against real IndexedDB, through the store's own code (renderer/src/db/sync.ts:
// exportEditPackage — versions, current features, layers, photos, zipped with per-file SHA-256 —
// and importEditPackage — checked completely, merged per feature, applied through transact in one
// transaction). Printed: export time, import time, package size.
// Baseline in the same run, as ratios: the whole-store backup of the same store (backup.ts:
// exportBackup + backupToJson; backupFromJson + restoreBackup into an empty store) — the other way
// to move the same edits from one machine to another today.
// Knobs: ONEMAP_BENCH_PACKAGE_FEATURES (10000), ONEMAP_BENCH_PACKAGE_PHOTOS (200),
// ONEMAP_BENCH_PACKAGE_PHOTO_KB (150), ONEMAP_BENCH_ROUNDS (3).
/* global window */
import http from 'node:http';
import os from 'node:os';
import { build } from 'esbuild';
import { environmentInfo, formatMiB, formatMs, formatRatio, guardContext, importTs, launchChromium, loadNote, median, onCleanup, roundsFromEnvironment, root } from './lib.mjs';

export const name = 'edit-package';
export const title = 'Issue 5 edit package: export + import of 10,000 changed features and 200 photos vs whole-store backup export + restore';
export const needsApp = false;

const FEATURES = Number(process.env.ONEMAP_BENCH_PACKAGE_FEATURES ?? 10_000);
const PHOTOS = Number(process.env.ONEMAP_BENCH_PACKAGE_PHOTOS ?? 200);
const PHOTO_KB = Number(process.env.ONEMAP_BENCH_PACKAGE_PHOTO_KB ?? 150);

// Runs in the page (bundled as an IIFE and evaluated over CDP, like status-edit's store script).
const pageSource = `
import { seed, transact, exportEditPackage, importEditPackage, exportBackup, backupToJson, backupFromJson, restoreBackup, OneMapDatabase, getFeature, listPhotos } from './renderer/src/db';
import { hengshuiLayers } from './seeds';

const wellsLayer = hengshuiLayers.find((layer) => layer.id === 'wells');

function wells(count) {
  const side = Math.ceil(Math.sqrt(count));
  return Array.from({ length: count }, (_, index) => ({
    type: 'Feature',
    id: 'W-' + String(index + 1).padStart(6, '0'),
    properties: { name: 'Well ' + (index + 1), wellClass: 'non-agricultural', useType: 'industrial', depthM: 100 + (index % 300), status: 'registered', county: 131102, demo: true },
    geometry: { type: 'Point', coordinates: [115.25 + ((index % side) / side) * 1.3, 37.1 + (Math.floor(index / side) / side) * 1.2] },
  }));
}

async function open(name) {
  const database = new OneMapDatabase(name);
  await database.open();
  return database;
}

async function prepare({ features, photos, photoKb, prefix }) {
  const time = new Date('2021-06-30T00:00:00Z');
  const source = await open(prefix + '-source');
  const target = await open(prefix + '-target');
  const restored = await open(prefix + '-restored');
  for (const database of [source, target]) await seed(database, { layers: [wellsLayer], demoCollections: [{ layer: 'wells', features: wells(features) }], time });
  // 10,000 changed features: one bulk edit (a property each), as a survey team would bring back.
  const ids = wells(features).map((feature) => feature.id);
  await transact(source, { author: 'bench', operations: ids.map((featureId, index) => ({ kind: 'update', layerId: 'wells', featureId, properties: { depthM: 500 + (index % 700) } })) });
  // 200 photos on 200 of them (random bytes: a JPEG does not compress either).
  let state = 20210630;
  const bytes = (size) => {
    const array = new Uint8Array(size);
    for (let index = 0; index < size; index += 1) {
      state = (state * 1103515245 + 12345) >>> 0;
      array[index] = state >>> 24;
    }
    return array;
  };
  for (let start = 0; start < photos; start += 50) {
    const operations = [];
    for (let index = start; index < Math.min(photos, start + 50); index += 1) {
      operations.push({ kind: 'attach', layerId: 'wells', featureId: ids[index * Math.floor(features / photos)], attachment: { blob: new Blob([bytes(photoKb * 1024)], { type: 'image/jpeg' }), fileName: 'photo-' + index + '.jpg', mediaType: 'image/jpeg', thumbnail: new Blob([bytes(4096)], { type: 'image/jpeg' }) } });
    }
    await transact(source, { author: 'bench', operations });
  }
  return { source, target, restored, ids };
}

window.__editPackageBench = {
  async run({ features, photos, photoKb, prefix }) {
    const { source, target, restored, ids } = await prepare({ features, photos, photoKb, prefix });
    let started = performance.now();
    const exported = await exportEditPackage(source, { all: true });
    const exportMs = performance.now() - started;
    started = performance.now();
    const report = await importEditPackage(target, exported.bytes);
    const importMs = performance.now() - started;
    // Check the edits arrived (not just that nothing threw).
    const last = await getFeature(target, 'wells', ids[ids.length - 1]);
    const photoCount = (await listPhotos(target, 'wells', ids[0])).length;
    if (report.applied !== features || last.properties.depthM !== 500 + ((features - 1) % 700) || photoCount !== 1 || report.photos !== photos) {
      throw new Error('import incomplete: ' + JSON.stringify({ applied: report.applied, photos: report.photos, photoCount }));
    }
    // Baseline: the whole-store backup, exported as JSON text and restored into an empty store.
    started = performance.now();
    const json = backupToJson(await exportBackup(source));
    const backupMs = performance.now() - started;
    const backupBytes = new TextEncoder().encode(json).length;
    started = performance.now();
    await restoreBackup(restored, backupFromJson(json));
    const restoreMs = performance.now() - started;
    for (const database of [source, target, restored]) {
      database.close();
      await database.delete();
    }
    return { exportMs, importMs, packageBytes: exported.bytes.length, versions: exported.manifest.counts.versions, backupMs, restoreMs, backupBytes, report };
  },
};
`;

async function bundlePageScript() {
  const result = await build({
    stdin: { contents: pageSource, resolveDir: root, sourcefile: 'edit-package-page.mjs', loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

/** An empty page on 127.0.0.1 under the web shell's CSP: the origin whose IndexedDB the bench uses. */
async function serveBlankPage() {
  const { contentSecurityPolicy } = await importTs('shared/shell/content-security-policy.ts');
  const server = http.createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': contentSecurityPolicy() });
    response.end('<!doctype html><html lang="zh-CN"><head><meta charset="UTF-8"><title>edit package bench</title></head><body></body></html>');
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const close = () => new Promise((resolve) => server.close(() => resolve()));
  const unregister = onCleanup(close);
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    async close() {
      unregister();
      server.closeAllConnections?.();
      await close();
    },
  };
}

export async function run({ log }) {
  const rounds = roundsFromEnvironment(3);
  log(`${FEATURES.toLocaleString('en')} changed features, ${PHOTOS} photos of ${PHOTO_KB} KB; ${rounds} round(s)`);
  const script = await bundlePageScript();
  const server = await serveBlankPage();
  const loadBefore = os.loadavg()[0];
  const rows = [];
  const samples = [];
  let browserInfo = null;
  try {
    for (let round = 1; round <= rounds; round += 1) {
      const browser = await launchChromium();
      browserInfo ??= environmentInfo(browser);
      try {
        const context = await browser.newContext();
        const guard = await guardContext(context, [server.url]);
        const page = await context.newPage();
        await page.goto(server.url);
        // zod's JIT must be off: its compiled validators would hit the page's CSP (no 'unsafe-eval').
        await page.evaluate(() => {
          globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig ?? {}, { jitless: true });
        });
        await page.evaluate(script);
        const result = await page.evaluate((options) => window.__editPackageBench.run(options), { features: FEATURES, photos: PHOTOS, photoKb: PHOTO_KB, prefix: `edit-package-${round}` });
        guard.assertClean(`edit-package round ${round}`);
        await context.close();
        samples.push(result);
        rows.push([
          String(round),
          formatMs(result.exportMs),
          formatMs(result.importMs),
          formatMiB(result.packageBytes),
          formatMs(result.backupMs),
          formatMs(result.restoreMs),
          formatMiB(result.backupBytes),
          formatRatio(result.backupMs / result.exportMs),
          formatRatio(result.restoreMs / result.importMs),
          formatRatio(result.packageBytes / result.backupBytes),
        ]);
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }
  const pick = (key) => median(samples.map((sample) => sample[key]));
  rows.push([
    'median',
    formatMs(pick('exportMs')),
    formatMs(pick('importMs')),
    formatMiB(pick('packageBytes')),
    formatMs(pick('backupMs')),
    formatMs(pick('restoreMs')),
    formatMiB(pick('backupBytes')),
    formatRatio(pick('backupMs') / pick('exportMs')),
    formatRatio(pick('restoreMs') / pick('importMs')),
    formatRatio(pick('packageBytes') / pick('backupBytes')),
  ]);
  return {
    tables: [
      {
        title:
          `${loadNote({ before: loadBefore, after: os.loadavg()[0], cpus: os.cpus().length })}` +
          `Edit package with ${FEATURES.toLocaleString('en')} changed features and ${PHOTOS} photos (${PHOTO_KB} KB each), exported from one store and imported into another (same seed), in Chromium. ` +
          `Baseline: whole-store backup (JSON, photos base64) export and restore of the same store. backup/package > 1× means the package was faster; package/backup size < 1× means smaller.`,
        columns: ['round', 'export', 'import', 'package size', 'backup export', 'backup restore', 'backup size', 'backup/export', 'restore/import', 'package/backup size'],
        rows,
      },
    ],
    data: { features: FEATURES, photos: PHOTOS, photoKb: PHOTO_KB, samples, environment: browserInfo },
  };
}
