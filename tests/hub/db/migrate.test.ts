// The migration runner on real databases: applies in order, records checksums, refuses an
// edited shipped migration, and serializes starters running at once.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listMigrations, migrate, migrationsDirectory, schemaVersion } from '../../../server/db/migrate';
import { testDatabase, type TestDatabase } from '../harness/database';

const databases: TestDatabase[] = [];
const folders: string[] = [];
afterEach(async () => {
  await Promise.all(databases.splice(0).map((db) => db.drop()));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function emptyDatabase(schema: 'empty' | 'latest' = 'empty'): Promise<TestDatabase> {
  const db = await testDatabase({ schema });
  databases.push(db);
  return db;
}

/** A copy of the shipped migrations that a test may edit. */
function copyOfMigrations(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'onemap-migrations-'));
  folders.push(folder);
  for (const file of readdirSync(migrationsDirectory())) copyFileSync(path.join(migrationsDirectory(), file), path.join(folder, file));
  return folder;
}

describe('migrate', () => {
  it('applies every migration once, in order', async () => {
    const db = await emptyDatabase();
    const all = listMigrations().map((migration) => migration.version);
    expect(await schemaVersion(db.pool)).toBe(0);
    expect(await migrate(db.pool, { upTo: 1 })).toEqual({ applied: [1] });
    expect(await schemaVersion(db.pool)).toBe(1);
    expect(await migrate(db.pool)).toEqual({ applied: all.slice(1) });
    expect(await migrate(db.pool)).toEqual({ applied: [] });
    expect(await schemaVersion(db.pool)).toBe(all.at(-1));
  });

  it('refuses a shipped migration edited after it was applied, naming the file', async () => {
    const db = await emptyDatabase('latest');
    const folder = copyOfMigrations();
    const file = path.join(folder, '001_initial.sql');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- an edit\n`);
    await expect(migrate(db.pool, { migrations: listMigrations(folder) })).rejects.toThrow(/001_initial\.sql was changed after it was applied/);
  });

  it('takes a file with Windows line endings as the same migration', async () => {
    const db = await emptyDatabase('latest');
    const folder = copyOfMigrations();
    const file = path.join(folder, '001_initial.sql');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    await expect(migrate(db.pool, { migrations: listMigrations(folder) })).resolves.toEqual({ applied: [] });
  });

  it('rolls a failing migration back entirely and names it', async () => {
    const db = await emptyDatabase('latest');
    const folder = copyOfMigrations();
    const next = listMigrations(folder).length + 1;
    const file = `${String(next).padStart(3, '0')}_broken.sql`;
    writeFileSync(path.join(folder, file), 'CREATE TABLE hub.half_done (id int);\nSELECT * FROM no_such_table;\n');
    await expect(migrate(db.pool, { migrations: listMigrations(folder) })).rejects.toThrow(new RegExp(`${file} failed: .*no_such_table`));
    expect(await schemaVersion(db.pool)).toBe(next - 1);
    const half = await db.pool.query("SELECT to_regclass('hub.half_done') AS table");
    expect(half.rows[0].table).toBeNull();
  });

  it('refuses a database newer than the hub', async () => {
    const db = await emptyDatabase('latest');
    const latest = listMigrations().length;
    await db.pool.query("INSERT INTO public.onemap_schema_migrations (version, name, sha256) VALUES ($1, 'future', 'x')", [latest + 1]);
    await expect(migrate(db.pool)).rejects.toThrow(`schema version ${latest + 1}, newer than this hub`);
  });

  it('applies each migration once when several starters run at once', async () => {
    const db = await emptyDatabase();
    const results = await Promise.all([1, 2, 3, 4].map(() => migrate(db.pool)));
    const applied = results.flatMap((result) => result.applied).sort((a, b) => a - b);
    expect(applied).toEqual(listMigrations().map((migration) => migration.version));
  });
});
