// Target sets and targets travel in edit packages (shared/sync/targets.ts, db/sync/target-changes.ts).
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultTargetSet, type Target } from '../../../shared/model';
import { decodeEditPackage } from '../../../shared/sync';
import { exportEditPackage, importEditPackage, seed, transact, undo, type OneMapDatabase, type TargetOperation } from '../../../renderer/src/db';
import { freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from '../db/store-fixtures';

let a: OneMapDatabase;
let b: OneMapDatabase;
const set2022 = defaultTargetSet(2022);
const target: Target = {
  id: 'wells-2022',
  setId: 'year-2022',
  title: { zh: '关停取水井', en: 'Close wells' },
  quote: { text: '关停50眼', sentence: '关停50眼。', source: '任务分解表' },
  quantity: 50,
  unit: { zh: '眼', en: 'wells' },
  startDate: '2022-01-01',
  deadline: '2022-12-31',
  layerId: 'test-wells',
  metric: { kind: 'count', scope: { where: [] }, done: { statuses: ['sealed'], where: [] } },
};

beforeEach(async () => {
  a = await freshDatabase();
  b = await freshDatabase();
  for (const database of [a, b]) await seed(database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(5) }], time: SEED_TIME });
});

afterEach(async () => {
  for (const database of [a, b]) {
    database.close();
    await database.delete();
  }
});

const change = (database: OneMapDatabase, ...operations: TargetOperation[]) => transact(database, { author: '张工', operations });
const carry = async (from: OneMapDatabase, to: OneMapDatabase) => importEditPackage(to, (await exportEditPackage(from, { all: true })).bytes);

describe('target changes in edit packages', () => {
  it('a set and a target made on one computer arrive on the other; twice changes nothing; a removal and an edit follow', async () => {
    await change(a, { kind: 'put-target-set', layerId: 'target-set:year-2022', set: set2022 }, { kind: 'put-target', layerId: 'test-wells', target });
    const exported = await exportEditPackage(a, { all: true });
    expect((await decodeEditPackage(exported.bytes)).targetChanges?.map((targetChange) => [targetChange.kind, targetChange.key]).sort()).toEqual([
      ['set', 'year-2022'],
      ['target', 'wells-2022'],
    ]);
    const first = await importEditPackage(b, exported.bytes);
    expect(first.targets).toEqual({ applied: ['set:year-2022', 'target:wells-2022'], skipped: [] });
    expect(await b.targets.get('wells-2022')).toEqual(target);
    expect(await b.targetSets.get('year-2022')).toEqual(set2022);
    const again = await importEditPackage(b, exported.bytes);
    expect(again.targets.applied).toEqual([]);
    expect(again.changeId).toBeNull();

    await change(a, { kind: 'put-target', layerId: 'test-wells', target: { ...target, quantity: 60 } });
    expect((await carry(a, b)).targets.applied).toEqual(['target:wells-2022']);
    expect((await b.targets.get('wells-2022'))?.quantity).toBe(60);
    await change(a, { kind: 'remove-target', layerId: 'test-wells', targetId: 'wells-2022' });
    await carry(a, b);
    expect(await b.targets.get('wells-2022')).toBeUndefined();
  });

  it('the receiver can undo what arrived; the latest change wins on both sides whatever the order', async () => {
    await change(a, { kind: 'put-target-set', layerId: 'target-set:year-2022', set: set2022 }, { kind: 'put-target', layerId: 'test-wells', target });
    await carry(a, b);
    await undo(b, { author: '李工' });
    expect(await b.targets.get('wells-2022')).toBeUndefined();
    // b's undo is the latest word: back on a, it removes the target there too.
    await carry(b, a);
    expect(await a.targets.get('wells-2022')).toBeUndefined();
  });

  it('a target on a layer the receiver lacks is skipped and reported, the rest applied', async () => {
    const other = { ...testWellsLayer, id: 'bridges', name: { zh: '桥梁', en: 'Bridges' } };
    await transact(a, { author: '张工', operations: [{ kind: 'create-layer', layerId: 'bridges', layer: other }] });
    await change(a, { kind: 'put-target-set', layerId: 'target-set:year-2022', set: set2022 }, { kind: 'put-target', layerId: 'bridges', target: { ...target, id: 'bridges-2022', layerId: 'bridges' } });
    const report = await carry(a, b);
    expect(report.targets).toEqual({ applied: ['set:year-2022'], skipped: ['target:bridges-2022'] });
    expect(await b.targets.get('bridges-2022')).toBeUndefined();
  });
});
