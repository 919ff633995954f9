// Runs inside a page of the web shell's origin for progress-edit.bench.mjs (issue 19 item 4):
// seeds a bench database of its own (not the app's 'onemap') with a wells layer of N features
// through the store's seed(), starts the app's built progress worker (its URL from the build) on
// it with the wells target's card spec, and times one status edit — `transact()` on the main
// thread — until the worker's new numbers are back on the main thread, watching the main thread
// with a long-task observer and a heartbeat (the largest gap between two message-channel ticks,
// which sees tasks under 50 ms too). The "before" path (what the dashboard did until now:
// re-read the whole layer and recompute the card on the main thread) is timed the same way.
// Bundled (IIFE) by the bench and evaluated over CDP; zod's JIT must be off (the page's CSP).
/* global window, Worker, indexedDB */
import * as Comlink from 'comlink';
import { getFeature, openOneMapDatabase, readLayerFeatures, seed, transact } from '../../renderer/src/db';
import { completionsByMonth, overdueFeatures, progressByCounty, targetProgress } from '../../shared/analysis';
import { random32 } from './random.mjs';


const round6 = (value) => Math.round(value * 1e6) / 1e6;
const benchId = (index) => `BENCH-W-${String(index).padStart(7, '0')}`;

/** Clones of the demo wells (GeoJSON, as in seeds/demo) at small deterministic offsets. */
function cloneWells(templates, total, seedNumber) {
  const random = random32(seedNumber);
  const features = new Array(total);
  for (let index = 0; index < total; index += 1) {
    const source = templates[index % templates.length];
    const [lon, lat] = source.geometry.coordinates;
    features[index] = {
      type: 'Feature',
      id: benchId(index),
      properties: { ...source.properties },
      geometry: { type: 'Point', coordinates: [round6(lon + (random() - 0.5) * 0.02), round6(lat + (random() - 0.5) * 0.02)] },
    };
  }
  return features;
}

async function seedWells({ databaseName, layers, targets, templates, total }) {
  const started = performance.now();
  const database = await openOneMapDatabase(databaseName);
  try {
    await seed(database, { layers, targets, demoCollections: [{ layer: 'wells', features: cloneWells(templates, total, 20261207) }], validate: false });
    // The definitions as stored (parsed, with the schema's defaults), as the dashboard has them.
    return { ms: performance.now() - started, layer: await database.layers.get('wells'), targets: await database.targets.bulkGet(targets.map((target) => target.id)) };
  } finally {
    database.close();
  }
}

/** Watches the main thread: long tasks (≥ 50 ms) and the largest gap between heartbeat ticks. */
function watchMainThread() {
  const longTasks = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  const channel = new MessageChannel();
  let last = performance.now();
  let maxGap = 0;
  let running = true;
  channel.port1.onmessage = () => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    if (running) channel.port2.postMessage(0);
  };
  channel.port2.postMessage(0);
  return async () => {
    // Long-task entries arrive after their task: give them two frames' time.
    await new Promise((resolve) => setTimeout(resolve, 100));
    running = false;
    observer.disconnect();
    channel.port1.close();
    return { longestTaskMs: longTasks.length === 0 ? 0 : Math.max(...longTasks), longTasks: longTasks.length, maxGapMs: maxGap };
  };
}

let follow = null;
/**
 * The page's own store connection, kept open like the app's: its id → chunk directory is built
 * once (the first lookup reads every chunk), as the app's is by the map's first read.
 */
let store = null;

/** Starts the built progress worker on the bench database; resolves with the first numbers' time. */
async function startFollow({ workerUrl, databaseName, spec }) {
  const worker = new Worker(workerUrl, { type: 'module', name: 'bench-progress' });
  const remote = Comlink.wrap(worker);
  const state = { views: null, waiters: [] };
  const started = performance.now();
  await remote.follow(
    1,
    databaseName,
    spec,
    Comlink.proxy((views) => {
      state.views = views;
      state.waiters = state.waiters.filter((waiter) => !waiter(views));
    }),
  );
  follow = { worker, remote, state, targetId: spec.targets[0].id };
  const views = await viewsWhere(() => true);
  const ms = performance.now() - started;
  store = await openOneMapDatabase(databaseName);
  const warmStarted = performance.now();
  await getFeature(store, 'wells', views.get(follow.targetId).overdue.rows[0].feature.id);
  return { ms, progress: views.get(follow.targetId).progress, directoryMs: performance.now() - warmStarted };
}

function viewsWhere(test, timeoutMs = 300_000) {
  const { state } = follow;
  if (state.views !== null && test(state.views)) return Promise.resolve(state.views);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`progress: no matching numbers within ${timeoutMs} ms`)), timeoutMs);
    state.waiters.push((views) => {
      if (!test(views)) return false;
      clearTimeout(timer);
      resolve(views);
      return true;
    });
  });
}

/**
 * Seals the first well of the overdue list and times it until the worker's numbers count it.
 * `delayMs` (self-check) busy-waits that long on the main thread when the numbers arrive.
 */
async function timeEdit({ delayMs = 0 }) {
  const database = store;
  {
    const doneBefore = follow.state.views.get(follow.targetId).progress.featuresDone;
    const overdueRow = follow.state.views.get(follow.targetId).overdue?.rows[0];
    // The first rows of the overdue list are open wells in scope; the edit moves them to sealed.
    const featureId = overdueRow.feature.id;
    const stop = watchMainThread();
    const started = performance.now();
    await transact(database, {
      author: 'bench',
      operations: [{ kind: 'update', layerId: 'wells', featureId, status: 'sealed', properties: { sealedDate: '2021-06-30' } }],
      note: 'progress bench',
    });
    const committed = performance.now();
    await viewsWhere((views) => views.get(follow.targetId).progress.featuresDone === doneBefore + 1);
    const shown = performance.now();
    if (delayMs > 0) while (performance.now() - shown < delayMs);
    const watched = await stop();
    return { featureId, commitMs: committed - started, shownMs: shown - started, ...watched };
  }
}

/** What the dashboard did before: re-read the layer and recompute the card on the main thread. */
async function timeRecompute({ spec }) {
  const database = store;
  {
    const stop = watchMainThread();
    const started = performance.now();
    const features = await readLayerFeatures(database, 'wells');
    const read = performance.now();
    const target = spec.targets[0];
    targetProgress(target, features);
    progressByCounty(target, features, spec.counties);
    completionsByMonth(target, features, spec.asOf);
    overdueFeatures(spec.layer, features, spec.asOf, { where: target.metric.scope.where });
    const computed = performance.now();
    const watched = await stop();
    return { readMs: read - started, computeMs: computed - read, totalMs: computed - started, features: features.length, ...watched };
  }
}

async function finish({ databaseName }) {
  store?.close();
  store = null;
  if (follow !== null) {
    await follow.remote.stop(1);
    follow.worker.terminate();
    follow = null;
  }
  await new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(databaseName);
    request.onsuccess = resolve;
    request.onerror = () => reject(request.error);
  });
}

window.__benchProgress = { seedWells, startFollow, timeEdit, timeRecompute, finish };
