// The per-feature merge, case by case: two devices edit the same well, exchange packages, and
// what each then shows and has in its review queue.
import { describe, expect, it } from 'vitest';
import { evaluateFeature, planResolution, type FeatureContent, type SyncVersion } from '../../../shared/sync';
import { LAYER, ModelReplica, featureKey, type ActionRecord, type DetectedConflict } from './model-replica';

const KEY = featureKey(LAYER, 'W1');
const seed: FeatureContent = {
  geometry: { type: 'Point', coordinates: [115.5, 37.5] },
  properties: { name: 'seed', depth: 10 },
  status: 'registered',
  county: null,
  demo: true,
  createdAt: '2021-06-30T00:00:00.000Z',
};

function pair() {
  const actions: ActionRecord[] = [];
  const detections: DetectedConflict[] = [];
  const seeds = new Map([[KEY, seed]]);
  return { a: new ModelReplica('dA', seeds, actions, detections), b: new ModelReplica('dB', seeds, actions, detections), detections };
}

const edit = (replica: ModelReplica, change: (feature: FeatureContent) => FeatureContent) =>
  replica.commit(KEY, [{ kind: 'feature', to: change(replica.displayOf(KEY).feature as FeatureContent) }]);
const setProperty = (replica: ModelReplica, name: string, value: string | number) => edit(replica, (feature) => ({ ...feature, properties: { ...feature.properties, [name]: value } }));

async function exchange(from: ModelReplica, to: ModelReplica): Promise<number> {
  return to.importPackage(await from.exportPackage(to.device));
}

describe('merging one feature edited on two devices', () => {
  it('different fields changed on both sides merge cleanly, on both sides alike', async () => {
    const { a, b } = pair();
    setProperty(a, 'name', 'Well A');
    edit(b, (feature) => ({ ...feature, status: 'scheduled' }));
    await exchange(a, b);
    await exchange(b, a);
    for (const replica of [a, b]) {
      expect(replica.queue.size).toBe(0);
      expect(replica.displayOf(KEY).feature).toMatchObject({ properties: { name: 'Well A', depth: 10 }, status: 'scheduled' });
    }
  });

  it('the same field changed to different values is a conflict on both sides; nothing of it is applied until decided', async () => {
    const { a, b } = pair();
    setProperty(a, 'depth', 20);
    setProperty(b, 'depth', 30);
    setProperty(b, 'name', 'renamed by B');
    await exchange(a, b);
    await exchange(b, a);
    const conflictA = a.queue.get(KEY);
    expect(conflictA?.fields.map((field) => [field.field, field.candidates.map((candidate) => candidate.value)])).toEqual([['properties.depth', [20, 30]]]);
    // A keeps its own depth, but takes B's name (no conflict there).
    expect(a.displayOf(KEY).feature?.properties).toEqual({ name: 'renamed by B', depth: 20 });
    expect(b.displayOf(KEY).feature?.properties).toEqual({ name: 'renamed by B', depth: 30 });
    expect(conflictA?.theirs.feature?.properties).toEqual({ name: 'renamed by B', depth: 30 });
    // A keeps theirs; the decision travels to B and settles it there too.
    a.resolve(KEY, () => ({ kind: 'theirs' }));
    await exchange(a, b);
    for (const replica of [a, b]) expect(replica.displayOf(KEY).feature?.properties).toEqual({ name: 'renamed by B', depth: 30 });
    expect(b.queue.size).toBe(0);
  });

  it('the same field changed to the same value is no conflict', async () => {
    const { a, b } = pair();
    setProperty(a, 'name', 'same');
    setProperty(b, 'name', 'same');
    await exchange(a, b);
    expect(b.queue.size).toBe(0);
    expect(b.displayOf(KEY).feature?.properties.name).toBe('same');
  });

  it('edit against delete is a conflict; keeping the feature brings back the photos the delete detached', async () => {
    const { a, b } = pair();
    a.commit(KEY, [{ kind: 'attach', attachmentId: 'p1', bytes: new Uint8Array([1]) }]);
    await exchange(a, b);
    b.commit(KEY, [{ kind: 'feature', to: null }]); // detaches p1, deletes
    setProperty(a, 'name', 'still here');
    await exchange(b, a);
    const conflict = a.queue.get(KEY);
    expect(conflict?.deletion).toMatchObject({ photos: ['p1'] });
    expect(a.displayOf(KEY)).toMatchObject({ feature: { properties: { name: 'still here' } }, photos: { p1: true } });
    expect(conflict?.theirs.feature).toBeNull();
    await exchange(a, b);
    expect(b.queue.get(KEY)?.deletion).not.toBeNull();
    expect(b.displayOf(KEY).feature).toBeNull();
    // B (which deleted it) keeps A's edit: the feature and its photo come back everywhere.
    b.resolve(KEY, () => ({ kind: 'theirs' }));
    await exchange(b, a);
    for (const replica of [a, b]) expect(replica.displayOf(KEY)).toMatchObject({ feature: { properties: { name: 'still here' } }, photos: { p1: true } });
    expect(a.queue.size).toBe(0);
  });

  it('deleted on both sides is no conflict', async () => {
    const { a, b } = pair();
    a.commit(KEY, [{ kind: 'feature', to: null }]);
    b.commit(KEY, [{ kind: 'feature', to: null }]);
    await exchange(a, b);
    expect(b.queue.size).toBe(0);
    expect(b.displayOf(KEY).feature).toBeNull();
  });

  it('importing the same package twice, or packages out of order, gives the same result', async () => {
    const { a, b } = pair();
    setProperty(a, 'name', 'first');
    const first = await a.exportPackage(b.device);
    setProperty(a, 'depth', 99);
    const second = await a.exportPackage(b.device);
    expect(await b.importPackage(second)).toBe(2); // the whole history of the touched feature
    expect(await b.importPackage(first)).toBe(0);
    expect(await b.importPackage(second)).toBe(0);
    expect(b.displayOf(KEY).feature?.properties).toEqual({ name: 'first', depth: 99 });
  });

  it('a change made and then undone on one side still counts as a change (shown, not overwritten silently)', async () => {
    const { a, b } = pair();
    setProperty(a, 'name', 'temporary');
    setProperty(a, 'name', 'seed');
    setProperty(b, 'name', 'from B');
    await exchange(b, a);
    expect(a.queue.get(KEY)?.fields[0]?.candidates.map((candidate) => candidate.value)).toEqual(['from B', 'seed']);
  });

  it('the merge does not depend on the order of the versions', () => {
    const { a, b } = pair();
    setProperty(a, 'name', 'A');
    setProperty(b, 'depth', 5);
    setProperty(b, 'name', 'B');
    const versions = [...a.versions.values(), ...b.versions.values()];
    const forward = evaluateFeature(versions, seed);
    const backward = evaluateFeature([...versions].reverse(), seed);
    expect(backward).toEqual(forward);
    expect(forward.conflicts.map((conflict) => conflict.field)).toEqual(['properties.name']);
    expect(forward.resolved.get('properties.depth')?.value).toBe(5);
  });

  it('a resolution decides the conflicting fields even where it keeps the value shown', async () => {
    const { a, b } = pair();
    setProperty(a, 'depth', 1);
    setProperty(b, 'depth', 2);
    await exchange(b, a);
    const conflict = a.queue.get(KEY);
    if (conflict === undefined) throw new Error('no conflict');
    expect(planResolution(conflict, { kind: 'mine' }).decides).toEqual(['properties.depth']);
    const resolution = a.resolve(KEY, () => ({ kind: 'mine' }));
    const entry = a.versions.get(resolution?.versionIds[0] as string) as SyncVersion;
    expect(entry.before?.properties.depth).toBe(1);
    expect(entry.after?.properties.depth).toBe(1);
    expect(entry.decides).toEqual(['properties.depth']);
    expect(entry.parents.length).toBe(2);
    await exchange(a, b);
    expect(b.displayOf(KEY).feature?.properties.depth).toBe(1);
    expect(b.queue.size).toBe(0);
  });
});
