import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { OneMapDatabase, seed, transact, exportEditPackage } from '../../../renderer/src/db';
import { decodeEditPackage } from '../../../shared/sync';
import { generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

describe('schema version 3 (sync)', () => {
  it('upgrading a store with journal history records each feature\'s last entry as its head; old entries export with inferred parents', async () => {
    const name = `onemap-sync-upgrade-${Date.now()}`;
    // A store with history; its entries are then stripped of what version 3 adds, as if written before it.
    const old = new OneMapDatabase(name);
    await old.open();
    await seed(old, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(5) }], time: SEED_TIME });
    const first = await transact(old, { author: 'd', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00001', properties: { depthM: 1 } }] });
    const second = await transact(old, { author: 'd', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00001', properties: { depthM: 2 } }] });
    await old.journal.toCollection().modify((entry) => {
      delete entry.parents;
    });
    await old.syncHeads.clear();
    old.close();

    // The same records in a database still at version 2; opening it as the current OneMap upgrades it.
    const { Dexie } = await import('dexie');
    const legacyName = `${name}-legacy`;
    const legacy = new Dexie(legacyName);
    legacy.version(2).stores({
      layers: 'id',
      targets: 'id, layerId',
      layerBases: 'layerId',
      featureChunks: 'id, [layerId+generation]',
      featureEdits: '[layerId+featureId], [layerId+sequence], sequence',
      journal: '++sequence, &id, changeId, [layerId+featureId], time',
      attachments: 'id, [layerId+featureId]',
      meta: 'key',
      layerJournal: '++sequence, &id, changeId, layerId',
    });
    await legacy.open();
    const source = new OneMapDatabase(name);
    await source.open();
    for (const table of ['layers', 'targets', 'layerBases', 'featureChunks', 'featureEdits', 'journal', 'attachments', 'meta']) {
      await legacy.table(table).bulkPut(await source.table(table).toArray());
    }
    source.close();
    await source.delete();
    legacy.close();

    const upgraded = new OneMapDatabase(legacyName);
    await upgraded.open();
    expect(await upgraded.syncHeads.get(['test-wells', 'W-00001'])).toEqual({ layerId: 'test-wells', featureId: 'W-00001', heads: [second.entries[0]?.id] });
    const third = await transact(upgraded, { author: 'd', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00001', properties: { depthM: 3 } }] });
    expect(third.entries[0]?.parents).toEqual([second.entries[0]?.id]);
    const decoded = await decodeEditPackage((await exportEditPackage(upgraded, { all: true })).bytes);
    expect(decoded.versions.map((entry) => [entry.id, entry.parents])).toEqual([
      [first.entries[0]?.id, []],
      [second.entries[0]?.id, [first.entries[0]?.id]],
      [third.entries[0]?.id, [second.entries[0]?.id]],
    ]);
    upgraded.close();
    await upgraded.delete();
  });
});
