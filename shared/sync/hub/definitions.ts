// Layer definitions, target sets and targets written through the hub (`PUT /v1/layers/:id`,
// `PUT|DELETE /v1/target-sets/:id`, `PUT|DELETE /v1/targets/:id`): optimistic by version, each
// write idempotent by its change id. The records as `GET /v1/workspace` lists them.
import { z } from 'zod';
import { layerDefinitionSchema } from '../../model/layer-definition';
import { targetSchema } from '../../model/target';
import { targetSetSchema } from '../../model/target-set';
import { changeIdSchema, deviceIdSchema } from './changes';
import { hubLayerSchema, hubTargetSchema, hubTargetSetSchema } from './layers';

export { hubTargetSchema, hubTargetSetSchema, type HubTarget, type HubTargetSet } from './layers';

const writeFields = {
  /** The idempotency key: the same change id sent again gets the stored answer. */
  changeId: changeIdSchema,
  /** The version the writer saw; 0 when it saw none (a create). Another version: 409 `version-conflict`. */
  baseVersion: z.int().min(0),
  device: deviceIdSchema.optional(),
};

export const putLayerRequestSchema = z.strictObject({ ...writeFields, definition: layerDefinitionSchema });
export type PutLayerRequest = z.infer<typeof putLayerRequestSchema>;

export const putTargetSetRequestSchema = z.strictObject({ ...writeFields, set: targetSetSchema });
export type PutTargetSetRequest = z.infer<typeof putTargetSetRequestSchema>;

export const putTargetRequestSchema = z.strictObject({ ...writeFields, target: targetSchema });
export type PutTargetRequest = z.infer<typeof putTargetRequestSchema>;

export const deleteDefinitionRequestSchema = z.strictObject(writeFields);
export type DeleteDefinitionRequest = z.infer<typeof deleteDefinitionRequestSchema>;

/** `applied`: a new version was written; `noop`: the record already was so (no new version). */
const statusSchema = z.enum(['applied', 'noop']);

export const layerWriteAnswerSchema = z.strictObject({ changeId: z.string(), status: statusSchema, layer: hubLayerSchema });
export type LayerWriteAnswer = z.infer<typeof layerWriteAnswerSchema>;

export const targetSetWriteAnswerSchema = z.strictObject({ changeId: z.string(), status: statusSchema, targetSet: hubTargetSetSchema });
export type TargetSetWriteAnswer = z.infer<typeof targetSetWriteAnswerSchema>;

export const targetWriteAnswerSchema = z.strictObject({ changeId: z.string(), status: statusSchema, target: hubTargetSchema });
export type TargetWriteAnswer = z.infer<typeof targetWriteAnswerSchema>;

/** The 409 `version-conflict` answer's details: the hub's record as it is (null: none). */
export const versionConflictDetailsSchema = z.object({
  baseVersion: z.int(),
  version: z.int(),
  current: z.union([hubLayerSchema, hubTargetSetSchema, hubTargetSchema]).nullable(),
});
