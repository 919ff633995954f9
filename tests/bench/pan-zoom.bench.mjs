// B3: frame gaps while panning and zooming along a fixed camera route with 200,000 points and
// 50,000 small polygons loaded through the app's own planning-layer code, against the same route
// over the basemap only, same run, rounds alternating, a fresh browser context per page load.
// The page is pan-zoom-page.mjs (bundled by esbuild, served on its own 127.0.0.1 port).
/* global window, requestAnimationFrame */
import os from 'node:os';
import {
  environmentInfo,
  formatMs,
  formatRatio,
  guardContext,
  launchChromium,
  loadNote,
  percentile,
  roundsFromEnvironment,
  startBundledPage,
  summarize,
} from './lib.mjs';

export const name = 'pan-zoom';
export const title = 'B3 pan/zoom: frame gaps along a fixed camera route, 200,000 points + 50,000 polygons vs basemap only';

const viewport = { width: 1280, height: 800 };
const loadTimeoutMs = 240_000;

/**
 * The fixed route, from the city-wide view the page opens with: ten legs mixing pans, zooms in
 * and out (8 → 13 → 9 …) and two fly-tos, each with a fixed duration (MapLibre animations are
 * time-based, so a slow page draws fewer frames in the same time, with longer gaps).
 */
export const route = [
  { kind: 'easeTo', center: [115.69, 37.74], zoom: 10, duration: 1500 },
  { kind: 'easeTo', center: [115.7, 37.735], zoom: 13, duration: 1500 },
  { kind: 'easeTo', center: [115.76, 37.7], zoom: 13, duration: 1200 },
  { kind: 'flyTo', center: [116.2, 38.1], zoom: 11, duration: 2500 },
  { kind: 'easeTo', center: [116.3, 37.92], zoom: 12, duration: 1500 },
  { kind: 'easeTo', center: [115.85, 37.7], zoom: 9, duration: 1500 },
  { kind: 'flyTo', center: [115.42, 37.3], zoom: 12, duration: 2500 },
  { kind: 'easeTo', center: [115.52, 37.36], zoom: 13, duration: 1200 },
  { kind: 'easeTo', center: [115.87, 37.72], zoom: 8, duration: 1500 },
  { kind: 'easeTo', center: [116.0, 37.9], zoom: 10, duration: 1500 },
];

/** Runs in the page: drives the route and records requestAnimationFrame timestamps per leg. */
async function runRoute(legs) {
  const map = window.__onemap.map;
  const results = [];
  for (const leg of legs) {
    const stamps = [];
    let renders = 0;
    const onRender = () => {
      renders += 1;
    };
    map.on('render', onRender);
    let moving = true;
    const ended = new Promise((resolve) => map.once('moveend', resolve));
    await new Promise((resolve) => {
      requestAnimationFrame((first) => {
        stamps.push(first);
        const options = { center: leg.center, zoom: leg.zoom, duration: leg.duration, essential: true };
        if (leg.kind === 'flyTo') map.flyTo(options);
        else map.easeTo(options);
        const tick = (time) => {
          stamps.push(time);
          if (moving) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
        resolve();
      });
    });
    await ended;
    moving = false;
    const endedAt = performance.now();
    map.off('render', onRender);
    const gaps = [];
    for (let index = 1; index < stamps.length; index += 1) gaps.push(stamps[index] - stamps[index - 1]);
    results.push({ kind: leg.kind, zoom: leg.zoom, durationMs: endedAt - stamps[0], frames: gaps.length, renders, gaps });
  }
  return results;
}

function pageUrl(base, kind, slowMs) {
  const url = new URL(base);
  url.searchParams.set('data', kind === 'data' ? '1' : '0');
  url.searchParams.set('w', String(viewport.width));
  url.searchParams.set('h', String(viewport.height));
  if (process.env.ONEMAP_BENCH_PANZOOM_POINTS) url.searchParams.set('points', process.env.ONEMAP_BENCH_PANZOOM_POINTS);
  if (process.env.ONEMAP_BENCH_PANZOOM_POLYGONS) url.searchParams.set('polygons', process.env.ONEMAP_BENCH_PANZOOM_POLYGONS);
  if (kind === 'data' && slowMs > 0) url.searchParams.set('slow', String(slowMs));
  return url.href;
}

/** Opens one page in a fresh browser context and waits until it reports idle with its data drawn. */
async function openPage(browser, url, allowedOrigins, label) {
  const context = await browser.newContext({ viewport });
  try {
    const watch = await guardContext(context, allowedOrigins);
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__onemap?.state === 'idle', null, { timeout: loadTimeoutMs, polling: 100 });
    const loadSeconds = (Date.now() - started) / 1000;
    const loaded = await page.evaluate(() => {
      const map = window.__onemap.map;
      const planning = ['planning:wells:circle', 'planning:farmland:fill'].filter((id) => map.getLayer(id));
      const { lng, lat } = map.getCenter();
      window.__benchStart = { center: [lng, lat], zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch() };
      return {
        ...window.__benchPage,
        zoom: map.getZoom(),
        renderedPlanning: planning.length === 0 ? 0 : map.queryRenderedFeatures({ layers: planning }).length,
      };
    });
    watch.assertClean(label);
    return { context, page, watch, loadSeconds, loaded };
  } catch (error) {
    await context.close();
    throw error;
  }
}

/** Back to the start camera, wait until idle, then one pass along the route. */
async function runPass({ page, watch }, label) {
  await page.evaluate(async () => {
    const map = window.__onemap.map;
    map.jumpTo(window.__benchStart);
    await new Promise((resolve) => {
      map.once('idle', resolve);
      map.triggerRepaint();
    });
  });
  const legs = await page.evaluate(runRoute, route);
  watch.assertClean(label);
  const gaps = legs.flatMap((leg) => leg.gaps);
  return {
    gaps,
    legs: legs.map(({ gaps: legGaps, ...leg }) => ({ ...leg, p95: percentile(legGaps, 95), max: Math.max(...legGaps) })),
    p50: percentile(gaps, 50),
    p95: percentile(gaps, 95),
    max: Math.max(...gaps),
    frames: gaps.length,
    fps: (1000 * gaps.length) / legs.reduce((sum, leg) => sum + leg.durationMs, 0),
  };
}

export async function run({ log }) {
  const rounds = roundsFromEnvironment(5);
  const warmup = Number(process.env.ONEMAP_BENCH_WARMUP ?? 1);
  const slowMs = Number(process.env.ONEMAP_BENCH_PANZOOM_SLOW_MS ?? 0);
  const loadBefore = os.loadavg()[0];
  const page = await startBundledPage({ entry: 'tests/bench/pan-zoom-page.mjs', name: 'panzoom', title: 'pan-zoom bench page' });
  const browser = await launchChromium();
  const opened = [];
  try {
    const origins = [page.url];
    // Both pages stay open for the whole run: the data page takes a minute to load 250,000
    // features here, so passes repeat on the loaded pages instead of reloading them.
    const pages = {};
    for (const kind of ['data', 'basemap']) {
      pages[kind] = await openPage(browser, pageUrl(page.url, kind, slowMs), origins, `${kind} page`);
      opened.push(pages[kind]);
      const { loaded, loadSeconds } = pages[kind];
      log(`  ${kind.padEnd(7)} page idle after ${loadSeconds.toFixed(1)} s (zoom ${loaded.zoom.toFixed(2)}, ${loaded.renderedPlanning} planning features rendered)`);
    }
    if (pages.data.loaded.points === 0 || pages.data.loaded.renderedPlanning === 0) {
      throw new Error(`data page: planning layers not loaded/drawn (${JSON.stringify(pages.data.loaded)})`);
    }
    // Warm-up passes: the first pass over each zoom level makes MapLibre's worker cut the
    // GeoJSON tiles; measured passes then see the steady state of a loaded layer.
    for (let index = 0; index < warmup; index += 1) {
      for (const kind of ['data', 'basemap']) {
        const result = await runPass(pages[kind], `${kind} (warm-up)`);
        log(`  warm-up ${kind.padEnd(7)} gaps p50 ${formatMs(result.p50)} p95 ${formatMs(result.p95)} max ${formatMs(result.max)}, ${result.fps.toFixed(1)} fps`);
      }
    }
    const samples = { data: [], basemap: [] };
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? ['data', 'basemap'] : ['basemap', 'data'];
      for (const kind of order) {
        const result = await runPass(pages[kind], `${kind} round ${round + 1}`);
        samples[kind].push(result);
        log(
          `  round ${round + 1}/${rounds} ${kind.padEnd(7)} gaps p50 ${formatMs(result.p50)} p95 ${formatMs(result.p95)} max ${formatMs(result.max)}, ${result.fps.toFixed(1)} fps`,
        );
      }
    }
    const load = { before: loadBefore, after: os.loadavg()[0], cpus: os.cpus().length };
    const summary = {};
    for (const kind of ['data', 'basemap']) {
      const pooled = samples[kind].flatMap((sample) => sample.gaps);
      summary[kind] = {
        p50: summarize(samples[kind].map((sample) => sample.p50)),
        p95: summarize(samples[kind].map((sample) => sample.p95)),
        max: summarize(samples[kind].map((sample) => sample.max)),
        fps: summarize(samples[kind].map((sample) => sample.fps)),
        frames: summarize(samples[kind].map((sample) => sample.frames)),
        pooled: { n: pooled.length, p50: percentile(pooled, 50), p95: percentile(pooled, 95), max: Math.max(...pooled) },
      };
    }
    const paired = summarize(samples.data.map((sample, index) => sample.p95 / samples.basemap[index].p95));
    const ratios = {
      p95Median: summary.data.p95.median / summary.basemap.p95.median,
      p95Pooled: summary.data.pooled.p95 / summary.basemap.pooled.p95,
      p95PairedMedian: paired.median,
      p95PairedP90: paired.p90,
      p50Median: summary.data.p50.median / summary.basemap.p50.median,
      maxMedian: summary.data.max.median / summary.basemap.max.median,
    };
    const loaded = pages.data.loaded;
    const row = (label, key, format) => [
      label,
      format(summary.data[key].median),
      format(summary.data[key].p90),
      format(summary.basemap[key].median),
      format(summary.basemap[key].p90),
      formatRatio(summary.data[key].median / summary.basemap[key].median),
    ];
    const integer = (value) => value.toFixed(0);
    const table = {
      title: `${title}\n${loadNote(load)}${rounds} rounds (+${warmup} warm-up), ${route.length} legs, viewport ${viewport.width}×${viewport.height}; data: ${loaded.points.toLocaleString('en')} points + ${loaded.polygons.toLocaleString('en')} polygons (page idle after ${pages.data.loadSeconds.toFixed(0)} s vs ${pages.basemap.loadSeconds.toFixed(0)} s)${slowMs > 0 ? `; DELIBERATE SLOWDOWN ${slowMs} ms per data frame` : ''}\nper pass: gaps between requestAnimationFrame timestamps over the whole route; both pages loaded once, passes alternate; columns: median and p90 over passes`,
      columns: ['metric', 'data median', 'data p90', 'basemap median', 'basemap p90', 'data/basemap (median)'],
      rows: [
        row('frame gap p95', 'p95', formatMs),
        row('frame gap median', 'p50', formatMs),
        row('frame gap max', 'max', formatMs),
        row('frames per second', 'fps', (value) => value.toFixed(1)),
        row('frames drawn per pass', 'frames', integer),
        ['frame gap p95, all rounds pooled', formatMs(summary.data.pooled.p95), '', formatMs(summary.basemap.pooled.p95), '', formatRatio(ratios.p95Pooled)],
        ['p95: per-round data/basemap, median (p90)', '', '', '', '', `${formatRatio(paired.median)} (${formatRatio(paired.p90)})`],
      ],
    };
    return {
      tables: [table],
      data: {
        rounds,
        warmup,
        viewport,
        route,
        slowMs,
        pages: Object.fromEntries(Object.entries(pages).map(([kind, { loadSeconds, loaded }]) => [kind, { loadSeconds, loaded }])),
        environment: { ...environmentInfo(browser), loadAverage1m: load },
        summary,
        ratios,
        samples: Object.fromEntries(
          Object.entries(samples).map(([kind, list]) => [kind, list.map(({ gaps, ...rest }) => ({ ...rest, gaps: gaps.map((gap) => Math.round(gap * 10) / 10) }))]),
        ),
        method:
          'Gaps between consecutive requestAnimationFrame timestamps in the page while map.easeTo/flyTo legs run (each leg from its first frame to moveend), after the page reported idle with all data drawn. Data: deterministic (mulberry32, seed 20210630) points and 100–500 m squares/hexagons inside Hengshui, added with the app\'s addPlanningLayer/applyPlanningChanges using seeds/layers.json\'s wells and farmland definitions.',
      },
    };
  } finally {
    for (const { context } of opened) await context.close().catch(() => {});
    await browser.close();
    await page.close();
  }
}
