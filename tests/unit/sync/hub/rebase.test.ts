// Rebasing a pulled hub feature over local changes not yet pushed.
import { describe, expect, it } from 'vitest';
import { rebaseOnHub, writtenFields } from '../../../../shared/sync/hub/rebase';
import type { FeatureContent } from '../../../../shared/sync';
import type { JournalEntry } from '../../../../shared/model';

const base: FeatureContent = { geometry: { type: 'Point', coordinates: [115.7, 37.7] }, properties: { name: 'seed', depth: 10 }, status: 'registered', county: 131102, demo: false, createdAt: '2026-12-01T00:00:00.000Z' };
const snapshot = (content: FeatureContent, revision: number) => ({ ...content, id: 'W1', layerId: 'wells', updatedAt: '2026-12-01T00:00:00.000Z', revision });
const edit = (before: FeatureContent | null, after: FeatureContent | null): JournalEntry => ({
  id: `e${Math.random()}`, changeId: 'c', layerId: 'wells', featureId: 'W1', operation: before === null ? 'create' : after === null ? 'delete' : 'update',
  before: before === null ? null : snapshot(before, 1), after: after === null ? null : snapshot(after, before === null ? 1 : 2), author: 'a', device: 'd', time: '2026-12-01T00:00:00.000Z',
});

describe('rebaseOnHub', () => {
  it('takes the hub value where nothing waits, keeps local values of pending fields', () => {
    const local = { ...base, properties: { ...base.properties, name: 'mine' } };
    const hub = { ...base, properties: { ...base.properties, depth: 20 }, status: 'scheduled' };
    expect(rebaseOnHub(hub, local, new Set())).toEqual(hub);
    const writes = writtenFields([edit(base, local)]);
    expect([...writes]).toEqual(['properties.name']);
    expect(rebaseOnHub(hub, local, writes)).toEqual({ ...hub, properties: { name: 'mine', depth: 20 } });
  });

  it('a pending removal of a property keeps it removed', () => {
    const local = { ...base, properties: { name: 'seed' } };
    const hub = { ...base, status: 'scheduled' };
    expect(rebaseOnHub(hub, local, writtenFields([edit(base, local)]))).toEqual({ ...hub, properties: { name: 'seed' } });
  });

  it('a pending delete keeps the feature deleted; a hub delete wins over nothing pending', () => {
    expect(rebaseOnHub({ ...base, status: 'scheduled' }, null, writtenFields([edit(base, null)]))).toBeNull();
    expect(rebaseOnHub(null, base, new Set())).toBeNull();
  });

  it('a hub delete under a pending edit of a field stays deleted (the push becomes an edit-deleted conflict)', () => {
    const local = { ...base, status: 'scheduled' };
    expect(rebaseOnHub(null, local, writtenFields([edit(base, local)]))).toBeNull();
  });

  it('a pending create keeps the local feature whole', () => {
    const hub = { ...base, properties: { name: 'theirs' } };
    expect(rebaseOnHub(hub, base, writtenFields([edit(null, base)]))).toEqual(base);
  });

  it('pending photo fields alone leave the content to the hub', () => {
    const attach: JournalEntry = { ...edit(base, base), operation: 'attach', before: null, after: null, attachment: { id: 'P1', fileName: 'a.jpg', mediaType: 'image/jpeg', byteSize: 1, hasThumbnail: false, createdAt: base.createdAt } };
    const hub = { ...base, status: 'scheduled' };
    expect(rebaseOnHub(hub, base, writtenFields([attach]))).toEqual(hub);
  });
});
