// The schema on a real cluster: every migration applied to the template, the hub tables there,
// and the triggers writing versions, history and the per-county change log for direct SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations } from '../../../server/db/migrate';
import { testDatabase, type TestDatabase } from '../harness/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('the hub schema', () => {
  it('has every migration recorded with its checksum', async () => {
    const { rows } = await db.pool.query('SELECT version, sha256 FROM public.onemap_schema_migrations ORDER BY version');
    expect(rows).toEqual(listMigrations().map(({ version, sha256 }) => ({ version, sha256 })));
  });

  it('has the hub tables and PostGIS', async () => {
    const { rows } = await db.pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'hub' AND table_type = 'BASE TABLE'");
    const tables = rows.map((row) => row.table_name);
    for (const table of ['workspace', 'counties', 'layers', 'features', 'attachments', 'feature_attachments', 'users',
      'tokens', 'applied_changes', 'conflicts', 'county_sequences', 'change_log', 'history']) {
      expect(tables).toContain(table);
    }
    const postgis = await db.pool.query("SELECT extversion FROM pg_extension WHERE extname = 'postgis'");
    expect(postgis.rows[0]?.extversion).toMatch(/^3\./);
  });

  it('writes history and the change log for a direct INSERT and UPDATE', async () => {
    await db.pool.query(`INSERT INTO hub.layers (id, definition) VALUES ('wells', '{}')`);
    await db.pool.query(`INSERT INTO hub.features (layer_id, id, county, status, properties, geometry)
      VALUES ('wells', 'w1', 131102, 'planned', '{"depth": 10}', '{"type":"Point","coordinates":[115.6,37.7]}')`);
    await db.pool.query(`UPDATE hub.features SET properties = '{"depth": 12}', county = 131121 WHERE id = 'w1'`);

    const feature = await db.pool.query('SELECT version, field_versions, ST_AsText(geom) AS wkt FROM hub.features WHERE id = $1', ['w1']);
    expect(feature.rows[0]).toMatchObject({ version: '2', wkt: 'POINT(115.6 37.7)' });
    expect(feature.rows[0].field_versions).toMatchObject({ 'properties.depth': 2, county: 2, status: 1, geometry: 1 });

    const history = await db.pool.query('SELECT version, operation, source, db_role FROM hub.history WHERE feature_id = $1 ORDER BY version', ['w1']);
    expect(history.rows).toEqual([
      { version: '1', operation: 'create', source: 'sql', db_role: 'postgres' },
      { version: '2', operation: 'update', source: 'sql', db_role: 'postgres' },
    ]);

    const log = await db.pool.query('SELECT county, seq, version, kind, source FROM hub.change_log WHERE feature_id = $1 ORDER BY version, kind DESC', ['w1']);
    expect(log.rows).toEqual([
      { county: 131102, seq: '1', version: '1', kind: 'upsert', source: 'sql' },
      { county: 131121, seq: '1', version: '2', kind: 'upsert', source: 'sql' },
      { county: 131102, seq: '2', version: '2', kind: 'moved-out', source: 'sql' },
    ]);
  });

  it('logs a write made with onemap.change_id as the hub\'s', async () => {
    await db.pool.query(`INSERT INTO hub.layers (id, definition) VALUES ('parks', '{}')`);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT set_config('onemap.change_id', 'c-1', true)");
      await client.query(`INSERT INTO hub.features (layer_id, id, county, status, geometry)
        VALUES ('parks', 'p1', 131102, 'planned', '{"type":"Point","coordinates":[115.7,37.7]}')`);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const log = await db.pool.query('SELECT change_id, source FROM hub.change_log WHERE feature_id = $1', ['p1']);
    expect(log.rows).toEqual([{ change_id: 'c-1', source: 'hub' }]);
  });
});
