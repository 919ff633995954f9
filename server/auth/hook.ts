// The bearer-token check every route but sign-in and the OpenAPI document runs first (onRequest,
// before the body is read: an unknown client cannot make the hub parse 10 MiB).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { unauthorized } from '../errors';
import { lookupToken, type SessionLookup } from './tokens';
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

/** What a client is told when its token does not sign it in. */
export function sessionRefusal(reason: 'unknown' | 'expired' | 'disabled'): ReturnType<typeof unauthorized> {
  const message = {
    unknown: 'the token is not valid (signed out or never issued): sign in again',
    expired: 'the token has expired: sign in again',
    disabled: 'this user is disabled',
  }[reason];
  return unauthorized(message, { reason });
}

/**
 * Tokens looked up in the last few seconds, for the push route only: a push checks its token again
 * inside its own transaction (server/push/open.ts), so a token signed out, expired or of a user
 * disabled meanwhile still writes nothing — the cache only saves the separate lookup.
 */
const RECHECKED_ROUTE = '/v1/changes';
const CACHE_MS = 5000;
const CACHE_MAX = 10000;

export function authenticate(pool: Pool) {
  const recent = new Map<string, { session: SessionLookup & { ok: true }; until: number }>();
  return async function checkToken(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = bearerToken(request);
    if (token === null) throw unauthorized('sign in first: send Authorization: Bearer <token>');
    const cacheable = request.method === 'POST' && request.routeOptions.url === RECHECKED_ROUTE;
    const now = Date.now();
    const cached = cacheable ? recent.get(token) : undefined;
    const session = cached !== undefined && cached.until > now && Date.parse(cached.session.expiresAt) > now ? cached.session : await lookupToken(pool, token);
    if (!session.ok) throw sessionRefusal(session.reason);
    if (cacheable && session !== cached?.session) {
      if (recent.size >= CACHE_MAX) recent.clear();
      recent.set(token, { session, until: now + CACHE_MS });
    }
    request.hubUser = session.user;
    request.hubToken = token;
    request.hubTokenExpiresAt = session.expiresAt;
  };
}
