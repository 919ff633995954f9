// The workspace's layer definitions (`GET /v1/layers`) and the workspace itself: its name,
// counties, target sets and targets (`GET /v1/workspace`), each definition with its version.
import type { FastifyPluginAsync } from 'fastify';
import type { Pool } from 'pg';
import { layersResponseSchema, workspaceResponseSchema, type HubTarget } from '../../shared/sync/hub/layers';
import { errorResponseJsonSchema, jsonSchema } from '../schema';
import { layerRecord, readDefinitions, targetRecord, targetSetRecord } from '../definitions/records';

export const layersRoutes: FastifyPluginAsync<{ pool: Pool }> = async (app, { pool }) => {
  app.get(
    '/v1/layers',
    {
      schema: {
        summary: 'Layer definitions (deleted ones too, marked)',
        response: { 200: jsonSchema(layersResponseSchema), 401: errorResponseJsonSchema },
      },
    },
    async () => ({ layers: (await readDefinitions(pool, 'layer')).map(layerRecord) }),
  );

  app.get(
    '/v1/workspace',
    {
      schema: {
        summary: 'The workspace: name, counties, target sets and targets with their versions',
        response: { 200: jsonSchema(workspaceResponseSchema), 401: errorResponseJsonSchema },
      },
    },
    async () => {
      const [settings, counties, sets, targets] = await Promise.all([
        pool.query<{ key: string; value: unknown }>('SELECT key, value FROM hub.workspace'),
        pool.query<{ adcode: number; name: unknown }>('SELECT adcode, name FROM hub.counties ORDER BY adcode'),
        readDefinitions(pool, 'target-set'),
        readDefinitions(pool, 'target'),
      ]);
      const value = new Map(settings.rows.map((row) => [row.key, row.value]));
      const targetRecords: HubTarget[] = targets.map(targetRecord);
      return {
        name: value.get('name') ?? null,
        counties: counties.rows.map((row) => ({ adcode: row.adcode, name: row.name })),
        targets: targetRecords.filter((record) => !record.deleted).map((record) => record.target),
        targetSets: sets.map(targetSetRecord),
        targetRecords,
      };
    },
  );
};
