// Bearer tokens: 32 random bytes (base64url) given to the client once; the hub keeps only their
// SHA-256, so a copy of the database does not sign anyone in.
import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { HubUser } from './user';

export const DEFAULT_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function tokenSha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function issueToken(
  pool: Pool,
  userId: number,
  device: string | null,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: string }> {
  const token = randomBytes(32).toString('base64url');
  const { rows } = await pool.query<{ expires_at: Date }>(
    `INSERT INTO hub.tokens (token_sha256, user_id, device, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING expires_at`,
    [tokenSha256(token), userId, device, ttlSeconds],
  );
  return { token, expiresAt: rows[0]!.expires_at.toISOString() };
}

export type SessionLookup =
  | { ok: true; user: HubUser; expiresAt: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'disabled' };

export interface UserRow {
  id: string;
  name: string;
  display_name: string | null;
  role: HubUser['role'];
  counties: number[];
  all_counties: boolean;
}

export function hubUserFromRow(row: UserRow): HubUser {
  return {
    id: Number(row.id),
    name: row.name,
    displayName: row.display_name,
    role: row.role,
    counties: row.all_counties ? 'all' : [...row.counties].sort((a, b) => a - b),
  };
}

/**
 * The user a token signs in. One round trip: the lookup also stamps `last_used_at`, at most once
 * a minute so a busy client does not write a row per request.
 */
export async function lookupToken(pool: Pool, token: string): Promise<SessionLookup> {
  if (!TOKEN_PATTERN.test(token)) return { ok: false, reason: 'unknown' };
  const { rows } = await pool.query<UserRow & { expires_at: Date; expired: boolean; disabled: boolean }>(
    `WITH stamp AS (
       UPDATE hub.tokens SET last_used_at = now()
       WHERE token_sha256 = $1 AND expires_at > now()
         AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))
     SELECT u.id, u.name, u.display_name, u.role, u.counties, u.all_counties, u.disabled,
            t.expires_at, t.expires_at <= now() AS expired
     FROM hub.tokens t JOIN hub.users u ON u.id = t.user_id
     WHERE t.token_sha256 = $1`,
    [tokenSha256(token)],
  );
  const row = rows[0];
  if (row === undefined) return { ok: false, reason: 'unknown' };
  if (row.expired) return { ok: false, reason: 'expired' };
  if (row.disabled) return { ok: false, reason: 'disabled' };
  return { ok: true, user: hubUserFromRow(row), expiresAt: row.expires_at.toISOString() };
}

export async function revokeToken(pool: Pool, token: string): Promise<void> {
  await pool.query('DELETE FROM hub.tokens WHERE token_sha256 = $1', [tokenSha256(token)]);
}
