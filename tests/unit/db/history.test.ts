import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  attachPhoto,
  featureHistory,
  getFeature,
  redo,
  restoreVersion,
  RestoreVersionError,
  seed,
  transact,
  undo,
  type OneMapDatabase,
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

const at = (hour: number) => new Date(`2021-07-01T${String(hour).padStart(2, '0')}:00:00Z`);

async function editWellThreeTimes() {
  await transact(database, {
    author: '张工',
    time: at(8),
    operations: [{ kind: 'create', layerId: 'test-wells', feature: { id: 'H-1', geometry: { type: 'Point', coordinates: [115.5, 37.5] }, properties: { name: 'v1' } } }],
  });
  await transact(database, { author: '李工', time: at(9), operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'H-1', properties: { name: 'v2', depthM: 20 } }] });
  await transact(database, { author: '王工', time: at(10), operations: [{ kind: 'update-geometry', layerId: 'test-wells', featureId: 'H-1', geometry: { type: 'Point', coordinates: [115.6, 37.6] } }] });
}

describe('featureHistory', () => {
  it('lists who, when, on which device, what kind, before and after — oldest first, photos and undo included', async () => {
    await editWellThreeTimes();
    await attachPhoto(database, { layerId: 'test-wells', featureId: 'H-1', blob: new Blob(['p']), fileName: 'p.jpg', mimeType: 'image/jpeg', author: '王工', time: at(11) });
    await undo(database, { author: '王工', time: at(12) });
    // Another feature's edits are not in it.
    await transact(database, { author: 'x', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00001', properties: { name: 'other' } }] });

    const history = await featureHistory(database, 'test-wells', 'H-1');
    const device = (await database.meta.get('device-id'))?.value;
    expect(history.map((entry) => [entry.operation, entry.cause, entry.author, entry.time, entry.device === device])).toEqual([
      ['create', 'edit', '张工', at(8).toISOString(), true],
      ['update', 'edit', '李工', at(9).toISOString(), true],
      ['update', 'edit', '王工', at(10).toISOString(), true],
      ['attach', 'edit', '王工', at(11).toISOString(), true],
      ['detach', 'undo', '王工', at(12).toISOString(), true],
    ]);
    expect(history[1]?.before?.properties).toEqual({ name: 'v1' });
    expect(history[1]?.after?.properties).toEqual({ name: 'v2', depthM: 20 });
    expect(history[3]).toMatchObject({ before: null, after: null, attachment: { fileName: 'p.jpg', mediaType: 'image/jpeg', byteSize: 1, hasThumbnail: false } });
    expect(history.map((entry) => entry.sequence)).toEqual([...history.map((entry) => entry.sequence)].sort((left, right) => left - right));
  });
});

describe('restoreVersion', () => {
  it('makes the feature equal to the version an entry produced, journaled (restores: entry id) and undoable', async () => {
    await editWellThreeTimes();
    const [created] = await featureHistory(database, 'test-wells', 'H-1');
    const restored = await restoreVersion(database, { layerId: 'test-wells', featureId: 'H-1', journalEntryId: created!.id, author: '赵工', time: at(13) });
    const feature = await getFeature(database, 'test-wells', 'H-1');
    expect(feature).toMatchObject({ properties: { name: 'v1' }, geometry: { type: 'Point', coordinates: [115.5, 37.5] }, revision: 4, updatedAt: at(13).toISOString() });
    expect(restored.entries.map((entry) => [entry.operation, entry.restores, entry.author])).toEqual([['update', created!.id, '赵工']]);
    expect((await featureHistory(database, 'test-wells', 'H-1')).at(-1)?.cause).toBe('restore');

    await undo(database, { author: '赵工' });
    expect(await getFeature(database, 'test-wells', 'H-1')).toMatchObject({ properties: { name: 'v2', depthM: 20 }, geometry: { coordinates: [115.6, 37.6] } });
    await redo(database, { author: '赵工' });
    expect((await getFeature(database, 'test-wells', 'H-1'))?.properties).toEqual({ name: 'v1' });
  });

  it('re-creates a deleted feature from an earlier version, and restoring the delete entry deletes it again', async () => {
    await editWellThreeTimes();
    await transact(database, { author: 'a', operations: [{ kind: 'delete', layerId: 'test-wells', featureId: 'H-1' }] });
    const history = await featureHistory(database, 'test-wells', 'H-1');
    await restoreVersion(database, { layerId: 'test-wells', featureId: 'H-1', journalEntryId: history[1]!.id, author: 'a' });
    expect(await getFeature(database, 'test-wells', 'H-1')).toMatchObject({ properties: { name: 'v2', depthM: 20 }, revision: 5 });
    await restoreVersion(database, { layerId: 'test-wells', featureId: 'H-1', journalEntryId: history[3]!.id, author: 'a' });
    expect(await getFeature(database, 'test-wells', 'H-1')).toBeNull();
  });

  it('refuses unknown entries, entries of another feature and photo entries, writing nothing', async () => {
    await editWellThreeTimes();
    await attachPhoto(database, { layerId: 'test-wells', featureId: 'H-1', blob: new Blob(['p']), fileName: 'p.jpg', mimeType: 'image/jpeg', author: 'a' });
    const history = await featureHistory(database, 'test-wells', 'H-1');
    const before = await dumpStore(database);
    const reasons = [];
    for (const [featureId, journalEntryId] of [
      ['H-1', 'no-such-entry'],
      ['W-00001', history[0]!.id],
      ['H-1', history[3]!.id],
    ] as const) {
      const error = await restoreVersion(database, { layerId: 'test-wells', featureId, journalEntryId, author: 'a' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RestoreVersionError);
      reasons.push((error as RestoreVersionError).reason);
    }
    expect(reasons).toEqual(['unknown-entry', 'other-feature', 'not-a-version']);
    expect(await dumpStore(database)).toEqual(before);
  });
});
