// B3: frame gaps while panning and zooming along a fixed camera route, with 200,000 points and
// 50,000 small polygons as OneMap layers — imported into the real app's store through its import
// wizard and drawn by the app — against the same data pre-cut by GDAL to MBTiles and drawn from
// those static tiles by a bare MapLibre page over the same basemap (the goal: live layers as smooth
// as static tiles), and against that page with the basemap only. Same run, passes alternating.
// The bare page is tiles-page.mjs (bundled by esbuild, served with the tiles on its own port).
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
import { importThroughWizard, prepareRenderData } from './render-data.mjs';

export const name = 'pan-zoom';
export const title = 'B3 pan/zoom: frame gaps along a fixed camera route, 200,000 points + 50,000 polygons: OneMap layers vs GDAL-pre-cut MBTiles vs basemap only';

const viewport = { width: 1280, height: 800 };
const loadTimeoutMs = 600_000;
const kinds = ['app', 'precut', 'basemap'];

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

/** The bare page's URL: tiles or not, the app's map size, the optional deliberate slowdown. */
function barePageUrl(base, kind, size) {
  const url = new URL(base);
  url.searchParams.set('tiles', kind === 'precut' ? '1' : '0');
  url.searchParams.set('maxzoom', String(precutMaxZoom));
  url.searchParams.set('w', String(size.width));
  url.searchParams.set('h', String(size.height));
  return url.href;
}

const precutMaxZoom = 13;

async function waitUntilDrawn(page) {
  await page.waitForFunction(() => window.__onemap?.state === 'idle', null, { timeout: loadTimeoutMs, polling: 100 });
  await page.waitForFunction(
    () => {
      const map = window.__onemap.map;
      return map.loaded() && !map.isMoving() && map.areTilesLoaded();
    },
    null,
    { timeout: loadTimeoutMs, polling: 100 },
  );
}

/** Features of the bench's layers drawn at the current view (style layers by prefix). */
async function renderedCount(page, prefix) {
  return page.evaluate((prefix) => {
    const map = window.__onemap.map;
    const layers = map.getStyle().layers.map((layer) => layer.id).filter((id) => id.startsWith(prefix));
    return layers.length === 0 ? 0 : map.queryRenderedFeatures({ layers }).length;
  }, prefix);
}

/** Unticks 显示… in the layer panel for every layer but the imported ones; returns their ids. */
async function showOnlyImportedLayers(page) {
  await page.getByRole('tab', { name: '图层', exact: true }).click();
  const items = page.locator('.layer-item');
  await items.first().waitFor({ timeout: loadTimeoutMs });
  const hidden = [];
  for (const item of await items.all()) {
    const id = await item.getAttribute('data-layer-id');
    if (id === null || id.startsWith('import-')) continue;
    const box = item.locator('.layer-name input[type="checkbox"]');
    if (await box.isChecked()) await box.uncheck();
    hidden.push(id);
  }
  const stillDrawn = () =>
    window.__onemap.map
      .getStyle()
      .layers.filter((layer) => layer.id.startsWith('planning:') && !layer.id.startsWith('planning:import-') && layer.layout?.visibility !== 'none')
      .map((layer) => layer.id);
  try {
    await page.waitForFunction(
      () =>
        window.__onemap.map
          .getStyle()
          .layers.every((layer) => !layer.id.startsWith('planning:') || layer.id.startsWith('planning:import-') || layer.layout?.visibility === 'none'),
      null,
      { timeout: 30_000 },
    );
  } catch {
    throw new Error(`app: demo layers still drawn after switching them off: ${(await page.evaluate(stillDrawn)).join(', ')}`);
  }
  return hidden;
}

/**
 * The app: a fresh context, the app opened, both files imported through the wizard, then the page
 * reloaded — the layers come from the store as on any later start. Returns the open page, its map's
 * size and its start camera (the bare pages take both).
 */
async function openApp(browser, baseUrl, files, log) {
  const context = await browser.newContext({ viewport });
  try {
    const watch = await guardContext(context, [baseUrl]);
    const page = await context.newPage();
    await page.goto(baseUrl, { waitUntil: 'commit' });
    await waitUntilDrawn(page);
    for (const file of [files.polygons, files.points].filter(Boolean)) {
      const started = Date.now();
      const report = await importThroughWizard(page, file, loadTimeoutMs);
      log(`  app: imported ${file.split('/').pop()} in ${((Date.now() - started) / 1000).toFixed(0)} s (${report.replace(/\s+/g, ' ').slice(0, 80)})`);
    }
    const started = Date.now();
    await page.reload({ waitUntil: 'commit' });
    await waitUntilDrawn(page);
    const loadSeconds = (Date.now() - started) / 1000;
    // The same data on both pages: the demo layers are switched off in the layer panel, as a user
    // with the province's data would; the basemap stays, as on the pre-cut page.
    const hidden = await showOnlyImportedLayers(page);
    log(`  app: demo layers switched off in the layer panel: ${hidden.join(', ')}`);
    await waitUntilDrawn(page);
    const opened = await page.evaluate(() => {
      const map = window.__onemap.map;
      const { lng, lat } = map.getCenter();
      window.__benchStart = { center: [lng, lat], zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch() };
      const container = map.getContainer();
      return { start: window.__benchStart, size: { width: container.clientWidth, height: container.clientHeight } };
    });
    const rendered = await renderedCount(page, 'planning:import-');
    if (rendered === 0) throw new Error('app: the imported layers are not drawn after the reload');
    watch.assertClean('app');
    return { context, page, watch, loadSeconds, rendered, ...opened };
  } catch (error) {
    await context.close();
    throw error;
  }
}

/** A bare page in a fresh context, at the app's map size, moved to the app's start camera. */
async function openBarePage(browser, url, start, label) {
  const context = await browser.newContext({ viewport });
  try {
    const watch = await guardContext(context, [new URL(url).origin + '/']);
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    await waitUntilDrawn(page);
    const loadSeconds = (Date.now() - started) / 1000;
    await page.evaluate((start) => {
      window.__benchStart = start;
    }, start);
    watch.assertClean(label);
    return { context, page, watch, loadSeconds };
  } catch (error) {
    await context.close();
    throw error;
  }
}

/** Busy work on every rendered frame of a page: the self-check's deliberate slowdown. */
async function slowDown(page, slowMs) {
  await page.evaluate((slowMs) => {
    window.__onemap.map.on('render', () => {
      const until = performance.now() + slowMs;
      while (performance.now() < until) {
        // deliberate busy work (self-check only)
      }
    });
  }, slowMs);
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

export async function run({ baseUrl, log }) {
  const rounds = roundsFromEnvironment(5);
  const warmup = Number(process.env.ONEMAP_BENCH_WARMUP ?? 1);
  const slowMs = Number(process.env.ONEMAP_BENCH_PANZOOM_SLOW_MS ?? 0);
  const points = Number(process.env.ONEMAP_BENCH_PANZOOM_POINTS ?? 200_000);
  const polygons = Number(process.env.ONEMAP_BENCH_PANZOOM_POLYGONS ?? 50_000);
  const loadBefore = os.loadavg()[0];
  const data = await prepareRenderData({ points, polygons, minZoom: 5, maxZoom: precutMaxZoom, log });
  log(`  pre-cut tiles: ${data.tiles.size.toLocaleString('en')} tiles, ${(data.tileBytes / 1024 / 1024).toFixed(1)} MiB${data.cached ? ' (cached)' : ''}`);
  const bare = await startBundledPage({ entry: 'tests/bench/tiles-page.mjs', name: 'tiles', title: 'tiles bench page', tiles: data.tiles });
  const browser = await launchChromium();
  const pages = {};
  try {
    // All three pages stay open for the whole run: importing 250,000 features into the app takes
    // minutes here, so passes repeat on the loaded pages instead of reloading them.
    pages.app = await openApp(browser, baseUrl, data.files, log);
    const { start, size } = pages.app;
    log(`  app     page idle after ${pages.app.loadSeconds.toFixed(1)} s (map ${size.width}×${size.height}, zoom ${start.zoom.toFixed(2)}, ${pages.app.rendered} imported features rendered)`);
    for (const kind of ['precut', 'basemap']) {
      pages[kind] = await openBarePage(browser, barePageUrl(bare.url, kind, size), start, `${kind} page`);
      log(`  ${kind.padEnd(7)} page idle after ${pages[kind].loadSeconds.toFixed(1)} s`);
    }
    if (slowMs > 0) await slowDown(pages.app.page, slowMs);
    // Warm-up passes: the first pass over each zoom level fills tile caches; measured passes then
    // see the steady state of a loaded page.
    for (let index = 0; index < warmup; index += 1) {
      for (const kind of kinds) {
        const result = await runPass(pages[kind], `${kind} (warm-up)`);
        log(`  warm-up ${kind.padEnd(7)} gaps p50 ${formatMs(result.p50)} p95 ${formatMs(result.p95)} max ${formatMs(result.max)}, ${result.fps.toFixed(1)} fps`);
      }
    }
    pages.precut.rendered = await renderedCount(pages.precut.page, 'precut-');
    if (pages.precut.rendered === 0) throw new Error('precut page: the pre-cut layers are not drawn');
    const samples = Object.fromEntries(kinds.map((kind) => [kind, []]));
    for (let round = 0; round < rounds; round += 1) {
      // Rotate which page goes first, so none always runs right after the same other page.
      const order = kinds.map((_, index) => kinds[(index + round) % kinds.length]);
      for (const kind of order) {
        const result = await runPass(pages[kind], `${kind} round ${round + 1}`);
        samples[kind].push(result);
        log(`  round ${round + 1}/${rounds} ${kind.padEnd(7)} gaps p50 ${formatMs(result.p50)} p95 ${formatMs(result.p95)} max ${formatMs(result.max)}, ${result.fps.toFixed(1)} fps`);
      }
    }
    const load = { before: loadBefore, after: os.loadavg()[0], cpus: os.cpus().length };
    const summary = {};
    for (const kind of kinds) {
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
    const paired = (over, under) => summarize(samples[over].map((sample, index) => sample.p95 / samples[under][index].p95));
    const ratios = {
      appOverPrecutP95Median: summary.app.p95.median / summary.precut.p95.median,
      appOverPrecutP95Paired: paired('app', 'precut').median,
      appOverBasemapP95Median: summary.app.p95.median / summary.basemap.p95.median,
      precutOverBasemapP95Median: summary.precut.p95.median / summary.basemap.p95.median,
      appOverPrecutP95Pooled: summary.app.pooled.p95 / summary.precut.pooled.p95,
    };
    const row = (label, key, format) => [
      label,
      ...kinds.map((kind) => format(summary[kind][key].median)),
      formatRatio(summary.app[key].median / summary.precut[key].median),
      formatRatio(summary.app[key].median / summary.basemap[key].median),
    ];
    const integer = (value) => value.toFixed(0);
    const table = {
      title: `${title}\n${loadNote(load)}${rounds} rounds (+${warmup} warm-up), ${route.length} legs, map ${pages.app.size.width}×${pages.app.size.height}; ${points.toLocaleString('en')} points + ${polygons.toLocaleString('en')} polygons (app: imported through the wizard, page reloaded, idle after ${pages.app.loadSeconds.toFixed(0)} s; pre-cut: ${data.tiles.size.toLocaleString('en')} GDAL tiles z5–${precutMaxZoom})${slowMs > 0 ? `; DELIBERATE SLOWDOWN ${slowMs} ms per app frame` : ''}\nper pass: gaps between requestAnimationFrame timestamps over the whole route; columns: medians over passes`,
      columns: ['metric', 'app', 'pre-cut', 'basemap', 'app/pre-cut', 'app/basemap'],
      rows: [
        row('frame gap p95', 'p95', formatMs),
        row('frame gap median', 'p50', formatMs),
        row('frame gap max', 'max', formatMs),
        row('frames per second', 'fps', (value) => value.toFixed(1)),
        row('frames drawn per pass', 'frames', integer),
        ['frame gap p95, all rounds pooled', ...kinds.map((kind) => formatMs(summary[kind].pooled.p95)), formatRatio(ratios.appOverPrecutP95Pooled), formatRatio(summary.app.pooled.p95 / summary.basemap.pooled.p95)],
        ['p95: per-round app/pre-cut, median (p90)', '', '', '', `${formatRatio(paired('app', 'precut').median)} (${formatRatio(paired('app', 'precut').p90)})`, ''],
      ],
    };
    return {
      tables: [table],
      data: {
        rounds,
        warmup,
        viewport,
        mapSize: pages.app.size,
        route,
        slowMs,
        points,
        polygons,
        precut: { tiles: data.tiles.size, bytes: data.tileBytes, maxZoom: precutMaxZoom },
        pages: Object.fromEntries(kinds.map((kind) => [kind, { loadSeconds: pages[kind].loadSeconds, rendered: pages[kind].rendered ?? null }])),
        environment: { ...environmentInfo(browser), loadAverage1m: load },
        summary,
        ratios,
        samples: Object.fromEntries(
          Object.entries(samples).map(([kind, list]) => [kind, list.map(({ gaps, ...rest }) => ({ ...rest, gaps: gaps.map((gap) => Math.round(gap * 10) / 10) }))]),
        ),
        method:
          'Gaps between consecutive requestAnimationFrame timestamps in the page while map.easeTo/flyTo legs run (each leg from its first frame to moveend), after the page reported idle with all data drawn. Data: deterministic (mulberry32) points and 100–500 m squares/hexagons inside Hengshui (tests/bench/synthetic-layers.mjs), written as GeoJSON; the app imports both files through its import wizard (new layers) and is reloaded; GDAL 3 pre-cuts the same files with ogr2ogr -f MBTiles (defaults but MINZOOM/MAXZOOM) and the bare page draws them as a vector source over the same basemap, styled like the app draws imported layers.',
      },
    };
  } finally {
    for (const { context } of Object.values(pages)) await context.close().catch(() => {});
    await browser.close();
    await bare.close();
  }
}
