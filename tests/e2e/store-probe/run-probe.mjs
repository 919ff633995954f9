// Measures the store in real Chromium (persistent profile, so IndexedDB hits the disk):
// seeds N small point features through renderer/src/db (packed chunks), relaunches the browser,
// reads them back, edits; and the same N as one record per feature with bulkPut as the baseline.
//
//   node tests/e2e/store-probe/run-probe.mjs [counts=100000,1000000] [--baseline-max=1000000] [--batch=10000]
//   node tests/e2e/store-probe/run-probe.mjs 100000 --encodings   (chunk record encodings only)
//
// Bundles probe-entry.ts with esbuild into a temp dir and serves it on 127.0.0.1 (random port).
// Prints one JSON line per measurement and a summary table at the end.
/* global window, document -- used inside page.evaluate callbacks, which run in the browser */
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium } from '@playwright/test';

const here = dirname(fileURLToPath(import.meta.url));
const argumentList = process.argv.slice(2);
const option = (name, fallback) => {
  const found = argumentList.find((argument) => argument.startsWith(`--${name}=`));
  return found === undefined ? fallback : found.slice(name.length + 3);
};
const counts = (argumentList.find((argument) => !argument.startsWith('--')) ?? '100000,1000000').split(',').map(Number);
const baselineMax = Number(option('baseline-max', '1000000'));
const batchSize = Number(option('batch', '10000'));
const chunksPerTransaction = option('chunks-per-transaction', undefined);

const work = await mkdtemp(join(tmpdir(), 'onemap-store-probe-'));
try {
  // The browser page, and the Chromium helper (TypeScript) compiled for Node.
  await build({
    entryPoints: [join(here, 'probe-entry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(work, 'site', 'probe.js'),
    logLevel: 'warning',
  });
  await writeFile(join(work, 'site', 'index.html'), '<!doctype html><meta charset="utf-8"><title>store-probe</title><script type="module" src="probe.js"></script>');
  await build({ entryPoints: [join(here, '..', 'helpers', 'chromium.ts')], format: 'esm', platform: 'node', outfile: join(work, 'chromium.mjs'), logLevel: 'warning' });
  const { chromiumExecutable, chromiumArguments } = await import(pathToFileURL(join(work, 'chromium.mjs')).href);

  const server = createServer(async (request, response) => {
    const name = request.url === '/' ? 'index.html' : (request.url ?? '').slice(1).split('?')[0];
    if (name !== 'index.html' && name !== 'probe.js') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': name.endsWith('.js') ? 'text/javascript' : 'text/html' });
    response.end(await readFile(join(work, 'site', name)));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;

  const withPage = async (profile, action) => {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumExecutable(),
      args: [...chromiumArguments, '--js-flags=--max-old-space-size=8192'],
      headless: true,
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      page.setDefaultTimeout(0);
      await page.goto(url);
      await page.waitForFunction(() => document.title === 'store-probe ready');
      return await action(page);
    } finally {
      await context.close();
    }
  };

  const results = [];
  const record = (name, value) => {
    results.push({ name, ...value });
    console.log(JSON.stringify({ name, ...value }));
  };

  if (argumentList.includes('--encodings')) {
    for (const count of counts) {
      const profile = join(work, `profile-encodings-${count}`);
      record(`encodings ${count}`, await withPage(profile, (page) => page.evaluate((n) => window.storeProbe.compareChunkEncodings(n), count)));
      await rm(profile, { recursive: true, force: true });
    }
    counts.length = 0;
  }

  for (const count of counts) {
    const profile = join(work, `profile-${count}`);
    const databaseName = `probe-${count}`;
    for (const validate of [true, false]) {
      const seeded = await withPage(profile, (page) =>
        page.evaluate(
          ([n, v, name, perTransaction]) => window.storeProbe.seedPoints(n, { validate: v, databaseName: name, ...(perTransaction ? { chunksPerTransaction: Number(perTransaction) } : {}) }),
          [count, validate, databaseName, chunksPerTransaction],
        ),
      );
      record(`seed ${count} (validate ${validate})`, seeded);
    }
    // A new browser process on the same profile: the data comes from disk.
    const loaded = await withPage(profile, (page) => page.evaluate(([name, n]) => window.storeProbe.loadPoints(name, n), [databaseName, count]));
    record(`load ${count}`, loaded);
    const storage = await withPage(profile, (page) => page.evaluate(() => window.storeProbe.storageEstimate()));
    record(`storage after ${count}`, { usageMB: Math.round(storage.usage / 1e6), quotaMB: Math.round(storage.quota / 1e6) });
    if (count <= baselineMax) {
      const baseline = await withPage(profile, (page) => page.evaluate(([n, b]) => window.storeProbe.baselineBulkPut(n, b), [count, batchSize]));
      record(`baseline bulkPut ${count}`, baseline);
      const baselineLoaded = await withPage(profile, (page) => page.evaluate(() => window.storeProbe.baselineLoad()));
      record(`baseline load ${count}`, baselineLoaded);
    }
    await rm(profile, { recursive: true, force: true });
  }
  server.close();

  console.log('\nsummary (features/s)');
  for (const result of results) {
    if (result.featuresPerSecond !== undefined) {
      const time = result.seedSeconds ?? result.readSeconds ?? result.writeSeconds;
      console.log(`${result.name.padEnd(36)} ${String(Math.round(result.featuresPerSecond)).padStart(10)} /s  (${time.toFixed(2)} s)`);
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
