// Issue 19, item 5: a base feature is found by id through the `featureIds` multi-entry index on
// the chunks (schema version 6), not by reading the layer's chunks. The index is checked after
// each write that changes the base or what a lookup must answer: import, edit, delete,
// compaction, layer removal, undo and redo, backup restore, and the upgrade of a version 5 store.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  compactLayer,
  deleteLayer,
  exportBackup,
  getFeature,
  importFeatures,
  OneMapDatabase,
  readLayerFeatures,
  redo,
  restoreBackup,
  transact,
  undo,
} from '../../../renderer/src/db';
import { findBaseFeatures } from '../../../renderer/src/db/base';
import type { FeatureChunkRecord } from '../../../renderer/src/db/records';
import type { Feature } from '../../../shared/model';
import { freshDatabase, generatedWells, testWellsLayer } from './store-fixtures';

const opened: OneMapDatabase[] = [];

async function database(): Promise<OneMapDatabase> {
  const created = await freshDatabase();
  opened.push(created);
  return created;
}

/** A second connection to the same store: nothing remembered from earlier reads. */
async function reopened(of: OneMapDatabase): Promise<OneMapDatabase> {
  const connection = new OneMapDatabase(of.name);
  await connection.open();
  opened.push(connection);
  return connection;
}

afterEach(async () => {
  for (const each of opened.splice(0).reverse()) {
    each.close();
    await OneMapDatabase.delete(each.name).catch(() => undefined);
  }
});

const LAYER = 'imported';
const COUNT = 2_100; // three chunks of ~1,000

async function importLayer(target: OneMapDatabase, count = COUNT): Promise<void> {
  await importFeatures(target, {
    author: '张工',
    target: { kind: 'new', layer: { ...testWellsLayer, id: LAYER } },
    packed: true,
    features: generatedWells(count).map((feature, index) => ({ id: String(feature.id), geometry: feature.geometry, properties: { name: `Well ${index + 1}`, depthM: 100 + (index % 300) } })),
    source: 'wells.geojson',
    time: new Date('2021-07-01T00:00:00Z'),
  });
}

/** Counts the chunk records a connection reads (Dexie's reading hook fires once per record). */
function countChunkReads(connection: OneMapDatabase): { readonly count: number } {
  const counter = { count: 0 };
  connection.featureChunks.hook('reading', (record: FeatureChunkRecord) => {
    counter.count += 1;
    return record;
  });
  return counter;
}

/**
 * Every feature of the layer's current base is found by id on a fresh connection reading one chunk
 * per lookup, and ids outside the base (or in an older generation only) are not found.
 */
async function expectIndexMatchesBase(store: OneMapDatabase, absent: readonly string[] = []): Promise<void> {
  const connection = await reopened(store);
  const base = await connection.layerBases.get(LAYER);
  const chunks = base === undefined ? [] : await connection.featureChunks.where('[layerId+generation]').equals([LAYER, base.generation]).toArray();
  const expected = new Map<string, Feature>();
  for (const chunk of chunks) chunk.features.forEach((feature) => expected.set(feature.id, feature));
  const lookups = await reopened(store);
  const reads = countChunkReads(lookups);
  const sample = [...expected.keys()].filter((_, index) => index % 97 === 0);
  for (const id of sample) {
    const before = reads.count;
    expect((await findBaseFeatures(lookups, LAYER, [id])).get(id), id).toEqual(expected.get(id));
    expect(reads.count - before, `chunks read to find ${id}`).toBe(1);
  }
  const all = await findBaseFeatures(lookups, LAYER, [...expected.keys(), ...absent]);
  expect(all.size).toBe(expected.size);
  for (const [id, feature] of expected) expect(all.get(id)).toEqual(feature);
  for (const id of absent) expect(all.has(id), id).toBe(false);
  // The index names every chunk of the current generation, once per feature it holds.
  const keys = await connection.featureChunks.where('featureIds').anyOf([...expected.keys()]).primaryKeys();
  const current = keys.filter((key) => key.startsWith(`${LAYER}:${base?.generation}:`));
  expect(current.length).toBe(expected.size);
  expect(new Set(current).size).toBe(chunks.length);
}

describe('finding a base feature by id (the featureIds index)', { timeout: 90_000 }, () => {
  it('after an import: one chunk read per lookup, every feature found, unknown ids not', async () => {
    const store = await database();
    await importLayer(store);
    await expectIndexMatchesBase(store, ['W-99999', 'nope']);
  });

  it('after edits and deletes (edit rows over the base) and after compaction folds them into a new generation', async () => {
    const store = await database();
    await importLayer(store);
    await transact(store, { author: '张工', operations: [{ kind: 'update', layerId: LAYER, featureId: 'W-00010', properties: { name: 'edited' } }] });
    await transact(store, { author: '张工', operations: [{ kind: 'delete', layerId: LAYER, featureId: 'W-00011' }] });
    const fresh = await reopened(store);
    expect((await getFeature(fresh, LAYER, 'W-00010'))?.properties.name).toBe('edited');
    expect(await getFeature(fresh, LAYER, 'W-00011')).toBeNull();
    const oldGeneration = (await store.layerBases.get(LAYER))!.generation;
    await compactLayer(store, LAYER);
    expect((await store.layerBases.get(LAYER))!.generation).not.toBe(oldGeneration);
    // The old generation's chunks are gone, and with them their index entries.
    expect(await store.featureChunks.where('featureIds').equals('W-00010').primaryKeys()).toHaveLength(1);
    await expectIndexMatchesBase(store, ['W-00011']);
    const after = await reopened(store);
    expect((await findBaseFeatures(after, LAYER, ['W-00010'])).get('W-00010')?.properties.name).toBe('edited');
  });

  it('after the layer is removed, undone and redone', async () => {
    const store = await database();
    await importLayer(store);
    await deleteLayer(store, { layerId: LAYER, author: '李工' });
    expect((await findBaseFeatures(await reopened(store), LAYER, ['W-00001'])).size).toBe(0);
    expect(await readLayerFeatures(await reopened(store), LAYER)).toEqual([]);
    await undo(store, { author: '李工' });
    await expectIndexMatchesBase(store);
    await redo(store, { author: '李工' });
    expect((await findBaseFeatures(await reopened(store), LAYER, ['W-00001'])).size).toBe(0);
  });

  it('after the import itself is undone and redone', async () => {
    const store = await database();
    await importLayer(store);
    await undo(store, { author: '张工' });
    expect(await getFeature(await reopened(store), LAYER, 'W-00001')).toBeNull();
    await redo(store, { author: '张工' });
    await expectIndexMatchesBase(store);
  });

  it('after a backup is restored into an empty store', async () => {
    const store = await database();
    await importLayer(store);
    await transact(store, { author: '张工', operations: [{ kind: 'delete', layerId: LAYER, featureId: 'W-00020' }] });
    const backup = await exportBackup(store);
    const empty = await database();
    await restoreBackup(empty, backup);
    await expectIndexMatchesBase(empty);
    expect(await getFeature(await reopened(empty), LAYER, 'W-00020')).toBeNull();
    expect((await getFeature(await reopened(empty), LAYER, 'W-02100'))?.id).toBe('W-02100');
  });

  it('a version 5 store gets the index on open, from the chunks it holds', async () => {
    const source = await database();
    await importLayer(source, 1_200);
    const { Dexie } = await import('dexie');
    const name = `${source.name}-v5`;
    const legacy = new Dexie(name);
    const tables = Object.fromEntries(source.tables.map((table) => [table.name, [table.schema.primKey.src, ...table.schema.indexes.filter((index) => !index.multi).map((index) => index.src)].join(', ')]));
    legacy.version(5).stores(tables);
    await legacy.open();
    for (const table of source.tables) await legacy.table(table.name).bulkPut(await table.toArray());
    expect(legacy.table('featureChunks').schema.indexes.some((index) => index.multi)).toBe(false);
    legacy.close();
    const upgraded = new OneMapDatabase(name);
    await upgraded.open();
    opened.push(upgraded);
    expect(upgraded.verno).toBeGreaterThanOrEqual(6);
    await expectIndexMatchesBase(upgraded);
  });
});
