// The streamed import into a new layer (staged-base.ts): features validated and written to a staged
// chunk generation as they come, memory bounded, then one small switch-over change. fake-indexeddb.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LayerDefinition } from '../../../shared/model';
import {
  ChangeAbortedError,
  ChangeRejectedError,
  exportBackup,
  getFeature,
  importFeatures,
  ImportValidationError,
  type OneMapDatabase,
  readLayerFeatures,
  redo,
  removeAbandonedChunks,
  removeAbandonedImports,
  restoreBackup,
  seed,
  transact,
  undo,
  type ImportFeature,
} from '../../../renderer/src/db';
import { ImportedLayerBase } from '../../../renderer/src/db/imported-base';
import { StagedImport, StagedLayerBase, isStagedLayerBase } from '../../../renderer/src/db/staged-base';
import { removeStaleChunks } from '../../../renderer/src/db/base';
import { HILBERT_ORDER } from '../../../renderer/src/db/spatial-packing';
import { dumpStore, freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

let database: OneMapDatabase;

beforeEach(async () => {
  database = await freshDatabase();
  await seed(database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(50) }], time: SEED_TIME });
});

afterEach(async () => {
  database.close();
  await database.delete();
});

const IMPORT_TIME = new Date('2021-07-01T08:00:00Z');
const newLayer: LayerDefinition = { ...testWellsLayer, id: 'imported-wells', name: { zh: '导入井', en: 'Imported wells' } };

/** Points spread over the area in a scrambled order (not spatially sorted), with ids. */
function scattered(count: number): ImportFeature[] {
  let state = 7;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return Array.from({ length: count }, (_, index) => ({
    id: `S-${index}`,
    geometry: { type: 'Point' as const, coordinates: [115.3 + random(), 37.4 + random() * 0.8] },
    properties: { name: `井 ${index + 1}`, depthM: 50 + (index % 200) },
    sourceIndex: index,
  }));
}

function* batchesOf(features: readonly ImportFeature[], size: number): Generator<ImportFeature[]> {
  for (let start = 0; start < features.length; start += size) yield features.slice(start, start + size);
}

const byId = <T extends { id: string }>(list: T[]): T[] => [...list].sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));

/** Small chunks and a small buffer, so a few thousand features exercise the spilling path. */
const SMALL = { chunkSize: 100, bufferCap: 1_000, cellOrder: 2, maxQueuedChunks: 3 };

describe('a new layer imported through staged chunks', () => {
  it('reads back exactly as the in-memory packed import: the same features, chunk records valid, undo and redo as before', async () => {
    const features = scattered(5_000);
    const report = await importFeatures(database, { author: 'tester', target: { kind: 'new', layer: newLayer }, packed: true, features, time: IMPORT_TIME, source: 'wells.geojson', staging: SMALL });
    expect(report).toMatchObject({ layerId: 'imported-wells', createdLayer: true, added: 5_000 });

    // The old path (everything held, packed in one transaction) into a second store.
    const reference = await freshDatabase();
    const held = new ImportedLayerBase(newLayer, IMPORT_TIME.toISOString());
    for (const { sourceIndex: _sourceIndex, ...feature } of features) expect(held.add(feature).issues).toEqual([]);
    await transact(reference, { author: 'tester', operations: [{ kind: 'create-layer', layerId: newLayer.id, layer: newLayer, base: held }], time: IMPORT_TIME });
    const expected = byId(await readLayerFeatures(reference, newLayer.id));
    reference.close();
    await reference.delete();

    const imported = await readLayerFeatures(database, newLayer.id);
    expect(byId(imported)).toEqual(expected);
    expect(await getFeature(database, newLayer.id, 'S-4321')).toEqual(expected.find((feature) => feature.id === 'S-4321'));

    // Chunk records: one generation, counted by the base, exact bboxes, Hilbert keys in order inside,
    // coarse cells never going back in sequence (= id) order, ids sorting as sequences.
    const base = await database.layerBases.get(newLayer.id);
    const chunks = await database.featureChunks.where('[layerId+generation]').equals([newLayer.id, base!.generation]).toArray();
    expect(chunks).toHaveLength(base!.chunkCount);
    expect(base).toMatchObject({ featureCount: 5_000, seedVersion: null, foldedDeletions: [] });
    expect(chunks.length).toBeGreaterThanOrEqual(50);
    expect(chunks.length).toBeLessThan(90);
    const cellOf = (key: number) => Math.floor(key / 4 ** (HILBERT_ORDER - SMALL.cellOrder));
    chunks.forEach((chunk, index) => {
      expect(chunk.featureIds).toEqual(chunk.features.map((feature) => feature.id));
      expect(chunk.features.length).toBeLessThanOrEqual(SMALL.chunkSize);
      const xs = chunk.features.map((feature) => (feature.geometry.coordinates as number[])[0]!);
      const ys = chunk.features.map((feature) => (feature.geometry.coordinates as number[])[1]!);
      expect(chunk.bbox).toEqual([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]);
      expect(chunk.hilbertFirst).toBeLessThanOrEqual(chunk.hilbertLast);
      expect(chunk.sequence).toBeLessThan(10_000_000);
      if (index > 0) {
        expect(chunk.sequence).toBeGreaterThan(chunks[index - 1]!.sequence);
        expect(cellOf(chunk.hilbertFirst)).toBeGreaterThanOrEqual(cellOf(chunks[index - 1]!.hilbertFirst));
      }
    });
    // No staging left behind; one layerJournal record, as for any imported layer.
    expect(await database.meta.where('key').startsWith('import-staging:').count()).toBe(0);
    expect(await database.layerJournal.toArray()).toMatchObject([{ operation: 'create-layer', imported: { featureCount: 5_000, source: 'wells.geojson' }, base }]);

    await undo(database, { author: 'tester' });
    expect(await readLayerFeatures(database, newLayer.id)).toEqual([]);
    await redo(database, { author: 'tester' });
    expect(await readLayerFeatures(database, newLayer.id)).toEqual(imported);

    // A backup of it is valid and restores the same layer.
    const backup = await exportBackup(database);
    await restoreBackup(database, JSON.parse(JSON.stringify(backup)));
    expect(byId(await readLayerFeatures(database, newLayer.id))).toEqual(expected);
  });

  it('an import that fits the buffer is packed exactly as before (chunks 0, 1, 2… in Hilbert order)', async () => {
    await importFeatures(database, { author: 'tester', target: { kind: 'new', layer: newLayer }, packed: true, features: scattered(2_500), time: IMPORT_TIME });
    const chunks = await database.featureChunks.where('layerId').equals(newLayer.id).sortBy('sequence');
    expect(chunks.map((chunk) => [chunk.sequence, chunk.features.length])).toEqual([[0, 1_000], [1, 1_000], [2, 500]]);
    expect(chunks.every((chunk, index) => index === 0 || chunk.hilbertFirst >= chunks[index - 1]!.hilbertLast)).toBe(true);
  });

  it('never holds more than the buffer cap in buckets, nor more than the queue allows waiting to be written', async () => {
    const options = { chunkSize: 100, bufferCap: 2_000, cellOrder: 3, maxQueuedChunks: 4 }; // 64 cells × 100 > 2,000: the cap flushes
    const staged = await StagedImport.start(database, newLayer, IMPORT_TIME.toISOString(), options);
    const batch = 500;
    for (const features of batchesOf(scattered(30_000), batch)) {
      for (const { sourceIndex: _sourceIndex, ...feature } of features) {
        expect(staged.add(feature).issues).toEqual([]);
        expect(staged.bufferedFeatures).toBeLessThanOrEqual(options.bufferCap);
      }
      await staged.settle();
    }
    expect(staged.peakHeld).toBeLessThanOrEqual(options.bufferCap + options.maxQueuedChunks * options.chunkSize + batch);
    expect(staged.writtenFeatures).toBeGreaterThan(25_000); // written while the features came
    const base = await staged.finish();
    await transact(database, { author: 'tester', operations: [{ kind: 'create-layer', layerId: newLayer.id, layer: newLayer, base }], time: IMPORT_TIME });
    staged.release();
    expect(await readLayerFeatures(database, newLayer.id)).toHaveLength(30_000);
  });

  it('a cancel while chunks are being staged leaves every table as it was', async () => {
    const before = await dumpStore(database);
    const controller = new AbortController();
    let stagedChunksSeen = 0;
    const features = scattered(20_000);
    async function* stream() {
      for (const batch of batchesOf(features, 1_000)) {
        stagedChunksSeen = Math.max(stagedChunksSeen, await database.featureChunks.where('layerId').equals(newLayer.id).count());
        if (stagedChunksSeen >= 20) controller.abort();
        yield batch;
      }
    }
    const error = await importFeatures(database, { author: 'tester', target: { kind: 'new', layer: newLayer }, features: stream(), signal: controller.signal, staging: SMALL }).catch((caught: unknown) => caught);
    expect(stagedChunksSeen).toBeGreaterThanOrEqual(20);
    expect(error).toBeInstanceOf(ChangeAbortedError);
    expect(await dumpStore(database)).toEqual(before);
  });

  it('a bad feature after chunks were staged names itself and leaves nothing', async () => {
    const before = await dumpStore(database);
    const features = scattered(8_000);
    features[6_789] = { ...features[6_789]!, properties: { name: 'deep', depthM: -5 } };
    let stagedBeforeTheBadOne = 0;
    const report = (await importFeatures(database, {
      author: 'tester',
      target: { kind: 'new', layer: newLayer }, packed: true,
      features,
      batchSize: 500,
      staging: SMALL,
      onProgress: (progress) => {
        if (progress.phase === 'validate' && progress.done <= 6_500) stagedBeforeTheBadOne = Math.max(stagedBeforeTheBadOne, progress.stored ?? 0);
      },
    }).catch((caught: unknown) => caught)) as ImportValidationError;
    expect(stagedBeforeTheBadOne).toBeGreaterThan(1_000);
    expect(report).toBeInstanceOf(ImportValidationError);
    expect(report.problems).toMatchObject([{ featureIndex: 6_789, sourceIndex: 6_789, featureId: 'S-6789', field: 'depthM' }]);
    expect(await dumpStore(database)).toEqual(before);
  });

  it('staging left by a crash is swept at the next start; a running import is spared', async () => {
    const crashed = await StagedImport.start(database, { ...newLayer, id: 'crashed' }, IMPORT_TIME.toISOString(), SMALL);
    const running = await StagedImport.start(database, newLayer, IMPORT_TIME.toISOString(), SMALL);
    for (const { sourceIndex: _sourceIndex, ...feature } of scattered(3_000)) {
      crashed.add(feature);
      running.add(feature);
    }
    await crashed.settle(0);
    await running.settle(0);
    expect(await database.featureChunks.where('layerId').equals('crashed').count()).toBeGreaterThan(10);
    crashed.release(); // the process is gone: its lock with it, its chunks and staging record stay

    expect(await removeAbandonedImports(database)).toBeGreaterThan(10);
    expect(await database.featureChunks.where('layerId').equals('crashed').count()).toBe(0);
    expect((await database.meta.where('key').startsWith('import-staging:').toArray()).map((row) => (row.value as { layerId: string }).layerId)).toEqual(['imported-wells']);
    // The running one goes on and switches over.
    const base = await running.finish();
    await transact(database, { author: 'tester', operations: [{ kind: 'create-layer', layerId: newLayer.id, layer: newLayer, base }], time: IMPORT_TIME });
    running.release();
    expect(await readLayerFeatures(database, newLayer.id)).toHaveLength(3_000);
  });

  it('the stale-chunk sweeps and a backup leave a running import alone: its chunks stay, the backup holds none of them', async () => {
    const before = await exportBackup(database, { time: IMPORT_TIME });
    const staged = await StagedImport.start(database, newLayer, IMPORT_TIME.toISOString(), SMALL);
    for (const { sourceIndex: _sourceIndex, ...feature } of scattered(3_000)) staged.add(feature);
    await staged.settle(0);
    const stagedChunks = await database.featureChunks.where('layerId').equals(newLayer.id).count();
    expect(stagedChunks).toBeGreaterThan(10);
    expect(await removeStaleChunks(database, newLayer.id)).toBe(0);
    expect(await removeAbandonedChunks(database)).toBe(0);
    expect(await database.featureChunks.where('layerId').equals(newLayer.id).count()).toBe(stagedChunks);

    const during = await exportBackup(database, { time: IMPORT_TIME });
    expect(during.featureChunks.filter((chunk) => chunk.layerId === newLayer.id)).toEqual([]);
    expect(during.meta.filter((row) => row.key.startsWith('import-staging:'))).toEqual([]);
    // The same backup as before the import began, but the generation counter.
    expect(during).toEqual({ ...before, meta: during.meta });
    expect(during.meta.filter((row) => row.key !== 'last-generation')).toEqual(before.meta.filter((row) => row.key !== 'last-generation'));

    const base = await staged.finish();
    await transact(database, { author: 'tester', operations: [{ kind: 'create-layer', layerId: newLayer.id, layer: newLayer, base }], time: IMPORT_TIME });
    staged.release();
    expect(await readLayerFeatures(database, newLayer.id)).toHaveLength(3_000);
  });

  it('transact switches over only a genuine, complete staging', async () => {
    const staged = await StagedImport.start(database, newLayer, IMPORT_TIME.toISOString(), SMALL);
    for (const { sourceIndex: _sourceIndex, ...feature } of scattered(2_000)) staged.add(feature);
    const base = await staged.finish();
    expect(isStagedLayerBase(base)).toBe(true);
    const forged = Object.assign(Object.create(StagedLayerBase.prototype) as StagedLayerBase, { ...base });
    expect(isStagedLayerBase(forged)).toBe(false);
    const create = (candidate: StagedLayerBase) => transact(database, { author: 'tester', operations: [{ kind: 'create-layer', layerId: newLayer.id, layer: newLayer, base: candidate }], time: IMPORT_TIME });
    await expect(create(forged)).rejects.toBeInstanceOf(ChangeRejectedError);
    await expect(transact(database, { author: 'tester', operations: [{ kind: 'create-layer', layerId: newLayer.id, layer: newLayer, base }], time: new Date('2022-01-01T00:00:00Z') })).rejects.toThrow(/made at/);

    const [one] = await database.featureChunks.where('layerId').equals(newLayer.id).primaryKeys();
    const kept = await database.featureChunks.get(one!);
    await database.featureChunks.delete(one!);
    await expect(create(base)).rejects.toThrow(`has ${base.chunkCount - 1} of its ${base.chunkCount} chunks`);
    expect(await database.layers.get(newLayer.id)).toBeUndefined();
    await database.featureChunks.put(kept!);
    await create(base);
    // Once switched over, the same descriptor cannot create the layer again elsewhere.
    expect(await readLayerFeatures(database, newLayer.id)).toHaveLength(2_000);
    staged.release();
  });
});
