// The journal entry's sync fields: optional (older entries stay valid), and an entry that
// applies received versions is not a version itself.
import { describe, expect, it } from 'vitest';
import { journalEntrySchema } from '../../../shared/model';
import { versionWrites } from '../../../shared/sync';

const feature = (depth: number, revision: number) => ({
  id: 'W-1',
  layerId: 'wells',
  geometry: { type: 'Point' as const, coordinates: [115.5, 37.5] as [number, number] },
  properties: { depth },
  status: 'registered',
  county: null,
  demo: false,
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-02T00:00:00.000Z',
  revision,
});
const entry = {
  id: 'e1',
  changeId: 'c1',
  layerId: 'wells',
  featureId: 'W-1',
  operation: 'update' as const,
  before: feature(1, 1),
  after: feature(1, 2),
  author: 'device-a',
  device: 'device-a',
  time: '2024-01-02T00:00:00.000Z',
};

describe('journal entry sync fields', () => {
  it('an entry without them (written before sync) is valid; with them too', () => {
    expect(journalEntrySchema.safeParse(entry).success).toBe(true);
    expect(journalEntrySchema.safeParse({ ...entry, authorName: '张工', parents: ['e0'], decides: ['properties.depth'], resolves: 'k1' }).success).toBe(true);
    expect(journalEntrySchema.safeParse({ ...entry, applies: ['v1', 'v2'] }).success).toBe(true);
  });

  it('an entry that applies received versions has no parents, decisions or resolution', () => {
    for (const extra of [{ parents: [] }, { decides: ['status'] }, { resolves: 'k1' }]) {
      expect(journalEntrySchema.safeParse({ ...entry, applies: ['v1'], ...extra }).success).toBe(false);
    }
  });

  it('a version writes what changed, and what it decides even when unchanged', () => {
    expect([...versionWrites({ ...entry, after: feature(2, 2) }).keys()]).toEqual(['properties.depth']);
    expect([...versionWrites(entry).keys()]).toEqual([]);
    expect([...versionWrites({ ...entry, decides: ['properties.depth', 'photo:p1=1'] })]).toEqual([
      ['properties.depth', { key: '1', value: 1 }],
      ['photo:p1', { key: 'true', value: true }],
    ]);
    expect([...versionWrites({ ...entry, operation: 'delete', after: null }).keys()]).toEqual(['exists']);
  });
});
