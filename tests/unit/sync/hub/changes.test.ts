// The push and resolve request schemas: what they refuse beyond the journal entry schema.
import { describe, expect, it } from 'vitest';
import { pushRequestSchema, resolveRequestSchema } from '../../../../shared/sync/hub/changes';
import type { JournalEntry } from '../../../../shared/model';

const feature = {
  id: 'W1', layerId: 'wells', geometry: { type: 'Point', coordinates: [115.7, 37.7] }, properties: {}, status: 'registered',
  county: 131102, demo: false, createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:00:00.000Z', revision: 1,
} as const;
const create = (id: string): JournalEntry => ({
  id, changeId: 'local-1', layerId: 'wells', featureId: 'W1', operation: 'create', before: null, after: { ...feature, geometry: { type: 'Point', coordinates: [115.7, 37.7] }, properties: {} },
  author: 'install-a', device: 'tablet-a', time: '2026-12-01T00:00:00.000Z',
});
const attach: JournalEntry = {
  ...create('e3'), operation: 'attach', after: null,
  attachment: { id: 'P1', fileName: 'a.jpg', mediaType: 'image/jpeg', byteSize: 3, hasThumbnail: false, createdAt: '2026-12-01T00:00:00.000Z' },
};
const issuesOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.error?.issues.map((issue) => `${issue.path.join('/')}: ${issue.message}`) ?? [];

describe('pushRequestSchema', () => {
  it('takes a change with attachments', () => {
    const result = pushRequestSchema.safeParse({ changeId: 'c1', device: 'tablet-a', entries: [create('e1'), attach], attachments: [{ attachmentId: 'P1', sha256: 'a'.repeat(64) }] });
    expect(issuesOf(result)).toEqual([]);
  });

  it('refuses a repeated entry id, an attach without its hash, unknown members and an empty change', () => {
    expect(issuesOf(pushRequestSchema.safeParse({ changeId: 'c1', device: 'd', entries: [create('e1'), create('e1')] }))).toEqual(['entries/1/id: entry id "e1" appears twice']);
    expect(issuesOf(pushRequestSchema.safeParse({ changeId: 'c1', device: 'd', entries: [attach] }))[0]).toContain('entries/0/attachment/id');
    expect(pushRequestSchema.safeParse({ changeId: 'c1', device: 'd', entries: [create('e1')], extra: true }).success).toBe(false);
    expect(pushRequestSchema.safeParse({ changeId: 'c1', device: 'd', entries: [] }).success).toBe(false);
    expect(pushRequestSchema.safeParse({ changeId: 'c1', device: 'd', entries: [create('e1')], attachments: [{ attachmentId: 'P1', sha256: 'A'.repeat(64) }] }).success).toBe(false);
  });
});

describe('resolveRequestSchema', () => {
  it('needs a value exactly for choice "value"', () => {
    expect(resolveRequestSchema.safeParse({ changeId: 'r1', choice: 'value', value: null }).success).toBe(true);
    expect(resolveRequestSchema.safeParse({ changeId: 'r1', choice: 'value' }).success).toBe(false);
    expect(resolveRequestSchema.safeParse({ changeId: 'r1', choice: 'hub', value: 1 }).success).toBe(false);
    expect(resolveRequestSchema.safeParse({ changeId: 'r1', choice: 'mine' }).success).toBe(false);
  });
});
