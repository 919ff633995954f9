// B2 (basemap part): OneMap's launch to map idle with the default layers, against a bare MapLibre
// page with the same basemap, measured in the same run, rounds alternating, a fresh browser
// context per round, in which a first start and a later start (storage and cache kept) are timed.
// Times are taken in the page (performance.now(), i.e. from navigation start)
// at the first 'idle' after 'load', so the harness's own round trips are not counted.
/* global window */
import os from 'node:os';
import {
  environmentInfo,
  formatMiB,
  formatMs,
  formatRatio,
  guardContext,
  launchChromium,
  roundsFromEnvironment,
  sampleHeap,
  startBundledPage,
  summarize,
} from './lib.mjs';

export const name = 'launch';
export const title = 'B2 launch: app start → first map idle (default layers) vs a bare MapLibre page with the same basemap';

const viewport = { width: 1280, height: 800 };
const idleTimeoutMs = 60_000;

/** Injected before any page script: notes when the page creates its map (window.__onemap is set)
 * and when it flips window.__onemap.state to 'idle' — the app's and the bare page's own signal. */
function timingProbe() {
  let handle;
  Object.defineProperty(window, '__onemap', {
    configurable: true,
    enumerable: true,
    get: () => handle,
    set(value) {
      handle = value;
      if (!value || typeof value !== 'object') return;
      window.__benchMapCreatedAt ??= performance.now();
      let state = value.state;
      Object.defineProperty(value, 'state', {
        configurable: true,
        enumerable: true,
        get: () => state,
        set(next) {
          state = next;
          if (next === 'idle' && window.__benchIdleAt === undefined) {
            window.__benchIdleAt = performance.now();
            void window.__benchIdle?.(window.__benchIdleAt);
          }
        },
      });
    },
  });
}

/** Bundles the bare page into a temp dir and serves it (plus /geodata/) on 127.0.0.1, with the web shell's headers. */
export function startBarePage() {
  return startBundledPage({ entry: 'tests/bench/launch-bare-page.mjs', name: 'bare', title: 'bare MapLibre', port: Number(process.env.ONEMAP_BENCH_BARE_PORT ?? 0) });
}

/**
 * One round: a fresh context (empty cache and storage), then two launches in it: the first start
 * (the app creates and seeds its store) and a later start (the store and the HTTP cache kept, as
 * on every start after the first). Times from the page.
 */
async function measureOnce(browser, url, allowedOrigins, label) {
  const context = await browser.newContext({ viewport });
  try {
    const watch = await guardContext(context, allowedOrigins);
    await context.addInitScript(timingProbe);
    const first = await launchIn(context, url, `${label}, first start`);
    const later = await launchIn(context, url, `${label}, later start`);
    watch.assertClean(label);
    return { ...first, later, requests: watch.requests };
  } finally {
    await context.close();
  }
}

async function launchIn(context, url, label) {
  const page = await context.newPage();
  try {
    let resolveIdle;
    const idle = new Promise((resolve) => (resolveIdle = resolve));
    await page.exposeFunction('__benchIdle', (at) => resolveIdle(at));
    const heap = await sampleHeap(page);
    await page.goto(url, { waitUntil: 'commit' });
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${label}: no map idle within ${idleTimeoutMs / 1000} s`)), idleTimeoutMs);
    });
    try {
      await Promise.race([idle, timeout]);
    } finally {
      clearTimeout(timer);
    }
    const memory = await heap.stop();
    const timing = await page.evaluate(() => {
      const container = window.__onemap.map.getContainer();
      return {
        idleMs: window.__benchIdleAt,
        mapCreatedMs: window.__benchMapCreatedAt,
        width: container.clientWidth,
        height: container.clientHeight,
        layers: window.__onemap.map.getStyle().layers.length,
      };
    });
    return { ...timing, peakHeapBytes: memory.peak, idleHeapBytes: memory.last };
  } finally {
    await page.close();
  }
}

export async function run({ baseUrl, log }) {
  const rounds = roundsFromEnvironment(7);
  const warmup = Number(process.env.ONEMAP_BENCH_WARMUP ?? 1);
  const loadBefore = os.loadavg()[0];
  const barePage = await startBarePage();
  const browser = await launchChromium();
  try {
    const appOrigins = [baseUrl];
    const bareOrigins = [barePage.url];
    // Warm-up: first launches pay one-off costs (process start, SwiftShader, OS file cache). They
    // also tell us the app's map container size, which the bare page then uses.
    let size = null;
    for (let index = 0; index < Math.max(1, warmup); index += 1) {
      const app = await measureOnce(browser, baseUrl, appOrigins, 'app (warm-up)');
      size = { w: app.width, h: app.height };
      await measureOnce(browser, bareUrl(barePage.url, size), bareOrigins, 'bare (warm-up)');
    }
    const samples = { app: [], bare: [] };
    for (let round = 0; round < rounds; round += 1) {
      // Alternate which page goes first, so neither always runs on a just-warmed browser.
      const order = round % 2 === 0 ? ['app', 'bare'] : ['bare', 'app'];
      for (const kind of order) {
        const url = kind === 'app' ? baseUrl : bareUrl(barePage.url, size);
        const result = await measureOnce(browser, url, kind === 'app' ? appOrigins : bareOrigins, `${kind} round ${round + 1}`);
        samples[kind].push(result);
        log(`  round ${round + 1}/${rounds} ${kind.padEnd(4)} idle ${formatMs(result.idleMs)} (later start ${formatMs(result.later.idleMs)}), peak heap ${formatMiB(result.peakHeapBytes)}`);
      }
    }
    const load = { before: loadBefore, after: os.loadavg()[0], cpus: os.cpus().length };
    const stats = (kind, key) => summarize(samples[kind].map((sample) => sample[key]));
    const summary = {};
    for (const kind of ['app', 'bare']) {
      summary[kind] = {
        idleMs: stats(kind, 'idleMs'),
        mapCreatedMs: stats(kind, 'mapCreatedMs'),
        peakHeapBytes: stats(kind, 'peakHeapBytes'),
        idleHeapBytes: stats(kind, 'idleHeapBytes'),
        requests: stats(kind, 'requests'),
      };
    }
    const ratio = (key, stat) => summary.app[key][stat] / summary.bare[key][stat];
    // The two pages of a round run back to back, so a per-round ratio cancels slow drifts in
    // machine load that the ratio of medians cannot.
    const paired = summarize(samples.app.map((app, index) => app.idleMs / samples.bare[index].idleMs));
    const later = (kind, key) => summarize(samples[kind].map((sample) => sample.later[key]));
    for (const kind of ['app', 'bare']) summary[kind].later = { idleMs: later(kind, 'idleMs'), mapCreatedMs: later(kind, 'mapCreatedMs'), peakHeapBytes: later(kind, 'peakHeapBytes') };
    const laterRatio = (key) => summary.app.later[key].median / summary.bare.later[key].median;
    const laterPaired = summarize(samples.app.map((app, index) => app.later.idleMs / samples.bare[index].later.idleMs));
    const ratios = {
      idleMedian: ratio('idleMs', 'median'),
      idleP90: ratio('idleMs', 'p90'),
      idlePairedMedian: paired.median,
      idlePairedP90: paired.p90,
      peakHeapMedian: ratio('peakHeapBytes', 'median'),
      laterIdleMedian: laterRatio('idleMs'),
      laterIdlePairedMedian: laterPaired.median,
    };
    const laterRow = (label, key, format) => [
      label,
      format(summary.app.later[key].median),
      format(summary.app.later[key].p90),
      format(summary.bare.later[key].median),
      format(summary.bare.later[key].p90),
      formatRatio(laterRatio(key)),
    ];
    const row = (label, key, format) => [
      label,
      format(summary.app[key].median),
      format(summary.app[key].p90),
      format(summary.bare[key].median),
      format(summary.bare[key].p90),
      formatRatio(ratio(key, 'median')),
    ];
    const table = {
      title: `${title}\n${loadWarning(load)}${rounds} rounds (+${warmup} warm-up), viewport ${viewport.width}×${viewport.height}, map ${size.w}×${size.h} px in both`,
      columns: ['metric', 'app median', 'app p90', 'bare median', 'bare p90', 'app/bare (median)'],
      rows: [
        row('navigation → first map idle', 'idleMs', formatMs),
        row('navigation → map created', 'mapCreatedMs', formatMs),
        row('peak JS heap (main thread)', 'peakHeapBytes', formatMiB),
        row('JS heap at idle', 'idleHeapBytes', formatMiB),
        row('requests', 'requests', (value) => value.toFixed(0)),
      ],
    };
    table.rows.push(
      ['idle: ratio of p90s', '', '', '', '', formatRatio(ratios.idleP90)],
      ['idle: per-round app/bare, median (p90)', '', '', '', '', `${formatRatio(paired.median)} (${formatRatio(paired.p90)})`],
      laterRow('later start: navigation → first map idle', 'idleMs', formatMs),
      laterRow('later start: navigation → map created', 'mapCreatedMs', formatMs),
      laterRow('later start: peak JS heap', 'peakHeapBytes', formatMiB),
      ['later start: per-round app/bare, median (p90)', '', '', '', '', `${formatRatio(laterPaired.median)} (${formatRatio(laterPaired.p90)})`],
    );
    return {
      tables: [table],
      data: {
        rounds,
        warmup,
        viewport,
        mapSize: size,
        environment: { ...environmentInfo(browser), loadAverage1m: load },
        summary,
        ratios,
        samples,
        method:
          'Times are performance.now() in the page at the first map idle after load (window.__onemap.state → idle), i.e. from navigation start. Each round: a fresh context, a first start, then a later start in the same context (storage and HTTP cache kept). Heap: CDP Performance.getMetrics JSHeapUsedSize sampled every 50 ms (main thread only).',
      },
    };
  } finally {
    await browser.close();
    await barePage.close();
  }
}

function bareUrl(base, size) {
  const url = new URL(base);
  if (size) {
    url.searchParams.set('w', String(size.w));
    url.searchParams.set('h', String(size.h));
  }
  const delay = process.env.ONEMAP_BENCH_BARE_DELAY_MS;
  if (delay) url.searchParams.set('delay', delay);
  return url.href;
}

function loadWarning({ before, after, cpus }) {
  const worst = Math.max(before, after);
  return worst > cpus * 0.75
    ? `note: 1-min load average ${before.toFixed(1)} → ${after.toFixed(1)} on ${cpus} CPUs; other work shares the machine, expect noisy times (compare per-round ratios)\n`
    : '';
}
