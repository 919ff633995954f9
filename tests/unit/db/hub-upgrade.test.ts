// Schema version 4 (the team hub's tables): a store filled under version 3 opens under 4 with
// every record kept and the new tables empty; hub-applied changes name their writer's device and
// are not the user's to undo.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ChangeRejectedError, OneMapDatabase, seed, transact, undoState } from '../../../renderer/src/db';
import { generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

const VERSION_3_TABLES = {
  layers: 'id',
  targets: 'id, layerId',
  layerBases: 'layerId',
  featureChunks: 'id, [layerId+generation]',
  featureEdits: '[layerId+featureId], [layerId+sequence], sequence',
  journal: '++sequence, &id, changeId, [layerId+featureId], time',
  attachments: 'id, [layerId+featureId]',
  meta: 'key',
  layerJournal: '++sequence, &id, changeId, layerId',
  syncVersions: '++receivedSequence, &id, [layerId+featureId]',
  syncHeads: '[layerId+featureId]',
  syncConflicts: 'id, [layerId+featureId], status',
};

describe('schema version 4 (team hub)', () => {
  it('a version 3 store opens under version 4 with every record kept and empty hub tables', async () => {
    const name = `onemap-hub-upgrade-${Date.now()}`;
    const source = new OneMapDatabase(`${name}-source`);
    await source.open();
    await seed(source, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(5) }], time: SEED_TIME });
    await transact(source, { author: 'd', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00001', properties: { depthM: 1 } }] });

    const { Dexie } = await import('dexie');
    const legacy = new Dexie(name);
    legacy.version(3).stores(VERSION_3_TABLES);
    await legacy.open();
    const dump: Record<string, unknown[]> = {};
    for (const table of Object.keys(VERSION_3_TABLES)) {
      dump[table] = await source.table(table).toArray();
      await legacy.table(table).bulkPut(dump[table]!);
    }
    source.close();
    await source.delete();
    expect(legacy.verno).toBe(3);
    legacy.close();

    const upgraded = new OneMapDatabase(name);
    await upgraded.open();
    expect(upgraded.verno).toBeGreaterThanOrEqual(4);
    for (const table of Object.keys(VERSION_3_TABLES)) expect(await upgraded.table(table).toArray(), table).toEqual(dump[table]);
    expect(await upgraded.hubFeatures.count()).toBe(0);
    expect(await upgraded.hubConflicts.count()).toBe(0);
    expect(await upgraded.hubPushes.count()).toBe(0);
    await upgraded.hubFeatures.put({ layerId: 'test-wells', featureId: 'W-00001', version: 3, fieldVersions: { exists: 1 }, county: null });
    expect(await upgraded.hubFeatures.get(['test-wells', 'W-00001'])).toMatchObject({ version: 3 });
    upgraded.close();
    await upgraded.delete();
  });

  it('a hub-applied change keeps its writer\'s device and is passed over by undo; another device is refused for a version', async () => {
    const database = new OneMapDatabase(`onemap-hub-undo-${Date.now()}`);
    await database.open();
    await seed(database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(3) }], time: SEED_TIME });
    const mine = await transact(database, { author: 'me', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00001', properties: { depthM: 1 } }] });
    const feature = (await database.featureEdits.get(['test-wells', 'W-00001']))!.feature!;
    const pulled = await transact(database, {
      author: 'zhang',
      authorName: '张工',
      device: 'tablet-z',
      operations: [{ kind: 'restore', layerId: 'test-wells', featureId: 'W-00002', to: { ...feature, properties: { ...feature.properties, name: 'from hub' } }, applies: ['hub:test-wells/W-00002@2'] }],
    });
    expect(pulled.entries[0]).toMatchObject({ device: 'tablet-z', author: 'zhang', authorName: '张工', applies: ['hub:test-wells/W-00002@2'] });
    expect((await undoState(database)).undo?.changeId).toBe(mine.changeId);
    await expect(transact(database, { author: 'x', device: 'other', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00001', properties: { depthM: 2 } }] })).rejects.toBeInstanceOf(ChangeRejectedError);
    database.close();
    await database.delete();
  });
});
