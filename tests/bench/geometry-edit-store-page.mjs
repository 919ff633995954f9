// Runs inside the app's page for geometry-edit.bench.mjs (B4 extended). Bundled (IIFE) by the bench
// and evaluated over CDP, it works on the app's own IndexedDB ('onemap', same origin) through the
// app's own store code (renderer/src/db) on a connection of its own, kept open for the run as the
// app keeps its own:
// - growWells: grows the wells layer to a given size with transact() create operations (clones of
//   the seeded wells at small deterministic offsets, ids BENCH-G-…), as status-edit's page does;
// - moveFeature: THE EDIT: one `update-geometry` operation through transact(), timed in the page
//   from the call to its commit. The app's change feed (watchLayer's Dexie liveQuery, notified
//   across Dexie copies in the same window) then brings it to the map; the bench times that part;
// - fullReload: THE BASELINE: what showing the moved geometry by reloading the layer costs — read
//   the whole layer from the store (readLayer, as the app's first load does), apply the moved
//   geometry, and hand it to the map as a reset (the app's own applyPlanningChanges → setData).
// zod's JIT must be off before this evaluates (the bench sets globalThis.__zod_globalConfig
// .jitless): the page's CSP has no 'unsafe-eval'.
/* global window */
import { openOneMapDatabase, readLayer, readLayerFeatures, transact } from '../../renderer/src/db';
import { applyPlanningChanges } from '../../renderer/src/map/planning-layers';
import { random32 } from './random.mjs';

const batchSize = 1000;


const round6 = (value) => Math.round(value * 1e6) / 1e6;

let connection = null;
async function database() {
  connection ??= await openOneMapDatabase();
  return connection;
}

async function growWells({ total, seed = 20210630, layerId = 'wells' }) {
  const started = performance.now();
  const db = await database();
  const existing = await readLayerFeatures(db, layerId);
  const before = existing.length;
  const originals = existing.filter((feature) => !feature.id.startsWith('BENCH-'));
  const random = random32(seed);
  const creates = [];
  for (let index = 0; before + creates.length < total; index += 1) {
    const source = originals[index % originals.length];
    const [lon, lat] = source.geometry.coordinates;
    creates.push({
      kind: 'create',
      layerId,
      feature: {
        id: `BENCH-G-${String(index + 1).padStart(5, '0')}`,
        geometry: { type: 'Point', coordinates: [round6(lon + (random() - 0.5) * 0.02), round6(lat + (random() - 0.5) * 0.02)] },
        properties: { ...source.properties },
        status: source.status,
        county: source.county,
        demo: true,
      },
    });
  }
  for (let offset = 0; offset < creates.length; offset += batchSize) {
    await transact(db, { author: 'bench', operations: creates.slice(offset, offset + batchSize), note: 'B4 geometry bench: more wells' });
  }
  const after = (await readLayerFeatures(db, layerId)).length;
  return { before, created: creates.length, after, ms: performance.now() - started };
}

/** The edit: one update-geometry through transact(); resolves with its timings (ms, page clock). */
async function moveFeature({ layerId, featureId, coordinates }) {
  const db = await database();
  const startedAt = performance.now();
  const committed = await transact(db, { author: 'bench', operations: [{ kind: 'update-geometry', layerId, featureId, geometry: { type: 'Point', coordinates } }], note: 'B4 geometry bench: move' });
  const committedAt = performance.now();
  return { startedAt, committedAt, revision: committed.features[0].feature.revision };
}

/**
 * The baseline: read the whole layer from the store and reset the map's source with it, the one
 * feature drawn at `coordinates`. Resolves with the time the reset was handed to the map and the
 * number of features; `restore()` puts the stored geometry back on the map (not timed).
 */
async function fullReload({ map, layerId, featureId, coordinates }) {
  const db = await database();
  const startedAt = performance.now();
  const snapshot = await readLayer(db, layerId);
  const readAt = performance.now();
  const moved = snapshot.features.map((feature) => (feature.id === featureId ? { ...feature, geometry: { type: 'Point', coordinates } } : feature));
  if (!moved.some((feature) => feature.id === featureId)) throw new Error(`full reload: ${featureId} is not in layer ${layerId}`);
  applyPlanningChanges(map, layerId, { kind: 'reset', features: moved });
  const handedAt = performance.now();
  return {
    startedAt,
    readAt,
    handedAt,
    features: snapshot.features.length,
    restore: () => applyPlanningChanges(map, layerId, { kind: 'reset', features: snapshot.features }),
  };
}

window.__benchGeometry = { growWells, moveFeature, fullReload };
