// The hub's workspace and layer definitions (`GET /v1/workspace`, `GET /v1/layers`).
import { z } from 'zod';
import { layerDefinitionSchema } from '../../model/layer-definition';
import { localizedTextSchema } from '../../model/localized-text';
import { targetSchema } from '../../model/target';
import { targetSetSchema } from '../../model/target-set';

export const hubLayerSchema = z.strictObject({
  id: z.string(),
  /** Grows with every change of the definition. */
  version: z.int().min(1),
  deleted: z.boolean(),
  updatedAt: z.iso.datetime({ offset: true }),
  /** The hub user who wrote it last; null for direct SQL, a migration or the seed. */
  updatedBy: z.string().nullable().optional(),
  definition: layerDefinitionSchema,
});
export type HubLayer = z.infer<typeof hubLayerSchema>;

export const layersResponseSchema = z.strictObject({ layers: z.array(hubLayerSchema) });
export type LayersResponse = z.infer<typeof layersResponseSchema>;

const recordFields = {
  id: z.string(),
  /** Grows by one with every write; a deleted record keeps its row (and its last value). */
  version: z.int().min(1),
  deleted: z.boolean(),
  updatedAt: z.iso.datetime({ offset: true }),
  /** The hub user who wrote it last; null for direct SQL or a migration. */
  updatedBy: z.string().nullable().optional(),
};

/** A target set as the hub keeps it (`PUT /v1/target-sets/:id`, shared/sync/hub/definitions.ts). */
export const hubTargetSetSchema = z.strictObject({ ...recordFields, set: targetSetSchema });
export type HubTargetSet = z.infer<typeof hubTargetSetSchema>;

/** A target as the hub keeps it (`PUT /v1/targets/:id`). */
export const hubTargetSchema = z.strictObject({ ...recordFields, target: targetSchema });
export type HubTarget = z.infer<typeof hubTargetSchema>;

export const hubCountySchema = z.strictObject({
  adcode: z.int(),
  name: localizedTextSchema,
});

export const workspaceResponseSchema = z.strictObject({
  name: localizedTextSchema.nullable(),
  counties: z.array(hubCountySchema),
  /** The live targets (shared/model target), as in hub.targets. */
  targets: z.array(targetSchema),
  /** Every target set with its version, deleted ones marked (definitions.ts). */
  targetSets: z.array(hubTargetSetSchema).optional(),
  /** Every target with its version, deleted ones marked. */
  targetRecords: z.array(hubTargetSchema).optional(),
});
export type WorkspaceResponse = z.infer<typeof workspaceResponseSchema>;
