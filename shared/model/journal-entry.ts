import { z } from 'zod';
import { featureIdSchema, featureSchema } from './feature';
import { slugSchema } from './identifiers';
import { timestampSchema } from './calendar-date';

/**
 * What a journal entry records about a photo (or other file) attached to or detached from a
 * feature. The bytes stay in the store's `attachments` table: a journal entry never holds a Blob,
 * so a change with big photos is not written twice.
 */
export const attachmentReferenceSchema = z.strictObject({
  id: z.string().min(1),
  fileName: z.string().min(1).max(500),
  mediaType: z.string().min(1).max(200),
  byteSize: z.int().min(0),
  hasThumbnail: z.boolean(),
  createdAt: timestampSchema,
});
export type AttachmentReference = z.infer<typeof attachmentReferenceSchema>;

export const journalOperationSchema = z.enum(['create', 'update', 'delete', 'attach', 'detach']);
export type JournalOperation = z.infer<typeof journalOperationSchema>;

/**
 * One change to one feature, as appended by `transact()`. A bulk status update is many
 * entries sharing a `changeId`, so undo reverts them together. `before`/`after` are whole
 * feature snapshots: a three-way merge compares them field by field.
 *
 * `attach`/`detach` entries record a photo added to or removed from a feature: they carry
 * `attachment` and no snapshots (the feature itself does not change).
 *
 * Undo, redo and "restore this version" are changes like any other; their entries say what they
 * answer to: `undoes` (the change whose effect an undo reverts), `redoes` (the undo change a redo
 * reverts), `restores` (the journal entry whose `after` a restore brought back).
 */
export const journalEntrySchema = z
  .strictObject({
    id: z.string().min(1),
    changeId: z.string().min(1),
    layerId: slugSchema,
    featureId: featureIdSchema,
    operation: journalOperationSchema,
    before: featureSchema.nullable(),
    after: featureSchema.nullable(),
    attachment: attachmentReferenceSchema.optional(),
    author: z.string().min(1),
    device: z.string().min(1),
    time: timestampSchema,
    note: z.string().optional(),
    undoes: z.string().min(1).optional(),
    redoes: z.string().min(1).optional(),
    restores: z.string().min(1).optional(),
    /** The user name of the author (asked once per installation; `author`/`device` identify the installation). Absent on older entries. */
    authorName: z.string().min(1).max(100).optional(),
    /**
     * Sync (shared/sync): the versions of this feature the entry was based on — its parents in the
     * feature's version graph (ids of journal entries, here or on other devices). Absent on entries
     * written before sync existed (their parent is the feature's previous entry) and on `applies` entries.
     */
    parents: z.array(z.string().min(1)).optional(),
    /** Sync: field keys a conflict resolution decided (see shared/sync/fields.ts); they count as written even where the value did not change. */
    decides: z.array(z.string().min(1)).optional(),
    /** Sync: the review-queue conflict this entry resolves. */
    resolves: z.string().min(1).optional(),
    /** Sync: this entry applied versions received from other devices (their ids) to this store; it is not a version itself. */
    applies: z.array(z.string().min(1)).optional(),
  })
  .superRefine((entry, context) => {
    const isAttachment = entry.operation === 'attach' || entry.operation === 'detach';
    const expectBefore = !isAttachment && entry.operation !== 'create';
    const expectAfter = !isAttachment && entry.operation !== 'delete';
    if ((entry.before !== null) !== expectBefore) {
      context.addIssue({ code: 'custom', path: ['before'], message: `a ${entry.operation} ${expectBefore ? 'needs' : 'has no'} "before"` });
    }
    if ((entry.after !== null) !== expectAfter) {
      context.addIssue({ code: 'custom', path: ['after'], message: `a ${entry.operation} ${expectAfter ? 'needs' : 'has no'} "after"` });
    }
    if ((entry.attachment !== undefined) !== isAttachment) {
      context.addIssue({ code: 'custom', path: ['attachment'], message: `a ${entry.operation} ${isAttachment ? 'needs' : 'has no'} "attachment"` });
    }
    if ([entry.undoes, entry.redoes, entry.restores].filter((link) => link !== undefined).length > 1) {
      context.addIssue({ code: 'custom', path: ['undoes'], message: 'an entry answers to at most one of undoes, redoes, restores' });
    }
    if (entry.applies !== undefined && (entry.parents !== undefined || entry.decides !== undefined || entry.resolves !== undefined)) {
      context.addIssue({ code: 'custom', path: ['applies'], message: 'an entry that applies received versions is not a version itself (no parents, decides or resolves)' });
    }
    for (const side of ['before', 'after'] as const) {
      const snapshot = entry[side];
      if (snapshot !== null && (snapshot.id !== entry.featureId || snapshot.layerId !== entry.layerId)) {
        context.addIssue({ code: 'custom', path: [side], message: 'snapshot is of another feature' });
      }
    }
    if (entry.before !== null && entry.after !== null && entry.after.revision !== entry.before.revision + 1) {
      context.addIssue({ code: 'custom', path: ['after', 'revision'], message: 'an update raises the revision by exactly one' });
    }
  });
export type JournalEntry = z.infer<typeof journalEntrySchema>;
