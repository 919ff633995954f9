// Issue 19, item 5: a base feature is found by id through its chunk's Bloom filter
// (`featureFilters`, schema version 6), reading only the chunks that may hold it. Checked after each
// write that makes, replaces or removes chunks: import (staged and in-transaction), seed, edit and
// delete, compaction, layer removal, undo and redo of an import, backup restore, a cancelled
// import, and the upgrade of a version 5 store. "Right" = every chunk has exactly one filter of its
// layer and generation holding all its ids, no filter outlives its chunk, and a lookup on a fresh
// connection reads one chunk (two at most, a false positive) and finds exactly the base.
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
  seed,
  transact,
  undo,
} from '../../../renderer/src/db';
import { findBaseFeatures } from '../../../renderer/src/db/base';
import { ImportedLayerBase } from '../../../renderer/src/db/imported-base';
import { StagedImport } from '../../../renderer/src/db/staged-base';
import type { FeatureChunkRecord, FeatureFilterRecord } from '../../../renderer/src/db/records';
import { isFilterPack } from '../../../renderer/src/db/chunk-filters';
import { BloomFilter } from '../../../shared/lookup';
import type { Feature } from '../../../shared/model';
import { freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

const opened: OneMapDatabase[] = [];

async function database(): Promise<OneMapDatabase> {
  const created = await freshDatabase();
  opened.push(created);
  return created;
}

/** A second connection to the same store: nothing cached from earlier reads. */
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
const layer = { ...testWellsLayer, id: LAYER };
const inputs = (count: number) => generatedWells(count).map((feature, index) => ({ id: String(feature.id), geometry: feature.geometry, properties: { name: `Well ${index + 1}`, depthM: 100 + (index % 300) } }));

async function importLayer(target: OneMapDatabase, count = COUNT, staging?: { chunkSize: number; bufferCap: number; cellOrder: number; maxQueuedChunks: number }): Promise<void> {
  await importFeatures(target, {
    author: '张工',
    target: { kind: 'new', layer },
    packed: true,
    features: inputs(count),
    source: 'wells.geojson',
    time: new Date('2021-07-01T00:00:00Z'),
    ...(staging === undefined ? {} : { staging }),
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
 * Chunks and filters agree store-wide: one filter per chunk, same layer and generation, all its ids
 * in it; and one pack per generation holding exactly its chunks' filters.
 */
async function expectOneFilterPerChunk(store: OneMapDatabase): Promise<void> {
  const chunks = await store.featureChunks.toArray();
  const rows = await store.featureFilters.toArray();
  const filters = new Map(rows.filter((row) => !isFilterPack(row)).map((row) => [row.id, row as FeatureFilterRecord]));
  const packs = rows.filter(isFilterPack);
  const generations = new Map<string, FeatureChunkRecord[]>();
  for (const chunk of chunks) generations.set(`${chunk.layerId}:${chunk.generation}`, [...(generations.get(`${chunk.layerId}:${chunk.generation}`) ?? []), chunk]);
  expect(packs.map((pack) => pack.id).sort(), 'one pack per generation').toEqual([...generations.keys()].sort());
  for (const pack of packs) {
    expect(pack.chunkIds.slice().sort(), `chunks of pack ${pack.id}`).toEqual(generations.get(pack.id)!.map((chunk) => chunk.id).sort());
    pack.chunkIds.forEach((chunkId, index) => expect(pack.filters[index], `pack ${pack.id}: filter of ${chunkId}`).toBe(filters.get(chunkId)?.filter));
  }
  expect([...filters.keys()].sort(), 'filter ids = chunk ids').toEqual(chunks.map((chunk) => chunk.id).sort());
  for (const chunk of chunks) {
    const row = filters.get(chunk.id)!;
    expect([row.layerId, row.generation]).toEqual([chunk.layerId, chunk.generation]);
    const filter = BloomFilter.deserialize(row.filter);
    expect(chunk.featureIds.filter((id) => !filter.has(id)), `ids missing from the filter of ${chunk.id}`).toEqual([]);
  }
}

/**
 * Filters agree with the chunks, and every feature of the layer's current base is found by id on
 * a fresh connection reading one chunk per lookup (two at most); `absent` ids are not found.
 */
async function expectFiltersRight(store: OneMapDatabase, layerId = LAYER, absent: readonly string[] = []): Promise<void> {
  await expectOneFilterPerChunk(store);
  const connection = await reopened(store);
  const base = await connection.layerBases.get(layerId);
  const chunks = base === undefined ? [] : await connection.featureChunks.where('[layerId+generation]').equals([layerId, base.generation]).toArray();
  const expected = new Map<string, Feature>();
  for (const chunk of chunks) chunk.features.forEach((feature) => expected.set(feature.id, feature));
  const lookups = await reopened(store);
  const reads = countChunkReads(lookups);
  let filterRowsRead = 0;
  lookups.featureFilters.hook('reading', (row) => {
    filterRowsRead += 1;
    return row;
  });
  const sample = [...expected.keys()].filter((_, index) => index % 97 === 0);
  let twoChunkLookups = 0;
  for (const id of sample) {
    const before = reads.count;
    expect((await findBaseFeatures(lookups, layerId, [id])).get(id), id).toEqual(expected.get(id));
    const read = reads.count - before;
    expect(read, `chunks read to find ${id}`).toBeGreaterThanOrEqual(1);
    expect(read, `chunks read to find ${id}`).toBeLessThanOrEqual(2);
    if (read === 2) twoChunkLookups += 1;
  }
  expect(twoChunkLookups, 'lookups that read a false-positive chunk').toBeLessThanOrEqual(2);
  // The generation's pack, once: not a row per chunk, not again (cached).
  if (sample.length > 0) expect(filterRowsRead, 'filter rows read by the lookups').toBe(1);
  const before = reads.count;
  for (const id of absent) expect((await findBaseFeatures(lookups, layerId, [id])).has(id), id).toBe(false);
  expect(reads.count - before, 'chunks read for ids not in the base').toBeLessThanOrEqual(1);
  const all = await findBaseFeatures(await reopened(store), layerId, [...expected.keys(), ...absent]);
  expect(all.size).toBe(expected.size);
  for (const [id, feature] of expected) expect(all.get(id)).toEqual(feature);
}

describe('finding a base feature by id through the chunks\' Bloom filters', { timeout: 90_000 }, () => {
  it('after an import (staged chunks): one chunk read per lookup, every feature found, unknown ids not', async () => {
    const store = await database();
    await importLayer(store);
    expect(await store.featureFilters.count(), 'three chunks\' filters and their pack').toBe(4);
    await expectFiltersRight(store, LAYER, ['W-99999', 'nope']);
  });

  it('after an import written inside the change (transact) and after a seed', async () => {
    const store = await database();
    const held = new ImportedLayerBase(layer, '2021-07-01T00:00:00.000Z');
    for (const input of inputs(COUNT)) expect(held.add(input).issues).toEqual([]);
    await transact(store, { author: '张工', operations: [{ kind: 'create-layer', layerId: LAYER, layer, base: held }], time: new Date('2021-07-01T00:00:00Z') });
    await expectFiltersRight(store, LAYER, ['W-99999']);
    await seed(store, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(2_500) }], time: SEED_TIME });
    await expectFiltersRight(store, 'test-wells', ['W-02501']);
    // A changed seed file re-packs the base in a new generation: the old one's filters go with it.
    await seed(store, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(1_500, 1) }], time: SEED_TIME });
    await expectFiltersRight(store, 'test-wells', ['W-01501']);
  });

  it('after edits and deletes (edit rows over the base) and after compaction folds them into a new generation', async () => {
    const store = await database();
    await importLayer(store);
    await transact(store, { author: '张工', operations: [{ kind: 'update', layerId: LAYER, featureId: 'W-00010', properties: { name: 'edited' } }] });
    await transact(store, { author: '张工', operations: [{ kind: 'delete', layerId: LAYER, featureId: 'W-00011' }] });
    await expectFiltersRight(store);
    const fresh = await reopened(store);
    expect((await getFeature(fresh, LAYER, 'W-00010'))?.properties.name).toBe('edited');
    expect(await getFeature(fresh, LAYER, 'W-00011')).toBeNull();
    const oldGeneration = (await store.layerBases.get(LAYER))!.generation;
    await compactLayer(store, LAYER);
    expect((await store.layerBases.get(LAYER))!.generation).not.toBe(oldGeneration);
    expect(await store.featureFilters.where('[layerId+generation]').equals([LAYER, oldGeneration]).count(), 'filters of the old generation').toBe(0);
    await expectFiltersRight(store, LAYER, ['W-00011']);
    expect((await findBaseFeatures(await reopened(store), LAYER, ['W-00010'])).get('W-00010')?.properties.name).toBe('edited');
  });

  it('after the layer is removed, undone and redone', async () => {
    const store = await database();
    await importLayer(store);
    await deleteLayer(store, { layerId: LAYER, author: '李工' });
    await expectOneFilterPerChunk(store);
    expect((await findBaseFeatures(await reopened(store), LAYER, ['W-00001'])).size).toBe(0);
    expect(await readLayerFeatures(await reopened(store), LAYER)).toEqual([]);
    await undo(store, { author: '李工' });
    await expectFiltersRight(store);
    await redo(store, { author: '李工' });
    await expectOneFilterPerChunk(store);
    expect((await findBaseFeatures(await reopened(store), LAYER, ['W-00001'])).size).toBe(0);
  });

  it('after the import itself is undone and redone', async () => {
    const store = await database();
    await importLayer(store);
    await undo(store, { author: '张工' });
    await expectOneFilterPerChunk(store);
    expect(await getFeature(await reopened(store), LAYER, 'W-00001')).toBeNull();
    await redo(store, { author: '张工' });
    await expectFiltersRight(store);
  });

  it('after a backup is restored, into an empty store and over a used one (generations renumbered)', async () => {
    const store = await database();
    await importLayer(store);
    await transact(store, { author: '张工', operations: [{ kind: 'delete', layerId: LAYER, featureId: 'W-00020' }] });
    const backup = await exportBackup(store);
    expect(Object.keys(backup)).not.toContain('featureFilters');
    const empty = await database();
    await restoreBackup(empty, backup);
    await expectFiltersRight(empty);
    expect(await getFeature(await reopened(empty), LAYER, 'W-00020')).toBeNull();
    expect((await getFeature(await reopened(empty), LAYER, 'W-02100'))?.id).toBe('W-02100');
    const used = await database();
    await seed(used, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(1_200) }], time: SEED_TIME });
    await restoreBackup(used, backup);
    expect(await used.featureChunks.where('layerId').equals('test-wells').count()).toBe(0);
    await expectFiltersRight(used);
  });

  it('a cancelled (refused) staged import leaves no chunk and no filter behind', async () => {
    const features = inputs(3_000);
    features[2_900] = { ...features[2_900]!, properties: { name: 'bad', depthM: -5 } };
    const bad = await database();
    let written = 0;
    bad.featureFilters.hook('creating', () => void (written += 1));
    await expect(
      importFeatures(bad, { author: '张工', target: { kind: 'new', layer }, packed: true, features, source: 'bad.geojson', staging: { chunkSize: 100, bufferCap: 300, cellOrder: 2, maxQueuedChunks: 3 } }),
    ).rejects.toThrow();
    expect(written, 'filters written while staging').toBeGreaterThan(0);
    expect(await bad.featureChunks.count()).toBe(0);
    expect(await bad.featureFilters.count()).toBe(0);
  });

  it('a staged import finished but never switched over leaves nothing behind when discarded', async () => {
    const store = await database();
    const staged = await StagedImport.start(store, layer, '2021-07-01T00:00:00.000Z');
    for (const input of inputs(COUNT)) expect(staged.add(input).issues).toEqual([]);
    await staged.finish();
    expect(await store.featureFilters.count(), 'three filters and the pack').toBe(4);
    await staged.discard();
    expect(await store.featureChunks.count()).toBe(0);
    expect(await store.featureFilters.count()).toBe(0);
  });

  it('a chunk without a filter is still found (read on every lookup)', async () => {
    const store = await database();
    await importLayer(store);
    const base = (await store.layerBases.get(LAYER))!;
    const [first] = await store.featureChunks.where('[layerId+generation]').equals([LAYER, base.generation]).toArray();
    await store.featureFilters.bulkDelete([first!.id, `${LAYER}:${base.generation}`]);
    const lookups = await reopened(store);
    const reads = countChunkReads(lookups);
    const id = first!.featureIds[5]!;
    expect((await findBaseFeatures(lookups, LAYER, [id])).get(id)).toEqual(first!.features[5]);
    expect(reads.count).toBeLessThanOrEqual(2);
  });

  it('a version 5 store gets the filters on open, built from the chunks it holds', async () => {
    const source = await database();
    await importLayer(source, 1_200);
    await seed(source, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(2_500) }], time: SEED_TIME });
    const { Dexie } = await import('dexie');
    const name = `${source.name}-v5`;
    const legacy = new Dexie(name);
    const tables = source.tables.filter((table) => table.name !== 'featureFilters');
    legacy.version(5).stores(Object.fromEntries(tables.map((table) => [table.name, [table.schema.primKey.src, ...table.schema.indexes.map((index) => index.src)].join(', ')])));
    await legacy.open();
    for (const table of tables) await legacy.table(table.name).bulkPut(await table.toArray());
    legacy.close();
    const upgraded = new OneMapDatabase(name);
    await upgraded.open();
    opened.push(upgraded);
    expect(upgraded.verno).toBe(6);
    expect(await upgraded.featureFilters.count(), 'five chunks\' filters, two packs').toBe(7);
    await expectFiltersRight(upgraded);
    await expectFiltersRight(upgraded, 'test-wells');
  });
});
