// Shared helpers for the benchmarks in tests/bench/ (run by `npm run bench`, never by `npm test`):
// Chromium with the project's arguments, a guard that keeps every request on 127.0.0.1, JS-heap
// sampling, statistics and table printing.
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Imports one of the project's TypeScript modules from plain Node (Node 20 cannot strip types):
 * esbuild bundles it to ESM in memory and it is imported from a data: URL. Node built-ins stay
 * external; everything else is bundled. */
export async function importTs(relativePath) {
  const result = await build({
    entryPoints: [path.join(root, relativePath)],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

let chromiumConfig;
/** `chromiumExecutable()` and `chromiumArguments` from tests/e2e/helpers/chromium.ts, so benches
 * and the e2e suite run the same browser with the same switches; `{ desktop: true }`: all the
 * desktop shell's switches, for a bench whose profile lives on disk (helpers/chromium.ts says why). */
export async function chromiumSettings({ desktop = false } = {}) {
  chromiumConfig ??= await importTs('tests/e2e/helpers/chromium.ts');
  return { executablePath: chromiumConfig.chromiumExecutable(), args: [...(desktop ? chromiumConfig.desktopChromiumArguments : chromiumConfig.chromiumArguments)] };
}

const cleanups = new Set();
/** Registers something to close if the run is interrupted (Ctrl+C) or fails; returns an unregister function. */
export function onCleanup(fn) {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}
/** Runs every registered cleanup (newest first), each bounded to a few seconds. Used by scripts/bench.mjs. */
export async function runCleanups() {
  const pending = [...cleanups].reverse();
  cleanups.clear();
  for (const fn of pending) {
    await Promise.race([Promise.resolve().then(fn).catch(() => {}), new Promise((resolve) => setTimeout(resolve, 5000))]);
  }
}

/** Debian's Chromium, headless, with the project's arguments. Closed by the runner on Ctrl+C. */
export async function launchChromium(extraArgs = []) {
  const { executablePath, args } = await chromiumSettings();
  const browser = await chromium.launch({
    executablePath,
    args: [...args, ...extraArgs],
    headless: true,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const unregister = onCleanup(() => browser.close());
  browser.on('disconnected', unregister);
  return browser;
}

/**
 * Keeps a browser context on the given origins (all on 127.0.0.1): anything else is aborted and
 * recorded in `blocked`; call `assertClean()` after the round to fail the bench if something tried.
 * Also records CSP violations and uncaught page errors, and counts the requests let through.
 */
export async function guardContext(context, allowedOrigins) {
  const allowed = new Set(allowedOrigins.map((origin) => new URL(origin).origin));
  for (const origin of allowed) {
    if (new URL(origin).hostname !== '127.0.0.1') throw new Error(`benchmark origin ${origin} is not on 127.0.0.1`);
  }
  const watch = { blocked: [], pageErrors: [], cspViolations: [], requests: 0 };
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    const local = url.startsWith('data:') || url.startsWith('blob:') || allowed.has(safeOrigin(url));
    if (local) {
      watch.requests += 1;
      await route.continue();
    } else {
      watch.blocked.push(url);
      await route.abort('blockedbyclient');
    }
  });
  context.on('page', (page) => {
    page.on('pageerror', (error) => watch.pageErrors.push(error.message));
    // A request the page's Content-Security-Policy stopped never reaches the route above; it is
    // still an attempt to leave, so it fails the bench too (as in the e2e suite).
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) watch.cspViolations.push(message.text());
    });
  });
  watch.assertClean = (label) => {
    if (watch.blocked.length > 0) throw new Error(`${label}: requests left 127.0.0.1 (aborted): ${watch.blocked.join(', ')}`);
    if (watch.cspViolations.length > 0) throw new Error(`${label}: Content-Security-Policy violations: ${watch.cspViolations.join(' | ')}`);
    if (watch.pageErrors.length > 0) throw new Error(`${label}: uncaught page errors: ${watch.pageErrors.join(' | ')}`);
  };
  return watch;
}

function safeOrigin(url) {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * Samples the page's main-thread JS heap (CDP Performance.getMetrics → JSHeapUsedSize) every
 * `intervalMs` until `stop()` is called; `stop()` takes a last sample and returns { peak, last } in
 * bytes. Worker heaps (MapLibre's tile workers) are not included: CDP reports the page isolate.
 */
export async function sampleHeap(page, intervalMs = 50) {
  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');
  let peak = 0;
  let last = 0;
  let running = true;
  const sample = async () => {
    try {
      const { metrics } = await session.send('Performance.getMetrics');
      const used = metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0;
      last = used;
      if (used > peak) peak = used;
    } catch {
      // page navigating or closing: skip this sample
    }
  };
  const loop = (async () => {
    while (running) {
      await sample();
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await sample();
      await session.detach().catch(() => {});
      return { peak, last };
    },
  };
}

/** Percentile with linear interpolation between closest ranks (numpy's default); p in [0, 100]. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export const median = (values) => percentile(values, 50);

export function summarize(values) {
  return { n: values.length, median: median(values), p90: percentile(values, 90), min: Math.min(...values), max: Math.max(...values) };
}

/** Rounds from the env (ONEMAP_BENCH_ROUNDS) or a default; at least 1. */
export function roundsFromEnvironment(fallback) {
  const value = process.env.ONEMAP_BENCH_ROUNDS;
  if (value === undefined || value === '') return fallback;
  const rounds = Number(value);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`ONEMAP_BENCH_ROUNDS must be a positive integer, got "${value}"`);
  return rounds;
}

export const formatMs = (ms) => `${ms.toFixed(0)} ms`;
export const formatMiB = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const formatRatio = (ratio) => `${ratio.toFixed(2)}×`;

/** A plain-text table: { title, columns: string[], rows: string[][] } → lines, right-aligned numbers. */
export function formatTable({ title, columns, rows }) {
  const widths = columns.map((column, index) => Math.max(column.length, ...rows.map((row) => String(row[index]).length)));
  const line = (cells) =>
    cells
      .map((cell, index) => (index === 0 ? String(cell).padEnd(widths[index]) : String(cell).padStart(widths[index])))
      .join('  ');
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  return [title, line(columns), rule, ...rows.map(line)].join('\n');
}

export function environmentInfo(browser) {
  return {
    node: process.version,
    chromium: browser?.version() ?? null,
    platform: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
  };
}

const pageContentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.geojson': 'application/geo+json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
};

/**
 * Bundles a benchmark page (`entry`, a tests/bench/*-page.mjs file) for the browser with esbuild
 * into a temp dir, with MapLibre's worker file next to it and an index.html holding a full-size
 * `#map` div, and serves it by `node:http` on 127.0.0.1 (port 0 = any free one) together with the
 * repository's `/geodata/`, under the web shell's Content-Security-Policy and security headers.
 * Same recipe as launch.bench.mjs's bare page. `tiles` (a Map `z/x/y` → stored bytes, e.g. from
 * gdal-tiles.mjs `readMbtiles`) are served at /tiles/{z}/{x}/{y}.pbf. Returns { url, close() };
 * closed by the runner on Ctrl+C or failure too.
 */
export async function startBundledPage({ entry, name, title = name, port = 0, tiles = null }) {
  const { copyFile, mkdtemp, readFile, rm, writeFile } = await import('node:fs/promises');
  const http = await import('node:http');
  const directory = await mkdtemp(path.join(os.tmpdir(), `onemap-bench-${name}-`));
  await build({
    entryPoints: { [name]: path.join(root, entry) },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outdir: directory,
    loader: { '.woff2': 'file', '.woff': 'file' },
    assetNames: 'assets/[name]-[hash]',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  await copyFile(path.join(root, 'node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs'), path.join(directory, 'maplibre-gl-worker.mjs'));
  await writeFile(
    path.join(directory, 'index.html'),
    `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="UTF-8" />
    <title>${title}</title>
    <link rel="stylesheet" href="./${name}.css" />
    <link rel="stylesheet" href="./page.css" />
    <script type="module" src="./${name}.js"></script>
  </head>
  <body><div id="map"></div></body>
</html>
`,
  );
  await writeFile(path.join(directory, 'page.css'), 'html, body { margin: 0; height: 100%; }\n#map { width: 100%; height: 100%; }\n');
  const { contentSecurityPolicy } = await importTs('shared/shell/content-security-policy.ts');
  const headers = {
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
  const geodata = path.join(root, 'geodata');
  const server = http.createServer(async (request, response) => {
    try {
      const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
      const tile = tiles === null ? null : /^\/tiles\/(\d+\/\d+\/\d+)\.pbf$/.exec(pathname);
      if (tile) {
        // A tile outside the pre-cut set is empty (204): MapLibre draws nothing there, as with MBTiles.
        const data = tiles.get(tile[1]);
        if (data === undefined) response.writeHead(204, headers).end();
        else {
          const encoding = data[0] === 0x1f && data[1] === 0x8b ? { 'Content-Encoding': 'gzip' } : {};
          response.writeHead(200, { ...headers, ...encoding, 'Content-Type': 'application/x-protobuf', 'Content-Length': data.length }).end(data);
        }
        return;
      }
      const [base, relative] = pathname.startsWith('/geodata/')
        ? [geodata, pathname.slice('/geodata/'.length)]
        : [directory, pathname === '/' ? 'index.html' : pathname.slice(1)];
      const file = path.resolve(base, relative);
      if (!file.startsWith(base + path.sep)) throw Object.assign(new Error('outside'), { code: 'ENOENT' });
      const body = await readFile(file);
      response.writeHead(200, { ...headers, 'Content-Type': pageContentTypes[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': body.length });
      response.end(body);
    } catch (error) {
      response.writeHead(error?.code === 'ENOENT' || error?.code === 'EISDIR' ? 404 : 500, { 'Content-Type': 'text/plain' });
      response.end(String(error?.message ?? error));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${server.address().port}/`;
  const stop = async () => {
    await new Promise((resolve) => server.close(() => resolve()));
    server.closeAllConnections?.();
    await rm(directory, { recursive: true, force: true });
  };
  const unregister = onCleanup(stop);
  return {
    url,
    async close() {
      unregister();
      await stop();
    },
  };
}

/**
 * Bundles a module that runs in a page (e.g. one importing the app's store code) into one
 * self-contained script expression, for `page.evaluate(script)`: evaluated over CDP, so the page's
 * own Content-Security-Policy (script-src 'self') neither blocks it nor needs loosening.
 */
export async function bundleForEvaluate(entry) {
  const result = await build({
    entryPoints: [path.join(root, entry)],
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

/** 1-minute load-average note for a table title, when other work shared the CPUs. */
export function loadNote({ before, after, cpus }) {
  const worst = Math.max(before, after);
  return worst > cpus * 0.75
    ? `note: 1-min load average ${before.toFixed(1)} → ${after.toFixed(1)} on ${cpus} CPUs; other work shares the machine, expect noisy times (compare per-round ratios)\n`
    : '';
}

/**
 * With ONEMAP_BENCH_PROFILE=DIR, starts a CPU profile of the page (its main thread); `stop(label)`
 * writes DIR/<label>.cpuprofile (Chrome DevTools opens it) and returns the functions with the most
 * self time. Without the knob, null: benches call it unconditionally and skip when null.
 */
export async function startCpuProfile(page) {
  const directory = process.env.ONEMAP_BENCH_PROFILE;
  if (!directory) return null;
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 200 });
  await session.send('Profiler.start');
  return {
    async stop(label, top = 20) {
      const { profile } = await session.send('Profiler.stop');
      await session.detach();
      mkdirSync(directory, { recursive: true });
      const file = path.join(directory, `${label.replace(/[^\w.-]+/g, '-')}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
      const selfMs = new Map();
      profile.samples.forEach((id, index) => {
        const { functionName, url, lineNumber } = nodeById.get(id).callFrame;
        const key = `${functionName || '(anonymous)'} ${url ? `${path.basename(url)}:${lineNumber + 1}` : ''}`.trim();
        selfMs.set(key, (selfMs.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
      });
      const totalMs = (profile.endTime - profile.startTime) / 1000;
      const functions = [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => ({ name, ms }));
      return { file, totalMs, functions };
    },
  };
}

/** A profile's summary as log lines. */
export function formatProfile({ file, totalMs, functions }) {
  return [`  CPU profile ${file} (${formatMs(totalMs)}), most self time:`, ...functions.map(({ name, ms }) => `    ${formatMs(ms).padStart(8)}  ${name}`)];
}
