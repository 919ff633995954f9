// Hub users as the CLI manages them: scrypt hashes in hub.users' format, scope stored as given,
// a new password or disabling ends the user's sessions, and bad input names the problem.
import { scryptSync, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, disableUser, listUsers, setPassword } from '../../server/users';
import { seedHengshui } from '../../server/seed/hengshui';
import { testDatabase, type TestDatabase } from './harness/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
  await seedHengshui(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

function verify(hash: string, password: string): boolean {
  const [scheme, n, r, p, salt, key] = hash.split('$');
  expect(scheme).toBe('scrypt');
  const expected = Buffer.from(key ?? '', 'base64');
  const actual = scryptSync(password, Buffer.from(salt ?? '', 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * 1024 * 1024 });
  return timingSafeEqual(actual, expected);
}

async function hashOf(name: string): Promise<string> {
  const { rows } = await db.pool.query('SELECT password_hash FROM hub.users WHERE name = $1', [name]);
  return rows[0].password_hash;
}

describe('hub users', () => {
  it('adds users with their scope and a verifiable scrypt hash', async () => {
    const { id } = await addUser(db.pool, { name: 'li', displayName: '李工', role: 'surveyor', counties: [131102, 131121], password: 'first-password' });
    await addUser(db.pool, { name: 'chief', role: 'admin', counties: 'all', password: 'chief-password' });
    expect(id).toBeGreaterThan(0);
    expect(await listUsers(db.pool)).toEqual([
      { id: expect.any(Number), name: 'chief', displayName: null, role: 'admin', counties: 'all', disabled: false },
      { id, name: 'li', displayName: '李工', role: 'surveyor', counties: [131102, 131121], disabled: false },
    ]);
    expect(verify(await hashOf('li'), 'first-password')).toBe(true);
    expect(verify(await hashOf('li'), 'first-passwore')).toBe(false);
  });

  it('ends sessions on a new password and on disable', async () => {
    const token = (n: string) => db.pool.query(
      "INSERT INTO hub.tokens (token_sha256, user_id, expires_at) SELECT $1, id, now() + interval '1 hour' FROM hub.users WHERE name = 'li'", [n.repeat(64)]);
    const tokens = async () => (await db.pool.query('SELECT count(*)::int AS n FROM hub.tokens')).rows[0].n;
    await token('a');
    await setPassword(db.pool, 'li', 'second-password');
    expect(verify(await hashOf('li'), 'second-password')).toBe(true);
    expect(await tokens()).toBe(0);
    await token('b');
    await disableUser(db.pool, 'li');
    expect(await tokens()).toBe(0);
    expect((await listUsers(db.pool)).find((user) => user.name === 'li')?.disabled).toBe(true);
  });

  it('refuses bad input, naming it, and writes nothing', async () => {
    const before = await listUsers(db.pool);
    await expect(addUser(db.pool, { name: 'li', role: 'planner', counties: 'all', password: 'long-enough' })).rejects.toThrow('user "li" already exists');
    await expect(addUser(db.pool, { name: 'wang', role: 'planner', counties: [131102, 999999], password: 'long-enough' })).rejects.toThrow('counties: 999999 not in this hub');
    await expect(addUser(db.pool, { name: 'wang', role: 'planner', counties: 'all', password: 'short' })).rejects.toThrow('at least 8 characters');
    await expect(addUser(db.pool, { name: 'bad name', role: 'planner', counties: 'all', password: 'long-enough' })).rejects.toThrow('user name "bad name"');
    await expect(setPassword(db.pool, 'nobody', 'long-enough')).rejects.toThrow('no user "nobody"');
    await expect(disableUser(db.pool, 'nobody')).rejects.toThrow('no user "nobody"');
    expect(await listUsers(db.pool)).toEqual(before);
  });
});
