// Layers renamed and deleted (db/layers.ts through transact), their undo and redo, and undo of a
// small import removing the layer it created.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Geometry, LayerDefinition, Target } from '../../../shared/model';
import {
  attachPhoto,
  ChangeRejectedError,
  deleteLayer,
  getLayer,
  importFeatures,
  LayerDeletionRefusedError,
  listPhotos,
  OneMapDatabase,
  readLayerFeatures,
  redo,
  renameLayer,
  seed,
  transact,
  undo,
  undoState,
} from '../../../renderer/src/db';
import { dumpStore, freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

let database: OneMapDatabase;

const villagesLayer: LayerDefinition = {
  id: 'import-1',
  name: { zh: 'villages', en: 'villages' },
  geometryType: 'Polygon',
  displayField: 'field1',
  fields: [{ key: 'field1', type: 'string', required: false, label: { zh: '村名', en: 'Village' } }],
  status: { label: { zh: '状态', en: 'Status' }, states: [{ value: 'registered', label: { zh: '已登记', en: 'Registered' } }], initial: 'registered', transitions: [] },
};

const square = (west: number, south: number): Geometry => ({
  type: 'Polygon',
  coordinates: [[[west, south], [west + 0.01, south], [west + 0.01, south + 0.01], [west, south + 0.01], [west, south]]],
});

/** A small import (under PACKED_IMPORT_MIN_FEATURES): journaled as create-layer + one create per feature. */
const importVillages = () =>
  importFeatures(database, {
    author: 'tester',
    target: { kind: 'new', layer: villagesLayer },
    features: [
      { geometry: square(115.7, 37.7), properties: { field1: '北王庄村' } },
      { geometry: square(115.6, 37.5), properties: { field1: '大刘庄村' } },
      { geometry: square(115.5, 37.4), properties: { field1: '小刘庄村' } },
    ],
  });

const names = async (layerId: string) => (await readLayerFeatures(database, layerId)).map((feature) => feature.properties.field1).sort();

/** Closes the store and opens it again, as a restart does. */
async function restart(): Promise<void> {
  const name = database.name;
  database.close();
  database = new OneMapDatabase(name);
  await database.open();
}

beforeEach(async () => {
  database = await freshDatabase();
  await seed(database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(50) }], time: SEED_TIME });
});

afterEach(async () => {
  database.close();
  await database.delete();
});

describe('undo of a small import', () => {
  it('removes the layer it created, not just its features; redo brings layer and features back', async () => {
    const report = await importVillages();
    expect(report.createdLayer).toBe(true);
    expect(await database.journal.where('changeId').equals(report.changeId).count()).toBe(3);

    const undone = await undo(database, { author: 'tester' });
    expect(undone?.removedLayers).toEqual(['import-1']);
    expect(await getLayer(database, 'import-1')).toBeNull();
    expect(await database.featureEdits.where('layerId').equals('import-1').count()).toBe(0);
    expect(await undoState(database)).toMatchObject({ canRedo: true });

    await restart();
    const redone = await redo(database, { author: 'tester' });
    expect(redone?.createdLayers).toEqual(['import-1']);
    expect(await getLayer(database, 'import-1')).toEqual(villagesLayer);
    expect(await names('import-1')).toEqual(['北王庄村', '大刘庄村', '小刘庄村']);

    // And again: undo of the redo removes it once more.
    await undo(database, { author: 'tester' });
    expect(await getLayer(database, 'import-1')).toBeNull();
  });
});

describe('rename a layer', () => {
  it('is one journaled change; undo and redo (across a restart) switch the name back and forth', async () => {
    const committed = await renameLayer(database, { layerId: 'test-wells', name: { zh: ' 机井 ', en: 'Wells' }, author: '张工' });
    expect(committed.renamedLayers).toEqual(['test-wells']);
    expect(committed.entries).toEqual([]);
    expect((await getLayer(database, 'test-wells'))?.name).toEqual({ zh: '机井', en: 'Wells' });
    const records = await database.layerJournal.where('changeId').equals(committed.changeId).toArray();
    expect(records).toMatchObject([{ operation: 'rename-layer', layerId: 'test-wells', before: { name: testWellsLayer.name }, after: { name: { zh: '机井', en: 'Wells' } }, author: '张工' }]);

    // The seed (at every start) keeps the name the user gave.
    await seed(database, { layers: [testWellsLayer] });
    expect((await getLayer(database, 'test-wells'))?.name.zh).toBe('机井');

    await restart();
    expect((await undoState(database)).undo).toMatchObject({ originalChangeId: committed.changeId, layer: { layerId: 'test-wells', operation: 'rename-layer' } });
    await undo(database, { author: '张工' });
    expect((await getLayer(database, 'test-wells'))?.name).toEqual(testWellsLayer.name);
    await restart();
    await redo(database, { author: '张工' });
    expect((await getLayer(database, 'test-wells'))?.name).toEqual({ zh: '机井', en: 'Wells' });
  });

  it('refuses an empty name and an unknown layer, writing nothing', async () => {
    const dump = await dumpStore(database);
    await expect(renameLayer(database, { layerId: 'test-wells', name: { zh: ' ', en: 'Wells' }, author: '张工' })).rejects.toBeInstanceOf(ChangeRejectedError);
    await expect(renameLayer(database, { layerId: 'nope', name: { zh: '无', en: 'None' }, author: '张工' })).rejects.toBeInstanceOf(ChangeRejectedError);
    expect(await dumpStore(database)).toEqual(dump);
  });
});

describe('delete a layer', () => {
  it('deletes its versioned features and the layer in one change; undo (after a restart) brings back layer, features and photos; redo deletes again', async () => {
    const report = await importVillages();
    const feature = (await readLayerFeatures(database, 'import-1')).find((candidate) => candidate.properties.field1 === '北王庄村')!;
    await attachPhoto(database, { layerId: 'import-1', featureId: feature.id, author: 'tester', blob: new Blob(['jpeg'], { type: 'image/jpeg' }), fileName: 'a.jpg', mimeType: 'image/jpeg' });

    const deleted = await deleteLayer(database, { layerId: 'import-1', author: '李工' });
    expect(deleted.removedLayers).toEqual(['import-1']);
    expect(deleted.entries.filter((entry) => entry.operation === 'delete')).toHaveLength(3);
    expect(deleted.entries.filter((entry) => entry.operation === 'detach')).toHaveLength(1);
    expect(new Set(deleted.entries.map((entry) => entry.changeId))).toEqual(new Set([deleted.changeId]));
    expect(await getLayer(database, 'import-1')).toBeNull();
    expect(await readLayerFeatures(database, 'import-1')).toEqual([]);
    expect(await database.featureEdits.where('layerId').equals('import-1').count()).toBe(0);
    const record = (await database.layerJournal.where('changeId').equals(deleted.changeId).toArray())[0];
    expect(record).toMatchObject({ operation: 'remove-layer', before: villagesLayer, after: null, author: '李工' });

    await restart();
    await undo(database, { author: '李工' });
    expect(await getLayer(database, 'import-1')).toEqual(villagesLayer);
    expect(await names('import-1')).toEqual(['北王庄村', '大刘庄村', '小刘庄村']);
    expect((await listPhotos(database, 'import-1', feature.id)).map((photo) => photo.fileName)).toEqual(['a.jpg']);

    await restart();
    await redo(database, { author: '李工' });
    expect(await getLayer(database, 'import-1')).toBeNull();
    // Undo twice more: the delete, then the photo; a third undo is the import (the layer goes).
    await undo(database, { author: '李工' });
    await undo(database, { author: '李工' });
    await undo(database, { author: '李工' });
    expect(await getLayer(database, 'import-1')).toBeNull();
    expect(report.changeId).toBeTruthy();
  });

  it('refuses a layer that a target measures, and a seeded layer, naming why; nothing written', async () => {
    const target = { id: 'T1', layerId: 'test-wells' } as unknown as Target;
    await database.targets.put(target);
    const dump = await dumpStore(database);
    const measured = await deleteLayer(database, { layerId: 'test-wells', author: '李工' }).catch((error: unknown) => error);
    expect(measured).toBeInstanceOf(LayerDeletionRefusedError);
    expect((measured as LayerDeletionRefusedError).refusal).toEqual({ reason: 'targets', targetIds: ['T1'] });
    await database.targets.delete('T1');
    const seeded = await deleteLayer(database, { layerId: 'test-wells', author: '李工' }).catch((error: unknown) => error);
    expect((seeded as LayerDeletionRefusedError).refusal).toEqual({ reason: 'seeded' });
    await database.targets.put(target);
    expect(await dumpStore(database)).toEqual(dump);
  });
});

describe('transact: removing a layer with feature operations', () => {
  it('refuses a change that removes a layer and keeps or edits one of its features', async () => {
    await importVillages();
    const feature = (await readLayerFeatures(database, 'import-1'))[0]!;
    const dump = await dumpStore(database);
    const error = await transact(database, {
      author: 'tester',
      operations: [
        { kind: 'update', layerId: 'import-1', featureId: feature.id, properties: { field1: 'x' } },
        { kind: 'remove-layer', layerId: 'import-1' },
      ],
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChangeRejectedError);
    expect(await dumpStore(database)).toEqual(dump);
  });
});
