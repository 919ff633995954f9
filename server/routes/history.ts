// GET /v1/features/:layerId/:featureId/history — the rows of hub.history of one feature, newest
// first, each with the fields it changed; scope: the feature's county as the hub holds it now.
import type { FastifyPluginAsync } from 'fastify';
import type { Pool } from 'pg';
import {
  HISTORY_LIMIT_DEFAULT,
  HISTORY_LIMIT_MAX,
  historyAnswerSchema,
  historyChanges,
  historyQuerySchema,
  type HistoryAnswer,
  type HistoryEntry,
} from '../../shared/sync/hub/history';
import { errorResponseJsonSchema, jsonSchema } from '../schema';
import { answer, hubUserOf, parseOrThrow } from '../push/errors';
import { checkScope } from '../push/push';
import { invalidRequest, notFound } from '../errors';

interface HistoryRow {
  id: string; version: string; operation: HistoryEntry['operation']; before: unknown; after: unknown;
  change_id: string | null; entry_id: string | null; user_name: string | null; author_name: string | null;
  device: string | null; note: string | null; client_time: Date | null; server_time: Date;
  source: HistoryEntry['source']; db_role: string;
}

const toEntry = (row: HistoryRow): HistoryEntry => ({
  id: Number(row.id),
  version: Number(row.version),
  operation: row.operation,
  changes: historyChanges(row.operation, row.before, row.after),
  changeId: row.change_id,
  entryId: row.entry_id,
  user: row.user_name,
  authorName: row.author_name,
  device: row.device,
  note: row.note,
  clientTime: row.client_time?.toISOString() ?? null,
  serverTime: row.server_time.toISOString(),
  source: row.source,
  dbRole: row.db_role,
});

export const historyRoutes: FastifyPluginAsync<{ pool: Pool }> = async (app, { pool }) => {
  const params = {
    type: 'object',
    required: ['layerId', 'featureId'],
    properties: { layerId: { type: 'string', minLength: 1, maxLength: 200 }, featureId: { type: 'string', minLength: 1, maxLength: 200 } },
  };
  const errors = Object.fromEntries([400, 401, 403, 404].map((status) => [status, errorResponseJsonSchema]));
  app.get<{ Params: { layerId: string; featureId: string } }>(
    '/v1/features/:layerId/:featureId/history',
    { schema: { summary: "A feature's history on the hub, newest first", params, querystring: jsonSchema(historyQuerySchema), response: { 200: jsonSchema(historyAnswerSchema), ...errors } } },
    async (request, reply) =>
      answer(reply, async (): Promise<HistoryAnswer> => {
        const user = hubUserOf(request);
        const query = parseOrThrow(historyQuerySchema, request.query, 'querystring');
        const limit = query.limit === undefined ? HISTORY_LIMIT_DEFAULT : Number(query.limit);
        if (limit > HISTORY_LIMIT_MAX) throw invalidRequest('querystring/limit', `must be at most ${HISTORY_LIMIT_MAX}`);
        const { layerId, featureId } = request.params;
        const feature = await pool.query<{ county: number | null }>('SELECT county FROM hub.features WHERE layer_id = $1 AND id = $2', [layerId, featureId]);
        if (feature.rows.length === 0) throw notFound(`no feature ${featureId} in layer ${layerId}`, { layerId, featureId });
        checkScope(user, [feature.rows[0]!.county], `feature ${featureId}`);
        const { rows } = await pool.query<HistoryRow>(
          `SELECT id, version, operation, before, after, change_id, entry_id, user_name, author_name, device, note,
                  client_time, server_time, source, db_role
           FROM hub.history WHERE layer_id = $1 AND feature_id = $2 AND ($3::bigint IS NULL OR id < $3)
           ORDER BY id DESC LIMIT $4`,
          [layerId, featureId, query.before ?? null, limit + 1],
        );
        return { layerId, featureId, history: rows.slice(0, limit).map(toEntry), more: rows.length > limit };
      }),
  );
};
