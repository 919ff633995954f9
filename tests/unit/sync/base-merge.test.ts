// The hub's merge of one pushed entry against its base, case by case, and as a property: a
// change made against the hub's current state applies whole, and applying it again changes nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeAgainstBase, nextHubState, type FeatureContent, type HubFeatureState } from '../../../shared/sync';
import type { Feature, JournalEntry } from '../../../shared/model';

const seed: FeatureContent = {
  geometry: { type: 'Point', coordinates: [115.5, 37.5] },
  properties: { name: 'seed', depth: 10 },
  status: 'registered',
  county: 131102,
  demo: false,
  createdAt: '2021-06-30T00:00:00.000Z',
};

const snapshot = (content: FeatureContent, revision: number): Feature => ({
  id: 'W1',
  layerId: 'wells',
  ...content,
  updatedAt: '2026-12-01T00:00:00.000Z',
  revision,
});

let sequence = 0;
function entry(operation: JournalEntry['operation'], before: FeatureContent | null, after: FeatureContent | null): JournalEntry {
  sequence += 1;
  return {
    id: `e${sequence}`,
    changeId: `c${sequence}`,
    layerId: 'wells',
    featureId: 'W1',
    operation,
    before: before === null ? null : snapshot(before, 1),
    after: after === null ? null : snapshot(after, before === null ? 1 : 2),
    author: 'installation-1',
    device: 'device-1',
    time: '2026-12-01T00:00:00.000Z',
  };
}

const hubOf = (content: FeatureContent, deleted = false, photos: string[] = []): HubFeatureState => ({ content, deleted, photos: new Set(photos) });
const update = (before: FeatureContent, after: FeatureContent) => entry('update', before, after);

describe('mergeAgainstBase', () => {
  it('applies a field whose hub value is the base, keeps one already equal, and conflicts on one changed elsewhere', () => {
    const hub = hubOf({ ...seed, status: 'scheduled', properties: { name: 'hub name', depth: 10 } });
    const pushed = update(seed, { ...seed, status: 'scheduled', properties: { name: 'device name', depth: 20 } });
    const result = mergeAgainstBase(hub, pushed);
    expect(result.applied).toEqual(['properties.depth']);
    expect(result.unchanged).toEqual(['status']);
    expect(result.conflicts).toEqual([{ kind: 'field', field: 'properties.name', base: 'seed', theirs: 'device name', hub: 'hub name' }]);
    expect(result.write).toBe('upsert');
    expect(result.content?.properties).toEqual({ name: 'hub name', depth: 20 });
  });

  it('removes a property the entry removed when the hub still has the base value', () => {
    const result = mergeAgainstBase(hubOf(seed), update(seed, { ...seed, properties: { name: 'seed' } }));
    expect(result.applied).toEqual(['properties.depth']);
    expect(result.content?.properties).toEqual({ name: 'seed' });
  });

  it('leaves createdAt out: another device time is neither applied nor a conflict', () => {
    const result = mergeAgainstBase(hubOf(seed), update({ ...seed, createdAt: '2025-01-01T00:00:00.000Z' }, { ...seed, createdAt: '2025-01-02T00:00:00.000Z', status: 'done' }));
    expect(result.applied).toEqual(['status']);
    expect(result.conflicts).toEqual([]);
    expect(result.content?.createdAt).toBe(seed.createdAt);
  });

  it('creates a feature the hub lacks, whole', () => {
    const result = mergeAgainstBase(null, entry('create', null, seed));
    expect(result.write).toBe('upsert');
    expect(result.content).toEqual(seed);
    expect(result.applied).toContain('geometry');
    expect(result.applied).not.toContain('createdAt');
  });

  it('a create of an id the hub has: same content → unchanged; other content → merged against an empty base', () => {
    const same = mergeAgainstBase(hubOf(seed), entry('create', null, { ...seed, createdAt: '2026-01-01T00:00:00.000Z' }));
    expect(same.write).toBe('none');
    expect(same.applied).toEqual([]);
    expect(same.conflicts).toEqual([]);
    const other = mergeAgainstBase(hubOf(seed), entry('create', null, { ...seed, status: 'done' }));
    expect(other.write).toBe('none');
    expect(other.conflicts).toEqual([{ kind: 'field', field: 'status', base: null, theirs: 'done', hub: 'registered' }]);
  });

  it('an edit against a tombstone is an edit-deleted conflict; the tombstone stays', () => {
    const result = mergeAgainstBase(hubOf(seed, true), update(seed, { ...seed, status: 'done' }));
    expect(result.write).toBe('none');
    expect(result.conflicts).toEqual([{ kind: 'edit-deleted', field: '', base: seed, theirs: { ...seed, status: 'done' }, hub: null }]);
  });

  it('a create against a tombstone (undo of a delete) brings the feature back', () => {
    const result = mergeAgainstBase(hubOf(seed, true), entry('create', null, { ...seed, status: 'done' }));
    expect(result.write).toBe('upsert');
    expect(result.content?.status).toBe('done');
    expect(nextHubState(hubOf(seed, true), result)?.deleted).toBe(false);
  });

  it('a delete of an unchanged feature applies; of one edited since the base is a delete-edited conflict', () => {
    const applied = mergeAgainstBase(hubOf(seed), entry('delete', seed, null));
    expect(applied.write).toBe('delete');
    expect(applied.applied).toEqual(['exists']);
    const edited = { ...seed, status: 'done' };
    const refused = mergeAgainstBase(hubOf(edited), entry('delete', seed, null));
    expect(refused.write).toBe('none');
    expect(refused.conflicts).toEqual([{ kind: 'delete-edited', field: '', base: seed, theirs: null, hub: edited }]);
    expect(mergeAgainstBase(hubOf(seed, true), entry('delete', seed, null)).unchanged).toEqual(['exists']);
  });

  it('attaches and detaches photos; a photo on a tombstone is an edit-deleted conflict', () => {
    const photo = { id: 'P1', fileName: 'a.jpg', mediaType: 'image/jpeg', byteSize: 3, hasThumbnail: false, createdAt: '2026-12-01T00:00:00.000Z' };
    const attach: JournalEntry = { ...entry('attach', null, null), attachment: photo };
    const attached = mergeAgainstBase(hubOf(seed), attach);
    expect(attached.applied).toEqual(['photo:P1']);
    expect(attached.photos).toEqual([{ attachmentId: 'P1', attached: true }]);
    const hubWithPhoto = nextHubState(hubOf(seed), attached);
    expect(mergeAgainstBase(hubWithPhoto, attach).unchanged).toEqual(['photo:P1']);
    const detach: JournalEntry = { ...entry('detach', null, null), attachment: photo };
    expect(mergeAgainstBase(hubWithPhoto, detach).photos).toEqual([{ attachmentId: 'P1', attached: false }]);
    expect(mergeAgainstBase(hubOf(seed, true), attach).conflicts[0]?.kind).toBe('edit-deleted');
  });
});

const contentArbitrary: fc.Arbitrary<FeatureContent> = fc.record({
  geometry: fc.tuple(fc.integer({ min: 115, max: 116 }), fc.integer({ min: 37, max: 38 })).map(([x, y]) => ({ type: 'Point' as const, coordinates: [x, y] as [number, number] })),
  properties: fc.dictionary(fc.constantFrom('name', 'depth', 'owner', 'note'), fc.oneof(fc.string({ maxLength: 3 }), fc.integer({ min: 0, max: 3 }), fc.constant(null)), { maxKeys: 4 }),
  status: fc.constantFrom('registered', 'scheduled', 'done'),
  county: fc.constantFrom(131102, 131121, null),
  demo: fc.boolean(),
  createdAt: fc.constantFrom('2021-06-30T00:00:00.000Z', '2022-01-01T00:00:00.000Z'),
});

describe('mergeAgainstBase, property', () => {
  it('a change whose base is the hub state applies every field it wrote; applied again it changes nothing', () => {
    fc.assert(
      fc.property(contentArbitrary, contentArbitrary, fc.boolean(), (base, edited, deleteIt) => {
        const hub = hubOf(base);
        const pushed = deleteIt ? entry('delete', base, null) : update(base, edited);
        const first = mergeAgainstBase(hub, pushed);
        expect(first.conflicts).toEqual([]);
        expect(first.unchanged).toEqual([]);
        const after = nextHubState(hub, first);
        if (deleteIt) expect(after?.deleted).toBe(true);
        else expect({ ...after?.content, createdAt: base.createdAt }).toEqual({ ...edited, createdAt: base.createdAt });
        const second = mergeAgainstBase(after, pushed);
        expect(second.write).toBe('none');
        expect(second.applied).toEqual([]);
        expect(second.conflicts).toEqual([]);
        expect(second.unchanged).toEqual(first.applied);
      }),
      { numRuns: 300 },
    );
  });
});
