// The hub's workspace and layer definitions (`GET /v1/workspace`, `GET /v1/layers`).
import { z } from 'zod';
import { layerDefinitionSchema } from '../../model/layer-definition';
import { localizedTextSchema } from '../../model/localized-text';
import { targetSchema } from '../../model/target';

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
  name: localizedTextSchema,
});

export const workspaceResponseSchema = z.strictObject({
  name: localizedTextSchema.nullable(),
  counties: z.array(hubCountySchema),
  /** The workspace's spatial targets (shared/model target), as seeded from seeds/targets-2021.json. */
  targets: z.array(targetSchema),
});
export type WorkspaceResponse = z.infer<typeof workspaceResponseSchema>;
