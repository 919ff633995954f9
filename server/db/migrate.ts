// Versioned migrations: server/migrations/NNN_name.sql, applied in order, each in one
// transaction, recorded in public.onemap_schema_migrations (public: it must exist before the
// first migration creates schema hub) with the file's SHA-256. A shipped migration is never
// edited: a recorded checksum that differs from the file is refused. Starters running at once
// (several hub processes) serialize on an advisory lock.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { repoFile } from '../repo-files';

export interface Migration {
  version: number;
  name: string;
  /** The file name, e.g. 001_initial.sql. */
  file: string;
  sql: string;
  sha256: string;
}

export class MigrationError extends Error {}

const FILE_PATTERN = /^(\d{3})_([a-z0-9_]+)\.sql$/;
// Any fixed pair; the first number spells "onemap" on a phone keypad.
const LOCK_KEY = [663627, 1];

/** The folder of the SQL files (ONEMAP_MIGRATIONS_DIR overrides, for tests). */
export function migrationsDirectory(): string {
  return process.env.ONEMAP_MIGRATIONS_DIR ?? repoFile('server/migrations');
}

export function listMigrations(directory = migrationsDirectory()): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(directory).sort()) {
    if (!file.endsWith('.sql')) continue;
    const match = FILE_PATTERN.exec(file);
    if (match === null) throw new MigrationError(`${path.join(directory, file)}: a migration is named NNN_name.sql (three digits, lower-case name)`);
    // Line endings normalized: a Windows checkout must not look like an edited migration.
    const sql = readFileSync(path.join(directory, file), 'utf8').replace(/\r\n/g, '\n');
    const version = Number(match[1]);
    const previous = migrations.at(-1);
    if (previous?.version === version) throw new MigrationError(`${file}: version ${version} is also ${previous.file}`);
    if (version !== (previous?.version ?? 0) + 1) throw new MigrationError(`${file}: migration ${version} does not follow ${previous?.version ?? 0} (no gaps)`);
    migrations.push({ version, name: match[2] ?? '', file, sql, sha256: createHash('sha256').update(sql).digest('hex') });
  }
  if (migrations.length === 0) throw new MigrationError(`${directory}: no migrations`);
  return migrations;
}

export async function migrate(pool: Pool, options: { upTo?: number; migrations?: Migration[] } = {}): Promise<{ applied: number[] }> {
  const migrations = options.migrations ?? listMigrations();
  const latest = migrations.at(-1)?.version ?? 0;
  const upTo = options.upTo ?? latest;
  if (!Number.isInteger(upTo) || upTo < 0 || upTo > latest) throw new MigrationError(`upTo ${upTo}: the migrations go from 1 to ${latest}`);

  const client = await pool.connect();
  let locked = false;
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', LOCK_KEY);
    locked = true;
    await client.query(`CREATE TABLE IF NOT EXISTS public.onemap_schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      sha256 text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number; name: string; sha256: string }>(
      'SELECT version, name, sha256 FROM public.onemap_schema_migrations ORDER BY version');
    const byVersion = new Map(migrations.map((migration) => [migration.version, migration]));
    for (const row of rows) {
      const shipped = byVersion.get(row.version);
      if (shipped === undefined) {
        throw new MigrationError(`the database is at schema version ${rows.at(-1)?.version}, newer than this hub (it knows up to ${latest}); update the hub`);
      }
      if (shipped.sha256 !== row.sha256) {
        throw new MigrationError(`server/migrations/${shipped.file} was changed after it was applied to this database (checksum differs); restore the file and put the change in a new migration`);
      }
    }
    const done = new Set(rows.map((row) => row.version));
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version > upTo || done.has(migration.version)) continue;
      try {
        await client.query('BEGIN');
        await client.query(migration.sql);
        await client.query('INSERT INTO public.onemap_schema_migrations (version, name, sha256) VALUES ($1, $2, $3)',
          [migration.version, migration.name, migration.sha256]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw new MigrationError(`server/migrations/${migration.file} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(migration.version);
    }
    return { applied };
  } finally {
    if (locked) await client.query('SELECT pg_advisory_unlock($1, $2)', LOCK_KEY).catch(() => {});
    client.release();
  }
}

/** The schema version a database is at (0: none applied). */
export async function schemaVersion(pool: Pool): Promise<number> {
  const table = await pool.query("SELECT to_regclass('public.onemap_schema_migrations') IS NOT NULL AS present");
  if (!table.rows[0]?.present) return 0;
  const { rows } = await pool.query<{ version: number | null }>('SELECT max(version) AS version FROM public.onemap_schema_migrations');
  return rows[0]?.version ?? 0;
}
