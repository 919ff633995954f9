// Sign-in, tokens and users against a real PostgreSQL: hashed storage, expiry, disabled users,
// rate limits, and every protected route refusing a request without a valid token.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableUser, enableUser, setPassword } from '../../server/users';
import { COUNTY_A, PASSWORD, addTestUser, bearer, seedWorkspace, signIn, startHub, type TestHub } from './auth-fixtures';

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub({ signInLimits: { maxFailuresPerUser: 5, maxFailuresPerAddress: 1000 } });
  await seedWorkspace(hub.pool);
  await addTestUser(hub.pool, 'alice', [COUNTY_A], 'planner');
  await addTestUser(hub.pool, 'bob', 'all', 'admin');
});
afterAll(async () => hub?.close());

const PROTECTED = [
  ['GET', '/v1/session'],
  ['DELETE', '/v1/session'],
  ['GET', '/v1/layers'],
  ['GET', '/v1/workspace'],
  ['GET', `/v1/changes?counties=${COUNTY_A}`],
] as const;

describe('sign-in', () => {
  it('gives a token that signs the user in until sign-out', async () => {
    const before = Date.now();
    const response = await hub.app.inject({ method: 'POST', url: '/v1/session', payload: { user: 'alice', password: PASSWORD, device: 'laptop-1' } });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.user).toEqual({ name: 'alice', displayName: null, role: 'planner', counties: [COUNTY_A] });
    const ttl = Date.parse(body.expiresAt) - before;
    expect(ttl).toBeGreaterThan(30 * 24 * 3600 * 1000 - 60_000);
    expect(ttl).toBeLessThan(30 * 24 * 3600 * 1000 + 60_000);

    const whoAmI = await hub.app.inject({ method: 'GET', url: '/v1/session', headers: bearer(body.token) });
    expect(whoAmI.statusCode).toBe(200);
    expect(whoAmI.json().user.name).toBe('alice');

    const out = await hub.app.inject({ method: 'DELETE', url: '/v1/session', headers: bearer(body.token) });
    expect(out.statusCode).toBe(204);
    const after = await hub.app.inject({ method: 'GET', url: '/v1/session', headers: bearer(body.token) });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthorized');
  });

  it('stores only the SHA-256 of the token and an scrypt hash of the password', async () => {
    const token = await signIn(hub.app, 'bob');
    const { rows } = await hub.pool.query<{ token_sha256: string; row: string }>('SELECT token_sha256, t::text AS row FROM hub.tokens t');
    expect(rows.some((row) => row.row.includes(token))).toBe(false);
    expect(rows.map((row) => row.token_sha256)).toContain(createHash('sha256').update(token).digest('hex'));

    await addTestUser(hub.pool, 'carol', [COUNTY_A]);
    const users = await hub.pool.query<{ name: string; password_hash: string; row: string }>(
      "SELECT name, password_hash, u::text AS row FROM hub.users u WHERE name IN ('alice', 'carol')",
    );
    for (const user of users.rows) {
      expect(user.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
      expect(user.row).not.toContain(PASSWORD);
    }
    // Same password, different salts.
    expect(users.rows[0]!.password_hash).not.toBe(users.rows[1]!.password_hash);
  });

  it('answers a wrong password and an unknown user alike, both after an scrypt', async () => {
    const time = async (user: string) => {
      const start = performance.now();
      const response = await hub.app.inject({ method: 'POST', url: '/v1/session', payload: { user, password: 'wrong password' } });
      return { ms: performance.now() - start, status: response.statusCode, body: response.json() };
    };
    await addTestUser(hub.pool, 'dave', [COUNTY_A]);
    const known = await time('dave');
    const unknown = await time('nobody-here');
    expect(known.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(known.body);
    // A missing decoy check would answer in ~1 ms against scrypt's tens of ms.
    expect(unknown.ms).toBeGreaterThan(known.ms * 0.3);
  });

  it('refuses a disabled user, and their tokens', async () => {
    await addTestUser(hub.pool, 'erin', [COUNTY_A]);
    const token = await signIn(hub.app, 'erin');
    // Disabled directly in SQL: the old token is refused at its next use.
    await hub.pool.query("UPDATE hub.users SET disabled = true WHERE name = 'erin'");
    const refused = await hub.app.inject({ method: 'GET', url: '/v1/layers', headers: bearer(token) });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.details).toEqual({ reason: 'disabled' });
    const again = await hub.app.inject({ method: 'POST', url: '/v1/session', payload: { user: 'erin', password: PASSWORD } });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.message).toBe('this user is disabled');

    await enableUser(hub.pool, 'erin');
    const token2 = await signIn(hub.app, 'erin');
    await disableUser(hub.pool, 'erin');
    const { rows } = await hub.pool.query("SELECT 1 FROM hub.tokens t JOIN hub.users u ON u.id = t.user_id WHERE u.name = 'erin'");
    expect(rows).toHaveLength(0);
    expect((await hub.app.inject({ method: 'GET', url: '/v1/session', headers: bearer(token2) })).statusCode).toBe(401);
  });

  it('refuses an expired token', async () => {
    const token = await signIn(hub.app, 'bob');
    const sha = createHash('sha256').update(token).digest('hex');
    await hub.pool.query("UPDATE hub.tokens SET expires_at = now() - interval '1 second' WHERE token_sha256 = $1", [sha]);
    const response = await hub.app.inject({ method: 'GET', url: '/v1/session', headers: bearer(token) });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toMatchObject({ code: 'unauthorized', details: { reason: 'expired' } });
  });

  it('stamps last_used_at at most once a minute', async () => {
    const token = await signIn(hub.app, 'bob');
    const sha = createHash('sha256').update(token).digest('hex');
    const lastUsed = async () =>
      (await hub.pool.query<{ t: string | null }>('SELECT last_used_at::text AS t FROM hub.tokens WHERE token_sha256 = $1', [sha])).rows[0]!.t;
    expect(await lastUsed()).toBeNull();
    await hub.app.inject({ method: 'GET', url: '/v1/session', headers: bearer(token) });
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await hub.app.inject({ method: 'GET', url: '/v1/session', headers: bearer(token) });
    expect(await lastUsed()).toBe(first);
    await hub.pool.query("UPDATE hub.tokens SET last_used_at = now() - interval '2 minutes' WHERE token_sha256 = $1", [sha]);
    const old = await lastUsed();
    await hub.app.inject({ method: 'GET', url: '/v1/session', headers: bearer(token) });
    expect(await lastUsed()).not.toBe(old);
  });

  it('changing the password ends the sessions and only the new one signs in', async () => {
    await addTestUser(hub.pool, 'frank', [COUNTY_A]);
    const token = await signIn(hub.app, 'frank');
    await setPassword(hub.pool, 'frank', 'a new password');
    expect((await hub.app.inject({ method: 'GET', url: '/v1/session', headers: bearer(token) })).statusCode).toBe(401);
    const old = await hub.app.inject({ method: 'POST', url: '/v1/session', payload: { user: 'frank', password: PASSWORD } });
    expect(old.statusCode).toBe(401);
    await signIn(hub.app, 'frank', 'a new password');
  });

  it.each(PROTECTED)('%s %s needs a valid token', async (method, url) => {
    for (const headers of [{}, { authorization: 'Basic abc' }, bearer('x'.repeat(43)), bearer('not a token')]) {
      const response = await hub.app.inject({ method, url, headers });
      expect(response.statusCode, `${method} ${url} ${JSON.stringify(headers)}`).toBe(401);
      expect(response.json().error.code).toBe('unauthorized');
    }
  });
});

describe('sign-in rate limits', () => {
  it('refuses a user after 5 failures in the window, even with the right password, and not others', async () => {
    await addTestUser(hub.pool, 'gina', [COUNTY_A]);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await hub.app.inject({ method: 'POST', url: '/v1/session', payload: { user: 'gina', password: `guess ${attempt}` } });
      expect(response.statusCode).toBe(401);
    }
    const blocked = await hub.app.inject({ method: 'POST', url: '/v1/session', payload: { user: 'gina', password: PASSWORD } });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('too-many-attempts');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);
    // Another user from the same address is not affected.
    await signIn(hub.app, 'bob');
  });

  it('a success clears the user count', async () => {
    await addTestUser(hub.pool, 'hugo', [COUNTY_A]);
    for (let round = 0; round < 2; round += 1) {
      for (let attempt = 0; attempt < 4; attempt += 1) {
        const response = await hub.app.inject({ method: 'POST', url: '/v1/session', payload: { user: 'hugo', password: 'nope nope' } });
        expect(response.statusCode).toBe(401);
      }
      await signIn(hub.app, 'hugo');
    }
  });
});

describe('per-address limits', () => {
  it('refuses an address after its failures, whatever the user name', async () => {
    const other = await startHub({ signInLimits: { maxFailuresPerUser: 100, maxFailuresPerAddress: 3 } });
    try {
      await addTestUser(other.pool, 'ivan', 'all');
      for (const name of ['x1', 'x2', 'x3']) {
        const response = await other.app.inject({ method: 'POST', url: '/v1/session', payload: { user: name, password: 'nope nope' } });
        expect(response.statusCode).toBe(401);
      }
      const blocked = await other.app.inject({ method: 'POST', url: '/v1/session', payload: { user: 'ivan', password: PASSWORD } });
      expect(blocked.statusCode).toBe(429);
      // Another address still signs in.
      const elsewhere = await other.app.inject({ method: 'POST', url: '/v1/session', remoteAddress: '127.0.0.2', payload: { user: 'ivan', password: PASSWORD } });
      expect(elsewhere.statusCode).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('caps the sign-in request rate per address (@fastify/rate-limit)', async () => {
    const other = await startHub({ signInLimits: { maxRequestsPerAddressPerMinute: 2 } });
    try {
      await addTestUser(other.pool, 'jane', 'all');
      await signIn(other.app, 'jane');
      await signIn(other.app, 'jane');
      const third = await other.app.inject({ method: 'POST', url: '/v1/session', payload: { user: 'jane', password: PASSWORD } });
      expect(third.statusCode).toBe(429);
      expect(third.json().error.code).toBe('too-many-attempts');
    } finally {
      await other.close();
    }
  });

  it('honours tokenTtlSeconds', async () => {
    const other = await startHub({ tokenTtlSeconds: 120 });
    try {
      await addTestUser(other.pool, 'kim', 'all');
      const response = await other.app.inject({ method: 'POST', url: '/v1/session', payload: { user: 'kim', password: PASSWORD } });
      const ttl = Date.parse(response.json().expiresAt) - Date.now();
      expect(ttl).toBeGreaterThan(60_000);
      expect(ttl).toBeLessThan(180_000);
    } finally {
      await other.close();
    }
  });
});
