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
import { layerBaseFor, stageGeneration } from '../../renderer/src/db/base';
import { packFeatures } from '../../renderer/src/db/spatial-packing';
import { random32 } from './random.mjs';

const batchSize = 1000;


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

/**
 * Grows the wells layer to `total` as its packed base (what an import of that many features
 * writes), not as edit rows: a new chunk generation of the originals plus clones, switched to in
 * one small transaction like a re-seed (same seed version, so the app's seed leaves it). For the
 * 100,000 and 1,000,000 sizes, where a journaled create per well would take hours.
 */
async function growWellsBase({ total, seed = 20210630, layerId = 'wells' }) {
  const started = performance.now();
  const database = await openOneMapDatabase();
  try {
    const existing = await readLayerFeatures(database, layerId);
    const originals = existing.filter((feature) => !feature.id.startsWith('BENCH-'));
    const random = random32(seed);
    const features = [...originals];
    for (let index = 0; features.length < total; index += 1) {
      const source = originals[index % originals.length];
      const [lon, lat] = source.geometry.coordinates;
      features.push({
        ...source,
        id: `BENCH-W-${String(index + 1).padStart(7, '0')}`,
        geometry: { type: 'Point', coordinates: [round6(lon + (random() - 0.5) * 0.02), round6(lat + (random() - 0.5) * 0.02)] },
        revision: 1,
      });
    }
    const packed = packFeatures(features);
    const generation = await stageGeneration(database, layerId, packed);
    await database.transaction('rw', database.layerBases, async () => {
      const old = await database.layerBases.get(layerId);
      await database.layerBases.put(layerBaseFor(layerId, generation, packed, { seedVersion: old?.seedVersion ?? null, foldedDeletions: old?.foldedDeletions ?? [] }));
    });
    return { before: existing.length, created: features.length - originals.length, after: features.length, ms: performance.now() - started };
  } finally {
    database.close();
  }
}

/** The layer's current features as the map's GeoJSON source held them (the baseline's full reload). */
async function layerCollection({ layerId = 'wells' }) {
  const database = await openOneMapDatabase();
  try {
    const features = await readLayerFeatures(database, layerId);
    return {
      type: 'FeatureCollection',
      features: features.map((feature) => ({ type: 'Feature', geometry: feature.geometry, properties: { featureId: feature.id, layerId: feature.layerId, status: feature.status, county: feature.county } })),
    };
  } finally {
    database.close();
  }
}

window.__benchStore = { growWells, growWellsBase, layerCollection };
