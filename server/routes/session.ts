// Sign in (`POST /v1/session`), who am I (`GET`), sign out (`DELETE`).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { signInRequestSchema, signInResponseSchema, whoAmIResponseSchema, type SignInRequest } from '../../shared/sync/hub/session';
import { FailedAttempts, type SignInLimits } from '../auth/attempts';
import { authenticate } from '../auth/hook';
import { decoyHash, verifyPassword } from '../auth/passwords';
import { hubUserFromRow, issueToken, revokeToken, type UserRow } from '../auth/tokens';
import type { HubUser } from '../auth/user';
import { HubError, unauthorized } from '../errors';
import { errorResponseJsonSchema, jsonSchema } from '../schema';

export interface SessionRoutesOptions {
  pool: Pool;
  tokenTtlSeconds: number;
  signInLimits: SignInLimits;
}

function sessionUser(user: HubUser) {
  return { name: user.name, displayName: user.displayName, role: user.role, counties: user.counties };
}

function tooManyAttempts(seconds: number): HubError {
  return new HubError(429, 'too-many-attempts', `too many failed sign-ins: try again in ${seconds} s`, { retryAfterSeconds: seconds });
}

export const sessionRoutes: FastifyPluginAsync<SessionRoutesOptions> = async (app, { pool, tokenTtlSeconds, signInLimits }) => {
  const attempts = new FailedAttempts(signInLimits);
  const errors = { 400: errorResponseJsonSchema, 401: errorResponseJsonSchema, 429: errorResponseJsonSchema };

  app.post(
    '/v1/session',
    {
      schema: {
        summary: 'Sign in: a bearer token for the other routes',
        security: [],
        body: jsonSchema(signInRequestSchema),
        response: { 200: jsonSchema(signInResponseSchema), ...errors },
      },
      config: {
        rateLimit: {
          max: signInLimits.maxRequestsPerAddressPerMinute,
          timeWindow: 60_000,
          errorResponseBuilder: (_request: FastifyRequest, context: { ttl: number }) => tooManyAttempts(Math.max(1, Math.ceil(context.ttl / 1000))),
        },
      },
    },
    async (request) => {
      const { user: name, password, device } = request.body as SignInRequest;
      const address = request.ip;
      const wait = attempts.blockedFor(name, address);
      if (wait > 0) throw tooManyAttempts(wait);
      const { rows } = await pool.query<UserRow & { password_hash: string; disabled: boolean }>(
        `SELECT id, name, display_name, role, counties, all_counties, password_hash, disabled
         FROM hub.users WHERE name = $1`,
        [name],
      );
      const row = rows[0];
      // An unknown user costs one scrypt too, and gets the same answer as a wrong password.
      const matches = await verifyPassword(password, row?.password_hash ?? (await decoyHash()));
      if (row === undefined || !matches) {
        attempts.fail(name, address);
        throw unauthorized('wrong user name or password');
      }
      if (row.disabled) throw unauthorized('this user is disabled', { reason: 'disabled' });
      attempts.succeed(name);
      const user = hubUserFromRow(row);
      const { token, expiresAt } = await issueToken(pool, user.id, device ?? null, tokenTtlSeconds);
      return { token, expiresAt, user: sessionUser(user) };
    },
  );

  app.get(
    '/v1/session',
    {
      onRequest: authenticate(pool),
      schema: { summary: 'Who am I: the signed-in user', response: { 200: jsonSchema(whoAmIResponseSchema), 401: errorResponseJsonSchema } },
    },
    async (request) => ({ user: sessionUser(request.hubUser), expiresAt: request.hubTokenExpiresAt }),
  );

  app.delete(
    '/v1/session',
    {
      onRequest: authenticate(pool),
      schema: { summary: 'Sign out: the token stops working', response: { 204: { type: 'null' }, 401: errorResponseJsonSchema } },
    },
    async (request, reply) => {
      await revokeToken(pool, request.hubToken);
      return reply.status(204).send();
    },
  );
};
