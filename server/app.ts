// The hub's HTTP service (docs/HUB-API.md): Fastify with strict request validation, one error
// shape, bearer-token auth on every route but sign-in and the OpenAPI document, and the routes.
import Fastify, { type FastifyError, type FastifyInstance, type RouteOptions } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { Pool } from 'pg';
import { authenticate } from './auth/hook';
import { DEFAULT_SIGN_IN_LIMITS, type SignInLimits } from './auth/attempts';
import { DEFAULT_TOKEN_TTL_SECONDS } from './auth/tokens';
import { schemaVersion } from './db/migrate';
import { HubError } from './errors';
import type { HubFaults } from './faults';
import { formatSchemaErrors, parseJsonBody } from './validation';
import { jsonSchema } from './schema';
import { hubHealthSchema } from '../shared/sync/hub/health';
import { sessionRoutes } from './routes/session';
import { layersRoutes } from './routes/layers';
import { pullRoutes } from './routes/pull';
import { changesRoutes } from './routes/changes';
import { attachmentsRoutes } from './routes/attachments';
import { conflictsRoutes } from './routes/conflicts';
import { historyRoutes } from './routes/history';
import { definitionsRoutes } from './routes/definitions';
import { notFoundAnswer, securityHeaders, webShellServer } from './web-shell';
import { registerCors } from './routes/cors';

export type { HubFaults } from './faults';

export interface HubOptions {
  pool: Pool;
  logger?: boolean;
  /** Lifetime of a sign-in token (default 30 days). */
  tokenTtlSeconds?: number;
  /** Largest JSON body in bytes (default 10 MiB; attachment uploads have their own limit). */
  bodyLimit?: number;
  faults?: HubFaults;
  signInLimits?: Partial<SignInLimits>;
  /** Serve HTTPS with this certificate and key (`npm run hub -- --cert … --key …`). */
  https?: { cert: Buffer; key: Buffer };
  /** Called for every route as it is registered (tests compare them with the OpenAPI document). */
  onRoute?: (route: RouteOptions) => void;
  /** Serve the built renderer (`dist/renderer`) at `/`, so the app opens from the hub's own origin. */
  webRoot?: string;
  /** Serve the repository's `geodata/` at `/geodata/` (basemap files, with Range). */
  geodataRoot?: string;
}

export const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;
export const HUB_API_VERSION = '1.0.0';

export async function buildHub(options: HubOptions): Promise<FastifyInstance> {
  const { pool, faults } = options;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const app = Fastify({
    logger: options.logger ?? false,
    ...(options.https ? { https: options.https } : {}),
    bodyLimit,
    // Unknown fields are refused (not stripped), types are never coerced (a number is not a
    // string), and the first error is reported, naming its field (validation.ts).
    ajv: {
      customOptions: { removeAdditional: false, allErrors: false, coerceTypes: false, useDefaults: false, verbose: true, allowUnionTypes: true },
    },
    schemaErrorFormatter: formatSchemaErrors,
  });
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  app.decorateRequest('hubUser', null as never);
  app.decorateRequest('hubToken', '');
  app.decorateRequest('hubTokenExpiresAt', '');
  // Response schemas document the answers (OpenAPI); answers are written with JSON.stringify,
  // so a schema can never drop or reshape a field.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // JSON only (attachments add their byte types in their own scope); text/plain is refused (415).
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);

  app.setErrorHandler((error: FastifyError | HubError, request, reply) => {
    const answer = errorAnswer(error);
    if (answer.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: answer.code, message: answer.message }, 'request refused');
    if (answer.headers) void reply.headers(answer.headers);
    return reply.status(answer.status).send({ error: { code: answer.code, message: answer.message, ...(answer.details ? { details: answer.details } : {}) } });
  });
  // The app's CSP and companions on every answer: the web shell needs them, and they cost the
  // API nothing. Set on the raw response, so files sent by the web shell's server carry them too.
  app.addHook('onRequest', async (_request, reply) => {
    for (const [name, value] of Object.entries(securityHeaders)) reply.raw.setHeader(name, value);
  });
  const webShell = webShellServer({ webRoot: options.webRoot, geodataRoot: options.geodataRoot });
  app.setNotFoundHandler((request, reply) => {
    if (webShell?.(request, reply)) return;
    return reply.status(404).send(notFoundAnswer(request.method, request.url));
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'OneMap hub', version: HUB_API_VERSION, description: 'See docs/HUB-API.md.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(rateLimit, { global: false });
  await registerCors(app);

  app.get('/v1/openapi.json', { schema: { summary: 'This API as OpenAPI 3', security: [] } }, async () => app.swagger());
  app.get(
    '/v1/health',
    {
      schema: {
        summary: 'The hub answers: that it is a OneMap hub, its API version and database schema version',
        security: [],
        response: { 200: jsonSchema(hubHealthSchema) },
      },
    },
    async () => ({ hub: 'onemap', version: HUB_API_VERSION, status: 'ok', schema: await schemaVersion(pool) }),
  );

  const signInLimits = { ...DEFAULT_SIGN_IN_LIMITS, ...options.signInLimits };
  const tokenTtlSeconds = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  await app.register(sessionRoutes, { pool, tokenTtlSeconds, signInLimits });
  // Everything below needs a valid token.
  await app.register(async (scope) => {
    scope.addHook('onRequest', authenticate(pool));
    await scope.register(layersRoutes, { pool });
    await scope.register(pullRoutes, { pool });
    await scope.register(changesRoutes, { pool, faults });
    await scope.register(attachmentsRoutes, { pool, faults });
    await scope.register(conflictsRoutes, { pool, faults });
    await scope.register(historyRoutes, { pool });
    await scope.register(definitionsRoutes, { pool });
  });
  return app;
}

interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
  headers?: Record<string, string>;
}

function errorAnswer(error: FastifyError | HubError): ErrorAnswer {
  if (error instanceof HubError) {
    const headers = error.statusCode === 429 && typeof error.details?.retryAfterSeconds === 'number'
      ? { 'retry-after': String(error.details.retryAfterSeconds) }
      : undefined;
    return { status: error.statusCode, code: error.code, message: error.message, details: error.details, headers };
  }
  const fastifyError = error as FastifyError & { field?: string };
  if (fastifyError.validation) {
    return { status: 400, code: 'invalid-request', message: fastifyError.message, details: { field: fastifyError.field } };
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'too-large', message: 'the request body is larger than the hub accepts' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported-media-type', message: 'send the body as application/json' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'invalid-request', message: 'body is empty (expected JSON)', details: { field: 'body' } };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'invalid-request', message: 'body size does not match Content-Length', details: { field: 'body' } };
    default:
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own client errors (bad URL encoding, …): their messages hold no internals.
    return { status, code: status === 404 ? 'not-found' : 'invalid-request', message: fastifyError.message };
  }
  return { status: 500, code: 'internal', message: 'the hub failed to answer; the error is in its log' };
}
