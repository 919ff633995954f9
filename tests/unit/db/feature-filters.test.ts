// Issue 19, item 5: a base feature is found by id through its generation's id index (one bucket
// row, schema version 7) or, without it, its chunk's Bloom filter (`featureFilters`, version 6),
// reading only the chunk that holds it. Checked after each write that makes, replaces or removes
// chunks: import (staged and in-transaction), seed, edit and delete, compaction, layer removal,
// undo and redo of an import, backup restore, a cancelled import, and the upgrades of version 5
// and 6 stores. "Right" = every chunk has exactly one filter of its layer and generation holding
// all its ids; every generation with chunks has its full index (all its buckets, every id in its
// chunk) and nothing else (no version 6 pack); no filter or bucket outlives its chunks; and a
// lookup on a fresh connection reads one index row and one chunk and finds exactly the base.
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
import type { FeatureChunkRecord, FeatureFilterRecord, FeatureIdIndexRecord } from '../../../renderer/src/db/records';
import { idIndexRowId, isChunkFilterRecord, isIdIndexRecord, packsOf } from '../../../renderer/src/db/chunk-filters';
import { BloomFilter, hashId, idIndexBucketCount, idIndexBucketOf, searchIdIndexBucket } from '../../../shared/lookup';
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

/** Counts the `featureFilters` rows a connection reads, and how many of them are index buckets. */
function countFilterRowReads(connection: OneMapDatabase): { readonly count: number; readonly indexRows: number } {
  const counter = { count: 0, indexRows: 0 };
  // Fires for a key a bulkGet did not find too (row undefined): a read all the same.
  connection.featureFilters.hook('reading', (row: FeatureFilterRecord | FeatureIdIndexRecord | undefined) => {
    counter.count += 1;
    if (row !== undefined && isIdIndexRecord(row)) counter.indexRows += 1;
    return row;
  });
  return counter;
}

/**
 * Chunks, filters and index agree store-wide: one filter per chunk, same layer and generation, all
 * its ids in it; per generation with chunks, all its index buckets, every id found in exactly its
 * chunk; no other row (no version 6 pack, no bucket of a generation without chunks).
 */
async function expectOneFilterPerChunk(store: OneMapDatabase): Promise<void> {
  const chunks = await store.featureChunks.toArray();
  const rows = await store.featureFilters.toArray();
  const filters = new Map(rows.filter(isChunkFilterRecord).map((row) => [row.id, row]));
  const buckets = rows.filter(isIdIndexRecord);
  expect(rows.length, 'rows that are neither a chunk filter nor an index bucket (a pack?)').toBe(filters.size + buckets.length);
  const generations = new Map<string, FeatureChunkRecord[]>();
  for (const chunk of chunks) generations.set(`${chunk.layerId}:${chunk.generation}`, [...(generations.get(`${chunk.layerId}:${chunk.generation}`) ?? []), chunk]);
  const expectedBuckets: string[] = [];
  for (const [, of] of generations) for (let bucket = 0; bucket < idIndexBucketCount(of.length); bucket += 1) expectedBuckets.push(idIndexRowId(of[0]!.layerId, of[0]!.generation, bucket));
  expect(buckets.map((row) => row.id).sort(), 'index buckets: all of each generation with chunks, no other').toEqual(expectedBuckets.sort());
  const bucketById = new Map(buckets.map((row) => [row.id, row]));
  for (const [, of] of generations) {
    const bucketCount = idIndexBucketCount(of.length);
    for (const chunk of of) {
      const misplaced = chunk.featureIds.filter((id) => {
        const hash = hashId(id);
        const row = bucketById.get(idIndexRowId(chunk.layerId, chunk.generation, idIndexBucketOf(hash, bucketCount)))!;
        return row.layerId !== chunk.layerId || row.generation !== chunk.generation || row.chunkCount !== of.length || !searchIdIndexBucket(row, hash).includes(chunk.sequence);
      });
      expect(misplaced, `ids of ${chunk.id} the index does not place in it`).toEqual([]);
    }
    expect(of.reduce((sum, chunk) => sum + chunk.featureIds.length, 0), 'ids in the index').toBe(
      buckets.filter((row) => row.layerId === of[0]!.layerId && row.generation === of[0]!.generation).reduce((sum, row) => sum + row.count, 0),
    );
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
 * Filters and index agree with the chunks, and every feature of the layer's current base is found
 * by id on a fresh connection reading one index row (its bucket, not yet cached) and one chunk per
 * lookup; `absent` ids are not found.
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
  const rowReads = countFilterRowReads(lookups);
  const sample = [...expected.keys()].filter((_, index) => index % 97 === 0);
  const bucketsSeen = new Set<number>();
  for (const id of sample) {
    const before = reads.count;
    const rowsBefore = rowReads.count;
    expect((await findBaseFeatures(lookups, layerId, [id])).get(id), id).toEqual(expected.get(id));
    expect(reads.count - before, `chunks read to find ${id}`).toBe(1);
    const bucket = idIndexBucketOf(hashId(id), idIndexBucketCount(base!.chunkCount));
    expect(rowReads.count - rowsBefore, `featureFilters rows read to find ${id}`).toBe(bucketsSeen.has(bucket) ? 0 : 1);
    bucketsSeen.add(bucket);
  }
  // Index buckets only: no pack, no per-chunk filter row.
  expect(rowReads.indexRows, 'rows read that are index buckets').toBe(rowReads.count);
  const before = reads.count;
  for (const id of absent) expect((await findBaseFeatures(lookups, layerId, [id])).has(id), id).toBe(false);
  expect(reads.count - before, 'chunks read for ids not in the base').toBe(0);
  const all = await findBaseFeatures(await reopened(store), layerId, [...expected.keys(), ...absent]);
  expect(all.size).toBe(expected.size);
  for (const [id, feature] of expected) expect(all.get(id)).toEqual(feature);
}

describe('finding a base feature by id through the id index (or the chunks\' Bloom filters)', { timeout: 90_000 }, () => {
  it('after an import (staged chunks): one chunk read per lookup, every feature found, unknown ids not', async () => {
    const store = await database();
    await importLayer(store);
    expect(await store.featureFilters.count(), 'three chunks\' filters and one index bucket').toBe(4);
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
    expect(await store.featureFilters.where('[layerId+generation]').equals([LAYER, oldGeneration]).count(), 'filters and index of the old generation').toBe(0);
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
    expect(await store.featureFilters.count(), 'three filters and the index bucket').toBe(4);
    await staged.discard();
    expect(await store.featureChunks.count()).toBe(0);
    expect(await store.featureFilters.count()).toBe(0);
  });

  it('a layer of many small chunks: each lookup reads one index bucket of eight', async () => {
    const store = await database();
    await importLayer(store, 3_000, { chunkSize: 100, bufferCap: 1_000, cellOrder: 2, maxQueuedChunks: 3 });
    const base = (await store.layerBases.get(LAYER))!;
    expect(base.chunkCount).toBeGreaterThanOrEqual(30);
    expect(idIndexBucketCount(base.chunkCount)).toBe(8);
    expect(await store.featureFilters.where('[layerId+generation]').equals([LAYER, base.generation]).count(), 'filters and 8 buckets').toBe(base.chunkCount + 8);
    await expectFiltersRight(store, LAYER, ['W-99999', 'nope']);
  });

  it('a generation missing an index bucket falls back to the chunk filters and still finds', async () => {
    const store = await database();
    await importLayer(store, 3_000, { chunkSize: 100, bufferCap: 1_000, cellOrder: 2, maxQueuedChunks: 3 });
    const base = (await store.layerBases.get(LAYER))!;
    const chunks = await store.featureChunks.where('[layerId+generation]').equals([LAYER, base.generation]).toArray();
    const bucketCount = idIndexBucketCount(base.chunkCount);
    const ids = chunks.flatMap((chunk) => chunk.featureIds);
    const lost = idIndexBucketOf(hashId(ids[0]!), bucketCount);
    await store.featureFilters.delete(idIndexRowId(LAYER, base.generation, lost));
    // A second bucket unreadable (another format): the same fallback.
    const other = idIndexBucketOf(hashId(ids.find((id) => idIndexBucketOf(hashId(id), bucketCount) !== lost)!), bucketCount);
    await store.featureFilters.update(idIndexRowId(LAYER, base.generation, other), { format: 99 } as Partial<FeatureIdIndexRecord>);
    const lookups = await reopened(store);
    const reads = countChunkReads(lookups);
    const rowReads = countFilterRowReads(lookups);
    const expected = new Map(chunks.flatMap((chunk) => chunk.features.map((feature) => [feature.id, feature] as const)));
    const fallback = ids.filter((id) => [lost, other].includes(idIndexBucketOf(hashId(id), bucketCount)));
    const indexed = ids.filter((id) => ![lost, other].includes(idIndexBucketOf(hashId(id), bucketCount)));
    expect(fallback.length).toBeGreaterThan(0);
    const id = fallback[0]!;
    expect((await findBaseFeatures(lookups, LAYER, [id])).get(id)).toEqual(expected.get(id));
    expect(rowReads.count, 'its bucket (missing), then every chunk\'s filter row').toBe(1 + base.chunkCount);
    expect(reads.count, 'chunks read (a false positive at most)').toBeLessThanOrEqual(2);
    const found = await findBaseFeatures(lookups, LAYER, [...fallback.slice(0, 50), ...indexed.slice(0, 50), 'W-99999']);
    for (const each of [...fallback.slice(0, 50), ...indexed.slice(0, 50)]) expect(found.get(each), each).toEqual(expected.get(each));
    expect(found.has('W-99999')).toBe(false);
    expect((await findBaseFeatures(await reopened(store), LAYER, ids)).size).toBe(ids.length);
  });

  it('a chunk without a filter is still found (read on every fallback lookup)', async () => {
    const store = await database();
    await importLayer(store);
    const base = (await store.layerBases.get(LAYER))!;
    const [first] = await store.featureChunks.where('[layerId+generation]').equals([LAYER, base.generation]).toArray();
    await store.featureFilters.bulkDelete([first!.id, idIndexRowId(LAYER, base.generation, 0)]);
    const lookups = await reopened(store);
    const reads = countChunkReads(lookups);
    const id = first!.featureIds[5]!;
    expect((await findBaseFeatures(lookups, LAYER, [id])).get(id)).toEqual(first!.features[5]);
    expect(reads.count).toBeLessThanOrEqual(2);
  });

  /**
   * A copy of `source` under `name` at an older schema `version`, without `featureFilters` below 6
   * nor the tables of later versions (the tile cache's, 8); `rows` (if given) as its filters.
   */
  async function legacyCopy(source: OneMapDatabase, name: string, version: 5 | 6, rows?: unknown[]): Promise<void> {
    const { Dexie } = await import('dexie');
    const legacy = new Dexie(name);
    const tables = source.tables.filter((table) => (version === 6 || table.name !== 'featureFilters') && !table.name.startsWith('tileCache'));
    legacy.version(version).stores(Object.fromEntries(tables.map((table) => [table.name, [table.schema.primKey.src, ...table.schema.indexes.map((index) => index.src)].join(', ')])));
    await legacy.open();
    for (const table of tables) await legacy.table(table.name).bulkPut(table.name === 'featureFilters' ? (rows ?? []) : await table.toArray());
    legacy.close();
  }

  it('a version 5 store gets the filters and the index on open, built from the chunks it holds', async () => {
    const source = await database();
    await importLayer(source, 1_200);
    await seed(source, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(2_500) }], time: SEED_TIME });
    const name = `${source.name}-v5`;
    await legacyCopy(source, name, 5);
    const upgraded = new OneMapDatabase(name);
    await upgraded.open();
    opened.push(upgraded);
    expect(upgraded.verno).toBeGreaterThanOrEqual(7);
    expect(await upgraded.featureFilters.count(), 'five chunks\' filters, one bucket per generation').toBe(7);
    await expectFiltersRight(upgraded);
    await expectFiltersRight(upgraded, 'test-wells');
  });

  it('a version 6 store (filters and packs) gets the index on open, and its packs go', async () => {
    const source = await database();
    await importLayer(source, 3_000, { chunkSize: 100, bufferCap: 1_000, cellOrder: 2, maxQueuedChunks: 3 });
    await seed(source, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(2_500) }], time: SEED_TIME });
    const filters = (await source.featureFilters.toArray()).filter(isChunkFilterRecord);
    const packs = packsOf(filters);
    expect(packs).toHaveLength(2);
    const name = `${source.name}-v6`;
    await legacyCopy(source, name, 6, [...filters, ...packs]);
    const upgraded = new OneMapDatabase(name);
    await upgraded.open();
    opened.push(upgraded);
    expect(upgraded.verno).toBeGreaterThanOrEqual(7);
    expect(await upgraded.featureFilters.bulkGet(packs.map((pack) => pack.id)), 'the packs').toEqual([undefined, undefined]);
    await expectFiltersRight(upgraded);
    await expectFiltersRight(upgraded, 'test-wells');
  });
});
