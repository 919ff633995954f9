// The bearer-token check every route but sign-in and the OpenAPI document runs first (onRequest,
// before the body is read: an unknown client cannot make the hub parse 10 MiB).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { unauthorized } from '../errors';
import { lookupToken } from './tokens';
import type { HubUser } from './user';

declare module 'fastify' {
  interface FastifyRequest {
    hubUser: HubUser;
    /** The bearer token of the request (sign-out revokes it). */
    hubToken: string;
    hubTokenExpiresAt: string;
  }
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
  return match ? match[1]! : null;
}

export function authenticate(pool: Pool) {
  return async function checkToken(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = bearerToken(request);
    if (token === null) throw unauthorized('sign in first: send Authorization: Bearer <token>');
    const session = await lookupToken(pool, token);
    if (!session.ok) {
      const message = {
        unknown: 'the token is not valid (signed out or never issued): sign in again',
        expired: 'the token has expired: sign in again',
        disabled: 'this user is disabled',
      }[session.reason];
      throw unauthorized(message, { reason: session.reason });
    }
    request.hubUser = session.user;
    request.hubToken = token;
    request.hubTokenExpiresAt = session.expiresAt;
  };
}
