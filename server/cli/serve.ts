// The HTTP side of `npm run hub`. The full API is AUTH's buildHub (server/app.ts); until it is
// wired here this serves the health check only. The lead swaps createHubServer's body for
// buildHub({ pool }) (HTTPS options must then reach Fastify's constructor).
import Fastify, { type FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { schemaVersion } from '../db/migrate';

export interface HubServerOptions {
  pool: Pool;
  https?: { cert: Buffer; key: Buffer };
}

export async function createHubServer(options: HubServerOptions): Promise<FastifyInstance> {
  // The HTTPS instance has other server types; routes are the same.
  const app = (options.https ? Fastify({ logger: false, https: options.https }) : Fastify({ logger: false })) as unknown as FastifyInstance;
  app.get('/v1/health', async () => ({ status: 'ok', schema: await schemaVersion(options.pool) }));
  return app;
}
