import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { journalEntrySchema } from '../../../shared/model';
import {
  ChangeRejectedError,
  changeJournal,
  featureJournal,
  getFeature,
  readLayerFeatures,
  seed,
  transact,
  type OneMapDatabase,
} from '../../../renderer/src/db';
import { dumpStore, freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

const EDIT_TIME = new Date('2021-07-01T08:30:00Z');

let database: OneMapDatabase;

beforeEach(async () => {
  database = await freshDatabase();
  await seed(database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(1_200) }], time: SEED_TIME });
});

afterEach(async () => {
  database.close();
  await database.delete();
});

describe('transact — single operations', () => {
  it('updates a status with its date: revision +1, updatedAt set, journal entry with before/after, author and device', async () => {
    const before = await getFeature(database, 'test-wells', 'W-00002');
    expect(before?.status).toBe('registered');
    const committed = await transact(database, {
      author: '张工',
      time: EDIT_TIME,
      note: 'field check',
      operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00002', status: 'sealed', properties: { sealedDate: '2021-07-01' } }],
    });
    const after = await getFeature(database, 'test-wells', 'W-00002');
    expect(after).toEqual({ ...before, status: 'sealed', properties: { ...before!.properties, sealedDate: '2021-07-01' }, updatedAt: EDIT_TIME.toISOString(), revision: 2 });
    expect(committed.features).toEqual([{ layerId: 'test-wells', featureId: 'W-00002', feature: after }]);

    const journal = await featureJournal(database, 'test-wells', 'W-00002');
    expect(journal).toHaveLength(1);
    const [entry] = journal;
    expect(entry).toMatchObject({ operation: 'update', author: '张工', time: EDIT_TIME.toISOString(), note: 'field check', before, after, changeId: committed.changeId });
    const identity = await database.meta.get('device-id');
    expect(entry!.device).toBe(identity?.value);
    const { sequence: _sequence, ...shared } = entry!;
    expect(journalEntrySchema.safeParse(shared).success).toBe(true);
  });

  it('creates, moves and deletes a feature, each with its journal entry, and a re-create continues the revision', async () => {
    const created = await transact(database, {
      author: 'surveyor',
      operations: [{ kind: 'create', layerId: 'test-wells', feature: { id: 'NEW-1', geometry: { type: 'Point', coordinates: [115.7, 37.7] }, properties: { name: 'new well' }, county: 131102 } }],
    });
    expect(created.features[0]!.feature).toMatchObject({ id: 'NEW-1', status: 'registered', revision: 1, demo: false });
    await transact(database, { author: 'surveyor', operations: [{ kind: 'update-geometry', layerId: 'test-wells', featureId: 'NEW-1', geometry: { type: 'Point', coordinates: [115.71, 37.71] } }] });
    expect((await getFeature(database, 'test-wells', 'NEW-1'))?.geometry.coordinates).toEqual([115.71, 37.71]);
    await transact(database, { author: 'surveyor', operations: [{ kind: 'delete', layerId: 'test-wells', featureId: 'NEW-1' }] });
    expect(await getFeature(database, 'test-wells', 'NEW-1')).toBeNull();
    await transact(database, { author: 'surveyor', operations: [{ kind: 'delete', layerId: 'test-wells', featureId: 'W-00001' }] });
    const features = await readLayerFeatures(database, 'test-wells');
    expect(features).toHaveLength(1_199);
    expect(features.some((feature) => feature.id === 'W-00001' || feature.id === 'NEW-1')).toBe(false);

    const journal = await featureJournal(database, 'test-wells', 'NEW-1');
    expect(journal.map((entry) => [entry.operation, entry.before?.revision ?? null, entry.after?.revision ?? null])).toEqual([
      ['create', null, 1],
      ['update', 1, 2],
      ['delete', 2, null],
    ]);
    const recreated = await transact(database, {
      author: 'surveyor',
      operations: [{ kind: 'create', layerId: 'test-wells', feature: { id: 'NEW-1', geometry: { type: 'Point', coordinates: [115.7, 37.7] }, properties: {} } }],
    });
    expect(recreated.features[0]!.feature?.revision).toBe(4);
  });

  it('removes a property set to undefined', async () => {
    await transact(database, { author: 'a', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00005', properties: { name: undefined } }] });
    expect((await getFeature(database, 'test-wells', 'W-00005'))?.properties).not.toHaveProperty('name');
  });
});

describe('transact — a batch is one change, all or nothing', () => {
  it('seals 500 wells as one journal group with one changeId', async () => {
    const ids = Array.from({ length: 500 }, (_, index) => `W-${String(index * 2 + 2).padStart(5, '0')}`);
    const committed = await transact(database, {
      author: 'office',
      operations: ids.map((featureId) => ({ kind: 'update' as const, layerId: 'test-wells', featureId, status: 'sealed', properties: { sealedDate: '2021-07-01' } })),
    });
    expect(committed.entries).toHaveLength(500);
    expect(new Set(committed.entries.map((entry) => entry.changeId))).toEqual(new Set([committed.changeId]));
    expect(await changeJournal(database, committed.changeId)).toHaveLength(500);
    const features = await readLayerFeatures(database, 'test-wells');
    expect(features.filter((feature) => feature.status === 'sealed')).toHaveLength(500);
    expect(await database.featureEdits.count()).toBe(500);
  });

  it('writes nothing — no edit row, no journal entry — when one operation of the batch is invalid', async () => {
    await transact(database, { author: 'a', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00003', properties: { name: 'earlier edit' } }] });
    const before = await dumpStore(database);
    const operations = Array.from({ length: 300 }, (_, index) => ({
      kind: 'update' as const,
      layerId: 'test-wells',
      featureId: `W-${String(index + 1).padStart(5, '0')}`,
      properties: { depthM: index === 250 ? -5 : 50 },
    }));
    const failure = await transact(database, { author: 'a', operations }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ChangeRejectedError);
    expect((failure as ChangeRejectedError).problems).toEqual([
      expect.objectContaining({ operationIndex: 250, featureId: 'W-00251', issues: [expect.objectContaining({ path: 'depthM' })] }),
    ]);
    expect(await dumpStore(database)).toEqual(before);
  });

  it('writes nothing when the database write itself fails after validation', async () => {
    const before = await dumpStore(database);
    // The journal append and the edit rows are written, then the transaction fails (as a quota
    // error would): both must be gone.
    const original = database.featureEdits.bulkPut.bind(database.featureEdits);
    let calls = 0;
    database.featureEdits.bulkPut = ((...args: Parameters<typeof original>) => {
      calls += 1;
      return original(...args).then(() => {
        throw new Error('disk full');
      });
    }) as unknown as typeof original;
    await expect(
      transact(database, { author: 'a', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00003', properties: { name: 'x' } }] }),
    ).rejects.toThrow('disk full');
    database.featureEdits.bulkPut = original;
    expect(calls).toBe(1);
    expect(await dumpStore(database)).toEqual(before);
  });

  it('sees its own earlier operations: create then update the same feature in one batch', async () => {
    const committed = await transact(database, {
      author: 'a',
      operations: [
        { kind: 'create', layerId: 'test-wells', feature: { id: 'B-1', geometry: { type: 'Point', coordinates: [115.5, 37.5] }, properties: {} } },
        { kind: 'update', layerId: 'test-wells', featureId: 'B-1', status: 'scheduled' },
      ],
    });
    expect(committed.entries.map((entry) => entry.operation)).toEqual(['create', 'update']);
    expect(committed.features).toHaveLength(1);
    expect(committed.features[0]!.feature).toMatchObject({ status: 'scheduled', revision: 2 });
  });
});

describe('transact — validation', () => {
  const reject = async (operation: Parameters<typeof transact>[1]['operations'][number], path: string) => {
    const error = await transact(database, { author: 'a', operations: [operation] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChangeRejectedError);
    expect((error as ChangeRejectedError).problems[0]!.issues.map((issue) => issue.path)).toContain(path);
  };

  it('refuses a status move the workflow does not allow, unless asked to (undo/restore)', async () => {
    await transact(database, { author: 'a', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00002', status: 'sealed', properties: { sealedDate: '2021-07-01' } }] });
    await reject({ kind: 'update', layerId: 'test-wells', featureId: 'W-00002', status: 'registered' }, 'status');
    await transact(database, { author: 'a', allowAnyStatusChange: true, operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00002', status: 'registered' }] });
    expect((await getFeature(database, 'test-wells', 'W-00002'))?.status).toBe('registered');
  });

  it('requires the date of a status that records one', async () => {
    await reject({ kind: 'update', layerId: 'test-wells', featureId: 'W-00002', status: 'sealed' }, 'sealedDate');
  });

  it('refuses unknown layers, unknown features, duplicates, wrong geometry and unknown fields', async () => {
    await reject({ kind: 'delete', layerId: 'no-such-layer', featureId: 'W-00001' }, 'layerId');
    await reject({ kind: 'delete', layerId: 'test-wells', featureId: 'nope' }, 'id');
    await reject({ kind: 'create', layerId: 'test-wells', feature: { id: 'W-00001', geometry: { type: 'Point', coordinates: [115, 37] }, properties: {} } }, 'id');
    await reject(
      { kind: 'update-geometry', layerId: 'test-wells', featureId: 'W-00001', geometry: { type: 'LineString', coordinates: [[115, 37], [116, 38]] } },
      'geometry',
    );
    await reject({ kind: 'update', layerId: 'test-wells', featureId: 'W-00001', properties: { colour: 'red' } }, 'colour');
    await reject({ kind: 'update-geometry', layerId: 'test-wells', featureId: 'W-00001', geometry: { type: 'Point', coordinates: [200, 37] } }, 'geometry.coordinates.0');
    expect(await database.journal.count()).toBe(0);
    expect(await database.featureEdits.count()).toBe(0);
  });

  it('needs an author', async () => {
    await expect(transact(database, { author: ' ', operations: [] })).rejects.toBeInstanceOf(ChangeRejectedError);
  });
});
