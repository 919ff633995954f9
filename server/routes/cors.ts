// The desktop app (origin app://onemap) calls the hub's API across origins; the web shell the
// hub serves is same-origin and needs nothing. Exactly that one origin is allowed — never `*` —
// with the bearer header the API needs; no cookies are used, so no credentials mode.
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { desktopAppOrigin } from '../../shared/shell/desktop-origin';

export async function registerCors(app: FastifyInstance): Promise<void> {
  await app.register(cors, {
    origin: [desktopAppOrigin],
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: ['Retry-After'],
    maxAge: 600,
    strictPreflight: true,
  });
}
