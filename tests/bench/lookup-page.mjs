// The page of lookup.bench.mjs (B10): writes a packed point layer straight into a OneMap store
// (the base writer that seed, import and compaction use: stageGeneration + a layerBases record),
// then times the first lookup of a feature by id on a fresh connection — through the featureIds
// index (findBaseFeatures) and, as the baseline, the way the first lookup worked before that
// index: reading every chunk of the layer to build an id → chunk directory.
/* global window */
import { Dexie } from 'dexie';
import { OneMapDatabase } from '../../renderer/src/db';
import { findBaseFeatures, layerBaseFor, readBaseChunks, stageGeneration } from '../../renderer/src/db/base';
import { packFeatures } from '../../renderer/src/db/spatial-packing';

const LAYER = 'b10-points';
const TIME = '2021-06-30T00:00:00.000Z';
const featureId = (index) => `P-${String(index).padStart(7, '0')}`;

function points(count) {
  const side = Math.ceil(Math.sqrt(count));
  const features = new Array(count);
  for (let index = 0; index < count; index += 1) {
    features[index] = {
      id: featureId(index),
      layerId: LAYER,
      geometry: { type: 'Point', coordinates: [115.2 + ((index % side) / side) * 1.2, 37.3 + (Math.floor(index / side) / side) * 0.9] },
      properties: { name: `井 ${index}`, depthM: 100 + (index % 300) },
      status: 'registered',
      county: 131102,
      demo: true,
      createdAt: TIME,
      updatedAt: TIME,
      revision: 1,
    };
  }
  return features;
}

/** The store's schema before the featureIds index (version 5's chunk indexes): what writing costs without it. */
function withoutIndex(name) {
  const database = new Dexie(name);
  database.version(5).stores({ featureChunks: 'id, [layerId+generation]', layerBases: 'layerId', meta: 'key' });
  return database;
}

async function write({ count, databaseName, indexed }) {
  await Dexie.delete(databaseName);
  const features = points(count);
  const packed = packFeatures(features);
  const database = indexed ? new OneMapDatabase(databaseName) : withoutIndex(databaseName);
  await database.open();
  const started = performance.now();
  const generation = await stageGeneration(database, LAYER, packed);
  await database.layerBases.put(layerBaseFor(LAYER, generation, packed, { seedVersion: null, foldedDeletions: [] }));
  const ms = performance.now() - started;
  database.close();
  return { ms, chunks: packed.chunks.length };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One first lookup on a new connection; `delayMs` is the self-check's deliberate slowdown. */
async function firstLookup({ databaseName, index, delayMs, baseline }) {
  const database = new OneMapDatabase(databaseName);
  await database.open();
  try {
    const id = featureId(index);
    const started = performance.now();
    let feature;
    if (baseline) {
      const chunks = await readBaseChunks(database, await database.layerBases.get(LAYER));
      const chunk = chunks.find((candidate) => candidate.featureIds.includes(id));
      feature = chunk?.features[chunk.featureIds.indexOf(id)];
    } else {
      feature = (await findBaseFeatures(database, LAYER, [id])).get(id);
    }
    if (delayMs > 0) await sleep(delayMs);
    const ms = performance.now() - started;
    if (feature?.id !== id) throw new Error(`lookup of ${id} found ${feature?.id ?? 'nothing'}`);
    return { ms };
  } finally {
    database.close();
  }
}

async function drop(databaseName) {
  await Dexie.delete(databaseName);
}

/** Dexie's errors reach Playwright as their class name only: name, message and inner error here. */
const explained = (step) => async (request) => {
  try {
    return await step(request);
  } catch (error) {
    const inner = error?.inner ? ` (inner: ${error.inner.name}: ${error.inner.message})` : '';
    throw new Error(`${error?.name}: ${error?.message}${inner}`);
  }
};

window.__b10 = { write: explained(write), firstLookup: explained(firstLookup), drop: explained(drop) };
window.__b10Ready = true;
