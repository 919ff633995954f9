// Office users' read-only logins: what they see (their counties only), what they cannot do, and
// server/db/readers.ts refusing bad input without writing anything.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createReader,
  dropReader,
  ensureDefaultReader,
  listReaders,
  readOnlyConnectionString,
  setReaderCounties,
  setReaderPassword,
} from '../../../server/db/readers';
import { testDatabase } from '../harness/database';
import { featureCount, ogrinfo } from './gdal';
import { seedHengshui, type SeededCounts } from './seed-hengshui';

let db: Awaited<ReturnType<typeof testDatabase>>;
let seeded: SeededCounts;
const suffix = randomBytes(4).toString('hex');
const taocheng = { name: `qgis_tc_${suffix}`, password: 'taocheng-2021' };
const created: string[] = [];
const pools: pg.Pool[] = [];

function readerPool(name: string, password: string, database = db.name): pg.Pool {
  const pool = new pg.Pool({ host: db.cluster.host, port: db.cluster.port, database, user: name, password, max: 1 });
  pools.push(pool);
  return pool;
}

function connectionOf(name: string, password: string): string {
  return readOnlyConnectionString({ host: db.cluster.host, port: db.cluster.port, database: db.name, name, password });
}

async function roleExists(name: string): Promise<boolean> {
  return (await db.pool.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).rowCount === 1;
}

beforeAll(async () => {
  db = await testDatabase();
  seeded = await seedHengshui(db.pool);
  await createReader(db.pool, { ...taocheng, counties: [131102] });
  created.push(taocheng.name);
});

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
  for (const name of created) {
    if (await roleExists(name)) await dropReader(db.pool, name);
  }
  await db.drop();
});

describe('a reader limited to one county', () => {
  it('sees only that county through ogrinfo and through SQL', async () => {
    const expected = seeded.total('wells', 131102);
    expect(expected).toBeGreaterThan(10);
    expect(expected).toBeLessThan(seeded.total('wells'));
    const output = await ogrinfo(connectionOf(taocheng.name, taocheng.password), ['-so', 'layers.wells']);
    expect(featureCount(output)).toBe(expected);

    const pool = readerPool(taocheng.name, taocheng.password);
    const counts = await pool.query<{ county: number; n: number }>(
      'SELECT county, count(*)::integer AS n FROM layers.wells GROUP BY county',
    );
    expect(counts.rows).toEqual([{ county: 131102, n: expected }]);
    const direct = await pool.query<{ n: number }>(`SELECT count(*)::integer AS n FROM hub.features WHERE layer_id = 'wells'`);
    expect(direct.rows[0]?.n).toBe(expected);
    // The boundaries are not limited.
    const counties = await pool.query<{ n: number }>('SELECT count(*)::integer AS n FROM layers.counties');
    expect(counties.rows[0]?.n).toBe(11);
  });

  it('cannot write, nor read users, tokens, applied changes or other readers', async () => {
    const pool = readerPool(taocheng.name, taocheng.password);
    await expect(pool.query(`UPDATE hub.features SET status = 'sealed' WHERE county = 131102`)).rejects.toMatchObject({ code: '42501' });
    await expect(pool.query(`UPDATE layers.wells SET status = 'sealed'`)).rejects.toThrow();
    for (const table of ['hub.users', 'hub.tokens', 'hub.applied_changes', 'hub.attachments', 'hub.history', 'hub.change_log']) {
      await expect(pool.query(`SELECT * FROM ${table} LIMIT 1`), table).rejects.toMatchObject({ code: '42501' });
    }
    await expect(pool.query('CREATE TABLE layers.mine (a integer)')).rejects.toMatchObject({ code: '42501' });
    const scopes = await pool.query('SELECT role_name FROM hub.reader_counties');
    expect(scopes.rows).toEqual([{ role_name: taocheng.name }]);
    const unchanged = await db.pool.query<{ n: number }>(`SELECT count(*)::integer AS n FROM hub.features WHERE version > 1`);
    expect(unchanged.rows[0]?.n).toBe(0);
  });

  it('follows a change of its counties', async () => {
    await setReaderCounties(db.pool, taocheng.name, [131102, 131182]);
    const pool = readerPool(taocheng.name, taocheng.password);
    const count = await pool.query<{ n: number }>('SELECT count(*)::integer AS n FROM layers.wells');
    expect(count.rows[0]?.n).toBe(seeded.total('wells', 131102) + seeded.total('wells', 131182));
    await setReaderCounties(db.pool, taocheng.name, [131102]);
  });

  it('sees nothing in a database that did not give it counties', async () => {
    const other = await testDatabase();
    try {
      await seedHengshui(other.pool);
      const pool = readerPool(taocheng.name, taocheng.password, other.name);
      const count = await pool.query<{ n: number }>('SELECT count(*)::integer AS n FROM layers.wells');
      expect(count.rows[0]?.n).toBe(0);
      await pool.end();
      pools.splice(pools.indexOf(pool), 1);
    } finally {
      await other.drop();
    }
  });
});

describe('the hub and an all-counties reader', () => {
  it('leaves the hub unlimited: row-level security is not forced on the owner', async () => {
    const table = await db.pool.query<{ enabled: boolean; forced: boolean }>(
      `SELECT relrowsecurity AS enabled, relforcerowsecurity AS forced FROM pg_class WHERE oid = 'hub.features'::regclass`,
    );
    expect(table.rows[0]).toEqual({ enabled: true, forced: false });
    const all = await db.pool.query<{ n: number }>(`SELECT count(*)::integer AS n FROM layers.wells`);
    expect(all.rows[0]?.n).toBe(seeded.total('wells'));
  });

  it('shows every county, and features outside every county, to an all-counties reader', async () => {
    await db.pool.query(
      `INSERT INTO hub.features (layer_id, id, county, status, properties, geometry)
       VALUES ('wells', 'outside-1', NULL, 'registered', '{}', '{"type": "Point", "coordinates": [116.5, 38.5]}')`,
    );
    const result = await ensureDefaultReader(db.pool, `qgis_office_${suffix}`);
    created.push(result.name);
    expect(result.created).toBe(true);
    expect(result.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const output = await ogrinfo(connectionOf(result.name, result.password ?? ''), ['-so', 'layers.wells']);
    expect(featureCount(output)).toBe(seeded.total('wells') + 1);
    // A second start finds it and shows no password (none is stored).
    expect(await ensureDefaultReader(db.pool, result.name)).toEqual({ name: result.name, password: null, created: false });
    const readers = await listReaders(db.pool);
    expect(readers).toContainEqual({ name: result.name, counties: 'all', editor: false });
    expect(readers).toContainEqual({ name: taocheng.name, counties: [131102], editor: false });
  });
});

describe('server/db/readers.ts', () => {
  it('refuses bad names, passwords and counties, writing nothing', async () => {
    const name = `qgis_bad_${suffix}`;
    await expect(createReader(db.pool, { name: 'Robert"); DROP', password: 'long enough', counties: 'all' })).rejects.toThrow(/reader name/);
    await expect(createReader(db.pool, { name: 'postgres', password: 'long enough', counties: 'all' })).rejects.toThrow(/reader name/);
    await expect(createReader(db.pool, { name, password: 'short', counties: 'all' })).rejects.toThrow(/at least 8/);
    await expect(createReader(db.pool, { name, password: 'long enough', counties: [13110] })).rejects.toThrow(/13110 is not a 6-digit/);
    await expect(createReader(db.pool, { name, password: 'long enough', counties: [] })).rejects.toThrow(/at least one county/);
    await expect(createReader(db.pool, { name: taocheng.name, password: 'long enough', counties: 'all' })).rejects.toThrow(/already exists/);
    expect(await roleExists(name)).toBe(false);
    const scopes = await db.pool.query('SELECT role_name FROM hub.reader_counties WHERE role_name = $1', [name]);
    expect(scopes.rowCount).toBe(0);
  });

  it('never drops a role that is not a reader', async () => {
    await expect(dropReader(db.pool, 'postgres')).rejects.toThrow(/reader name/);
    await db.pool.query(`CREATE ROLE qgis_plain_${suffix} NOLOGIN`);
    try {
      await expect(dropReader(db.pool, `qgis_plain_${suffix}`)).rejects.toThrow(/does not exist/);
      expect(await roleExists(`qgis_plain_${suffix}`)).toBe(true);
    } finally {
      await db.pool.query(`DROP ROLE qgis_plain_${suffix}`);
    }
  });

  it('takes a password with quotes and spaces, changes it, and drops the reader', async () => {
    const name = `qgis_tmp_${suffix}`;
    const password = `it's a "pass" \\ word`;
    await createReader(db.pool, { name, password, counties: [131121] });
    created.push(name);
    const output = await ogrinfo(connectionOf(name, password), ['-so', 'layers.wells']);
    expect(featureCount(output)).toBe(seeded.total('wells', 131121));
    await setReaderPassword(db.pool, name, 'second password');
    const pool = readerPool(name, 'second password');
    expect((await pool.query('SELECT current_user AS who')).rows[0]).toEqual({ who: name });
    await pool.end();
    pools.splice(pools.indexOf(pool), 1);
    await dropReader(db.pool, name);
    expect(await roleExists(name)).toBe(false);
    expect((await db.pool.query('SELECT 1 FROM hub.reader_counties WHERE role_name = $1', [name])).rowCount).toBe(0);
  });

  it('writes a libpq connection string that quotes what needs quoting', () => {
    expect(readOnlyConnectionString({ host: '/tmp/pg sock', port: 5432, database: 'onemap', name: 'office', password: `a'b\\c` })).toBe(
      `host='/tmp/pg sock' port=5432 dbname=onemap user=office password='a\\'b\\\\c'`,
    );
    expect(readOnlyConnectionString({ host: '127.0.0.1', port: 55460, database: 'onemap', name: 'office' })).toBe(
      'host=127.0.0.1 port=55460 dbname=onemap user=office',
    );
  });
});
