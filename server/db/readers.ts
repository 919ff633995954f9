// Office users' PostgreSQL logins: one role per person, a member of `onemap_reader` (read the
// views in schema `layers`) or `onemap_editor` (also UPDATE hub.features), limited by row-level
// security to the counties in hub.reader_counties (migration 002). Roles are cluster-wide; the
// county scope is per database, so a reader sees nothing in a database that did not add it.
import { randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { escapeIdentifier, escapeLiteral } from 'pg';
import { inTransaction } from './transaction';

export interface ReaderOptions {
  /** A PostgreSQL role name: lowercase letters, digits and underscores, starting with a letter. */
  name: string;
  password: string;
  /** County adcodes the reader may see, or 'all' (features outside every county included). */
  counties: number[] | 'all';
  /** Also allow UPDATE of hub.features in those counties (QGIS editing in place). */
  editor?: boolean;
}

export interface ReaderInfo {
  name: string;
  counties: number[] | 'all';
  editor: boolean;
}

export const DEFAULT_READER_NAME = 'onemap_office';

// Lowercase only, so the name needs no quoting in QGIS, psql or a connection string.
const NAME_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
const RESERVED_NAMES = new Set(['onemap_reader', 'onemap_editor', 'postgres', 'public']);

export class ReaderError extends Error {
  override name = 'ReaderError';
}

function checkName(name: string): void {
  if (!NAME_PATTERN.test(name) || name.startsWith('pg_') || RESERVED_NAMES.has(name)) {
    throw new ReaderError(
      `reader name "${name}": use 1–63 lowercase letters, digits and underscores, starting with a letter (not pg_…, onemap_reader, onemap_editor, postgres)`,
    );
  }
}

function checkPassword(password: string): void {
  if (password.length < 8) throw new ReaderError('reader password: at least 8 characters');
  if (password.includes('\0')) throw new ReaderError('reader password: must not contain a NUL character');
}

function checkCounties(counties: number[] | 'all'): void {
  if (counties === 'all') return;
  if (counties.length === 0) throw new ReaderError('reader counties: name at least one county adcode, or all');
  for (const county of counties) {
    if (!Number.isInteger(county) || county < 100000 || county > 999999) {
      throw new ReaderError(`reader counties: ${String(county)} is not a 6-digit county adcode`);
    }
  }
}

async function isReaderRole(client: PoolClient | Pool, name: string): Promise<boolean> {
  const result = await client.query<{ member: boolean }>(
    `SELECT pg_has_role(r.oid, 'onemap_reader', 'MEMBER') AS member FROM pg_roles r WHERE r.rolname = $1`,
    [name],
  );
  return result.rows[0]?.member === true;
}

async function setScope(client: PoolClient, name: string, counties: number[] | 'all'): Promise<void> {
  await client.query(
    `INSERT INTO hub.reader_counties (role_name, counties, all_counties) VALUES ($1, $2, $3)
     ON CONFLICT (role_name) DO UPDATE SET counties = EXCLUDED.counties, all_counties = EXCLUDED.all_counties`,
    [name, counties === 'all' ? [] : [...new Set(counties)].sort((a, b) => a - b), counties === 'all'],
  );
}

/** Creates a login role for an office user with its county scope, in one transaction. */
export async function createReader(pool: Pool, options: ReaderOptions): Promise<void> {
  checkName(options.name);
  checkPassword(options.password);
  checkCounties(options.counties);
  await inTransaction(pool, async (client) => {
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [options.name]);
    if (exists.rowCount !== 0) throw new ReaderError(`reader "${options.name}": a database role of that name already exists`);
    // The password travels as a literal (CREATE ROLE takes no parameters); PostgreSQL stores
    // only its SCRAM verifier.
    await client.query(
      `CREATE ROLE ${escapeIdentifier(options.name)} LOGIN PASSWORD ${escapeLiteral(options.password)} ` +
        `IN ROLE ${options.editor === true ? 'onemap_editor' : 'onemap_reader'}`,
    );
    await setScope(client, options.name, options.counties);
  });
}

/** Changes which counties an existing reader sees. */
export async function setReaderCounties(pool: Pool, name: string, counties: number[] | 'all'): Promise<void> {
  checkName(name);
  checkCounties(counties);
  await inTransaction(pool, async (client) => {
    if (!(await isReaderRole(client, name))) throw new ReaderError(`reader "${name}" does not exist`);
    await setScope(client, name, counties);
  });
}

export async function setReaderPassword(pool: Pool, name: string, password: string): Promise<void> {
  checkName(name);
  checkPassword(password);
  if (!(await isReaderRole(pool, name))) throw new ReaderError(`reader "${name}" does not exist`);
  await pool.query(`ALTER ROLE ${escapeIdentifier(name)} PASSWORD ${escapeLiteral(password)}`);
}

/** Drops a reader's role and scope. Refuses any role that is not an OneMap reader. */
export async function dropReader(pool: Pool, name: string): Promise<void> {
  checkName(name);
  await inTransaction(pool, async (client) => {
    if (!(await isReaderRole(client, name))) throw new ReaderError(`reader "${name}" does not exist`);
    await client.query('DELETE FROM hub.reader_counties WHERE role_name = $1', [name]);
    // Privileges a bureau's admin granted it directly in this database would block DROP ROLE.
    await client.query(`DROP OWNED BY ${escapeIdentifier(name)}`);
    await client.query(`DROP ROLE ${escapeIdentifier(name)}`);
  });
}

/** The readers of this database: members of onemap_reader with a scope row here. */
export async function listReaders(pool: Pool): Promise<ReaderInfo[]> {
  const result = await pool.query<{ name: string; counties: number[]; all_counties: boolean; editor: boolean }>(
    `SELECT s.role_name AS name, s.counties, s.all_counties,
        pg_has_role(r.oid, 'onemap_editor', 'MEMBER') AS editor
     FROM hub.reader_counties s JOIN pg_roles r ON r.rolname = s.role_name
     WHERE pg_has_role(r.oid, 'onemap_reader', 'MEMBER')
     ORDER BY s.role_name`,
  );
  return result.rows.map((row) => ({ name: row.name, counties: row.all_counties ? 'all' : row.counties, editor: row.editor }));
}

/**
 * Makes sure the default all-counties reader exists. Its password is returned only when it is
 * created here (the caller shows it once); it is never stored in plain text, so later calls
 * return null and `setReaderPassword` issues a new one.
 */
export async function ensureDefaultReader(
  pool: Pool,
  name: string = DEFAULT_READER_NAME,
): Promise<{ name: string; password: string | null; created: boolean }> {
  checkName(name);
  if (await isReaderRole(pool, name)) {
    const scope = await pool.query('SELECT 1 FROM hub.reader_counties WHERE role_name = $1', [name]);
    // The role exists (another database on this server made it) but has no scope here yet.
    if (scope.rowCount === 0) await inTransaction(pool, (client) => setScope(client, name, 'all'));
    return { name, password: null, created: false };
  }
  const password = randomBytes(18).toString('base64url');
  await createReader(pool, { name, password, counties: 'all' });
  return { name, password, created: true };
}

// libpq keyword/value syntax: a value with spaces, quotes or backslashes is single-quoted.
function conninfoValue(value: string): string {
  return /^[A-Za-z0-9_./:@-]+$/.test(value) ? value : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * A libpq connection string for QGIS ("PostgreSQL connection"), psql and `ogrinfo PG:"…"`.
 * `host` may be a socket folder. Without a password, the client asks for it.
 */
export function readOnlyConnectionString(options: {
  host: string;
  port: number;
  database: string;
  name: string;
  password?: string | null;
}): string {
  const parts: [string, string][] = [
    ['host', options.host],
    ['port', String(options.port)],
    ['dbname', options.database],
    ['user', options.name],
  ];
  if (options.password !== undefined && options.password !== null) parts.push(['password', options.password]);
  return parts.map(([key, value]) => `${key}=${conninfoValue(value)}`).join(' ');
}
