// POST /v1/changes — push one change (server/push/push.ts).
import type { FastifyPluginAsync } from 'fastify';
import type { Pool } from 'pg';
import { pushRequestSchema } from '../../shared/sync/hub/changes';
import { answer, hubUserOf, parseOrThrow } from '../push/errors';
import { pushChange, type HubFaults } from '../push/push';

export type { HubFaults } from '../push/push';

export const changesRoutes: FastifyPluginAsync<{ pool: Pool; faults?: HubFaults }> = async (app, options) => {
  app.post('/v1/changes', async (request, reply) =>
    answer(reply, async () => {
      const user = hubUserOf(request);
      const body = parseOrThrow(pushRequestSchema, request.body, 'body');
      return pushChange(options.pool, user, body, options.faults);
    }),
  );
};
