// Managing the hub's users (`npm run hub -- user …` calls these). Errors are UserError with a
// message meant for the operator's terminal.
import type { Pool } from 'pg';
import { hashPassword } from './auth/passwords';
import { hubUserFromRow, type UserRow } from './auth/tokens';
import type { HubUser } from './auth/user';
import { inTransaction } from './db/transaction';

export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

const NAME_PATTERN = /^[A-Za-z0-9_.@-]{1,64}$/;
const ROLES = ['admin', 'planner', 'surveyor'] as const;
export const MIN_PASSWORD_LENGTH = 8;

export interface NewUser {
  name: string;
  displayName?: string | null;
  role: HubUser['role'];
  counties: number[] | 'all';
  password: string;
}

export interface ListedUser extends HubUser {
  disabled: boolean;
}

function checkPassword(password: string): void {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw new UserError(`password: at least ${MIN_PASSWORD_LENGTH} characters are needed`);
  }
  if (password.length > 1024) throw new UserError('password: at most 1024 characters');
}

/** The counties, checked: 6-digit adcodes, and ones the workspace has once hub.counties is filled. */
async function checkCounties(pool: Pool, counties: number[] | 'all'): Promise<number[]> {
  if (counties === 'all') return [];
  if (!Array.isArray(counties) || counties.length === 0) {
    throw new UserError("counties: give at least one county adcode, or 'all'");
  }
  for (const county of counties) {
    if (!Number.isInteger(county) || county < 100000 || county > 999999) {
      throw new UserError(`counties: ${String(county)} is not a 6-digit county adcode`);
    }
  }
  const { rows } = await pool.query<{ adcode: number }>('SELECT adcode FROM hub.counties');
  if (rows.length > 0) {
    const known = new Set(rows.map((row) => row.adcode));
    const unknown = counties.filter((county) => !known.has(county));
    if (unknown.length > 0) {
      throw new UserError(`counties: ${unknown.join(', ')} not in this hub's workspace (known: ${[...known].sort().join(', ')})`);
    }
  }
  return [...new Set(counties)].sort((a, b) => a - b);
}

export async function addUser(pool: Pool, user: NewUser): Promise<HubUser> {
  if (typeof user.name !== 'string' || !NAME_PATTERN.test(user.name)) {
    throw new UserError(`user name "${String(user.name)}": use 1 to 64 letters, digits or _ . @ -`);
  }
  if (!ROLES.includes(user.role)) throw new UserError(`role: "${String(user.role)}" — one of ${ROLES.join(', ')}`);
  const displayName = user.displayName?.trim() || null;
  if (displayName !== null && displayName.length > 200) throw new UserError('displayName: at most 200 characters');
  checkPassword(user.password);
  const counties = await checkCounties(pool, user.counties);
  const passwordHash = await hashPassword(user.password);
  try {
    const { rows } = await pool.query<UserRow>(
      `INSERT INTO hub.users (name, display_name, role, counties, all_counties, password_hash)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, name, display_name, role, counties, all_counties`,
      [user.name, displayName, user.role, counties, user.counties === 'all', passwordHash],
    );
    return hubUserFromRow(rows[0]!);
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new UserError(`user "${user.name}" already exists`);
    throw error;
  }
}

export async function listUsers(pool: Pool): Promise<ListedUser[]> {
  const { rows } = await pool.query<UserRow & { disabled: boolean }>(
    `SELECT id, name, display_name, role, counties, all_counties, disabled FROM hub.users ORDER BY name`,
  );
  return rows.map((row) => ({ ...hubUserFromRow(row), disabled: row.disabled }));
}

async function updateUser(pool: Pool, name: string, sql: string, values: unknown[]): Promise<void> {
  await inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string }>(sql, [name, ...values]);
    if (rows.length === 0) throw new UserError(`no user "${name}"`);
    // Every session of the user ends: a disabled user or a changed password signs in anew.
    await client.query('DELETE FROM hub.tokens WHERE user_id = $1', [rows[0]!.id]);
  });
}

/** Refuses the user's sign-ins and ends their sessions (the user and their history stay). */
export async function disableUser(pool: Pool, name: string): Promise<void> {
  await updateUser(pool, name, 'UPDATE hub.users SET disabled = true WHERE name = $1 RETURNING id', []);
}

export async function enableUser(pool: Pool, name: string): Promise<void> {
  await updateUser(pool, name, 'UPDATE hub.users SET disabled = false WHERE name = $1 RETURNING id', []);
}

/** Sets a new password and ends the user's sessions. */
export async function setPassword(pool: Pool, name: string, password: string): Promise<void> {
  checkPassword(password);
  const passwordHash = await hashPassword(password);
  await updateUser(pool, name, 'UPDATE hub.users SET password_hash = $2 WHERE name = $1 RETURNING id', [passwordHash]);
}
