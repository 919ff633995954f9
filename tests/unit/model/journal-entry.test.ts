import { describe, expect, it } from 'vitest';
import { journalEntrySchema } from '../../../shared/model/journal-entry';
import { inspectionFeature } from './fixtures';

const before = inspectionFeature();
const after = inspectionFeature({ status: 'closed', properties: { ...before.properties, closedDate: '2021-04-02' }, revision: 2, updatedAt: '2021-04-02T10:00:00+08:00' });
const update = {
  id: 'J-1',
  changeId: 'C-1',
  layerId: 'inspection-points',
  featureId: 'P-1',
  operation: 'update',
  before,
  after,
  author: '张工',
  device: 'laptop-01',
  time: '2021-04-02T10:00:00+08:00',
  note: '现场封填',
};

describe('journalEntrySchema', () => {
  it('accepts create, update and delete entries', () => {
    expect(journalEntrySchema.safeParse(update).success).toBe(true);
    expect(journalEntrySchema.safeParse({ ...update, operation: 'create', before: null, after: before }).success).toBe(true);
    expect(journalEntrySchema.safeParse({ ...update, operation: 'delete', before: after, after: null }).success).toBe(true);
  });

  it.each([
    ['a create with a before', { operation: 'create' }],
    ['a delete with an after', { operation: 'delete' }],
    ['an update without before', { before: null }],
    ['a snapshot of another feature', { after: { ...after, id: 'P-2' } }],
    ['a revision jump of two', { after: { ...after, revision: 3 } }],
    ['no author', { author: '' }],
    ['no device', { device: '' }],
  ])('rejects %s', (_label, overrides) => {
    expect(journalEntrySchema.safeParse({ ...update, ...overrides }).success).toBe(false);
  });
});
