// The page of lookup.bench.mjs (B10). Bundled twice: from this tree (lookups through the chunks'
// Bloom filters) and from the tree before them (the baseline: today's import and first lookup,
// which reads every chunk of the layer to build an id → chunk directory). Uses only what both
// trees export: importFeatures (the big-import path, staged chunks) and findBaseFeatures.
/* global window */
import { Dexie } from 'dexie';
import { importFeatures, OneMapDatabase, openOneMapDatabase } from '../../renderer/src/db';
import { findBaseFeatures } from '../../renderer/src/db/base';
import layers from '../../seeds/layers.json';

const LAYER = 'b10-points';
const BATCH = 5_000;
const featureId = (index) => `P-${String(index).padStart(7, '0')}`;

function benchLayer() {
  const wells = layers.find((layer) => layer.id === 'wells');
  return { ...wells, id: LAYER, name: { zh: 'B10 测点', en: 'B10 points' } };
}

/** `count` deterministic points over Hengshui with the wells layer's fields, a batch at a time. */
async function* points(count) {
  let state = 20210630;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const uses = ['industrial', 'municipal-supply', 'commercial-service', 'institutional', 'other'];
  for (let start = 0; start < count; start += BATCH) {
    const batch = [];
    for (let index = start; index < Math.min(count, start + BATCH); index += 1) {
      batch.push({
        id: featureId(index),
        geometry: { type: 'Point', coordinates: [115.25 + random() * 1.35, 37.1 + random() * 1.25] },
        properties: { name: `测点${index}`, wellClass: 'non-agricultural', useType: uses[index % uses.length], depthM: Math.round(200 + random() * 3000) / 10 },
        county: null,
        sourceIndex: index,
      });
    }
    yield batch;
  }
}

/** Imports `count` points into a new layer of a new store; the time from the first batch to the commit. */
async function importPoints({ count, databaseName }) {
  await Dexie.delete(databaseName);
  const database = await openOneMapDatabase(databaseName);
  try {
    const started = performance.now();
    const report = await importFeatures(database, { author: 'bench', target: { kind: 'new', layer: benchLayer() }, features: points(count), total: count, source: 'b10.geojson' });
    const ms = performance.now() - started;
    if (report.added !== count) throw new Error(`imported ${report.added} of ${count}`);
    const base = await database.layerBases.get(LAYER);
    const filters = database.tables.some((table) => table.name === 'featureFilters') ? await database.table('featureFilters').count() : 0;
    return { ms, chunks: base.chunkCount, filters, verno: database.verno };
  } finally {
    database.close();
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One first lookup on a new connection (nothing cached); `delayMs` is the self-check's slowdown inside the timing. */
async function firstLookup({ databaseName, index, delayMs }) {
  const database = new OneMapDatabase(databaseName);
  await database.open();
  try {
    const id = featureId(index);
    let chunksRead = 0;
    database.featureChunks.hook('reading', (record) => {
      chunksRead += 1;
      return record;
    });
    const started = performance.now();
    const feature = (await findBaseFeatures(database, LAYER, [id])).get(id);
    if (delayMs > 0) await sleep(delayMs);
    const ms = performance.now() - started;
    if (feature?.id !== id) throw new Error(`lookup of ${id} found ${feature?.id ?? 'nothing'}`);
    return { ms, chunksRead };
  } finally {
    database.close();
  }
}

async function timedBase(databaseName) {
  const database = new OneMapDatabase(databaseName);
  await database.open();
  try {
    return await database.layerBases.get(LAYER);
  } finally {
    database.close();
  }
}

/**
 * Where a first lookup's time goes, each step on a new connection: the base record, the
 * generation's filter pack (one row), the per-chunk filter rows instead (the fallback), one chunk.
 */
async function phases({ databaseName, index }) {
  const timed = async (step) => {
    const database = new OneMapDatabase(databaseName);
    await database.open();
    try {
      const started = performance.now();
      await step(database);
      return performance.now() - started;
    } finally {
      database.close();
    }
  };
  const base = await timed((database) => database.layerBases.get(LAYER));
  const generation = (await timedBase(databaseName)).generation;
  const hasFilters = (database) => database.tables.some((table) => table.name === 'featureFilters');
  const filterPack = await timed((database) => (hasFilters(database) ? database.table('featureFilters').get(`${LAYER}:${generation}`) : undefined));
  const prefix = `${LAYER}:${generation}:`;
  const filterRows = await timed((database) => (hasFilters(database) ? database.table('featureFilters').where(':id').between(prefix, `${prefix}\uffff`, true, false).toArray() : []));
  const chunk = await timed(async (database) => {
    const [first] = await database.featureChunks.where('[layerId+generation]').between([LAYER, 0], [LAYER, Infinity]).offset(Math.floor(index / 1000)).limit(1).primaryKeys();
    await database.featureChunks.get(first);
  });
  return { base, filterPack, filterRows, chunk };
}

/** The CPU time of building `count` ids' filters (1,000 ids a chunk) and their strings, as the import's writers do. */
async function filterBuildCost({ count }) {
  const { BloomFilter } = await import('../../shared/lookup');
  const started = performance.now();
  let bytes = 0;
  for (let start = 0; start < count; start += 1_000) {
    const ids = [];
    for (let index = start; index < Math.min(count, start + 1_000); index += 1) ids.push(featureId(index));
    bytes += BloomFilter.of(ids).toBinaryString().length;
  }
  return { ms: performance.now() - started, bytes };
}

async function drop(databaseName) {
  await Dexie.delete(databaseName);
}

window.__b10 = { importPoints, firstLookup, phases, filterBuildCost, drop };
window.__b10Ready = true;
