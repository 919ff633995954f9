// Hub users: add, list, disable, set a password (the CLI's `user` commands). Passwords are
// stored as scrypt hashes in the PHC-like form of hub.users.password_hash:
// scrypt$N$r$p$salt$hash (base64).
import { randomBytes, scrypt } from 'node:crypto';
import type { Pool } from 'pg';

export type HubRole = 'admin' | 'planner' | 'surveyor';

export interface NewUser {
  name: string;
  displayName?: string | null;
  role: HubRole;
  counties: number[] | 'all';
  password: string;
}

export interface UserSummary {
  id: number;
  name: string;
  displayName: string | null;
  role: HubRole;
  counties: number[] | 'all';
  disabled: boolean;
}

export class UserError extends Error {}

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 };
export const MIN_PASSWORD_LENGTH = 8;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, (error, key) => (error ? reject(error) : resolve(key))));
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new UserError(`the password needs at least ${MIN_PASSWORD_LENGTH} characters`);
}

export async function addUser(pool: Pool, user: NewUser): Promise<{ id: number }> {
  if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(user.name)) throw new UserError(`user name "${user.name}": use 1–64 letters, digits, _ . @ -`);
  if (!['admin', 'planner', 'surveyor'].includes(user.role)) throw new UserError(`role "${user.role}": admin, planner or surveyor`);
  if (user.counties !== 'all' && user.counties.some((county) => !Number.isInteger(county) || county < 100000 || county > 999999)) {
    throw new UserError(`counties: 6-digit adcodes (got ${user.counties.join(',')})`);
  }
  checkPassword(user.password);
  const counties = user.counties === 'all' ? [] : user.counties;
  if (counties.length > 0) {
    const known = await pool.query<{ adcode: number }>('SELECT adcode FROM hub.counties WHERE adcode = ANY($1::integer[])', [counties]);
    const unknown = counties.filter((county) => !known.rows.some((row) => row.adcode === county));
    if (unknown.length > 0) throw new UserError(`counties: ${unknown.join(', ')} not in this hub's workspace`);
  }
  try {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO hub.users (name, display_name, role, counties, all_counties, password_hash)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [user.name, user.displayName ?? null, user.role, counties, user.counties === 'all', await hashPassword(user.password)]);
    return { id: Number(rows[0]?.id) };
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new UserError(`user "${user.name}" already exists`);
    throw error;
  }
}

export async function listUsers(pool: Pool): Promise<UserSummary[]> {
  const { rows } = await pool.query<{ id: string; name: string; display_name: string | null; role: HubRole; counties: number[]; all_counties: boolean; disabled: boolean }>(
    'SELECT id, name, display_name, role, counties, all_counties, disabled FROM hub.users ORDER BY name');
  return rows.map((row) => ({
    id: Number(row.id), name: row.name, displayName: row.display_name, role: row.role,
    counties: row.all_counties ? 'all' : row.counties, disabled: row.disabled,
  }));
}

/** Disables a user and ends their sessions. */
export async function disableUser(pool: Pool, name: string): Promise<void> {
  const { rowCount } = await pool.query(
    `WITH user_row AS (UPDATE hub.users SET disabled = true WHERE name = $1 RETURNING id)
     , gone AS (DELETE FROM hub.tokens WHERE user_id IN (SELECT id FROM user_row))
     SELECT 1 FROM user_row`, [name]);
  if (rowCount === 0) throw new UserError(`no user "${name}"`);
}

/** Sets a new password and ends the user's sessions. */
export async function setPassword(pool: Pool, name: string, password: string): Promise<void> {
  checkPassword(password);
  const hash = await hashPassword(password);
  const { rowCount } = await pool.query(
    `WITH user_row AS (UPDATE hub.users SET password_hash = $2 WHERE name = $1 RETURNING id)
     , gone AS (DELETE FROM hub.tokens WHERE user_id IN (SELECT id FROM user_row))
     SELECT 1 FROM user_row`, [name, hash]);
  if (rowCount === 0) throw new UserError(`no user "${name}"`);
}
