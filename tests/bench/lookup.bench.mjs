// B10: the first lookup of a feature by id in a 1,000,000-point layer, on a fresh connection to
// the store, through the chunks' featureIds index (findBaseFeatures) vs the baseline in the same
// run: reading every chunk of the layer to build an id → chunk directory, as the first lookup
// did before the index. Also the cost of the index when writing: the same base written into a
// store with the index and into one with version 5's chunk indexes only.
// Goal (issue 19): the first lookup ≤ 50 ms at 1,000,000. Self-check: ONEMAP_BENCH_LOOKUP_DELAY_MS
// adds that delay inside the timed lookup; the ratio must move by it.
// Env: ONEMAP_BENCH_LOOKUP_FEATURES (1,000,000), ONEMAP_BENCH_ROUNDS (lookups on fresh connections, 5).
/* global window */
import { build } from 'esbuild';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumSettings, environmentInfo, formatMs, formatRatio, guardContext, importTs, loadNote, median, onCleanup, roundsFromEnvironment } from './lib.mjs';

export const name = 'lookup';
export const title = 'B10 first lookup by id in a 1,000,000-point layer: featureIds index vs reading every chunk';
export const needsApp = false;

const FEATURES = Number(process.env.ONEMAP_BENCH_LOOKUP_FEATURES ?? 1_000_000);
const DELAY_MS = Number(process.env.ONEMAP_BENCH_LOOKUP_DELAY_MS ?? 0);
const GOAL_MS = 50;

async function bundlePage(directory) {
  await build({
    entryPoints: { 'lookup-page': path.join(import.meta.dirname, 'lookup-page.mjs') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outdir: directory,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  await writeFile(path.join(directory, 'index.html'), '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="./lookup-page.js"></script></head><body>B10</body></html>\n');
}

/** The page on 127.0.0.1 under the app's CSP; ONEMAP_BENCH_LOOKUP_PORT (47748) or the next free one. */
async function serve(directory, csp) {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };
  const server = http.createServer(async (request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const file = path.join(directory, pathname === '/' ? 'index.html' : path.basename(pathname));
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(process.env.ONEMAP_BENCH_LOOKUP_PORT ?? 47748), '127.0.0.1', resolve);
  });
  const close = () => new Promise((resolve) => server.close(() => resolve()));
  onCleanup(close);
  return { url: `http://127.0.0.1:${server.address().port}/`, close };
}

export async function run({ log }) {
  const rounds = roundsFromEnvironment(5);
  const directory = await mkdtemp(path.join(os.tmpdir(), 'onemap-bench-lookup-'));
  onCleanup(() => rm(directory, { recursive: true, force: true }));
  await bundlePage(directory);
  const { contentSecurityPolicy } = await importTs('shared/shell/content-security-policy.ts');
  const server = await serve(directory, contentSecurityPolicy());
  const loadBefore = os.loadavg()[0];
  log(`${FEATURES.toLocaleString('en')} points; ${rounds} first lookup(s), each on a new connection${DELAY_MS > 0 ? `; self-check delay ${DELAY_MS} ms` : ''}`);
  // A profile on disk, as the desktop app's, with all its switches (an in-memory profile under
  // low-end mode refuses large writes: tests/e2e/helpers/chromium.ts).
  const { executablePath, args } = await chromiumSettings({ desktop: true });
  const context = await chromium.launchPersistentContext(path.join(directory, 'profile'), { executablePath, args, headless: true, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  onCleanup(() => context.close());
  const data = { features: FEATURES, delayMs: DELAY_MS, environment: environmentInfo(context.browser()) };
  try {
    const guard = await guardContext(context, [server.url]);
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(1_800_000);
    await page.goto(server.url);
    await page.waitForFunction(() => window.__b10Ready === true);
    log('writing the base without the index…');
    const plain = await page.evaluate((request) => window.__b10.write(request), { count: FEATURES, databaseName: 'b10-plain', indexed: false });
    await page.evaluate((name) => window.__b10.drop(name), 'b10-plain');
    log(`… ${formatMs(plain.ms)}; writing it with the index…`);
    const indexed = await page.evaluate((request) => window.__b10.write(request), { count: FEATURES, databaseName: 'b10', indexed: true });
    log(`written: ${indexed.chunks} chunks; with the index ${formatMs(indexed.ms)}, without ${formatMs(plain.ms)}`);
    const indices = Array.from({ length: rounds }, (_, round) => Math.floor(((round + 0.5) / rounds) * FEATURES));
    const lookups = [];
    for (const index of indices) lookups.push((await page.evaluate((request) => window.__b10.firstLookup(request), { databaseName: 'b10', index, delayMs: DELAY_MS, baseline: false })).ms);
    const baseline = await page.evaluate((request) => window.__b10.firstLookup(request), { databaseName: 'b10', index: indices[0], delayMs: 0, baseline: true });
    await page.evaluate((name) => window.__b10.drop(name), 'b10');
    guard.assertClean('B10');
    const lookup = median(lookups);
    Object.assign(data, { writeIndexedMs: indexed.ms, writePlainMs: plain.ms, chunks: indexed.chunks, lookupsMs: lookups, baselineMs: baseline.ms });
    log(`first lookups: ${lookups.map((ms) => ms.toFixed(1)).join(', ')} ms; reading every chunk: ${formatMs(baseline.ms)}`);
    return {
      tables: [
        {
          title:
            `${loadNote({ before: loadBefore, after: os.loadavg()[0], cpus: os.cpus().length })}` +
            `B10 — first lookup by id, ${FEATURES.toLocaleString('en')} points in ${indexed.chunks} chunks, each on a new connection (median of ${rounds}). ` +
            `Baseline: reading every chunk to find the id (the first lookup before the featureIds index). Goal: ≤ ${GOAL_MS} ms. ` +
            `Write: the base (stageGeneration + its layerBases record) with the index vs version 5's chunk indexes only.`,
          columns: ['lookup (index)', 'baseline (all chunks)', 'lookup / baseline', `≤ ${GOAL_MS} ms`, 'write with index', 'write without', 'write ratio'],
          rows: [[formatMs(lookup), formatMs(baseline.ms), formatRatio(lookup / baseline.ms), lookup <= GOAL_MS ? 'yes' : 'NO', formatMs(indexed.ms), formatMs(plain.ms), formatRatio(indexed.ms / plain.ms)]],
        },
      ],
      data,
    };
  } finally {
    await context.close();
    await server.close();
  }
}
