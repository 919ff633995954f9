// POST /v1/changes — push one change (server/push/push.ts).
import type { FastifyPluginAsync } from 'fastify';
import type { Pool } from 'pg';
import { pushAnswerSchema, pushRequestSchema } from '../../shared/sync/hub/changes';
import { errorResponseJsonSchema, jsonSchema } from '../schema';
import { answer, hubUserOf, parseOrThrow } from '../push/errors';
import { pushChange, type HubFaults } from '../push/push';

export type { HubFaults } from '../push/push';

export const changesRoutes: FastifyPluginAsync<{ pool: Pool; faults?: HubFaults }> = async (app, options) => {
  const errors = Object.fromEntries([400, 401, 403, 409, 413].map((status) => [status, errorResponseJsonSchema]));
  app.post('/v1/changes', { schema: { summary: 'Push one change (its journal entries); merged field by field', body: jsonSchema(pushRequestSchema), response: { 200: jsonSchema(pushAnswerSchema), ...errors } } }, async (request, reply) =>
    answer(reply, async () => {
      const user = hubUserOf(request);
      const body = parseOrThrow(pushRequestSchema, request.body, 'body');
      return pushChange(options.pool, user, body, options.faults, request.hubToken);
    }),
  );
};
