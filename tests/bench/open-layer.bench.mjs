// B9: opening the app with a 1,000,000-point layer in its store, at the city view: navigation to
// the first complete draw (the map's first idle: every tile in view loaded and drawn), the longest
// main-thread task on the way and the peak JS heap, against the same points pre-cut by GDAL to
// MBTiles and drawn by a bare MapLibre page over the same basemap (tiles-page.mjs). The points come
// into the app's store through its own import wizard (the import worker of B1), once; every round
// then reloads both pages, alternating which goes first.
/* global window */
import os from 'node:os';
import {
  environmentInfo,
  formatMiB,
  formatMs,
  formatRatio,
  guardContext,
  launchChromium,
  loadNote,
  roundsFromEnvironment,
  sampleHeap,
  startBundledPage,
  summarize,
} from './lib.mjs';
import { importThroughWizard, prepareRenderData } from './render-data.mjs';

export const name = 'open-layer';
export const title = 'B9 open: navigation → first complete draw at the city view with a 1,000,000-point layer, app vs GDAL-pre-cut MBTiles';

const viewport = { width: 1280, height: 800 };
const timeoutMs = 900_000;
/** The city view asks for z8 tiles; a little deeper covers a larger window. */
const precutMaxZoom = 10;

/** Injected before any page script: the time the page's map first reports idle, and every long task. */
function probe() {
  window.__b9 = { longTasks: [], idleAt: null };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__b9.longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  let handle;
  Object.defineProperty(window, '__onemap', {
    configurable: true,
    enumerable: true,
    get: () => handle,
    set(value) {
      handle = value;
      if (!value || typeof value !== 'object') return;
      let state = value.state;
      Object.defineProperty(value, 'state', {
        configurable: true,
        enumerable: true,
        get: () => state,
        set(next) {
          state = next;
          if (next === 'idle' && window.__b9.idleAt === null) window.__b9.idleAt = performance.now();
        },
      });
    },
  });
}

/** Loads (or reloads) a page and waits for its first complete draw; returns the page's own times. */
async function measureOpen(page, navigate, prefix, label) {
  const heap = await sampleHeap(page);
  await navigate();
  await page.waitForFunction(() => window.__b9?.idleAt !== null && window.__b9?.idleAt !== undefined, null, { timeout: timeoutMs, polling: 100 });
  const memory = await heap.stop();
  const result = await page.evaluate((prefix) => {
    const map = window.__onemap.map;
    const layers = map.getStyle().layers.map((layer) => layer.id).filter((id) => id.startsWith(prefix));
    return {
      drawMs: window.__b9.idleAt,
      longestTaskMs: Math.max(0, ...window.__b9.longTasks),
      longTasks: window.__b9.longTasks.length,
      rendered: layers.length === 0 ? 0 : map.queryRenderedFeatures({ layers }).length,
      zoom: map.getZoom(),
    };
  }, prefix);
  if (result.rendered === 0) throw new Error(`${label}: the big layer is not drawn at the first idle`);
  return { ...result, peakHeapBytes: memory.peak };
}

export async function run({ baseUrl, log }) {
  const rounds = roundsFromEnvironment(5);
  const points = Number(process.env.ONEMAP_BENCH_OPEN_POINTS ?? 1_000_000);
  const loadBefore = os.loadavg()[0];
  const data = await prepareRenderData({ points, polygons: 0, minZoom: 5, maxZoom: precutMaxZoom, log });
  log(`  pre-cut tiles: ${data.tiles.size.toLocaleString('en')} tiles, ${(data.tileBytes / 1024 / 1024).toFixed(1)} MiB${data.cached ? ' (cached)' : ''}`);
  const bare = await startBundledPage({ entry: 'tests/bench/tiles-page.mjs', name: 'tiles', title: 'tiles bench page', tiles: data.tiles });
  const browser = await launchChromium();
  const contexts = [];
  try {
    const appContext = await browser.newContext({ viewport });
    contexts.push(appContext);
    const appWatch = await guardContext(appContext, [baseUrl]);
    await appContext.addInitScript(probe);
    const app = await appContext.newPage();
    await app.goto(baseUrl, { waitUntil: 'commit' });
    await app.waitForFunction(() => window.__b9?.idleAt !== null && window.__b9?.idleAt !== undefined, null, { timeout: timeoutMs, polling: 100 });
    const started = Date.now();
    const report = await importThroughWizard(app, data.files.points, timeoutMs);
    log(`  app: imported ${points.toLocaleString('en')} points in ${((Date.now() - started) / 1000).toFixed(0)} s (${report.replace(/\s+/g, ' ').slice(0, 60)})`);
    const size = await app.evaluate(() => {
      const container = window.__onemap.map.getContainer();
      return { width: container.clientWidth, height: container.clientHeight };
    });
    const bareContext = await browser.newContext({ viewport });
    contexts.push(bareContext);
    const bareWatch = await guardContext(bareContext, [bare.url]);
    await bareContext.addInitScript(probe);
    const precut = await bareContext.newPage();
    const precutUrl = `${bare.url}?tiles=1&maxzoom=${precutMaxZoom}&w=${size.width}&h=${size.height}`;
    const open = {
      app: (label) => measureOpen(app, () => app.reload({ waitUntil: 'commit' }), 'planning:import-', label),
      precut: (label) => measureOpen(precut, () => precut.goto(precutUrl, { waitUntil: 'commit' }), 'precut-', label),
    };
    // Warm-up: one open each (first loads pay process start, SwiftShader set-up, file cache).
    await open.app('app (warm-up)');
    await open.precut('precut (warm-up)');
    const samples = { app: [], precut: [] };
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? ['app', 'precut'] : ['precut', 'app'];
      for (const kind of order) {
        const result = await open[kind](`${kind} round ${round + 1}`);
        samples[kind].push(result);
        log(`  round ${round + 1}/${rounds} ${kind.padEnd(6)} drawn ${formatMs(result.drawMs)}, longest task ${formatMs(result.longestTaskMs)}, peak heap ${formatMiB(result.peakHeapBytes)}, ${result.rendered} rendered`);
      }
    }
    appWatch.assertClean('app');
    bareWatch.assertClean('precut');
    const load = { before: loadBefore, after: os.loadavg()[0], cpus: os.cpus().length };
    const summary = {};
    for (const kind of ['app', 'precut']) {
      summary[kind] = Object.fromEntries(['drawMs', 'longestTaskMs', 'peakHeapBytes', 'longTasks'].map((key) => [key, summarize(samples[kind].map((sample) => sample[key]))]));
    }
    const paired = summarize(samples.app.map((sample, index) => sample.drawMs / samples.precut[index].drawMs));
    const ratios = { drawMedian: summary.app.drawMs.median / summary.precut.drawMs.median, drawPairedMedian: paired.median, drawPairedP90: paired.p90 };
    const row = (label, key, format) => [label, format(summary.app[key].median), format(summary.app[key].p90), format(summary.precut[key].median), format(summary.precut[key].p90), formatRatio(summary.app[key].median / summary.precut[key].median)];
    const table = {
      title: `${title}\n${loadNote(load)}${rounds} rounds (+1 warm-up), map ${size.width}×${size.height}; ${points.toLocaleString('en')} points (app: imported through the wizard once, then reloaded per round; pre-cut: ${data.tiles.size.toLocaleString('en')} GDAL tiles z5–${precutMaxZoom})`,
      columns: ['metric', 'app median', 'app p90', 'pre-cut median', 'pre-cut p90', 'app/pre-cut'],
      rows: [
        row('navigation → first complete draw', 'drawMs', formatMs),
        row('longest main-thread task', 'longestTaskMs', formatMs),
        row('long tasks (> 50 ms)', 'longTasks', (value) => value.toFixed(0)),
        row('peak JS heap (main thread)', 'peakHeapBytes', formatMiB),
        ['draw: per-round app/pre-cut, median (p90)', '', '', '', '', `${formatRatio(paired.median)} (${formatRatio(paired.p90)})`],
      ],
    };
    return {
      tables: [table],
      data: {
        rounds,
        points,
        mapSize: size,
        precut: { tiles: data.tiles.size, bytes: data.tileBytes, maxZoom: precutMaxZoom },
        environment: { ...environmentInfo(browser), loadAverage1m: load },
        summary,
        ratios,
        samples,
        method:
          'performance.now() in the page (from navigation start) when the page first reports its map idle (window.__onemap.state → idle: every tile in view loaded and drawn); long tasks from a PerformanceObserver installed before any page script; heap: CDP JSHeapUsedSize every 50 ms (main thread only). Points: tests/bench/synthetic-layers.mjs, imported into the app through its import wizard; GDAL pre-cuts the same file with ogr2ogr -f MBTiles.',
      },
    };
  } finally {
    for (const context of contexts) await context.close().catch(() => {});
    await browser.close();
    await bare.close();
  }
}
