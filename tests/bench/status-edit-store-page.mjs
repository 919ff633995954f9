// Runs inside the app's page for status-edit.bench.mjs (B4, 10,000-well variant): grows the wells
// layer of the app's own IndexedDB store to a given size through the store's one write path,
// `transact()` from renderer/src/db (create operations, validated and journalled like any user
// edit), by cloning the seeded wells at small, deterministic offsets. The app has no window hook
// for its store, so this is bundled (IIFE) by the bench and evaluated over CDP; it opens its own
// connection to the same database ('onemap', same origin), writes, and closes. The bench reloads
// the page afterwards, so the app reads the bigger layer the way it reads any layer at start.
// Seeding never touches user edits, so the clones survive the app's seed on reload.
// zod's JIT must be off before this evaluates (the bench sets globalThis.__zod_globalConfig
// .jitless): evaluated over CDP, zod's `new Function` probe passes but its compiled validators
// then hit the page's CSP (no 'unsafe-eval') and throw.
/* global window */
import { openOneMapDatabase, readLayerFeatures, transact } from '../../renderer/src/db';

const batchSize = 1000;

function random32(state) {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round6 = (value) => Math.round(value * 1e6) / 1e6;

async function growWells({ total, seed = 20210630, layerId = 'wells' }) {
  const started = performance.now();
  const database = await openOneMapDatabase();
  try {
    const existing = await readLayerFeatures(database, layerId);
    const before = existing.length;
    const originals = existing.filter((feature) => !feature.id.startsWith('BENCH-'));
    const random = random32(seed);
    const creates = [];
    for (let index = 0; before + creates.length < total; index += 1) {
      const source = originals[index % originals.length];
      const [lon, lat] = source.geometry.coordinates;
      const name = typeof source.properties.name === 'string' ? `${source.properties.name}（副本${index + 1}）` : null;
      creates.push({
        kind: 'create',
        layerId,
        feature: {
          id: `BENCH-W-${String(index + 1).padStart(5, '0')}`,
          geometry: { type: 'Point', coordinates: [round6(lon + (random() - 0.5) * 0.02), round6(lat + (random() - 0.5) * 0.02)] },
          properties: { ...source.properties, ...(name === null ? {} : { name }) },
          status: source.status,
          county: source.county,
          demo: true,
        },
      });
    }
    for (let offset = 0; offset < creates.length; offset += batchSize) {
      await transact(database, { author: 'bench', operations: creates.slice(offset, offset + batchSize), note: 'B4 bench: more wells' });
    }
    const after = (await readLayerFeatures(database, layerId)).length;
    return { before, created: creates.length, after, ms: performance.now() - started };
  } finally {
    database.close();
  }
}

window.__benchStore = { growWells };
