// Layer definitions made and changed by a planner (db/layer-definitions.ts through transact): one
// journaled `update-layer` per change with `version` + 1, undo and redo, values of a removed field
// kept in history, features checked against the new definition, the seed keeping a changed
// definition, and definitions carried in edit packages.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LayerDefinition } from '../../../shared/model';
import {
  backupFromJson,
  backupToJson,
  ChangeRejectedError,
  exportBackup,
  createLayerDefinition,
  ensureWorkspaceIdentity,
  exportEditPackage,
  featureHistory,
  getLayer,
  importEditPackage,
  LayerDefinitionRefusedError,
  readLayerFeatures,
  redo,
  restoreBackup,
  seed,
  transact,
  undo,
  undoState,
  updateLayerDefinition,
  type OneMapDatabase,
} from '../../../renderer/src/db';
import { freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

const text = (value: string) => ({ zh: value, en: value });
const rainGardens: LayerDefinition = {
  id: 'rain-gardens',
  name: text('Rain gardens'),
  geometryType: 'Point',
  displayField: 'title',
  fields: [
    { key: 'title', type: 'string', required: true, label: text('Title') },
    { key: 'areaM2', type: 'number', required: false, unit: text('m²'), label: text('Area') },
    { key: 'builtDate', type: 'date', required: false, label: text('Built') },
  ],
  status: {
    label: text('Status'),
    states: [
      { value: 'planned', label: text('Planned') },
      { value: 'building', label: text('Building') },
      { value: 'built', label: text('Built'), dateField: 'builtDate' },
    ],
    initial: 'planned',
    transitions: [
      { from: 'planned', to: 'building' },
      { from: 'building', to: 'built' },
    ],
  },
};

let database: OneMapDatabase;
beforeEach(async () => {
  database = await freshDatabase();
  await seed(database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(20) }], time: SEED_TIME });
});
afterEach(async () => {
  database.close();
  await database.delete();
});

async function gardenWithTwoFeatures(): Promise<void> {
  await createLayerDefinition(database, { author: 'tester', layer: rainGardens });
  await transact(database, {
    author: 'tester',
    operations: [
      { kind: 'create', layerId: 'rain-gardens', feature: { id: 'G-1', geometry: { type: 'Point', coordinates: [115.6, 37.7] }, properties: { title: 'North', areaM2: 40 } } },
      { kind: 'create', layerId: 'rain-gardens', feature: { id: 'G-2', geometry: { type: 'Point', coordinates: [115.7, 37.6] }, properties: { title: 'South' } } },
    ],
  });
}

const withOwner = (layer: LayerDefinition): LayerDefinition => ({
  ...layer,
  fields: [{ ...layer.fields[0]!, label: { zh: '名称', en: 'Name' } }, layer.fields[2]!, { key: 'owner', type: 'string', required: true, label: text('Owner') }],
});

describe('a layer made from scratch', () => {
  it('is one undoable create-layer; redo brings it back', async () => {
    const committed = await createLayerDefinition(database, { author: 'tester', layer: rainGardens });
    expect(committed.createdLayers).toEqual(['rain-gardens']);
    expect(await getLayer(database, 'rain-gardens')).toEqual(rainGardens);
    await undo(database, { author: 'tester' });
    expect(await getLayer(database, 'rain-gardens')).toBeNull();
    await redo(database, { author: 'tester' });
    expect(await getLayer(database, 'rain-gardens')).toEqual(rainGardens);
  });

  it('is refused, naming each problem, when invalid or when its id is taken', async () => {
    const bad = { ...rainGardens, status: { ...rainGardens.status, transitions: [{ from: 'built', to: 'accepted' }] } };
    await expect(createLayerDefinition(database, { author: 'tester', layer: bad })).rejects.toMatchObject({ problems: [{ code: 'unknown-state', path: 'status.transitions.0.to' }] });
    await expect(createLayerDefinition(database, { author: 'tester', layer: { ...rainGardens, id: 'test-wells' } })).rejects.toMatchObject({ problems: [{ code: 'layer-id-taken' }] });
    expect(await getLayer(database, 'rain-gardens')).toBeNull();
  });
});

describe('a changed definition', () => {
  it('is one update-layer with version + 1; defaults fill a new required field; a removed field stays in history', async () => {
    await gardenWithTwoFeatures();
    const committed = await updateLayerDefinition(database, { author: 'tester', layer: withOwner(rainGardens), defaults: { owner: '市园林局' } });
    expect(committed.updatedLayers).toEqual(['rain-gardens']);
    expect(committed.layerEntries).toMatchObject([{ operation: 'update-layer', before: rainGardens, after: { ...withOwner(rainGardens), version: 2 } }]);
    expect((await getLayer(database, 'rain-gardens'))?.version).toBe(2);
    const features = (await readLayerFeatures(database, 'rain-gardens')).sort((left, right) => left.id.localeCompare(right.id));
    expect(features.map((feature) => feature.properties)).toEqual([
      { title: 'North', owner: '市园林局' },
      { title: 'South', owner: '市园林局' },
    ]);
    // The area G-1 had is in its history: the entry before the definition change holds it.
    const history = await featureHistory(database, 'rain-gardens', 'G-1');
    expect(history.some((entry) => entry.before?.properties.areaM2 === 40 && entry.after?.properties.areaM2 === undefined)).toBe(true);

    // A second change: version 3.
    const third = { ...withOwner(rainGardens), fields: [...withOwner(rainGardens).fields, { key: 'note', type: 'string' as const, required: false, label: text('Note') }] };
    await updateLayerDefinition(database, { author: 'tester', layer: third });
    expect((await getLayer(database, 'rain-gardens'))?.version).toBe(3);

    // Undo: the definition before as version 4 (versions only grow), features as they were.
    const undone = await undo(database, { author: 'tester' });
    expect(undone?.updatedLayers).toEqual(['rain-gardens']);
    expect(await getLayer(database, 'rain-gardens')).toEqual({ ...withOwner(rainGardens), version: 4 });
    await undo(database, { author: 'tester' });
    expect(await getLayer(database, 'rain-gardens')).toEqual({ ...rainGardens, version: 5 });
    expect((await readLayerFeatures(database, 'rain-gardens')).sort((left, right) => left.id.localeCompare(right.id)).map((feature) => feature.properties)).toEqual([{ title: 'North', areaM2: 40 }, { title: 'South' }]);
    await redo(database, { author: 'tester' });
    expect((await getLayer(database, 'rain-gardens'))?.fields.map((field) => field.key)).toEqual(['title', 'builtDate', 'owner']);
    expect((await undoState(database)).canRedo).toBe(true);
  });

  it('is refused with every problem named, nothing written', async () => {
    await gardenWithTwoFeatures();
    const refused = updateLayerDefinition(database, { author: 'tester', layer: withOwner(rainGardens) });
    await expect(refused).rejects.toBeInstanceOf(LayerDefinitionRefusedError);
    await expect(refused).rejects.toMatchObject({ code: 'store.layer-definition-refused', problems: [{ code: 'required-without-default', field: 'owner', count: 2 }] });
    const noStates = { ...rainGardens, status: { ...rainGardens.status, states: rainGardens.status.states.slice(0, 1), transitions: [] } };
    await transact(database, { author: 'tester', operations: [{ kind: 'update', layerId: 'rain-gardens', featureId: 'G-2', status: 'building' }] });
    await expect(updateLayerDefinition(database, { author: 'tester', layer: noStates })).rejects.toMatchObject({ problems: [{ code: 'state-in-use', state: 'building', count: 1 }] });
    await expect(updateLayerDefinition(database, { author: 'tester', layer: { ...rainGardens, version: 7 } })).rejects.toMatchObject({ problems: [{ code: 'version-not-next' }] });
    expect(await getLayer(database, 'rain-gardens')).toEqual(rainGardens);
  });

  it('is refused by transact itself when a feature it does not touch would break', async () => {
    await gardenWithTwoFeatures();
    const narrowed = { ...rainGardens, fields: [rainGardens.fields[0]!, { key: 'areaM2', type: 'number' as const, required: false, max: 10, label: text('Area') }, rainGardens.fields[2]!] };
    const change = transact(database, { author: 'tester', operations: [{ kind: 'update-layer', layerId: 'rain-gardens', layer: narrowed }] });
    await expect(change).rejects.toBeInstanceOf(ChangeRejectedError);
    await expect(change).rejects.toMatchObject({ problems: [{ layerId: 'rain-gardens', issues: [{ path: 'areaM2' }] }] });
    expect(await getLayer(database, 'rain-gardens')).toEqual(rainGardens);
  });

  it('survives the seed on a seeded layer', async () => {
    const changed = { ...testWellsLayer, fields: [...testWellsLayer.fields, { key: 'owner', type: 'string' as const, required: false, label: text('Owner') }] };
    await updateLayerDefinition(database, { author: 'tester', layer: changed });
    await seed(database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(20) }], time: SEED_TIME });
    expect(await getLayer(database, 'test-wells')).toEqual({ ...changed, version: 2 });
  });
});

describe('a backup', () => {
  it('holds a definition change and restores it, undoable after the restore', async () => {
    await gardenWithTwoFeatures();
    await updateLayerDefinition(database, { author: 'tester', layer: withOwner(rainGardens), defaults: { owner: '市园林局' } });
    const backup = await exportBackup(database);
    const other = await freshDatabase();
    try {
      await restoreBackup(other, backupFromJson(backupToJson(backup)));
      expect((await getLayer(other, 'rain-gardens'))?.version).toBe(2);
      await undo(other, { author: 'tester' });
      expect(await getLayer(other, 'rain-gardens')).toEqual({ ...rainGardens, version: 3 });
    } finally {
      other.close();
      await other.delete();
    }
  });
});

describe('definitions in edit packages', () => {
  it('carry a new layer and its changed definition to another device', async () => {
    const other = await freshDatabase();
    try {
      await seed(other, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(20) }], time: SEED_TIME });
      const peer = (await ensureWorkspaceIdentity(other)).deviceId;
      await gardenWithTwoFeatures();
      const first = await exportEditPackage(database, { peer });
      await importEditPackage(other, first.bytes);
      expect(await getLayer(other, 'rain-gardens')).toEqual(rainGardens);
      await updateLayerDefinition(database, { author: 'tester', layer: withOwner(rainGardens), defaults: { owner: '市园林局' } });
      const second = await exportEditPackage(database, { peer });
      const report = await importEditPackage(other, second.bytes);
      expect(report.layers.defined).toEqual(['rain-gardens']);
      expect(await getLayer(other, 'rain-gardens')).toEqual({ ...withOwner(rainGardens), version: 2 });
      expect((await readLayerFeatures(other, 'rain-gardens')).sort((left, right) => left.id.localeCompare(right.id)).map((feature) => feature.properties)).toEqual([
        { title: 'North', owner: '市园林局' },
        { title: 'South', owner: '市园林局' },
      ]);
    } finally {
      other.close();
      await other.delete();
    }
  });
});
