// B4: one well's status edit in the real app (the web shell the harness serves), driven the way a
// user does it — open the well from the overdue list, choose 已封填, set the date, click 保存 —
// timed in the page from the form's submit until the edit is committed (the panel says 已保存,
// which it does only after the IndexedDB transaction committed) AND visible (the first map
// 'idle' at which the rendered circle of that well in `planning:wells` carries the new status).
// Baseline, same page, same round, same well: a full `setData` of the wells source (its current
// data with that well's status changed) until the map is idle with the well drawn in the new
// status. Rounds alternate which goes first. Two layer sizes: the demo wells (2,785) and, with
// ONEMAP_BENCH_EDIT_WELLS (default 10000), the wells layer grown through the store's transact().
/* global window, document, MutationObserver */
import os from 'node:os';
import {
  bundleForEvaluate,
  environmentInfo,
  formatMs,
  formatProfile,
  formatRatio,
  guardContext,
  launchChromium,
  loadNote,
  roundsFromEnvironment,
  startCpuProfile,
  summarize,
} from './lib.mjs';

export const name = 'status-edit';
export const title = 'B4 status edit: one well sealed in the UI until committed and drawn vs a full setData of the wells layer until idle';

const viewport = { width: 1280, height: 800 };
const wellsTarget = 'wells-non-agricultural-2021';
const wellsCircleLayer = 'planning:wells:circle';
const newStatus = { value: 'sealed', label: '已封填' };
/** The status the baseline draws the well in: one it never has during a round. */
const baselineStatus = 'verified';
const editDate = '2021-06-30';
const stepTimeoutMs = 120_000;

/** Waits until the app's map reported idle and is not moving, loading or drawing anything. */
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
  // One more full render cycle, so no frame from the last camera move is still pending.
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const map = window.__onemap.map;
        map.once('idle', resolve);
        map.triggerRepaint();
      }),
  );
}

/** Runs in the page: the status of the well as the map draws it (null when not drawn). */
function renderedStatusProbe([layer, id]) {
  const features = window.__onemap.map.queryRenderedFeatures({ layers: [layer], filter: ['==', ['get', 'featureId'], id] });
  return features.length === 0 ? null : features[0].properties.status;
}

/**
 * Runs in the page: full setData of the wells source with the well drawn in `status`, timed until
 * the first map idle at which the well is rendered in that status; then restores the source's data
 * (not timed) and waits for idle again. Then the same change as a bare `updateData` (and back).
 */
async function fullReload([sourceId, layer, id, status, timeoutMs]) {
  const map = window.__onemap.map;
  const source = map.getSource(sourceId);
  const renderedStatus = () => {
    const features = map.queryRenderedFeatures({ layers: [layer], filter: ['==', ['get', 'featureId'], id] });
    return features.length === 0 ? null : features[0].properties.status;
  };
  const idleWith = (wanted) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        map.off('idle', onIdle);
        reject(new Error(`setData: well ${id} not drawn as ${wanted} within ${timeoutMs} ms`));
      }, timeoutMs);
      const onIdle = () => {
        if (renderedStatus() !== wanted) return;
        const at = performance.now();
        clearTimeout(timer);
        map.off('idle', onIdle);
        resolve(at);
      };
      map.on('idle', onIdle);
    });
  const current = await source.getData();
  const before = current.features.find((feature) => feature.properties.featureId === id);
  if (!before) throw new Error(`setData: well ${id} not in the source`);
  const changed = {
    type: 'FeatureCollection',
    features: current.features.map((feature) => (feature === before ? { ...feature, properties: { ...feature.properties, status } } : feature)),
  };
  const visible = idleWith(status);
  const startedAt = performance.now();
  source.setData(changed);
  const visibleAt = await visible;
  const restored = idleWith(before.properties.status);
  source.setData({ type: 'FeatureCollection', features: current.features });
  await restored;
  // The same change through updateData alone (what the app's change feed calls), without the
  // store and the UI around it: the map's own share of an edit.
  const drawn = idleWith(status);
  const incrementalStartedAt = performance.now();
  source.updateData({ remove: [id], add: [{ ...before, properties: { ...before.properties, status } }] });
  const drawnAt = await drawn;
  const restoredAgain = idleWith(before.properties.status);
  source.updateData({ remove: [id], add: [before] });
  await restoredAgain;
  return { ms: visibleAt - startedAt, updateDataMs: drawnAt - incrementalStartedAt, features: current.features.length };
}

/**
 * Runs in the page, for a layer drawn from tiles (no GeoJSON data to reload): the full reload the
 * app did before tiles — the whole layer (read from the store) set on a GeoJSON source with the
 * well in `status`, timed from setData to the first idle with the well drawn so; then removed.
 */
async function fullReloadAsGeoJson([id, status, timeoutMs]) {
  const map = window.__onemap.map;
  const collection = await window.__benchStore.layerCollection({ layerId: 'wells' });
  const changed = { ...collection, features: collection.features.map((feature) => (feature.properties.featureId === id ? { ...feature, properties: { ...feature.properties, status } } : feature)) };
  map.addSource('bench-full', { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'featureId' });
  map.addLayer({ id: 'bench-full:circle', type: 'circle', source: 'bench-full', paint: { 'circle-radius': 3, 'circle-color': '#000' } });
  await new Promise((resolve) => map.once('idle', resolve));
  const drawn = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`full reload: well ${id} not drawn within ${timeoutMs} ms`)), timeoutMs);
    const onIdle = () => {
      const features = map.queryRenderedFeatures({ layers: ['bench-full:circle'], filter: ['==', ['get', 'featureId'], id] });
      if (features.length === 0 || features[0].properties.status !== status) return;
      clearTimeout(timer);
      map.off('idle', onIdle);
      resolve(performance.now());
    };
    map.on('idle', onIdle);
  });
  const startedAt = performance.now();
  map.getSource('bench-full').setData(changed);
  const drawnAt = await drawn;
  map.removeLayer('bench-full:circle');
  map.removeSource('bench-full');
  await new Promise((resolve) => map.once('idle', resolve));
  return { ms: drawnAt - startedAt, updateDataMs: null, features: collection.features.length };
}

/**
 * Runs in the page before the user's click: notes the form's submit, the moment the panel shows
 * 已保存, and the first map idle at which the well is drawn in the new status. Resolves
 * `window.__benchEdit` with the times (ms from submit). `delayMs` busy-waits at submit: a
 * deliberate slowdown to check that the bench notices.
 */
function armEditProbe([layer, id, status, savedText, delayMs, timeoutMs]) {
  const map = window.__onemap.map;
  const panel = document.querySelector(`.feature-panel[data-feature-id="${id}"]`);
  const saveState = panel?.querySelector('[data-testid="save-state"]');
  if (!saveState) throw new Error(`no open feature panel with a save state for ${id}`);
  let submitAt;
  let committedAt;
  let visibleAt;
  // Notes when the store's change feed reaches the map (the app's applyPlanningChanges calls
  // updateData, or setData on a reset), by wrapping the two methods on this source instance only.
  const source = map.getSource('planning:wells');
  const originals = { updateData: source.updateData, setData: source.setData };
  const mapCalls = [];
  let stateVisibleAt;
  for (const method of ['updateData', 'setData']) {
    if (typeof source[method] !== 'function') continue;
    source[method] = function (...args) {
      if (submitAt !== undefined) {
        const data = args[0];
        mapCalls.push({ method, atMs: performance.now() - submitAt, features: method === 'setData' ? (data?.features?.length ?? null) : (data?.add?.length ?? 0) + (data?.update?.length ?? 0) });
      }
      return originals[method].apply(this, args);
    };
  }
  let idles = 0;
  window.__benchEdit = new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      observer.disconnect();
      map.off('idle', onIdle);
      map.off('render', onRender);
      if (originals.updateData) source.updateData = originals.updateData;
      if (originals.setData) source.setData = originals.setData;
      document.removeEventListener('submit', onSubmit, true);
    };
    const finish = () => {
      if (committedAt === undefined || visibleAt === undefined) return;
      cleanup();
      const firstCall = mapCalls[0];
      resolve({
        committedMs: committedAt - submitAt,
        visibleMs: visibleAt - submitAt,
        // A tiled layer: the colour through feature state (the re-cut tile follows, in visibleMs).
        stateVisibleMs: stateVisibleAt === undefined ? null : stateVisibleAt - submitAt,
        totalMs: Math.max(committedAt, Math.min(visibleAt, stateVisibleAt ?? Infinity)) - submitAt,
        recutMs: Math.max(committedAt, visibleAt) - submitAt,
        mapUpdateMs: firstCall?.atMs ?? null,
        mapUpdateToDrawnMs: firstCall ? visibleAt - submitAt - firstCall.atMs : null,
        mapCalls,
        idlesBeforeDrawn: idles,
      });
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`edit of ${id}: submitted ${submitAt !== undefined}, committed ${committedAt !== undefined}, drawn ${visibleAt !== undefined} after ${timeoutMs} ms`));
    }, timeoutMs);
    const onSubmit = () => {
      submitAt ??= performance.now();
      const until = performance.now() + delayMs;
      while (performance.now() < until) {
        // deliberate busy work (self-check only)
      }
    };
    // Capture phase on the document: runs before React's own submit handler on the root.
    document.addEventListener('submit', onSubmit, true);
    const observer = new MutationObserver(() => {
      if (submitAt !== undefined && committedAt === undefined && saveState.textContent.trim() === savedText) {
        committedAt = performance.now();
        finish();
      }
    });
    observer.observe(saveState, { childList: true, subtree: true, characterData: true });
    const onIdle = () => {
      if (submitAt === undefined || visibleAt !== undefined) return;
      idles += 1;
      const features = map.queryRenderedFeatures({ layers: [layer], filter: ['==', ['get', 'featureId'], id] });
      if (features.length > 0 && features[0].properties.status === status) {
        visibleAt = performance.now();
        finish();
      }
    };
    map.on('idle', onIdle);
    // The frame after which the well is drawn in its new colour through feature state.
    const onRender = () => {
      if (submitAt === undefined || stateVisibleAt !== undefined || source.type !== 'vector') return;
      const features = map.queryRenderedFeatures({ layers: [layer], filter: ['==', ['get', 'featureId'], id] });
      if (features.length > 0 && features[0].state?.status === status) stateVisibleAt = performance.now();
    };
    map.on('render', onRender);
  });
  // Keep the promise from counting as unhandled before the harness awaits it.
  window.__benchEdit.catch(() => {});
}

/** Opens the first well of the overdue list (zooms the map to it) and waits until all settled. */
async function openFirstOverdueWell(page) {
  const row = page.locator(`[data-target-id="${wellsTarget}"] .overdue-table tbody tr`).first();
  const id = ((await row.locator('td').first().textContent()) ?? '').trim();
  if (!id) throw new Error('the wells overdue list is empty');
  await row.getByRole('button', { name: id, exact: true }).click();
  await page.locator(`.feature-panel[data-feature-id="${id}"]`).waitFor({ state: 'visible', timeout: stepTimeoutMs });
  await settle(page);
  const status = await page.evaluate(renderedStatusProbe, [wellsCircleLayer, id]);
  if (status === null) throw new Error(`well ${id} is not drawn after zooming to it`);
  return { id, status };
}

async function editInPanel(page, id, delayMs, log) {
  await page.evaluate(armEditProbe, [wellsCircleLayer, id, newStatus.value, '已保存', delayMs, stepTimeoutMs]);
  const panel = page.locator(`.feature-panel[data-feature-id="${id}"]`);
  await panel.getByLabel('新状态').selectOption({ label: newStatus.label });
  await panel.getByLabel('日期').fill(editDate);
  const profile = await startCpuProfile(page);
  await panel.getByRole('button', { name: '保存', exact: true }).click();
  const result = await page.evaluate(() => window.__benchEdit);
  if (profile) for (const line of formatProfile(await profile.stop(`status-edit-${id}-${Date.now()}`))) log(line);
  await settle(page);
  return result;
}

async function openVariant(browser, baseUrl, wells, storeScript, log) {
  const context = await browser.newContext({ viewport });
  try {
    const watch = await guardContext(context, [baseUrl]);
    const page = await context.newPage();
    await page.goto(baseUrl, { waitUntil: 'commit' });
    await settle(page);
    let grown = null;
    if (wells !== null) {
      // zod's config is a global shared by every copy of zod in the page (the app's and the
      // store script's): JIT off, so the store script's validators never reach for eval.
      await page.evaluate(() => {
        globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig ?? {}, { jitless: true });
      });
      await page.evaluate(storeScript);
      grown = await page.evaluate((total) => window.__benchStore.growWellsBase({ total }), wells);
      log(`  wells layer grown as its packed base: ${grown.before} → ${grown.after} (${grown.created} cloned in ${(grown.ms / 1000).toFixed(1)} s); reloading`);
      await page.reload({ waitUntil: 'commit' });
      await settle(page);
    }
    const sourceType = await page.evaluate(() => window.__onemap.map.getSource('planning:wells').type);
    const features =
      sourceType === 'vector' ? wells : await page.evaluate(async () => (await window.__onemap.map.getSource('planning:wells').getData()).features.length);
    if (wells !== null && features !== wells) throw new Error(`wells source holds ${features} features, expected ${wells}`);
    log(`  ${features} wells drawn from a ${sourceType} source`);
    watch.assertClean('app');
    if (sourceType === 'vector' && storeScript !== null) {
      await page.evaluate(() => {
        globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig ?? {}, { jitless: true });
      });
      await page.evaluate(storeScript);
    }
    return { context, page, watch, features, grown, sourceType };
  } catch (error) {
    await context.close();
    throw error;
  }
}

async function measureVariant(browser, baseUrl, wells, storeScript, { rounds, warmup, delayMs, baselineMax, log }) {
  const variant = await openVariant(browser, baseUrl, wells, storeScript, log);
  const { page, watch } = variant;
  try {
    const samples = [];
    for (let round = 0; round < warmup + rounds; round += 1) {
      const measured = round >= warmup;
      const label = measured ? `round ${round - warmup + 1}/${rounds}` : 'warm-up';
      const { id, status } = await openFirstOverdueWell(page);
      // Alternate which goes first; the baseline draws the well in a status it never has here.
      // The edit first in the first round: at 1,000,000 wells the baseline (the whole layer again as
      // GeoJSON, beside the app's own copy) may not fit in the page; the edit is logged before it.
      const editFirst = round % 2 === 0;
      let full;
      let edit;
      const reload = () =>
        variant.sourceType === 'vector'
          ? page.evaluate(fullReloadAsGeoJson, [id, baselineStatus, stepTimeoutMs * 3])
          : page.evaluate(fullReload, ['planning:wells', wellsCircleLayer, id, baselineStatus, stepTimeoutMs]);
      const noBaseline = { ms: null, updateDataMs: null };
      if (!editFirst) full = variant.features <= baselineMax ? await reload() : noBaseline;
      edit = await editInPanel(page, id, delayMs, log);
      log(`  ${String(variant.features).padStart(6)} wells ${label}: edit ${formatMs(edit.totalMs)} (committed ${formatMs(edit.committedMs)}${edit.stateVisibleMs === null ? '' : `, colour ${formatMs(edit.stateVisibleMs)}`}, drawn ${formatMs(edit.visibleMs)})`);
      if (editFirst) full = variant.features <= baselineMax ? await reload() : noBaseline;
      watch.assertClean(`${variant.features} wells, ${label}`);
      log(
        `  ${String(variant.features).padStart(6)} wells ${label.padEnd(11)} ${id} ${status}→${newStatus.value}: edit ${formatMs(edit.totalMs)} (committed ${formatMs(edit.committedMs)}, map ${edit.mapCalls.map((call) => `${call.method}(${call.features}) at ${formatMs(call.atMs)}`).join(', ') || 'not updated'}, drawn ${formatMs(edit.visibleMs)}); full setData ${full.ms === null ? 'not measured' : formatMs(full.ms)}; bare updateData ${full.updateDataMs === null ? '—' : formatMs(full.updateDataMs)}`,
      );
      if (measured) samples.push({ id, from: status, editFirst, ...edit, fullSetDataMs: full.ms, bareUpdateDataMs: full.updateDataMs });
      if (edit.stateVisibleMs !== null) log(`    colour through feature state at ${formatMs(edit.stateVisibleMs)}, re-cut tile drawn at ${formatMs(edit.visibleMs)}`);
    }
    return { features: variant.features, grown: variant.grown, samples };
  } finally {
    await variant.context.close();
  }
}

export async function run({ baseUrl, log }) {
  const rounds = roundsFromEnvironment(7);
  const warmup = Number(process.env.ONEMAP_BENCH_WARMUP ?? 1);
  const delayMs = Number(process.env.ONEMAP_BENCH_EDIT_DELAY_MS ?? 0);
  // A comma-separated list of sizes (e.g. 10000,100000,1000000); 0 for the demo wells only.
  const sizes = String(process.env.ONEMAP_BENCH_EDIT_WELLS ?? '10000').split(',').map(Number).filter((size) => size > 0);
  const largeWells = sizes.length;
  // Above this size the baseline (the whole layer again as GeoJSON, beside the app's own copy)
  // crashes the page out of memory (measured at 1,000,000): the edit is measured alone.
  const baselineMax = Number(process.env.ONEMAP_BENCH_EDIT_BASELINE_MAX ?? 200_000);
  const loadBefore = os.loadavg()[0];
  const storeScript = largeWells > 0 ? await bundleForEvaluate('tests/bench/status-edit-store-page.mjs') : null;
  const browser = await launchChromium();
  try {
    const variants = [];
    for (const wells of [null, ...sizes]) {
      variants.push(await measureVariant(browser, baseUrl, wells, storeScript, { rounds, warmup, delayMs, baselineMax, log }));
    }
    const load = { before: loadBefore, after: os.loadavg()[0], cpus: os.cpus().length };
    const rows = [];
    const summaries = [];
    for (const variant of variants) {
      const stat = (key) => summarize(variant.samples.map((sample) => sample[key]).filter((value) => value !== null));
      const summary = {
        features: variant.features,
        editMs: stat('totalMs'),
        committedMs: stat('committedMs'),
        visibleMs: stat('visibleMs'),
        stateVisibleMs: stat('stateVisibleMs'),
        recutMs: stat('recutMs'),
        mapUpdateMs: stat('mapUpdateMs'),
        mapUpdateToDrawnMs: stat('mapUpdateToDrawnMs'),
        fullResets: variant.samples.filter((sample) => sample.mapCalls.some((call) => call.method === 'setData')).length,
        fullSetDataMs: stat('fullSetDataMs'),
        bareUpdateDataMs: stat('bareUpdateDataMs'),
        pairedRatio: summarize(variant.samples.filter((sample) => sample.fullSetDataMs !== null).map((sample) => sample.totalMs / sample.fullSetDataMs)),
      };
      summary.ratio = summary.editMs.median / summary.fullSetDataMs.median;
      summaries.push(summary);
      const wells = `${variant.features.toLocaleString('en')} wells`;
      const line = (label, stats) => [`${wells}: ${label}`, formatMs(stats.median), formatMs(stats.p90), ''];
      rows.push(
        line('edit, submit → committed and drawn', summary.editMs),
        line('  submit → 已保存 (committed)', summary.committedMs),
        ...(summary.mapUpdateMs.n > 0
          ? [line('  submit → change reaches the map (updateData)', summary.mapUpdateMs), line('  updateData → map idle, well drawn sealed', summary.mapUpdateToDrawnMs)]
          : []),
        ...(summary.stateVisibleMs.n > 0 ? [line('  submit → colour drawn (feature state, tiled)', summary.stateVisibleMs), line('  submit → committed and re-cut tile drawn (tiled)', summary.recutMs)] : []),
        summary.fullSetDataMs.n > 0
          ? line('full setData → map idle, well drawn', summary.fullSetDataMs)
          : [`${wells}: full setData → map idle, well drawn`, '—', '—', `not measured (over ${baselineMax.toLocaleString('en')} wells)`],
        ...(summary.bareUpdateDataMs.n > 0
          ? [[`${wells}: bare updateData → idle, drawn (no store/UI)`, formatMs(summary.bareUpdateDataMs.median), formatMs(summary.bareUpdateDataMs.p90), `${formatRatio(summary.bareUpdateDataMs.median / summary.fullSetDataMs.median)} of full setData`]]
          : []),
        ...(summary.fullResets > 0 ? [[`${wells}: rounds where the app called setData (full reset) for the edit`, String(summary.fullResets), '', '']] : []),
        ...(summary.fullSetDataMs.n > 0
          ? [[`${wells}: edit / full setData`, '', '', `${formatRatio(summary.ratio)} (per round ${formatRatio(summary.pairedRatio.median)}, p90 ${formatRatio(summary.pairedRatio.p90)})`]]
          : []),
      );
      // The issue's growth goal: the edit at each larger size against the first grown size.
      const first = summaries.find((entry) => entry.features === sizes[0]);
      if (first && summary !== first && summary.features > first.features) {
        summary.growth = summary.editMs.median / first.editMs.median;
        rows.push([`${wells}: edit / edit at ${first.features.toLocaleString('en')} wells`, '', '', formatRatio(summary.growth)]);
      }
    }
    const table = {
      title: `${title}\n${loadNote(load)}${rounds} rounds (+${warmup} warm-up) per layer size, viewport ${viewport.width}×${viewport.height}, a different overdue well each round, map zoomed to it${delayMs > 0 ? `; DELIBERATE SLOWDOWN ${delayMs} ms at submit` : ''}`,
      columns: ['metric', 'median', 'p90', 'ratio (medians)'],
      rows,
    };
    return {
      tables: [table],
      data: {
        rounds,
        warmup,
        viewport,
        delayMs,
        environment: { ...environmentInfo(browser), loadAverage1m: load },
        summaries,
        variants,
        method:
          'UI path: open the first well of the wells overdue list (the map zooms to it), choose 已封填, date 2021-06-30, click 保存. Edit time = performance.now() in the page from the form submit (capture listener) to the later of: the panel showing 已保存 (after the IndexedDB commit) and the first map idle at which queryRenderedFeatures on planning:wells:circle returns the well with status sealed. Baseline: source.setData(current data with that well drawn as verified) to the first idle with the well drawn so (the data is then restored, not timed). 10,000-well variant: the wells layer grown with transact() create operations (status-edit-store-page.mjs, evaluated in the page), then the page reloaded.',
      },
    };
  } finally {
    await browser.close();
  }
}
