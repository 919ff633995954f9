// importFeatures: one change, all or nothing, undo as one step, new layers journaled, cancel.
// fake-indexeddb (pure store logic); the real-Chromium checks are in tests/e2e/import-wizard.spec.ts.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Geometry, LayerDefinition } from '../../../shared/model';
import {
  ChangeAbortedError,
  featureHistory,
  getFeature,
  getLayer,
  importFeatures,
  ImportValidationError,
  OneMapDatabase,
  readLayerFeatures,
  redo,
  seed,
  transact,
  undo,
  undoState,
  type ImportFeature,
} from '../../../renderer/src/db';
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

function points(count: number): ImportFeature[] {
  return Array.from({ length: count }, (_, index) => ({
    geometry: { type: 'Point' as const, coordinates: [115.3 + (index % 100) / 100, 37.4 + Math.floor(index / 100) / 1000] },
    properties: { name: `导入井 ${index + 1}`, depthM: 50 + (index % 200) },
    sourceIndex: index,
  }));
}

const villagesLayer: LayerDefinition = {
  id: 'import-1',
  name: { zh: 'villages', en: 'villages' },
  geometryType: 'Polygon',
  displayField: 'field1',
  fields: [
    { key: 'field1', type: 'string', required: false, label: { zh: '村名', en: '村名' } },
    { key: 'field2', type: 'integer', required: false, label: { zh: '户数', en: '户数' } },
  ],
  status: {
    label: { zh: '状态', en: 'Status' },
    states: [{ value: 'registered', label: { zh: '已登记', en: 'Registered' } }],
    initial: 'registered',
    transitions: [],
  },
};

const square = (west: number, south: number): Geometry => ({
  type: 'Polygon',
  coordinates: [[[west, south], [west + 0.01, south], [west + 0.01, south + 0.01], [west, south + 0.01], [west, south]]],
});

describe('importFeatures', () => {
  it('writes every feature in one change, one journal entry each, and undo removes the whole import as one step', async () => {
    const before = (await readLayerFeatures(database, 'test-wells')).length;
    const journalBefore = await database.journal.count();
    const progress: string[] = [];
    const report = await importFeatures(database, {
      author: 'tester',
      target: { kind: 'existing', layerId: 'test-wells' },
      features: points(6_000),
      total: 6_000,
      time: IMPORT_TIME,
      onProgress: (step) => progress.push(`${step.phase}:${step.done}`),
    });
    expect(report.added).toBe(6_000);
    expect(report.featureIds).toHaveLength(6_000);
    expect(report.bbox).toEqual([115.3, 37.4, 115.3 + 99 / 100, 37.4 + 59 / 1000]);
    expect(progress).toEqual(['validate:0', 'validate:5000', 'validate:6000', 'write:0', 'done:6000']);

    const after = await readLayerFeatures(database, 'test-wells');
    expect(after).toHaveLength(before + 6_000);
    const imported = after.filter((feature) => report.featureIds.includes(feature.id));
    expect(imported.every((feature) => feature.status === 'registered' && feature.revision === 1 && feature.demo === false)).toBe(true);
    expect(imported.find((feature) => feature.properties.name === '导入井 5001')?.properties.depthM).toBe(50 + (5000 % 200));

    const entries = await database.journal.where('changeId').equals(report.changeId).toArray();
    expect(entries).toHaveLength(6_000);
    expect(await database.journal.count()).toBe(journalBefore + 6_000);
    expect(new Set(entries.map((entry) => entry.operation))).toEqual(new Set(['create']));

    const state = await undoState(database);
    expect(state.undo?.originalChangeId).toBe(report.changeId);
    expect(state.undo?.entryCount).toBe(6_000);
    await undo(database, { author: 'tester' });
    expect(await readLayerFeatures(database, 'test-wells')).toHaveLength(before);
  }, 90_000);

  it('writes nothing when the feature at index 5,000 does not fit the layer, and names it and its field', async () => {
    const dump = await dumpStore(database);
    const features = points(10_000);
    features[5_000] = { ...features[5_000]!, properties: { name: 'bad well', depthM: -3 } };
    const failure = await importFeatures(database, { author: 'tester', target: { kind: 'existing', layerId: 'test-wells' }, features, time: IMPORT_TIME }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ImportValidationError);
    const error = failure as ImportValidationError;
    expect(error.problemCount).toBe(1);
    expect(error.problems[0]).toMatchObject({ featureIndex: 5_000, sourceIndex: 5_000, field: 'depthM' });
    expect(error.messages.zh).toContain('第 5001 个要素');
    expect(error.messages.zh).toContain('depthM');
    expect(error.messages.en).toContain('feature 5001, field "depthM"');
    expect(await dumpStore(database)).toEqual(dump);
  });

  it('refuses unknown fields, wrong geometry kinds, unknown statuses and repeated ids before writing', async () => {
    const dump = await dumpStore(database);
    const features: ImportFeature[] = [
      ...points(3),
      { geometry: square(115.5, 37.5), properties: {} },
      { geometry: { type: 'Point', coordinates: [115.5, 37.5] }, properties: { colour: 'red' } },
      { geometry: { type: 'Point', coordinates: [115.5, 37.5] }, properties: {}, status: 'flying' },
      { id: 'X-1', geometry: { type: 'Point', coordinates: [115.5, 37.5] }, properties: {} },
      { id: 'X-1', geometry: { type: 'Point', coordinates: [115.6, 37.5] }, properties: {} },
    ];
    const error = (await importFeatures(database, { author: 'tester', target: { kind: 'existing', layerId: 'test-wells' }, features }).catch((caught: unknown) => caught)) as ImportValidationError;
    expect(error).toBeInstanceOf(ImportValidationError);
    expect(error.problems.map((problem) => [problem.featureIndex, problem.field])).toEqual([
      [3, 'geometry'],
      [4, 'colour'],
      [5, 'status'],
      [7, 'id'],
    ]);
    expect(await dumpStore(database)).toEqual(dump);
  });

  it('refuses, with nothing written, a feature whose id the layer already has (the store checks it in the transaction)', async () => {
    const dump = await dumpStore(database);
    const features: ImportFeature[] = [...points(4), { id: 'W-00007', geometry: { type: 'Point', coordinates: [115.5, 37.5] }, properties: {}, sourceIndex: 9 }];
    const error = (await importFeatures(database, { author: 'tester', target: { kind: 'existing', layerId: 'test-wells' }, features }).catch((caught: unknown) => caught)) as ImportValidationError;
    expect(error).toBeInstanceOf(ImportValidationError);
    expect(error.problems).toEqual([{ featureIndex: 4, sourceIndex: 9, featureId: 'W-00007', field: 'id', message: 'feature "W-00007" already exists' }]);
    expect(await dumpStore(database)).toEqual(dump);
  });

  it('takes batches from an async iterable and stops, writing nothing, when cancelled between batches', async () => {
    const dump = await dumpStore(database);
    const controller = new AbortController();
    let pulledAfterAbort = 0;
    async function* batches() {
      yield points(1_000);
      controller.abort();
      yield points(1_000);
      pulledAfterAbort += 1;
      yield points(1_000);
    }
    const error = await importFeatures(database, { author: 'tester', target: { kind: 'existing', layerId: 'test-wells' }, features: batches(), signal: controller.signal }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChangeAbortedError);
    expect(pulledAfterAbort).toBe(0);
    expect(await dumpStore(database)).toEqual(dump);
  });

  it('writes nothing when cancelled during the backup before the write', async () => {
    const dump = await dumpStore(database);
    const controller = new AbortController();
    const error = await importFeatures(database, {
      author: 'tester',
      target: { kind: 'existing', layerId: 'test-wells' },
      features: points(100),
      signal: controller.signal,
      beforeWrite: async () => controller.abort(),
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChangeAbortedError);
    expect(await dumpStore(database)).toEqual(dump);
  });

  it('creates a new layer with its features in the same change, journaled under the same change id', async () => {
    const report = await importFeatures(database, {
      author: 'tester',
      target: { kind: 'new', layer: villagesLayer }, packed: true,
      features: [
        { geometry: square(115.7, 37.7), properties: { field1: '北王庄村', field2: 312 } },
        { geometry: square(115.6, 37.5), properties: { field1: '大刘庄村' } },
      ],
      time: IMPORT_TIME,
    });
    expect(report).toMatchObject({ layerId: 'import-1', createdLayer: true, added: 2 });
    expect(await getLayer(database, 'import-1')).toEqual(villagesLayer);
    const features = await readLayerFeatures(database, 'import-1');
    expect(features.map((feature) => feature.properties.field1).sort()).toEqual(['北王庄村', '大刘庄村']);
    const layerEntries = await database.layerJournal.toArray();
    expect(layerEntries).toHaveLength(1);
    expect(layerEntries[0]).toMatchObject({
      changeId: report.changeId,
      layerId: 'import-1',
      operation: 'create-layer',
      before: null,
      after: villagesLayer,
      author: 'tester',
      time: IMPORT_TIME.toISOString(),
      imported: { featureCount: 2 },
      base: { layerId: 'import-1', featureCount: 2, chunkCount: 1 },
    });
    // The features are the layer's packed base: no journal entry, no edit row per feature.
    expect(await database.journal.where('changeId').equals(report.changeId).count()).toBe(0);
    expect(await database.featureEdits.where('layerId').equals('import-1').count()).toBe(0);
    expect(await database.featureChunks.where('layerId').equals('import-1').count()).toBe(1);

    // Undo removes the layer itself, not just its features.
    await undo(database, { author: 'tester' });
    expect(await getLayer(database, 'import-1')).toBeNull();
    expect(await readLayerFeatures(database, 'import-1')).toEqual([]);
  });

  it('refuses a new layer that is not a valid definition, or whose id exists, writing nothing', async () => {
    const dump = await dumpStore(database);
    const invalid = { ...villagesLayer, fields: [{ key: 'Bad Key', type: 'string', required: false, label: { zh: 'x', en: 'x' } }] } as unknown as LayerDefinition;
    const error = (await importFeatures(database, { author: 'tester', target: { kind: 'new', layer: invalid }, features: [{ geometry: square(115.7, 37.7), properties: {} }] }).catch(
      (caught: unknown) => caught,
    )) as ImportValidationError;
    expect(error).toBeInstanceOf(ImportValidationError);
    expect(error.problems[0]?.field).toMatch(/^layer\.fields/);
    const duplicate = (await importFeatures(database, {
      author: 'tester',
      target: { kind: 'new', layer: { ...testWellsLayer } },
      features: [{ geometry: { type: 'Point', coordinates: [115.5, 37.5] }, properties: {} }],
    }).catch((caught: unknown) => caught)) as ImportValidationError;
    expect(duplicate).toBeInstanceOf(ImportValidationError);
    expect(duplicate.problems[0]).toMatchObject({ featureIndex: -1, field: 'layer.id', message: 'layer "test-wells" already exists' });
    expect(await dumpStore(database)).toEqual(dump);
  });
});

describe('transact: create-layer and signal', () => {
  it('an aborted signal writes nothing', async () => {
    const dump = await dumpStore(database);
    const controller = new AbortController();
    controller.abort();
    await expect(
      transact(database, { author: 'tester', signal: controller.signal, operations: [{ kind: 'create', layerId: 'test-wells', feature: { geometry: { type: 'Point', coordinates: [115.5, 37.5] }, properties: {} } }] }),
    ).rejects.toBeInstanceOf(ChangeAbortedError);
    expect(await dumpStore(database)).toEqual(dump);
  });

  it('an abort while the change writes aborts its transaction: nothing written', async () => {
    const dump = await dumpStore(database);
    const controller = new AbortController();
    // Fire the abort from inside the transaction, while the journal entries are being added.
    let fired = false;
    database.journal.hook('creating', () => {
      if (!fired) {
        fired = true;
        controller.abort();
      }
    });
    const error = await importFeatures(database, { author: 'tester', target: { kind: 'existing', layerId: 'test-wells' }, features: points(300), signal: controller.signal }).catch((caught: unknown) => caught);
    expect(fired).toBe(true);
    expect(error).toBeInstanceOf(ChangeAbortedError);
    expect(await dumpStore(database)).toEqual(dump);
  });

  it('the current schema opens a version-1 database, keeps its records and adds the layer journal (version 2)', async () => {
    const name = `onemap-v1-${Date.now()}`;
    const { Dexie } = await import('dexie');
    const old = new Dexie(name);
    old.version(1).stores({
      layers: 'id',
      targets: 'id, layerId',
      layerBases: 'layerId',
      featureChunks: 'id, [layerId+generation]',
      featureEdits: '[layerId+featureId], [layerId+sequence], sequence',
      journal: '++sequence, &id, changeId, [layerId+featureId], time',
      attachments: 'id, [layerId+featureId]',
      meta: 'key',
    });
    await old.table('layers').put(testWellsLayer);
    await old.table('meta').put({ key: 'workspace-id', value: 'w-1' });
    old.close();
    const upgraded = new OneMapDatabase(name);
    await upgraded.open();
    expect(upgraded.verno).toBeGreaterThanOrEqual(2);
    expect(upgraded.tables.map((table) => table.name)).toContain('layerJournal');
    expect(await upgraded.layers.get('test-wells')).toEqual(testWellsLayer);
    expect(await upgraded.meta.get('workspace-id')).toEqual({ key: 'workspace-id', value: 'w-1' });
    expect(await upgraded.layerJournal.count()).toBe(0);
    upgraded.close();
    await upgraded.delete();
  });
});

describe('importFeatures into a new layer: the packed base', () => {
  const newLayer: LayerDefinition = { ...testWellsLayer, id: 'imported-wells', name: { zh: '导入井', en: 'Imported wells' } };
  const withIds = (count: number): ImportFeature[] => points(count).map((feature, index) => ({ ...feature, id: `I-${index}` }));

  it('imports as ONE change: the layer and its features as a packed base in Hilbert-ordered chunks, one layerJournal record, readable at once', async () => {
    const before = await dumpStore(database);
    const report = await importFeatures(database, { author: 'tester', target: { kind: 'new', layer: newLayer }, packed: true, features: withIds(2_500), time: IMPORT_TIME, source: 'wells.geojson', note: 'from the survey' });
    expect(report).toMatchObject({ layerId: 'imported-wells', createdLayer: true, added: 2_500 });
    expect(report.featureIds).toHaveLength(2_500);
    expect(report.bbox).toEqual([115.3, 37.4, 115.3 + 99 / 100, 37.4 + 24 / 1000]);
    const after = await dumpStore(database);
    // Nothing per feature in the journal or the edit rows; three chunks, one base, one layer record.
    expect(after.journal).toEqual(before.journal);
    expect(after.featureEdits).toEqual(before.featureEdits);
    expect(after.syncHeads).toEqual(before.syncHeads);
    const chunks = await database.featureChunks.where('layerId').equals('imported-wells').sortBy('sequence');
    expect(chunks.map((chunk) => chunk.features.length)).toEqual([1_000, 1_000, 500]);
    expect(chunks.every((chunk, index) => index === 0 || chunk.hilbertFirst >= chunks[index - 1]!.hilbertLast)).toBe(true);
    const [record] = await database.layerJournal.toArray();
    expect(record).toMatchObject({ changeId: report.changeId, operation: 'create-layer', imported: { featureCount: 2_500, source: 'wells.geojson' }, note: 'from the survey', journalPosition: before.journal!.length });
    expect(await database.layerBases.get('imported-wells')).toMatchObject({ generation: chunks[0]!.generation, chunkCount: 3, featureCount: 2_500 });

    const features = await readLayerFeatures(database, 'imported-wells');
    expect(features).toHaveLength(2_500);
    expect(await getFeature(database, 'imported-wells', 'I-7')).toEqual({
      id: 'I-7',
      layerId: 'imported-wells',
      geometry: { type: 'Point', coordinates: [115.3 + 7 / 100, 37.4] },
      properties: { name: '导入井 8', depthM: 57 },
      status: 'registered',
      county: null,
      demo: false,
      createdAt: IMPORT_TIME.toISOString(),
      updatedAt: IMPORT_TIME.toISOString(),
      revision: 1,
    });
    // History says where it came from; undo says what it would undo.
    const history = await featureHistory(database, 'imported-wells', 'I-7');
    expect(history).toMatchObject([{ cause: 'import', operation: 'create', before: null, author: 'tester', note: 'wells.geojson', after: { id: 'I-7', revision: 1 } }]);
    expect((await undoState(database)).undo).toMatchObject({ changeId: report.changeId, entryCount: 2_500, layer: { layerId: 'imported-wells', operation: 'create-layer', featureCount: 2_500 } });
  });

  it('undo removes the layer completely (definition, base, features) as one step; redo brings it back as it was', async () => {
    const before = await dumpStore(database);
    await importFeatures(database, { author: 'tester', target: { kind: 'new', layer: newLayer }, packed: true, features: withIds(1_200), time: IMPORT_TIME });
    const imported = await readLayerFeatures(database, 'imported-wells');
    const undone = await undo(database, { author: 'tester' });
    expect(undone?.removedLayers).toEqual(['imported-wells']);
    expect(await getLayer(database, 'imported-wells')).toBeNull();
    expect(await database.layerBases.get('imported-wells')).toBeUndefined();
    expect(await readLayerFeatures(database, 'imported-wells')).toEqual([]);
    expect(await getFeature(database, 'imported-wells', 'I-3')).toBeNull();
    // Everything but the layer journal (and the chunks kept for redo, and the generation counter) is as before the import.
    const afterUndo = await dumpStore(database);
    for (const table of ['layers', 'layerBases', 'featureEdits', 'journal', 'syncHeads', 'attachments', 'targets']) expect(afterUndo[table]).toEqual(before[table]);
    expect((await undoState(database)).redo).toMatchObject({ layer: { layerId: 'imported-wells', featureCount: 1_200 } });

    const redone = await redo(database, { author: 'tester' });
    expect(redone?.createdLayers).toEqual(['imported-wells']);
    expect(await getLayer(database, 'imported-wells')).toEqual(newLayer);
    expect(await readLayerFeatures(database, 'imported-wells')).toEqual(imported);
    // Undo and redo again: still one step each.
    await undo(database, { author: 'tester' });
    expect(await getLayer(database, 'imported-wells')).toBeNull();
    await redo(database, { author: 'tester' });
    expect(await readLayerFeatures(database, 'imported-wells')).toEqual(imported);
    expect(await database.layerJournal.count()).toBe(5);
    expect(await database.journal.count()).toBe(before.journal!.length);
  });

  it('a cancel while the chunks are written leaves every table unchanged', async () => {
    const before = await dumpStore(database);
    const controller = new AbortController();
    let written = 0;
    database.featureChunks.hook('creating', () => {
      written += 1;
      if (written === 20) controller.abort(); // in the second bulk write of chunks
    });
    const error = await importFeatures(database, { author: 'tester', target: { kind: 'new', layer: newLayer }, features: withIds(30_000), signal: controller.signal }).catch((caught: unknown) => caught);
    expect(written).toBeGreaterThanOrEqual(20);
    expect(error).toBeInstanceOf(ChangeAbortedError);
    expect(await dumpStore(database)).toEqual(before);
  });

  it('a feature that does not fit names itself (position in the file, id, field) and nothing is written', async () => {
    const before = await dumpStore(database);
    const features = withIds(3_000);
    features[1_234] = { ...features[1_234]!, properties: { name: 'deep', depthM: -5 }, sourceIndex: 1_240 };
    features[2_000] = { ...features[2_000]!, geometry: { type: 'Point', coordinates: [200, 37.5] } };
    features[2_500] = { ...features[2_500]!, id: 'I-1500' }; // after the refused 1,234: named by its place in the input
    const error = (await importFeatures(database, { author: 'tester', target: { kind: 'new', layer: newLayer }, features }).catch((caught: unknown) => caught)) as ImportValidationError;
    expect(error).toBeInstanceOf(ImportValidationError);
    expect(error.problemCount).toBe(3);
    expect(error.problems[0]).toMatchObject({ featureIndex: 1_234, sourceIndex: 1_240, featureId: 'I-1234', field: 'depthM' });
    expect(error.problems[1]).toMatchObject({ featureIndex: 2_000, featureId: 'I-2000', field: 'geometry.coordinates.0' });
    expect(error.problems[2]).toMatchObject({ featureIndex: 2_500, featureId: 'I-1500', field: 'id', message: 'the id "I-1500" is also feature 1501\'s' });
    expect(error.messages.en).toContain('feature 1241');
    expect(await dumpStore(database)).toEqual(before);
  });

  it('a later edit of an imported feature is an edit row over the base; its undo undoes only the edit, the next undo the import', async () => {
    await importFeatures(database, { author: 'tester', target: { kind: 'new', layer: newLayer }, packed: true, features: withIds(1_500), time: IMPORT_TIME });
    const original = await getFeature(database, 'imported-wells', 'I-42');
    await transact(database, { author: 'editor', operations: [{ kind: 'update', layerId: 'imported-wells', featureId: 'I-42', properties: { name: 'renamed' }, status: 'scheduled' }] });
    expect(await getFeature(database, 'imported-wells', 'I-42')).toMatchObject({ properties: { name: 'renamed', depthM: 92 }, status: 'scheduled', revision: 2 });
    expect(await database.featureEdits.where('layerId').equals('imported-wells').count()).toBe(1);
    const history = await featureHistory(database, 'imported-wells', 'I-42');
    expect(history.map((entry) => [entry.cause, entry.operation])).toEqual([['import', 'create'], ['edit', 'update']]);
    expect(history[0]!.after).toEqual(original);

    await undo(database, { author: 'tester' });
    expect(await getLayer(database, 'imported-wells')).toEqual(newLayer);
    expect(await getFeature(database, 'imported-wells', 'I-42')).toMatchObject({ properties: original!.properties, status: 'registered', revision: 3 });
    expect(await readLayerFeatures(database, 'imported-wells')).toHaveLength(1_500);

    await undo(database, { author: 'tester' });
    expect(await getLayer(database, 'imported-wells')).toBeNull();
    expect(await getFeature(database, 'imported-wells', 'I-42')).toBeNull();
    expect(await database.featureEdits.where('layerId').equals('imported-wells').count()).toBe(0);
    // Redo twice: the import (with the edit row its undo left), then the edit.
    await redo(database, { author: 'tester' });
    expect(await getFeature(database, 'imported-wells', 'I-42')).toMatchObject({ properties: original!.properties, revision: 3 });
    await redo(database, { author: 'tester' });
    expect(await getFeature(database, 'imported-wells', 'I-42')).toMatchObject({ properties: { name: 'renamed' }, status: 'scheduled', revision: 4 });
  });
});
