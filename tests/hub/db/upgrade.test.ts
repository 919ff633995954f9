// Upgrading a filled database: a database at schema version 1 with rows in every table is
// migrated to the latest version; every row keeps its values and the triggers keep working.
// Generic over later migrations: rows are compared on the columns version 1 had; migration 4's
// last_change is filled from the history; migration 5 moves the targets array into versioned rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations, migrate, schemaVersion } from '../../../server/db/migrate';
import { testDatabase, type TestDatabase } from '../harness/database';
import { hengshuiTargets2021 } from '../../../seeds';

let db: TestDatabase;
// Two of the 2021 targets (no setId: their start year's set) and one naming its set.
const TARGETS = [
  ...hengshuiTargets2021.slice(0, 2),
  { ...hengshuiTargets2021[2], id: 'plan-target', setId: 'plan-b', startDate: '2022-01-01', deadline: '2022-12-31' },
];
beforeAll(async () => {
  db = await testDatabase({ schema: 'empty' });
  await migrate(db.pool, { upTo: 1 });
});
afterAll(async () => {
  await db?.drop();
});

async function fillAtVersion1(): Promise<void> {
  const q = (sql: string, values: unknown[] = []) => db.pool.query(sql, values);
  await q(`INSERT INTO hub.workspace (key, value) VALUES ('name', '{"zh-CN":"衡水市","en":"Hengshui"}')`);
  await q(`INSERT INTO hub.workspace (key, value) VALUES ('targets', $1)`, [JSON.stringify(TARGETS)]);
  await q(`INSERT INTO hub.counties (adcode, name, geom) VALUES
    (131102, '{"zh-CN":"桃城区"}', ST_Multi(ST_MakeEnvelope(115.5, 37.6, 115.8, 37.9, 4490))),
    (131121, '{"zh-CN":"枣强县"}', ST_Multi(ST_MakeEnvelope(115.6, 37.3, 115.9, 37.6, 4490)))`);
  await q(`INSERT INTO hub.layers (id, definition) VALUES ('wells', '{"id":"wells"}'), ('parks', '{"id":"parks"}')`);
  await q(`INSERT INTO hub.users (name, display_name, role, counties, password_hash)
    VALUES ('li', '李工', 'surveyor', '{131102}', 'scrypt$16384$8$1$c2FsdA$aGFzaA'),
           ('boss', NULL, 'admin', '{}', 'scrypt$16384$8$1$c2FsdA$aGFzaA')`);
  await q(`UPDATE hub.users SET all_counties = true WHERE name = 'boss'`);
  await q(`INSERT INTO hub.tokens (token_sha256, user_id, device, expires_at)
    SELECT repeat('a', 64), id, 'tablet-1', now() + interval '1 day' FROM hub.users WHERE name = 'li'`);
  for (let i = 0; i < 20; i += 1) {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT set_config('onemap.change_id', $1, true), set_config('onemap.device', 'tablet-1', true)", [`c-${i}`]);
      await client.query(`INSERT INTO hub.features (layer_id, id, county, status, properties, geometry, demo)
        VALUES ($1, $2, $3, 'planned', $4, $5, $6)`,
      [i % 2 === 0 ? 'wells' : 'parks', `f-${i}`, i % 3 === 0 ? 131121 : 131102, { n: i, name: `要素 ${i}` },
        { type: 'Point', coordinates: [115.6 + i / 1000, 37.5] }, i % 5 === 0]);
      await client.query(`INSERT INTO hub.applied_changes (change_id, device, request_sha256, result) VALUES ($1, 'tablet-1', $2, '{"status":"applied"}')`,
        [`c-${i}`, String(i).padStart(64, '0')]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }
  await q(`UPDATE hub.features SET status = 'built' WHERE id IN ('f-1', 'f-2')`);
  await q(`UPDATE hub.features SET deleted = true WHERE id = 'f-3'`);
  await q(`INSERT INTO hub.attachments (sha256, media_type, byte_size, bytes) VALUES ($1, 'image/jpeg', 3, '\\x010203')`, ['b'.repeat(64)]);
  await q(`INSERT INTO hub.feature_attachments (layer_id, feature_id, attachment_id, sha256, file_name, media_type, byte_size, created_at)
    VALUES ('wells', 'f-0', 'att-1', $1, '照片.jpg', 'image/jpeg', 3, '2026-01-02T03:04:05Z')`, ['b'.repeat(64)]);
  await q(`INSERT INTO hub.conflicts (layer_id, feature_id, county, change_id, entry_id, kind, field, base, theirs, hub, hub_version)
    VALUES ('wells', 'f-2', 131102, 'c-x', 'e-1', 'field', 'status', '"planned"', '"abandoned"', '"built"', 2)`);
}

/** Every hub table's rows as JSON, sorted, keyed by table. */
async function snapshot(): Promise<Map<string, Record<string, unknown>[]>> {
  const { rows: tables } = await db.pool.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'hub' AND table_type = 'BASE TABLE' ORDER BY 1");
  const result = new Map<string, Record<string, unknown>[]>();
  for (const { table_name: table } of tables) {
    const { rows } = await db.pool.query<{ row: Record<string, unknown> }>(`SELECT to_jsonb(t) AS row FROM hub.${table} t`);
    result.set(table, rows.map((row) => row.row));
  }
  return result;
}

const sortRows = (rows: Record<string, unknown>[]): string[] => rows.map((row) => JSON.stringify(row)).sort();
const pick = (row: Record<string, unknown>, keys: string[]): Record<string, unknown> =>
  Object.fromEntries(keys.map((key) => [key, row[key]]));

describe('upgrading a filled database', () => {
  it('keeps every row of schema 1 and the triggers keep working', async () => {
    await fillAtVersion1();
    const before = await snapshot();
    for (const table of ['features', 'users', 'tokens', 'change_log', 'history', 'conflicts', 'counties', 'layers', 'feature_attachments']) {
      expect(before.get(table)?.length, table).toBeGreaterThan(0);
    }
    const historyCount = before.get('history')?.length ?? 0;

    const latest = listMigrations().at(-1)?.version ?? 0;
    const { applied } = await migrate(db.pool);
    expect(applied).toEqual(listMigrations().filter((m) => m.version > 1).map((m) => m.version));
    expect(await schemaVersion(db.pool)).toBe(latest);

    const after = await snapshot();
    // Migration 5: the targets array left hub.workspace for hub.targets (checked below).
    before.set('workspace', (before.get('workspace') ?? []).filter((row) => row.key !== 'targets'));
    for (const [table, rows] of before) {
      const keys = Object.keys(rows[0] ?? {});
      expect(sortRows((after.get(table) ?? []).map((row) => pick(row, keys))), `hub.${table}`).toEqual(sortRows(rows));
    }

    // Migration 4: every feature's last change is its latest history row.
    const lastChanges = await db.pool.query(`SELECT f.id, f.last_change, h.time FROM hub.features f
      CROSS JOIN LATERAL (SELECT to_char(server_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time
        FROM hub.history h WHERE h.layer_id = f.layer_id AND h.feature_id = f.id ORDER BY id DESC LIMIT 1) h ORDER BY f.id`);
    expect(lastChanges.rows).toHaveLength(20);
    for (const row of lastChanges.rows) expect(row.last_change.time, row.id).toBe(row.time);
    const byId = new Map(lastChanges.rows.map((row) => [row.id as string, row.last_change]));
    // Kept without null members (a pull sends it as it is).
    expect(byId.get('f-0')).toEqual({ source: 'hub', device: 'tablet-1', time: expect.any(String), dbRole: expect.any(String) });
    expect(byId.get('f-1')).toEqual({ source: 'sql', time: expect.any(String), dbRole: expect.any(String) });

    // Migration 5: one row per target in its set, a 2021 set for the ones without setId, history.
    const targets = await db.pool.query('SELECT id, set_id, layer_id, definition, version::int, deleted FROM hub.targets ORDER BY id');
    expect(targets.rows).toEqual(TARGETS.map((target) => ({
      id: target.id, set_id: target.setId ?? 'year-2021', layer_id: target.layerId, definition: target, version: 1, deleted: false,
    })).sort((a, b) => a.id.localeCompare(b.id)));
    const sets = await db.pool.query('SELECT id, definition, version::int FROM hub.target_sets ORDER BY id');
    expect(sets.rows).toEqual([{ id: 'year-2021', definition: { id: 'year-2021', year: 2021, title: { zh: '2021 年目标', en: '2021 targets' } }, version: 1 }]);
    const definitionHistory = await db.pool.query('SELECT kind, count(*)::int AS n FROM hub.definition_history GROUP BY kind ORDER BY kind');
    expect(definitionHistory.rows).toEqual([{ kind: 'layer', n: 2 }, { kind: 'target', n: 3 }, { kind: 'target-set', n: 1 }]);

    // A write after the upgrade: new version, history and change log as before.
    await db.pool.query(`UPDATE hub.features SET properties = properties || '{"n": 100}' WHERE id = 'f-6'`);
    await db.pool.query(`INSERT INTO hub.features (layer_id, id, county, status, geometry)
      VALUES ('parks', 'new-1', 131102, 'planned', '{"type":"Point","coordinates":[115.61,37.7]}')`);
    const feature = await db.pool.query("SELECT version, field_versions->'properties.n' AS n FROM hub.features WHERE id = 'f-6'");
    expect(feature.rows[0]).toEqual({ version: '2', n: 2 });
    const history = await db.pool.query('SELECT count(*)::int AS n FROM hub.history');
    expect(history.rows[0].n).toBe(historyCount + 2);
    const log = await db.pool.query(`SELECT feature_id, version, county, seq FROM hub.change_log
      WHERE (feature_id, version) IN (('f-6', 2), ('new-1', 1)) ORDER BY feature_id`);
    const lastSeq = (county: number) => Math.max(...(before.get('change_log') ?? [])
      .filter((row) => row.county === county).map((row) => Number(row.seq)));
    expect(log.rows).toEqual([
      { feature_id: 'f-6', version: '2', county: 131121, seq: String(lastSeq(131121) + 1) },
      { feature_id: 'new-1', version: '1', county: 131102, seq: String(lastSeq(131102) + 1) },
    ]);
  });
});
