// B10 (issue 19, item 5): the first lookup of a feature by id in a 1,000,000-point layer, on a new
// connection to the store, and what finding it cheaply costs the import. Two builds of one page
// (lookup-page.mjs) in the same run, the same Chromium profile: "filters" — this tree, lookups
// through the generation's id index (one bucket row; the chunks' Bloom filters as fallback) — and "today" — the tree before the filters
// (ONEMAP_BENCH_LOOKUP_BASELINE_REF, default the parent of the commit that added
// renderer/src/db/chunk-filters.ts; `git archive`d into a temp dir), whose first lookup reads
// every chunk of the layer. Each imports the same points through importFeatures (the big-import
// path: staged chunks, then one small change), rounds alternating which goes first.
// Goals: first lookup ≤ 50 ms; import with the filters within ~10 % of today's.
// Chromium runs with ALL the desktop shell's switches (low-end mode too) on a profile on disk, as
// the desktop app stores data. Self-check: ONEMAP_BENCH_LOOKUP_DELAY_MS adds that delay inside
// each timed lookup; the lookup / baseline ratio must move by it.
// Env: ONEMAP_BENCH_LOOKUP_FEATURES (1,000,000), ONEMAP_BENCH_ROUNDS (import rounds per build, 2),
// ONEMAP_BENCH_LOOKUP_LOOKUPS (first lookups through the filters, 7), ONEMAP_BENCH_LOOKUP_PORT (any free).
/* global window */
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromiumSettings, environmentInfo, formatMs, formatRatio, guardContext, importTs, median, onCleanup, root, roundsFromEnvironment } from './lib.mjs';

export const name = 'lookup';
export const title = 'B10 first lookup by id in a 1,000,000-point layer (id index vs reading every chunk) and the import cost of the index and filters';
export const needsApp = false;

const FEATURES = Number(process.env.ONEMAP_BENCH_LOOKUP_FEATURES ?? 1_000_000);
const LOOKUPS = Number(process.env.ONEMAP_BENCH_LOOKUP_LOOKUPS ?? 7);
const DELAY_MS = Number(process.env.ONEMAP_BENCH_LOOKUP_DELAY_MS ?? 0);
const GOAL_MS = 50;
const IMPORT_GOAL = 1.1;

function baselineRef() {
  if (process.env.ONEMAP_BENCH_LOOKUP_BASELINE_REF) return process.env.ONEMAP_BENCH_LOOKUP_BASELINE_REF;
  const added = execFileSync('git', ['log', '-1', '--format=%H', '--diff-filter=A', '--', 'renderer/src/db/chunk-filters.ts'], { cwd: root, encoding: 'utf8' }).trim();
  if (added === '') throw new Error('B10: no commit adds renderer/src/db/chunk-filters.ts; set ONEMAP_BENCH_LOOKUP_BASELINE_REF');
  return `${added}^`;
}

/** Bundles lookup-page.mjs as it resolves inside `sourceRoot` into `outdir`, with its index.html. */
async function bundlePage(sourceRoot, outdir) {
  await build({
    entryPoints: { 'lookup-page': path.join(sourceRoot, 'tests/bench/lookup-page.mjs') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outdir,
    nodePaths: [path.join(root, 'node_modules')],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  await writeFile(path.join(outdir, 'index.html'), '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="./lookup-page.js"></script></head><body>B10</body></html>\n');
}

/** Both builds: `<directory>/filters/` from this tree, `<directory>/today/` from the baseline commit. */
async function bundleBoth(directory, ref) {
  await bundlePage(root, path.join(directory, 'filters'));
  const source = path.join(directory, 'baseline-src');
  await mkdir(source, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', ref, 'renderer', 'shared', 'seeds', 'tsconfig.base.json'], { cwd: root, maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', source], { input: archive });
  await mkdir(path.join(source, 'tests/bench'), { recursive: true });
  await copyFile(path.join(root, 'tests/bench/lookup-page.mjs'), path.join(source, 'tests/bench/lookup-page.mjs'));
  await bundlePage(source, path.join(directory, 'today'));
}

async function serve(directory, csp) {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };
  const server = http.createServer(async (request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const [, build, file = ''] = pathname.split('/');
    try {
      if (build !== 'filters' && build !== 'today') throw new Error('no such build');
      const target = path.join(directory, build, file === '' ? 'index.html' : path.basename(file));
      const body = await readFile(target);
      response.writeHead(200, { 'Content-Type': types[path.extname(target)] ?? 'application/octet-stream', 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(process.env.ONEMAP_BENCH_LOOKUP_PORT ?? 0), '127.0.0.1', resolve);
  });
  const close = () => new Promise((resolve) => server.close(() => resolve()));
  onCleanup(close);
  return { origin: `http://127.0.0.1:${server.address().port}`, close };
}

const load = () => os.loadavg()[0].toFixed(2);

export async function run({ log }) {
  const rounds = roundsFromEnvironment(2);
  const ref = baselineRef();
  const refCommit = execFileSync('git', ['rev-parse', '--short', ref], { cwd: root, encoding: 'utf8' }).trim();
  const directory = await mkdtemp(path.join(os.tmpdir(), 'onemap-bench-lookup-'));
  onCleanup(() => rm(directory, { recursive: true, force: true }));
  await bundleBoth(directory, ref);
  const { contentSecurityPolicy } = await importTs('shared/shell/content-security-policy.ts');
  const server = await serve(directory, contentSecurityPolicy());
  const loadBefore = load();
  log(`${FEATURES.toLocaleString('en')} points; ${rounds} import round(s) per build; baseline "today" = ${refCommit}; load average ${loadBefore}${DELAY_MS > 0 ? `; self-check delay ${DELAY_MS} ms` : ''}`);
  const { executablePath, args } = await chromiumSettings({ desktop: true });
  const profile = path.join(directory, 'profile');
  const context = await chromium.launchPersistentContext(profile, { executablePath, args, headless: true, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  onCleanup(() => context.close());
  const data = { features: FEATURES, rounds, baselineRef: refCommit, delayMs: DELAY_MS, environment: { ...environmentInfo(null), chromium: context.browser()?.version() ?? null, switches: args } };
  try {
    const guard = await guardContext(context, [server.origin]);
    const pages = {};
    for (const build of ['filters', 'today']) {
      const page = await context.newPage();
      page.setDefaultTimeout(1_800_000);
      await page.goto(`${server.origin}/${build}/`);
      await page.waitForFunction(() => window.__b10Ready === true);
      pages[build] = page;
    }
    const database = { filters: 'b10-filters', today: 'b10-today' };
    const imports = { filters: [], today: [] };
    const stored = {};
    for (let round = 0; round < rounds; round += 1) {
      for (const build of round % 2 === 0 ? ['today', 'filters'] : ['filters', 'today']) {
        const result = await pages[build].evaluate((request) => window.__b10.importPoints(request), { count: FEATURES, databaseName: database[build] });
        imports[build].push(result.ms);
        stored[build] = result;
        log(`round ${round + 1}, ${build}: imported in ${formatMs(result.ms)} (${result.chunks} chunks, ${result.filters} filters, schema ${result.verno}); load ${load()}`);
      }
    }
    const indices = Array.from({ length: LOOKUPS }, (_, round) => Math.floor(((round + 0.5) / LOOKUPS) * FEATURES));
    const lookups = [];
    for (const index of indices) lookups.push(await pages.filters.evaluate((request) => window.__b10.firstLookup(request), { databaseName: database.filters, index, delayMs: DELAY_MS }));
    log(`first lookups through the filters: ${lookups.map(({ ms, chunksRead }) => `${ms.toFixed(1)} ms (${chunksRead} chunk${chunksRead === 1 ? '' : 's'})`).join(', ')}`);
    const split = await pages.filters.evaluate((request) => window.__b10.phases(request), { databaseName: database.filters, index: indices[0] });
    const bucketStep = split.indexBucket === null ? 'no id index' : `the id's index bucket ${split.indexBucket.toFixed(1)} ms (${((split.bucketBytes ?? 0) / 1024).toFixed(1)} KB)`;
    log(`a first lookup's steps, each on a new connection: base record ${split.base.toFixed(1)} ms, ${bucketStep} (the fallback instead: its ${stored.filters.chunks} per-chunk filter rows ${split.filterRows.toFixed(1)} ms), one chunk (its key found, then read) ${split.chunk.toFixed(1)} ms`);
    data.phases = split;
    const baseline = await pages.today.evaluate((request) => window.__b10.firstLookup(request), { databaseName: database.today, index: indices[0], delayMs: 0 });
    log(`first lookup today: ${formatMs(baseline.ms)} (${baseline.chunksRead} chunks read)`);
    for (const build of ['filters', 'today']) await pages[build].evaluate((name) => window.__b10.drop(name), database[build]);
    const building = await pages.filters.evaluate((request) => window.__b10.filterBuildCost(request), { count: FEATURES });
    log(`building the filters and id index of ${FEATURES.toLocaleString('en')} ids alone (CPU, main thread): ${formatMs(building.ms)} (hashing + filters ${formatMs(building.filtersMs)}), filters ${(building.bytes / 1024 / 1024).toFixed(2)} MiB, index ${(building.indexBytes / 1024 / 1024).toFixed(2)} MiB`);
    data.filterBuildMs = building.ms;
    guard.assertClean('B10');
    const loadAfter = load();
    const lookup = median(lookups.map(({ ms }) => ms));
    const importFilters = median(imports.filters);
    const importToday = median(imports.today);
    const importRatio = importFilters / importToday;
    Object.assign(data, { importsMs: imports, lookups, baseline, loadBefore, loadAfter, chunks: stored.filters.chunks, filters: stored.filters.filters });
    return {
      tables: [
        {
          title:
            `B10 — ${FEATURES.toLocaleString('en')} points in ${stored.filters.chunks} chunks; Chromium with the desktop switches, profile on disk; 1-min load average ${loadBefore} → ${loadAfter} on ${os.cpus().length} CPUs.\n` +
            `First lookup by id on a new connection (median of ${LOOKUPS}) vs today's first lookup (reads every chunk), same run. Goal ≤ ${GOAL_MS} ms.\n` +
            `Import (importFeatures, new layer, median of ${rounds}) with the filters vs today's (${refCommit}). Goal ≤ ${IMPORT_GOAL.toFixed(2)}×.`,
          columns: ['first lookup', 'today', 'lookup / today', `≤ ${GOAL_MS} ms`, 'import with filters', 'import today', 'import ratio', `≤ ${IMPORT_GOAL.toFixed(2)}×`],
          rows: [[formatMs(lookup), formatMs(baseline.ms), formatRatio(lookup / baseline.ms), lookup <= GOAL_MS ? 'yes' : 'NO', formatMs(importFilters), formatMs(importToday), formatRatio(importRatio), importRatio <= IMPORT_GOAL ? 'yes' : 'NO']],
        },
      ],
      data,
    };
  } finally {
    await context.close();
    await server.close();
  }
}
