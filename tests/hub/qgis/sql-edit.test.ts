// An UPDATE made directly in PostGIS, as QGIS makes it when editing hub.features, goes through the
// same triggers as the hub's writes: a new version, a history row and a change-log row (source
// 'sql') in the feature's county, so the next pull hands it out.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReader, dropReader } from '../../../server/db/readers';
import { testDatabase } from '../harness/database';
import { seedHengshui } from './seed-hengshui';

let db: Awaited<ReturnType<typeof testDatabase>>;
let editorPool: pg.Pool;
const editor = { name: `qgis_ed_${randomBytes(4).toString('hex')}`, password: 'editor-2021' };

async function firstWell(county: number): Promise<{ id: string; version: string }> {
  const result = await db.pool.query<{ id: string; version: string }>(
    `SELECT id, version::text FROM hub.features WHERE layer_id = 'wells' AND county = $1 AND NOT deleted ORDER BY id LIMIT 1`,
    [county],
  );
  const row = result.rows[0];
  if (row === undefined) throw new Error(`no well in county ${county}`);
  return row;
}

beforeAll(async () => {
  db = await testDatabase();
  await seedHengshui(db.pool);
  await createReader(db.pool, { ...editor, counties: [131102], editor: true });
  editorPool = new pg.Pool({ host: db.cluster.host, port: db.cluster.port, database: db.name, user: editor.name, password: editor.password, max: 1 });
});

afterAll(async () => {
  await editorPool.end();
  await dropReader(db.pool, editor.name);
  await db.drop();
});

describe('a direct SQL UPDATE of hub.features', () => {
  it('writes a new version, a history row and a change-log row', async () => {
    const well = await firstWell(131102);
    const seqBefore = await db.pool.query<{ last: string | null }>(`SELECT max(seq)::text AS last FROM hub.change_log WHERE county = 131102`);
    const update = await editorPool.query(
      `UPDATE hub.features SET status = 'sealed', properties = properties || '{"sealedDate": "2021-07-01"}'
       WHERE layer_id = 'wells' AND id = $1`,
      [well.id],
    );
    expect(update.rowCount).toBe(1);

    const feature = await db.pool.query(
      `SELECT version::integer AS version, status, field_versions FROM hub.features WHERE layer_id = 'wells' AND id = $1`,
      [well.id],
    );
    const version = Number(well.version) + 1;
    expect(feature.rows[0]).toMatchObject({ version, status: 'sealed' });
    expect(feature.rows[0].field_versions).toMatchObject({ status: version, 'properties.sealedDate': version, geometry: 1 });

    const history = await db.pool.query(
      `SELECT operation, source, db_role, change_id, before ->> 'status' AS before_status, after ->> 'status' AS after_status
       FROM hub.history WHERE layer_id = 'wells' AND feature_id = $1 AND version = $2`,
      [well.id, version],
    );
    expect(history.rows).toEqual([
      { operation: 'update', source: 'sql', db_role: editor.name, change_id: null, before_status: 'registered', after_status: 'sealed' },
    ]);

    const log = await db.pool.query(
      `SELECT county, seq::text, kind, source, change_id FROM hub.change_log WHERE layer_id = 'wells' AND feature_id = $1 AND version = $2`,
      [well.id, version],
    );
    expect(log.rows).toHaveLength(1);
    expect(log.rows[0]).toMatchObject({ county: 131102, kind: 'upsert', source: 'sql', change_id: null });
    expect(BigInt(log.rows[0].seq)).toBeGreaterThan(BigInt(seqBefore.rows[0]?.last ?? '0'));

    // The office user's view shows the new state at once.
    const view = await editorPool.query(`SELECT status, status_label, "sealedDate"::text AS sealed, version FROM layers.wells WHERE id = $1`, [well.id]);
    expect(view.rows[0]).toEqual({ status: 'sealed', status_label: '已封填', sealed: '2021-07-01', version: String(version) });
  });

  it('keeps the GeoJSON in step when QGIS moves a point in PostGIS', async () => {
    const well = await firstWell(131102);
    await editorPool.query(
      `UPDATE hub.features SET geom = ST_GeomFromText('POINT(115.7 37.75)', 4490) WHERE layer_id = 'wells' AND id = $1`,
      [well.id],
    );
    const feature = await db.pool.query(`SELECT geometry, version::integer AS version FROM hub.features WHERE layer_id = 'wells' AND id = $1`, [well.id]);
    expect(feature.rows[0]?.geometry).toEqual({ type: 'Point', coordinates: [115.7, 37.75] });
    const log = await db.pool.query(`SELECT source FROM hub.change_log WHERE layer_id = 'wells' AND feature_id = $1 AND version = $2`, [
      well.id,
      feature.rows[0]?.version,
    ]);
    expect(log.rows).toEqual([{ source: 'sql' }]);
  });

  it('limits an editor to its counties', async () => {
    const other = await firstWell(131182);
    const outside = await editorPool.query(`UPDATE hub.features SET status = 'sealed' WHERE layer_id = 'wells' AND id = $1`, [other.id]);
    expect(outside.rowCount).toBe(0);
    const own = await firstWell(131102);
    await expect(
      editorPool.query(`UPDATE hub.features SET county = 131182 WHERE layer_id = 'wells' AND id = $1`, [own.id]),
    ).rejects.toMatchObject({ code: '42501' });
    // Bookkeeping columns stay the triggers' own.
    await expect(
      editorPool.query(`UPDATE hub.features SET version = 1 WHERE layer_id = 'wells' AND id = $1`, [own.id]),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(editorPool.query(`INSERT INTO hub.change_log (county, seq, layer_id, feature_id, version, kind, source)
      VALUES (131102, 999999, 'wells', 'x', 1, 'upsert', 'sql')`)).rejects.toMatchObject({ code: '42501' });
    const untouched = await db.pool.query(`SELECT status, county FROM hub.features WHERE layer_id = 'wells' AND id = $1`, [other.id]);
    expect(untouched.rows[0]).toEqual({ status: 'registered', county: 131182 });
  });
});
