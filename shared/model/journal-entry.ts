import { z } from 'zod';
import { featureIdSchema, featureSchema } from './feature';
import { slugSchema } from './identifiers';
import { timestampSchema } from './calendar-date';

/**
 * One change to one feature, as appended by `transact()`. A bulk status update is many
 * entries sharing a `changeId`, so undo reverts them together. `before`/`after` are whole
 * feature snapshots: a three-way merge compares them field by field.
 */
export const journalEntrySchema = z
  .strictObject({
    id: z.string().min(1),
    changeId: z.string().min(1),
    layerId: slugSchema,
    featureId: featureIdSchema,
    operation: z.enum(['create', 'update', 'delete']),
    before: featureSchema.nullable(),
    after: featureSchema.nullable(),
    author: z.string().min(1),
    device: z.string().min(1),
    time: timestampSchema,
    note: z.string().optional(),
  })
  .superRefine((entry, context) => {
    const expectBefore = entry.operation !== 'create';
    const expectAfter = entry.operation !== 'delete';
    if ((entry.before !== null) !== expectBefore) {
      context.addIssue({ code: 'custom', path: ['before'], message: `a ${entry.operation} ${expectBefore ? 'needs' : 'has no'} "before"` });
    }
    if ((entry.after !== null) !== expectAfter) {
      context.addIssue({ code: 'custom', path: ['after'], message: `a ${entry.operation} ${expectAfter ? 'needs' : 'has no'} "after"` });
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
