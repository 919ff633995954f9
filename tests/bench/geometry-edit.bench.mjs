// B4 extended: a geometry edit with 10,000 features in the layer, committed and visible, as a ratio
// to a full reload of the layer — in the real app (the web shell the harness serves).
//
// Edit: one `update-geometry` operation through the store's one write path, transact(), moving a
// well 40 m east; timed in the page from the call until the edit is committed (transact resolved,
// i.e. IndexedDB committed) AND visible (the first map 'idle' at which the rendered circle of that
// well in `planning:wells` sits at the new position). In between run the app's change feed (Dexie
// liveQuery → readLayerChangesSince → applyPlanningChanges → GeoJSONSource.updateData), React and
// the dashboards, and MapLibre re-cutting and drawing the tiles.
// Baseline, same page, same round, same well, same camera: a full reload of the layer — read the
// whole layer from the store (readLayer) and reset the map's source with it (the app's own
// applyPlanningChanges reset → setData), the well moved 60 m north — until the first idle with the
// well drawn there. Also, for reading the split: a map-only full setData, and a bare updateData.
// The write goes through a second connection to the app's IndexedDB (geometry-edit-store-page.mjs,
// evaluated over CDP): the app has no window hook for its store.
/* global window, document */
import os from 'node:os';
import { bundleForEvaluate, environmentInfo, formatMs, formatRatio, guardContext, launchChromium, loadNote, roundsFromEnvironment, summarize } from './lib.mjs';

export const name = 'geometry-edit';
export const title = 'B4 extended: one well moved (update-geometry through transact) until committed and drawn vs a full reload of the wells layer (store read + setData) until drawn';

const viewport = { width: 1280, height: 800 };
const wellsCircleLayer = 'planning:wells:circle';
const wellsSource = 'planning:wells';
const stepTimeoutMs = 120_000;
/** The well is moved this far east by the edit, and this far north by the baselines. */
const editMoveM = 40;
const baselineMoveM = 60;
/** A rendered position counts as "there" within this distance (tile quantisation is ~0.1 m at z15). */
const toleranceM = 0.5;
const zoom = 15;

async function settle(page) {
  await page.waitForFunction(
    () => {
      const map = window.__onemap?.map;
      return Boolean(
        map && window.__onemap.state === 'idle' && document.querySelector('[data-testid="map"]')?.getAttribute('data-map-state') === 'idle' && map.loaded() && !map.isMoving() && map.areTilesLoaded(),
      );
    },
    null,
    { timeout: stepTimeoutMs, polling: 100 },
  );
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const map = window.__onemap.map;
        map.once('idle', resolve);
        map.triggerRepaint();
      }),
  );
}

/**
 * Installed once in the page: helpers the timed functions below share. `drawnAt(target)` resolves
 * at the first map idle at which the well is rendered within `toleranceM` of `target` (and only
 * there); `noteMapCalls()` wraps updateData/setData on the wells source to note when the store's
 * change reaches the map.
 */
function installProbe([layer, sourceId, toleranceM]) {
  const map = window.__onemap.map;
  const metres = (a, b) => {
    const toRadians = Math.PI / 180;
    return Math.hypot((b[1] - a[1]) * toRadians, (b[0] - a[0]) * toRadians * Math.cos(((a[1] + b[1]) / 2) * toRadians)) * 6_371_008.8;
  };
  const rendered = (id) =>
    map.queryRenderedFeatures({ layers: [layer], filter: ['==', ['get', 'featureId'], id] }).map((feature) => feature.geometry.coordinates);
  window.__benchProbe = {
    metres,
    rendered,
    drawnAt(id, target, timeoutMs) {
      return new Promise((resolve, reject) => {
        let idles = 0;
        const timer = setTimeout(() => {
          map.off('idle', onIdle);
          reject(new Error(`well ${id} not drawn at ${target.join(', ')} within ${timeoutMs} ms (rendered at ${JSON.stringify(rendered(id))})`));
        }, timeoutMs);
        const onIdle = () => {
          idles += 1;
          const positions = rendered(id);
          if (positions.length === 0 || positions.some((position) => metres(position, target) > toleranceM)) return;
          const at = performance.now();
          clearTimeout(timer);
          map.off('idle', onIdle);
          resolve({ at, idles });
        };
        map.on('idle', onIdle);
      });
    },
    noteMapCalls() {
      const source = map.getSource(sourceId);
      const originals = { updateData: source.updateData, setData: source.setData };
      const calls = [];
      for (const method of ['updateData', 'setData']) {
        source[method] = function (...args) {
          calls.push({ method, at: performance.now() });
          return originals[method].apply(this, args);
        };
      }
      return {
        calls,
        restore() {
          source.updateData = originals.updateData;
          source.setData = originals.setData;
        },
      };
    },
  };
}

/** The stored (and drawn) position of a well, from the map's source data. */
async function sourcePosition([sourceId, id]) {
  const data = await window.__onemap.map.getSource(sourceId).getData();
  const feature = data.features.find((candidate) => candidate.properties.featureId === id);
  if (!feature) throw new Error(`well ${id} is not in ${sourceId}`);
  return feature.geometry.coordinates;
}

/** THE EDIT, in the page: update-geometry through transact() until committed and drawn. */
async function editRound([layerId, id, target, timeoutMs]) {
  const probe = window.__benchProbe;
  const notes = probe.noteMapCalls();
  try {
    const drawn = probe.drawnAt(id, target, timeoutMs);
    const { startedAt, committedAt } = await window.__benchGeometry.moveFeature({ layerId, featureId: id, coordinates: target });
    const { at: drawnAt, idles } = await drawn;
    const first = notes.calls.find((call) => call.at >= startedAt);
    return {
      totalMs: Math.max(committedAt, drawnAt) - startedAt,
      committedMs: committedAt - startedAt,
      drawnMs: drawnAt - startedAt,
      mapUpdateMs: first ? first.at - startedAt : null,
      mapUpdateToDrawnMs: first ? drawnAt - first.at : null,
      fullResets: notes.calls.filter((call) => call.method === 'setData' && call.at >= startedAt).length,
      idles,
    };
  } finally {
    notes.restore();
  }
}

/** THE BASELINE, in the page: store read of the whole layer + reset of the source, until drawn. */
async function reloadRound([layerId, id, target, stored, timeoutMs]) {
  const probe = window.__benchProbe;
  const map = window.__onemap.map;
  const drawn = probe.drawnAt(id, target, timeoutMs);
  const reload = await window.__benchGeometry.fullReload({ map, layerId, featureId: id, coordinates: target });
  const { at: drawnAt } = await drawn;
  const back = probe.drawnAt(id, stored, timeoutMs);
  reload.restore();
  await back;
  return { ms: drawnAt - reload.startedAt, readMs: reload.readAt - reload.startedAt, handedToDrawnMs: drawnAt - reload.handedAt, features: reload.features };
}

/** For the split, in the page: a map-only full setData, then a bare updateData, each until drawn (and back). */
async function mapOnlyRound([sourceId, id, target, timeoutMs]) {
  const probe = window.__benchProbe;
  const source = window.__onemap.map.getSource(sourceId);
  const current = await source.getData();
  const before = current.features.find((feature) => feature.properties.featureId === id);
  const stored = before.geometry.coordinates;
  const moved = { ...before, geometry: { type: 'Point', coordinates: target } };
  let drawn = probe.drawnAt(id, target, timeoutMs);
  const setDataAt = performance.now();
  source.setData({ type: 'FeatureCollection', features: current.features.map((feature) => (feature === before ? moved : feature)) });
  const setDataMs = (await drawn).at - setDataAt;
  drawn = probe.drawnAt(id, stored, timeoutMs);
  source.setData({ type: 'FeatureCollection', features: current.features });
  await drawn;
  drawn = probe.drawnAt(id, target, timeoutMs);
  const updateAt = performance.now();
  source.updateData({ remove: [id], add: [moved] });
  const updateDataMs = (await drawn).at - updateAt;
  drawn = probe.drawnAt(id, stored, timeoutMs);
  source.updateData({ remove: [id], add: [before] });
  await drawn;
  return { setDataMs, updateDataMs, features: current.features.length };
}

/** [lon, lat] moved `metres` east (dx) and north (dy). */
function offset([lon, lat], dxM, dyM) {
  const degreesPerMetre = 180 / Math.PI / 6_371_008.8;
  return [lon + (dxM * degreesPerMetre) / Math.cos((lat * Math.PI) / 180), lat + dyM * degreesPerMetre];
}

async function openGrown(browser, baseUrl, wells, storeScript, log) {
  const context = await browser.newContext({ viewport });
  try {
    const watch = await guardContext(context, [baseUrl]);
    const page = await context.newPage();
    await page.goto(baseUrl, { waitUntil: 'commit' });
    await settle(page);
    const loadStoreScript = async () => {
      await page.evaluate(() => {
        globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig ?? {}, { jitless: true });
      });
      await page.evaluate(storeScript);
    };
    await loadStoreScript();
    const grown = await page.evaluate((total) => window.__benchGeometry.growWells({ total }), wells);
    log(`  wells layer grown through transact(): ${grown.before} → ${grown.after} (${grown.created} created in ${(grown.ms / 1000).toFixed(1)} s); reloading`);
    await page.reload({ waitUntil: 'commit' });
    await settle(page);
    await loadStoreScript();
    await page.evaluate(installProbe, [wellsCircleLayer, wellsSource, toleranceM]);
    const ids = await page.evaluate(async (sourceId) => (await window.__onemap.map.getSource(sourceId).getData()).features.map((feature) => feature.properties.featureId).sort(), wellsSource);
    if (ids.length !== wells) throw new Error(`wells source holds ${ids.length} features, expected ${wells}`);
    watch.assertClean('app');
    return { context, page, watch, ids, grown };
  } catch (error) {
    await context.close();
    throw error;
  }
}

export async function run({ baseUrl, log }) {
  const rounds = roundsFromEnvironment(7);
  const warmup = Number(process.env.ONEMAP_BENCH_WARMUP ?? 1);
  const wells = Number(process.env.ONEMAP_BENCH_GEOMETRY_WELLS ?? 10_000);
  if (!Number.isInteger(wells) || wells < 2785) throw new Error(`ONEMAP_BENCH_GEOMETRY_WELLS must be an integer ≥ 2785 (the demo wells), got ${wells}`);
  const loadBefore = os.loadavg()[0];
  const storeScript = await bundleForEvaluate('tests/bench/geometry-edit-store-page.mjs');
  const browser = await launchChromium();
  try {
    const { context, page, watch, ids, grown } = await openGrown(browser, baseUrl, wells, storeScript, log);
    const samples = [];
    try {
      for (let round = 0; round < warmup + rounds; round += 1) {
        const measured = round >= warmup;
        const label = measured ? `round ${round - warmup + 1}/${rounds}` : 'warm-up';
        // Evenly spread over the sorted ids: seeded wells and grown ones alike, a new one each round.
        const id = ids[Math.floor(((round + 0.5) * ids.length) / (warmup + rounds))];
        const stored = await page.evaluate(sourcePosition, [wellsSource, id]);
        await page.evaluate(([lon, lat, level]) => window.__onemap.map.jumpTo({ center: [lon, lat], zoom: level }), [stored[0], stored[1], zoom]);
        await settle(page);
        const drawnBefore = await page.evaluate((well) => window.__benchProbe.rendered(well), id);
        if (drawnBefore.length === 0) throw new Error(`well ${id} is not drawn after zooming to it`);
        const editFirst = round % 2 === 1;
        let edit;
        let reload;
        if (!editFirst) reload = await page.evaluate(reloadRound, ['wells', id, offset(stored, 0, baselineMoveM), stored, stepTimeoutMs]);
        edit = await page.evaluate(editRound, ['wells', id, offset(stored, editMoveM, 0), stepTimeoutMs]);
        const moved = offset(stored, editMoveM, 0);
        await settle(page);
        if (editFirst) reload = await page.evaluate(reloadRound, ['wells', id, offset(moved, 0, baselineMoveM), moved, stepTimeoutMs]);
        await settle(page);
        const mapOnly = await page.evaluate(mapOnlyRound, [wellsSource, id, offset(moved, 0, -baselineMoveM), stepTimeoutMs]);
        await settle(page);
        watch.assertClean(`${wells} wells, ${label}`);
        log(
          `  ${String(wells).padStart(6)} wells ${label.padEnd(11)} ${id}: edit ${formatMs(edit.totalMs)} (committed ${formatMs(edit.committedMs)}, map ${edit.mapUpdateMs === null ? 'not updated' : `updateData at ${formatMs(edit.mapUpdateMs)}`}, drawn ${formatMs(edit.drawnMs)}); full reload ${formatMs(reload.ms)} (store read ${formatMs(reload.readMs)}); map-only setData ${formatMs(mapOnly.setDataMs)}; bare updateData ${formatMs(mapOnly.updateDataMs)}`,
        );
        if (measured) samples.push({ id, editFirst, ...edit, fullReloadMs: reload.ms, storeReadMs: reload.readMs, reloadHandedToDrawnMs: reload.handedToDrawnMs, mapSetDataMs: mapOnly.setDataMs, bareUpdateDataMs: mapOnly.updateDataMs });
      }
    } finally {
      await context.close();
    }
    const load = { before: loadBefore, after: os.loadavg()[0], cpus: os.cpus().length };
    const stat = (key) => summarize(samples.map((sample) => sample[key]).filter((value) => value !== null));
    const summary = {
      features: wells,
      editMs: stat('totalMs'),
      committedMs: stat('committedMs'),
      drawnMs: stat('drawnMs'),
      mapUpdateMs: stat('mapUpdateMs'),
      mapUpdateToDrawnMs: stat('mapUpdateToDrawnMs'),
      fullResets: samples.reduce((sum, sample) => sum + sample.fullResets, 0),
      fullReloadMs: stat('fullReloadMs'),
      storeReadMs: stat('storeReadMs'),
      mapSetDataMs: stat('mapSetDataMs'),
      bareUpdateDataMs: stat('bareUpdateDataMs'),
      pairedRatio: summarize(samples.map((sample) => sample.totalMs / sample.fullReloadMs)),
      pairedRatioSetData: summarize(samples.map((sample) => sample.totalMs / sample.mapSetDataMs)),
    };
    summary.ratio = summary.editMs.median / summary.fullReloadMs.median;
    summary.ratioSetData = summary.editMs.median / summary.mapSetDataMs.median;
    const prefix = `${wells.toLocaleString('en')} wells`;
    const line = (label, stats, note = '') => [`${prefix}: ${label}`, formatMs(stats.median), formatMs(stats.p90), note];
    const rows = [
      line('edit, transact → committed and drawn', summary.editMs),
      line('  transact → committed', summary.committedMs),
      line('  transact → change reaches the map (updateData)', summary.mapUpdateMs),
      line('  updateData → map idle, well drawn moved', summary.mapUpdateToDrawnMs),
      line('full reload: store read + reset → drawn', summary.fullReloadMs),
      line('  store read of the layer', summary.storeReadMs),
      line('map-only full setData → drawn', summary.mapSetDataMs),
      line('bare updateData → drawn (no store/UI)', summary.bareUpdateDataMs, `${formatRatio(summary.bareUpdateDataMs.median / summary.fullReloadMs.median)} of full reload`),
      ...(summary.fullResets > 0 ? [[`${prefix}: rounds where the app called setData (full reset) for the edit`, String(summary.fullResets), '', '']] : []),
      [`${prefix}: edit / full reload`, '', '', `${formatRatio(summary.ratio)} (per round ${formatRatio(summary.pairedRatio.median)}, p90 ${formatRatio(summary.pairedRatio.p90)})`],
      [`${prefix}: edit / map-only setData`, '', '', `${formatRatio(summary.ratioSetData)} (per round ${formatRatio(summary.pairedRatioSetData.median)})`],
    ];
    return {
      tables: [
        {
          title: `${title}\n${loadNote(load)}${rounds} rounds (+${warmup} warm-up), viewport ${viewport.width}×${viewport.height}, zoom ${zoom} on a different well each round`,
          columns: ['metric', 'median', 'p90', 'ratio (medians)'],
          rows,
        },
      ],
      data: {
        rounds,
        warmup,
        viewport,
        grown,
        environment: { ...environmentInfo(browser), loadAverage1m: load },
        summary,
        samples,
        method: `Wells layer grown to ${wells} with transact() creates (geometry-edit-store-page.mjs evaluated in the app page), page reloaded. Per round, a different well (evenly spread over the sorted ids), camera jumped to it at zoom ${zoom}. Edit: window.__benchGeometry.moveFeature → transact(update-geometry, ${editMoveM} m east) on a second connection to the app's IndexedDB; time = performance.now() from the call to the later of transact resolving (committed) and the first map idle at which queryRenderedFeatures on ${wellsCircleLayer} returns the well within ${toleranceM} m of the new position. Full reload: readLayer (whole layer from the store) + applyPlanningChanges reset (setData) with the well ${baselineMoveM} m north, until drawn there; then restored (not timed). Map-only: source.getData() → setData with the well moved, and a bare updateData, each until drawn. Edit and full reload alternate which goes first.`,
      },
    };
  } finally {
    await browser.close();
  }
}
