// A feature's history on the hub (`GET /v1/features/:layerId/:featureId/history`): who wrote each
// version, from which device, or by direct SQL (QGIS). Loose objects: the hub may add fields
// within v1, and the app shows only what it knows.
import { z } from 'zod';

/** Who last wrote a feature on the hub (sent with pulled features as `lastChange`, optional). */
export const hubLastChangeSchema = z.looseObject({
  userName: z.string().nullable().optional(),
  authorName: z.string().nullable().optional(),
  device: z.string().nullable().optional(),
  time: z.string(),
  /** 'hub': through the hub's API (an app's push or a resolution); 'sql': a direct database write. */
  source: z.enum(['hub', 'sql']),
  /** The database role of a direct SQL write. */
  dbRole: z.string().nullable().optional(),
  note: z.string().nullable().optional(),
});
export type HubLastChange = z.infer<typeof hubLastChangeSchema>;

export const hubHistoryEntrySchema = hubLastChangeSchema.extend({
  version: z.int().min(1),
});
export type HubHistoryEntry = z.infer<typeof hubHistoryEntrySchema>;

export const hubHistoryAnswerSchema = z.looseObject({
  entries: z.array(hubHistoryEntrySchema),
});
export type HubHistoryAnswer = z.infer<typeof hubHistoryAnswerSchema>;
