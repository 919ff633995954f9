// The hub's push, attachment and conflict messages (docs/HUB-API.md): one zod schema each, used
// by the hub to check requests and by clients to check answers.
import { z } from 'zod';
import { featureIdSchema, journalEntrySchema, layerDefinitionSchema, slugSchema } from '../../model';

export const MAX_ENTRIES_PER_CHANGE = 10_000;
export const MAX_LAYERS_PER_CHANGE = 100;

export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 as 64 lowercase hex digits');
/** A change id: the client's, unique per change; the hub's idempotency key. */
export const changeIdSchema = z.string().min(1).max(200);
export const deviceIdSchema = z.string().min(1).max(200);

/** Which bytes (uploaded first with PUT /v1/attachments/:sha256) a photo of an attach entry has. */
export const attachmentRefSchema = z.strictObject({
  attachmentId: z.string().min(1).max(200),
  sha256: sha256HexSchema,
  thumbnailSha256: sha256HexSchema.optional(),
});
export type AttachmentRef = z.infer<typeof attachmentRefSchema>;

export const pushRequestSchema = z
  .strictObject({
    changeId: changeIdSchema,
    device: deviceIdSchema,
    /** The journal entries (versions) of one change, each with `before` (its base) and `after`. */
    entries: z.array(journalEntrySchema).min(1).max(MAX_ENTRIES_PER_CHANGE),
    attachments: z.array(attachmentRefSchema).max(MAX_ENTRIES_PER_CHANGE).optional(),
    /** Definitions of layers the hub may not have yet (created only for planners and admins). */
    layers: z.array(layerDefinitionSchema).max(MAX_LAYERS_PER_CHANGE).optional(),
  })
  .superRefine((request, context) => {
    const seen = new Set<string>();
    request.entries.forEach((entry, index) => {
      if (seen.has(entry.id)) context.addIssue({ code: 'custom', path: ['entries', index, 'id'], message: `entry id "${entry.id}" appears twice` });
      seen.add(entry.id);
    });
    const refs = new Set<string>();
    (request.attachments ?? []).forEach((ref, index) => {
      if (refs.has(ref.attachmentId)) context.addIssue({ code: 'custom', path: ['attachments', index, 'attachmentId'], message: `attachment "${ref.attachmentId}" appears twice` });
      refs.add(ref.attachmentId);
    });
    request.entries.forEach((entry, index) => {
      if (entry.operation === 'attach' && entry.attachment !== undefined && !refs.has(entry.attachment.id)) {
        context.addIssue({ code: 'custom', path: ['entries', index, 'attachment', 'id'], message: `attachment "${entry.attachment.id}" has no entry in "attachments" (its SHA-256)` });
      }
    });
  });
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const conflictKindSchema = z.enum(['field', 'edit-deleted', 'delete-edited']);
export type ConflictKind = z.infer<typeof conflictKindSchema>;

export const pushStatusSchema = z.enum(['applied', 'partly-applied', 'conflict', 'noop']);
export type PushStatus = z.infer<typeof pushStatusSchema>;

export const pushFeatureResultSchema = z.strictObject({
  layerId: slugSchema,
  featureId: featureIdSchema,
  /** The feature's version on the hub after the change (0: the hub has no such feature). */
  version: z.int().min(0),
  applied: z.array(z.string()),
  unchanged: z.array(z.string()),
  conflicts: z.array(z.strictObject({ id: z.int().min(1), field: z.string(), kind: conflictKindSchema })),
});
export type PushFeatureResult = z.infer<typeof pushFeatureResultSchema>;

export const pushAnswerSchema = z.strictObject({
  changeId: changeIdSchema,
  status: pushStatusSchema,
  features: z.array(pushFeatureResultSchema),
});
export type PushAnswer = z.infer<typeof pushAnswerSchema>;

export const attachmentAnswerSchema = z.strictObject({
  sha256: sha256HexSchema,
  byteSize: z.int().min(0),
  mediaType: z.string(),
  /** False when the hub already had these bytes. */
  created: z.boolean(),
});
export type AttachmentAnswer = z.infer<typeof attachmentAnswerSchema>;

/** GET /v1/conflicts query: counties (comma-separated adcodes), open (default true), after (id), limit. */
export const conflictListQuerySchema = z.strictObject({
  counties: z
    .string()
    .regex(/^\d{6}(,\d{6})*$/, 'comma-separated 6-digit county codes')
    .optional(),
  open: z.enum(['true', 'false']).optional(),
  after: z.string().regex(/^\d{1,18}$/, 'a conflict id').optional(),
  limit: z.string().regex(/^\d{1,4}$/, 'a number up to 9999').optional(),
});

export const conflictSchema = z.strictObject({
  id: z.int().min(1),
  layerId: z.string(),
  featureId: z.string(),
  county: z.int().nullable(),
  changeId: z.string(),
  entryId: z.string(),
  kind: conflictKindSchema,
  field: z.string(),
  base: z.unknown(),
  theirs: z.unknown(),
  hub: z.unknown(),
  hubVersion: z.int(),
  user: z.string().nullable(),
  device: z.string().nullable(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolution: z.unknown(),
  resolutionChangeId: z.string().nullable(),
});
export type HubConflict = z.infer<typeof conflictSchema>;

export const conflictListAnswerSchema = z.strictObject({ conflicts: z.array(conflictSchema), more: z.boolean() });

/**
 * Resolving a conflict: keep the hub's value, take the pushed one, or write an edited value — a
 * field's value for kind 'field'; for the whole-feature kinds a feature's content (geometry,
 * properties, status, county, demo) to keep it, or null to delete it.
 */
export const resolveRequestSchema = z
  .strictObject({
    changeId: changeIdSchema,
    choice: z.enum(['hub', 'theirs', 'value']),
    value: z.unknown().optional(),
  })
  .superRefine((request, context) => {
    if ((request.choice === 'value') !== (request.value !== undefined)) {
      context.addIssue({ code: 'custom', path: ['value'], message: request.choice === 'value' ? 'choice "value" needs a value' : `choice "${request.choice}" takes no value` });
    }
  });
export type ResolveRequest = z.infer<typeof resolveRequestSchema>;

export const resolveAnswerSchema = z.strictObject({
  conflictId: z.int().min(1),
  changeId: changeIdSchema,
  choice: z.enum(['hub', 'theirs', 'value']),
  /** The feature's version on the hub after the resolution. */
  version: z.int().min(0),
  written: z.boolean(),
});
export type ResolveAnswer = z.infer<typeof resolveAnswerSchema>;
