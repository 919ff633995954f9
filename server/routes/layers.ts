// The workspace's layer definitions (`GET /v1/layers`) and the workspace itself: its name,
// counties and target sets (`GET /v1/workspace`).
import type { FastifyPluginAsync } from 'fastify';
import type { Pool } from 'pg';
import { layersResponseSchema, workspaceResponseSchema } from '../../shared/sync/hub/layers';
import { errorResponseJsonSchema, jsonSchema } from '../schema';

export const layersRoutes: FastifyPluginAsync<{ pool: Pool }> = async (app, { pool }) => {
  app.get(
    '/v1/layers',
    {
      schema: {
        summary: 'Layer definitions (deleted ones too, marked)',
        response: { 200: jsonSchema(layersResponseSchema), 401: errorResponseJsonSchema },
      },
    },
    async () => {
      const { rows } = await pool.query<{ id: string; definition: unknown; version: string; deleted: boolean; updated_at: Date }>(
        'SELECT id, definition, version, deleted, updated_at FROM hub.layers ORDER BY id',
      );
      return {
        layers: rows.map((row) => ({
          id: row.id,
          version: Number(row.version),
          deleted: row.deleted,
          updatedAt: row.updated_at.toISOString(),
          definition: row.definition,
        })),
      };
    },
  );

  app.get(
    '/v1/workspace',
    {
      schema: {
        summary: 'The workspace: name, counties, targets',
        response: { 200: jsonSchema(workspaceResponseSchema), 401: errorResponseJsonSchema },
      },
    },
    async () => {
      const [settings, counties] = await Promise.all([
        pool.query<{ key: string; value: unknown }>('SELECT key, value FROM hub.workspace'),
        pool.query<{ adcode: number; name: unknown }>('SELECT adcode, name FROM hub.counties ORDER BY adcode'),
      ]);
      const value = new Map(settings.rows.map((row) => [row.key, row.value]));
      const targets = value.get('targets');
      return {
        name: value.get('name') ?? null,
        counties: counties.rows.map((row) => ({ adcode: row.adcode, name: row.name })),
        targets: Array.isArray(targets) ? targets : [],
      };
    },
  );
};
