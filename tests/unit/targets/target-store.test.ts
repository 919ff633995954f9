import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultTargetSet, type Target } from '../../../shared/model';
import type { OneMapDatabase} from '../../../renderer/src/db';
import { ChangeRejectedError, exportBackup, redo, restoreBackup, seed, transact, undo, undoState, type TargetOperation } from '../../../renderer/src/db';
import { freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from '../db/store-fixtures';

let database: OneMapDatabase;

const seededTarget: Target = {
  id: 'wells-2021',
  title: { zh: '关停取水井', en: 'Close wells' },
  quote: { text: '关停100眼', sentence: '年内关停100眼。', source: 'report.txt' },
  quantity: 100,
  unit: { zh: '眼', en: 'wells' },
  startDate: '2021-01-01',
  deadline: '2021-12-31',
  layerId: 'test-wells',
  metric: { kind: 'count', scope: { where: [] }, done: { statuses: ['sealed'], where: [] } },
};

const target2022: Target = { ...seededTarget, id: 'wells-2022', setId: 'year-2022', quantity: 50, startDate: '2022-01-01', deadline: '2022-12-31' };
const set2022 = defaultTargetSet(2022);

beforeEach(async () => {
  database = await freshDatabase();
  await seed(database, { layers: [testWellsLayer], targets: [seededTarget], demoCollections: [{ layer: 'test-wells', features: generatedWells(20) }], time: SEED_TIME });
});

afterEach(async () => {
  database.close();
  await database.delete();
});

const change = (...operations: TargetOperation[]) => transact(database, { author: '张工', operations });

describe('target operations through transact', () => {
  it('creates a set and a target in one change, journals both, undo and redo them as one step', async () => {
    const committed = await change({ kind: 'put-target-set', layerId: 'target-set:year-2022', set: set2022 }, { kind: 'put-target', layerId: 'test-wells', target: target2022 });
    expect(committed.layerEntries.map((record) => [record.operation, record.layerId])).toEqual([
      ['put-target-set', 'target-set:year-2022'],
      ['put-target', 'target:wells-2022'],
    ]);
    expect(await database.targets.get('wells-2022')).toEqual(target2022);
    expect((await undoState(database)).undo?.layer?.source).toBe('2022 年目标');
    await undo(database, { author: '张工' });
    expect(await database.targets.get('wells-2022')).toBeUndefined();
    expect(await database.targetSets.get('year-2022')).toBeUndefined();
    await redo(database, { author: '张工' });
    expect(await database.targets.get('wells-2022')).toEqual(target2022);
    expect(await database.targetSets.get('year-2022')).toEqual(set2022);
  });

  it('an edit keeps the whole definition before and after; undo puts the old one back', async () => {
    await change({ kind: 'put-target-set', layerId: 'target-set:year-2022', set: set2022 }, { kind: 'put-target', layerId: 'test-wells', target: target2022 });
    const edited = { ...target2022, quantity: 80 };
    const committed = await change({ kind: 'put-target', layerId: 'test-wells', target: edited });
    expect(committed.layerEntries[0]?.target).toEqual({ before: target2022, after: edited });
    await undo(database, { author: '张工' });
    expect((await database.targets.get('wells-2022'))?.quantity).toBe(50);
  });

  it('removes a seeded target; the seed does not bring it back; undo does', async () => {
    await change({ kind: 'remove-target', layerId: 'test-wells', targetId: 'wells-2021' });
    await seed(database, { layers: [testWellsLayer], targets: [seededTarget], time: SEED_TIME });
    expect(await database.targets.get('wells-2021')).toBeUndefined();
    await undo(database, { author: '张工' });
    expect(await database.targets.get('wells-2021')).toEqual(seededTarget);
  });

  it('refuses, writing nothing: a target of an unknown set, layer, status; a set removed with targets; a second set for a year', async () => {
    const before = await database.layerJournal.count();
    const refusals: [TargetOperation[], string][] = [
      [[{ kind: 'put-target', layerId: 'test-wells', target: target2022 }], 'setId'],
      [[{ kind: 'put-target', layerId: 'nowhere', target: { ...seededTarget, layerId: 'nowhere' } }], 'layerId'],
      [[{ kind: 'put-target', layerId: 'test-wells', target: { ...seededTarget, metric: { ...seededTarget.metric, done: { statuses: ['gone'], where: [] } } } }], 'metric.done.statuses'],
      [[{ kind: 'remove-target', layerId: 'test-wells', targetId: 'nope' }], 'id'],
      [[{ kind: 'put-target-set', layerId: 'target-set:x', set: set2022 }, { kind: 'put-target', layerId: 'test-wells', target: target2022 }, { kind: 'remove-target-set', layerId: 'target-set:x', setId: 'year-2022' }], 'set.id'],
      [[{ kind: 'put-target-set', layerId: 'target-set:a', set: set2022 }, { kind: 'put-target-set', layerId: 'target-set:b', set: { ...set2022, id: 'other-2022' } }], 'set.year'],
    ];
    for (const [operations, path] of refusals) {
      const error = await change(...operations).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ChangeRejectedError);
      expect((error as ChangeRejectedError).problems.flatMap((problem) => problem.issues.map((issue) => issue.path))).toContain(path);
    }
    expect(await database.layerJournal.count()).toBe(before);
    expect(await database.targetSets.count()).toBe(0);
    expect((await database.targets.toArray()).map((target) => target.id)).toEqual(['wells-2021']);
  });

  it('a backup carries the sets; a restore brings them back', async () => {
    await change({ kind: 'put-target-set', layerId: 'target-set:year-2022', set: set2022 });
    const backup = await exportBackup(database);
    await change({ kind: 'remove-target-set', layerId: 'target-set:year-2022', setId: 'year-2022' });
    await restoreBackup(database, backup);
    expect(await database.targetSets.toArray()).toEqual([set2022]);
  });
});
