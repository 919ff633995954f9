// The journal entry rules added for photos and undo/redo/restore links (shared/model), next to
// the store tests that write such entries.
import { describe, expect, it } from 'vitest';
import { journalEntrySchema } from '../../../shared/model';

const attachment = { id: 'P-1', fileName: 'a.jpg', mediaType: 'image/jpeg', byteSize: 1024, hasThumbnail: true, createdAt: '2021-07-01T08:00:00Z' };
const attach = {
  id: 'J-1',
  changeId: 'C-1',
  layerId: 'test-wells',
  featureId: 'W-1',
  operation: 'attach',
  before: null,
  after: null,
  attachment,
  author: '张工',
  device: 'laptop',
  time: '2021-07-01T08:00:00Z',
};

describe('journal entries for photos and undo links', () => {
  it('accepts attach and detach entries with the attachment reference and no snapshots, and one link', () => {
    expect(journalEntrySchema.safeParse(attach).success).toBe(true);
    expect(journalEntrySchema.safeParse({ ...attach, operation: 'detach', undoes: 'C-0' }).success).toBe(true);
  });

  it.each([
    ['an attach without attachment', { attachment: undefined }],
    ['an attach with a feature snapshot', { before: { id: 'W-1' } }],
    ['an attachment with a negative size', { attachment: { ...attachment, byteSize: -1 } }],
    ['the photo bytes in the journal', { attachment: { ...attachment, blob: 'AAAA' } }],
    ['both undoes and redoes', { undoes: 'C-0', redoes: 'C-2' }],
  ])('rejects %s', (_label, overrides) => {
    expect(journalEntrySchema.safeParse({ ...attach, ...overrides }).success).toBe(false);
  });
});
