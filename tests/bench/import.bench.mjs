// B1 (issue 6): import a 1,000,000-point GeoJSON (≈175 MB here; ONEMAP_BENCH_IMPORT_POINTS) into
// the store, in Debian Chromium, the way the app does it — in a worker, the file read as a stream
// (shared/io importGeoJsonStream, a batch at a time) into renderer/src/db importFeatures (each
// feature validated against the layer and written to staged chunks in small transactions while the
// file is read — "stream" — then one small transact change switches the new layer over to them —
// "switch") — timed from the first byte requested until the switch-over committed; peak memory =
// the largest sum of the RSS of the browser's processes during the import minus before it; the main thread's longest task meanwhile.
// Baselines in the same run, as ratios: (a) one IndexedDB put per feature, each in its own
// transaction, timed on a sample (ONEMAP_BENCH_IMPORT_NAIVE_SAMPLE, default 20,000) and
// extrapolated — the table says so; (b) `ogr2ogr -f GPKG` on the same file (the native tool a
// planner would otherwise use), wall time and peak RSS; skipped with a message without gdal-bin.
/* global window */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { environmentInfo, formatMiB, formatMs, formatRatio, guardContext, importTs, launchChromium, loadNote, onCleanup, roundsFromEnvironment } from './lib.mjs';

export const name = 'import';
export const title = 'B1 import: 1,000,000 points streamed into the store vs per-feature put loop and ogr2ogr -f GPKG';
export const needsApp = false;

const POINTS = Number(process.env.ONEMAP_BENCH_IMPORT_POINTS ?? 1_000_000);
const NAIVE_SAMPLE = Math.min(POINTS, Number(process.env.ONEMAP_BENCH_IMPORT_NAIVE_SAMPLE ?? 20_000));

/** Deterministic points over Hengshui with the wells layer's fields (so they validate against it). */
async function writePoints(file, count) {
  const out = createWriteStream(file);
  let state = 20210630;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const uses = ['industrial', 'municipal-supply', 'commercial-service', 'institutional', 'other'];
  out.write('{"type":"FeatureCollection","name":"b1-points","features":[\n');
  let buffer = '';
  for (let index = 0; index < count; index += 1) {
    const lon = (115.25 + random() * 1.35).toFixed(7);
    const lat = (37.1 + random() * 1.25).toFixed(7);
    const properties = { name: `测点${index}`, wellClass: 'non-agricultural', useType: uses[index % uses.length], depthM: Number((20 + random() * 300).toFixed(1)) };
    buffer += `${index ? ',\n' : ''}{"type":"Feature","properties":${JSON.stringify(properties)},"geometry":{"type":"Point","coordinates":[${lon},${lat}]}}`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise((resolve) => out.once('drain', resolve));
      buffer = '';
    }
  }
  out.write(`${buffer}\n]}\n`);
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

/** RSS in bytes of a process and all its descendants, from one `ps` listing. */
function treeRssFrom(listing, rootPid) {
  const children = new Map();
  const rss = new Map();
  for (const entry of listing.trim().split('\n')) {
    const [pid, ppid, kib] = entry.trim().split(/\s+/).map(Number);
    rss.set(pid, kib * 1024);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop();
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

function treeRss(rootPid) {
  return treeRssFrom(spawnSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' }).stdout, rootPid);
}

/**
 * Samples the tree's RSS about every 100 ms until stop() (async), returning the peak. `ps` runs
 * asynchronously: a synchronous spawn would stall this process's event loop — and with it the
 * HTTP server that streams the file to the browser — for as long as `ps` takes on a busy machine.
 */
function samplePeak(rootPid) {
  let peak = treeRss(rootPid);
  let running = true;
  const sample = () =>
    new Promise((resolve) => {
      execFile('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' }, (error, stdout) => {
        if (!error) peak = Math.max(peak, treeRssFrom(stdout, rootPid));
        resolve();
      });
    });
  const loop = (async () => {
    while (running) {
      await sample();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return async () => {
    running = false;
    await loop;
    await sample();
    return peak;
  };
}

async function bundlePage(directory) {
  await build({
    entryPoints: { 'import-page': path.join(import.meta.dirname, 'import-page.mjs'), 'import-worker': path.join(import.meta.dirname, 'import-worker.mjs') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outdir: directory,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  await writeFile(path.join(directory, 'index.html'), '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="./import-page.js"></script></head><body>B1</body></html>\n');
}

/** Serves the bundled page and streams the GeoJSON file (never read whole) on 127.0.0.1, under the app's CSP. */
async function serve(directory, dataFile, csp) {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.geojson': 'application/geo+json' };
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const file = pathname === '/points.geojson' ? dataFile : path.join(directory, pathname === '/' ? 'index.html' : path.basename(pathname));
    try {
      const size = statSync(file).size;
      response.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': size, 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' });
      createReadStream(file).pipe(response);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => new Promise((resolve) => server.close(() => resolve()));
  onCleanup(close);
  return { url: `http://127.0.0.1:${server.address().port}/`, close };
}

async function ogr2ogr(dataFile, directory) {
  if (spawnSync('ogr2ogr', ['--version'], { encoding: 'utf8' }).status !== 0) return null;
  const out = path.join(directory, `ogr-${Date.now()}.gpkg`);
  const started = performance.now();
  const child = spawn('ogr2ogr', ['-f', 'GPKG', out, dataFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const stop = samplePeak(child.pid);
  const code = await new Promise((resolve) => child.on('exit', resolve));
  const ms = performance.now() - started;
  const peak = await stop();
  if (code !== 0) throw new Error(`ogr2ogr exited ${code}: ${stderr}`);
  const count = Number(/Feature Count: (\d+)/.exec(spawnSync('ogrinfo', ['-so', out, 'b1-points'], { encoding: 'utf8' }).stdout)?.[1]);
  await rm(out, { force: true });
  return { ms, peakRss: peak, count };
}

export async function run({ log }) {
  const rounds = roundsFromEnvironment(1);
  const directory = await mkdtemp(path.join(os.tmpdir(), 'onemap-bench-import-'));
  onCleanup(() => rm(directory, { recursive: true, force: true }));
  const dataFile = path.join(directory, 'points.geojson');
  await writePoints(dataFile, POINTS);
  const bytes = statSync(dataFile).size;
  log(`${POINTS.toLocaleString('en')} points, ${formatMiB(bytes)} GeoJSON; per-feature put loop timed on ${NAIVE_SAMPLE.toLocaleString('en')} and extrapolated; ${rounds} round(s)`);
  await bundlePage(directory);
  const { contentSecurityPolicy } = await importTs('shared/shell/content-security-policy.ts');
  const server = await serve(directory, dataFile, contentSecurityPolicy());
  const loadBefore = os.loadavg()[0];
  const rows = [];
  const data = { points: POINTS, bytes, naiveSample: NAIVE_SAMPLE, rounds: [] };
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
        await page.waitForFunction(() => window.__b1Ready === true);
        // Chromium runs as a child of this process: the tree's RSS is the browser's plus this runner's.
        const rssBefore = treeRss(process.pid);
        const stop = samplePeak(process.pid);
        const ours = await page.evaluate((message) => window.__b1.run(message), { kind: 'onemap', url: `${server.url}points.geojson`, total: POINTS, databaseName: `b1-${round}` });
        const peakRss = await stop();
        if (!ours.ok) throw new Error(`OneMap import failed: ${ours.error}`);
        if (ours.result.added !== POINTS) throw new Error(`OneMap import added ${ours.result.added}, expected ${POINTS}`);
        // The reader alone (fetch + parse, nothing stored, memory not sampled): the import's floor.
        const parse = await page.evaluate((message) => window.__b1.run(message), { kind: 'parse', url: `${server.url}points.geojson` });
        if (!parse.ok) throw new Error(`parse-only read failed: ${parse.error}`);
        const naive = await page.evaluate((message) => window.__b1.run(message), { kind: 'naive', url: `${server.url}points.geojson`, sample: NAIVE_SAMPLE, databaseName: `b1-naive-${round}` });
        if (!naive.ok) throw new Error(`per-feature put loop failed: ${naive.error}`);
        guard.assertClean(`B1 round ${round}`);
        await context.close();
        const naiveFullMs = (naive.result.ms / naive.result.count) * POINTS;
        const ogr = await ogr2ogr(dataFile, directory);
        if (ogr && ogr.count !== POINTS) throw new Error(`ogr2ogr wrote ${ogr.count} features, expected ${POINTS}`);
        rows.push([
          String(round),
          formatMs(ours.result.ms),
          `${formatMs(ours.result.validateMs)} / ${formatMs(ours.result.writeMs)}`,
          formatMs(parse.result.ms),
          formatMiB(Math.max(0, peakRss - rssBefore)),
          `${ours.longestTaskMs.toFixed(0)} ms (${ours.longTasks})`,
          `${formatMs(naiveFullMs)}*`,
          formatRatio(naiveFullMs / ours.result.ms),
          ogr ? formatMs(ogr.ms) : 'skipped (no gdal-bin)',
          ogr ? formatMiB(ogr.peakRss) : '—',
          ogr ? formatRatio(ogr.ms / ours.result.ms) : '—',
        ]);
        data.rounds.push({ round, onemap: { ...ours.result, peakRssDelta: peakRss - rssBefore, longestTaskMs: ours.longestTaskMs, longTasks: ours.longTasks, maxTimerGapMs: ours.maxTimerGapMs }, naive: { ...naive.result, extrapolatedMs: naiveFullMs }, parseOnly: parse.result, ogr2ogr: ogr });
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }
  if (!rows.some((row) => row[8].startsWith('skipped'))) log('');
  else log('ogr2ogr baseline skipped: install Debian gdal-bin for it');
  return {
    tables: [
      {
        title:
          `${loadNote({ before: loadBefore, after: os.loadavg()[0], cpus: os.cpus().length })}` +
          `B1 — ${POINTS.toLocaleString('en')} points (${formatMiB(bytes)}) streamed into the store in a worker, until committed. ` +
          `Ratios > 1× mean OneMap was faster. * per-feature put loop timed on ${NAIVE_SAMPLE.toLocaleString('en')} features, × ${POINTS.toLocaleString('en')} / sample. ` +
          `Peak memory: largest RSS of all browser processes during the import minus before it. Main thread: longest task (count of tasks > 50 ms). ` +
          `Stream / switch: reading, validating and staging the chunks while the file streams in / writing what was still buffered and the one switch-over change. ` +
          `Read + parse only: the same stream through the reader with nothing stored (the "stream" phase includes it).`,
        columns: ['round', 'OneMap', 'stream / switch', 'read + parse only', 'peak memory', 'main-thread longest', 'put loop*', 'put loop / OneMap', 'ogr2ogr GPKG', 'ogr2ogr peak RSS', 'ogr2ogr / OneMap'],
        rows,
      },
    ],
    data: { ...data, environment: browserInfo },
  };
}
