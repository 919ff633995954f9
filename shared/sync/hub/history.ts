// Who changed a feature on the hub (docs/HUB-API.md): `lastChange` on every pulled feature (the
// writer of the version pulled), and `GET /v1/features/:layerId/:featureId/history`, the rows of
// hub.history newest first. Writes made in the database directly (QGIS) are `source: 'sql'` with
// the database role that made them.
import { z } from 'zod';
import { timestampSchema } from '../../model/calendar-date';
import { canonicalJson, EXISTS, photoField, propertyField } from '../fields';

export const historySourceSchema = z.enum(['hub', 'sql']);

/**
 * The writer of a feature's latest version (or of a photo attached or detached since). The hub
 * leaves out the members that are null (parsing fills them in), to keep pulls small.
 */
export const lastChangeSchema = z.strictObject({
  /** The hub user who pushed it; null for a direct SQL write. */
  userName: z.string().nullable().default(null),
  /** The name the author gave on the device (may differ from the user). */
  authorName: z.string().nullable().default(null),
  device: z.string().nullable().default(null),
  note: z.string().nullable().default(null),
  /** When the hub wrote it (server clock). */
  time: timestampSchema,
  /** When the device says the edit was made (informational; offline edits are older). */
  clientTime: timestampSchema.nullable().default(null),
  source: historySourceSchema,
  /** The PostgreSQL role that wrote the row: the hub's own, or the QGIS editor's. */
  dbRole: z.string(),
});
export type LastChange = z.infer<typeof lastChangeSchema>;

export const HISTORY_LIMIT_DEFAULT = 200;
export const HISTORY_LIMIT_MAX = 1000;

export const historyQuerySchema = z.strictObject({
  limit: z.string().regex(/^[1-9]\d{0,3}$/).describe(`a whole number from 1 to ${HISTORY_LIMIT_MAX}`).optional(),
  /** Rows older than this row id (the `id` of the last row of the previous answer). */
  before: z.string().regex(/^[1-9]\d{0,17}$/).describe('a history row id').optional(),
});
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

/** One field a write changed (field keys as shared/sync/fields.ts); a missing side is absent. */
export const historyFieldChangeSchema = z.strictObject({
  field: z.string().min(1),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export type HistoryFieldChange = z.infer<typeof historyFieldChangeSchema>;

export const historyOperationSchema = z.enum(['create', 'update', 'delete', 'restore', 'attach', 'detach']);

export const historyEntrySchema = z.strictObject({
  id: z.int().min(1),
  version: z.int().min(1),
  operation: historyOperationSchema,
  changes: z.array(historyFieldChangeSchema),
  changeId: z.string().nullable(),
  entryId: z.string().nullable(),
  user: z.string().nullable(),
  authorName: z.string().nullable(),
  device: z.string().nullable(),
  note: z.string().nullable(),
  clientTime: timestampSchema.nullable(),
  serverTime: timestampSchema,
  source: historySourceSchema,
  dbRole: z.string(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const historyAnswerSchema = z.strictObject({
  layerId: z.string(),
  featureId: z.string(),
  /** Newest first. */
  history: z.array(historyEntrySchema),
  /** More, older rows: ask again with `before` = the last row's id. */
  more: z.boolean(),
});
export type HistoryAnswer = z.infer<typeof historyAnswerSchema>;

/** A feature as hub.history stores it (hub.feature_json). */
interface StoredFeature {
  geometry?: unknown;
  properties?: Record<string, unknown>;
  status?: unknown;
  county?: unknown;
  demo?: unknown;
  deleted?: boolean;
}

function change(field: string, before: unknown, after: unknown): HistoryFieldChange {
  return { field, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) };
}

/**
 * The fields a history row changed, from its stored before/after: for a feature write the fields
 * whose values differ (`exists` for a create, delete or restore); for a photo, `photo:<id>` with
 * the photo's description on the side where it is attached.
 */
export function historyChanges(operation: z.infer<typeof historyOperationSchema>, before: unknown, after: unknown): HistoryFieldChange[] {
  if (operation === 'attach' || operation === 'detach') {
    const photo = (after ?? before) as { attachmentId?: string } | null;
    return [change(photoField(photo?.attachmentId ?? '?'), before ?? undefined, after ?? undefined)];
  }
  const old = (before ?? null) as StoredFeature | null;
  const now = (after ?? null) as StoredFeature | null;
  const changes: HistoryFieldChange[] = [];
  const existed = old !== null && old.deleted !== true;
  const exists = now !== null && now.deleted !== true;
  if (existed !== exists) changes.push(change(EXISTS, existed, exists));
  for (const field of ['geometry', 'status', 'county', 'demo'] as const) {
    const [a, b] = [old?.[field], now?.[field]];
    if (canonicalJson(a) !== canonicalJson(b)) changes.push(change(field, a, b));
  }
  const keys = new Set([...Object.keys(old?.properties ?? {}), ...Object.keys(now?.properties ?? {})]);
  for (const key of [...keys].sort()) {
    const [a, b] = [old?.properties?.[key], now?.properties?.[key]];
    if (canonicalJson(a) !== canonicalJson(b)) changes.push(change(propertyField(key), a, b));
  }
  return changes;
}
