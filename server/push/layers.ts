// The layers a change writes to: known to the hub, or created from the definition the change
// carries — by planners and admins only.
import type { PoolClient } from 'pg';
import { layerDefinitionSchema, type LayerDefinition } from '../../shared/model';
import type { HubUser } from '../auth/user';
import { HubError } from './errors';

export async function layersFor(client: PoolClient, user: HubUser, layerIds: string[], carried: LayerDefinition[]): Promise<Map<string, LayerDefinition>> {
  const ids = [...new Set(layerIds)].sort();
  const rows = await client.query<{ id: string; definition: unknown }>(
    'SELECT id, definition FROM hub.layers WHERE id = ANY($1::text[]) AND NOT deleted',
    [ids],
  );
  const layers = new Map<string, LayerDefinition>();
  for (const row of rows.rows) {
    const parsed = layerDefinitionSchema.safeParse(row.definition);
    if (!parsed.success) throw new Error(`hub.layers "${row.id}": stored definition is invalid: ${parsed.error.issues[0]?.message ?? ''}`);
    layers.set(row.id, parsed.data);
  }
  return addCarriedLayers(client, user, ids, layers, carried);
}

/** `stored` (the definitions read from hub.layers) completed with the ones the change carries for the other `layerIds`. */
export async function addCarriedLayers(client: PoolClient, user: HubUser, layerIds: string[], stored: Map<string, LayerDefinition>, carried: LayerDefinition[]): Promise<Map<string, LayerDefinition>> {
  const layers = new Map(stored);
  for (const id of [...new Set(layerIds)].sort()) {
    if (layers.has(id)) continue;
    const definition = carried.find((layer) => layer.id === id);
    if (definition === undefined) {
      throw new HubError(400, 'unknown-layer', `layer "${id}" is not on the hub and the change does not carry its definition`, { layerId: id });
    }
    if (user.role === 'surveyor') {
      throw new HubError(400, 'unknown-layer', `layer "${id}" is not on the hub; only a planner or admin may create it`, { layerId: id });
    }
    await client.query(
      `INSERT INTO hub.layers (id, definition) VALUES ($1, $2::jsonb)
       ON CONFLICT (id) DO UPDATE SET definition = EXCLUDED.definition, deleted = false, version = hub.layers.version + 1, updated_at = now()`,
      [id, JSON.stringify(definition)],
    );
    layers.set(id, definition);
  }
  return layers;
}
