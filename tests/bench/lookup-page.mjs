// The page of lookup.bench.mjs (B10). Bundled twice: from this tree (lookups through the
// generation's id index, one bucket row) and from the tree before them (the baseline: today's import and first lookup,
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
 * Where a first lookup's time goes, each step on a new connection: the base record, the id's
 * bucket of the generation's id index (one row), the per-chunk filter rows instead (the fallback),
 * one chunk. A tree without the index (the baseline) reports null for the bucket.
 */
async function phases({ databaseName, index }) {
  const timed = async (step) => {
    const database = new OneMapDatabase(databaseName);
    await database.open();
    try {
      const started = performance.now();
      const result = await step(database);
      return { ms: performance.now() - started, result };
    } finally {
      database.close();
    }
  };
  const base = (await timed((database) => database.layerBases.get(LAYER))).ms;
  const record = await timedBase(databaseName);
  const { generation } = record;
  const hasFilters = (database) => database.tables.some((table) => table.name === 'featureFilters');
  // Loaded here, not imported at the top: the baseline tree's shared/lookup has no id index.
  const lookup = await import('../../shared/lookup');
  let indexBucket = null;
  let bucketBytes = null;
  if (typeof lookup.idIndexBucketOf === 'function') {
    const bucket = lookup.idIndexBucketOf(lookup.hashId(featureId(index)), lookup.idIndexBucketCount(record.chunkCount));
    const read = await timed((database) => (hasFilters(database) ? database.table('featureFilters').get(`${LAYER}:${generation}#${bucket}`) : undefined));
    indexBucket = read.ms;
    bucketBytes = read.result === undefined ? null : read.result.hashes.length + read.result.chunks.length;
  }
  const prefix = `${LAYER}:${generation}:`;
  const filterRows = (await timed((database) => (hasFilters(database) ? database.table('featureFilters').where(':id').between(prefix, `${prefix}\uffff`, true, false).toArray() : []))).ms;
  const chunk = (
    await timed(async (database) => {
      const [first] = await database.featureChunks.where('[layerId+generation]').between([LAYER, 0], [LAYER, Infinity]).offset(Math.floor(index / 1000)).limit(1).primaryKeys();
      await database.featureChunks.get(first);
    })
  ).ms;
  return { base, indexBucket, bucketBytes, filterRows, chunk };
}

/** The CPU time of building `count` ids' filters and id index (1,000 ids a chunk) and their strings, as the import's writers do. */
async function filterBuildCost({ count }) {
  const { BloomFilter, hashId, IdIndexBuilder } = await import('../../shared/lookup');
  const started = performance.now();
  let bytes = 0;
  const builder = IdIndexBuilder === undefined ? null : new IdIndexBuilder();
  for (let start = 0; start < count; start += 1_000) {
    const hashes = [];
    for (let index = start; index < Math.min(count, start + 1_000); index += 1) hashes.push(hashId(featureId(index)));
    const filter = BloomFilter.forCount(hashes.length);
    for (const hash of hashes) filter.addHash(hash);
    bytes += filter.toBinaryString().length;
    builder?.addChunk(start / 1_000, hashes);
  }
  const filtersMs = performance.now() - started;
  let indexBytes = 0;
  if (builder !== null) for (const bucket of builder.build()) indexBytes += bucket.hashes.length + bucket.chunks.length;
  return { ms: performance.now() - started, filtersMs, bytes, indexBytes };
}

async function drop(databaseName) {
  await Dexie.delete(databaseName);
}

window.__b10 = { importPoints, firstLookup, phases, filterBuildCost, drop };
window.__b10Ready = true;
