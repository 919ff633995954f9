// The hub's workspace and layer definitions (`GET /v1/workspace`, `GET /v1/layers`).
import { z } from 'zod';
import { layerDefinitionSchema } from '../../model/layer-definition';
import { localizedTextSchema } from '../../model/localized-text';

export const hubLayerSchema = z.strictObject({
  id: z.string(),
  /** Grows with every change of the definition. */
  version: z.int().min(1),
  deleted: z.boolean(),
  updatedAt: z.iso.datetime({ offset: true }),
  definition: layerDefinitionSchema,
});
export type HubLayer = z.infer<typeof hubLayerSchema>;

export const layersResponseSchema = z.strictObject({ layers: z.array(hubLayerSchema) });
export type LayersResponse = z.infer<typeof layersResponseSchema>;

export const hubCountySchema = z.strictObject({
  adcode: z.int(),
  name: z.union([localizedTextSchema, z.string()]),
});

export const workspaceResponseSchema = z.strictObject({
  id: z.string().nullable(),
  name: z.unknown(),
  counties: z.array(hubCountySchema),
  /** The workspace's target sets, as in seeds/ (shared/model target). */
  targetSets: z.array(z.unknown()),
});
export type WorkspaceResponse = z.infer<typeof workspaceResponseSchema>;
