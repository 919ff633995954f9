// The HTTP side of `npm run hub`: the hub's API (server/app.ts), over HTTPS when given a
// certificate.
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { buildHub } from '../app';

export interface HubServerOptions {
  pool: Pool;
  https?: { cert: Buffer; key: Buffer };
}

export function createHubServer(options: HubServerOptions): Promise<FastifyInstance> {
  return buildHub({ pool: options.pool, https: options.https });
}
