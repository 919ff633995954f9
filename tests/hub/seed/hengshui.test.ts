// Seeding the Hengshui workspace into a hub database: every demo feature with the app's ids,
// counties and layers, logged as one change; a second seed writes nothing.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LAYER_FILES, hengshuiLayers, hengshuiTargets2021 } from '../../../seeds/index';
import { SEED_CHANGE_ID, seedHengshui } from '../../../server/seed/hengshui';
import { testDatabase, type TestDatabase } from '../harness/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** Feature ids per layer, straight from the demo files. */
function demoIds(): Map<string, string[]> {
  const ids = new Map<string, string[]>();
  for (const { fileName, layerId } of DEMO_LAYER_FILES) {
    const collection = JSON.parse(readFileSync(new URL(`../../../seeds/demo/${fileName}`, import.meta.url), 'utf8')) as { features: { id: string }[] };
    ids.set(layerId, [...(ids.get(layerId) ?? []), ...collection.features.map((feature) => String(feature.id))]);
  }
  return ids;
}

async function tableCounts(): Promise<Record<string, number>> {
  const { rows } = await db.pool.query(`SELECT
    (SELECT count(*) FROM hub.features)::int AS features, (SELECT count(*) FROM hub.history)::int AS history,
    (SELECT count(*) FROM hub.change_log)::int AS change_log, (SELECT count(*) FROM hub.layers)::int AS layers,
    (SELECT count(*) FROM hub.counties)::int AS counties, (SELECT count(*) FROM hub.workspace)::int AS workspace,
    (SELECT max(version) FROM hub.features)::int AS max_version`);
  return rows[0];
}

describe('seeding the Hengshui workspace', () => {
  it('writes every demo feature with the app seeds\' ids, the layers and the 11 counties', async () => {
    const result = await seedHengshui(db.pool);
    const expected = demoIds();
    const total = [...expected.values()].reduce((sum, ids) => sum + ids.length, 0);
    expect(result.inserted).toEqual({ workspace: 1, targets: hengshuiTargets2021.length, layers: hengshuiLayers.length, counties: 11, features: total });

    const { rows } = await db.pool.query<{ layer_id: string; ids: string[] }>(
      'SELECT layer_id, array_agg(id ORDER BY id) AS ids FROM hub.features WHERE demo GROUP BY layer_id');
    expect(new Map(rows.map((row) => [row.layer_id, row.ids]))).toEqual(new Map([...expected].map(([layer, ids]) => [layer, [...ids].sort()])));

    const log = await db.pool.query('SELECT DISTINCT change_id, source FROM hub.change_log');
    expect(log.rows).toEqual([{ change_id: SEED_CHANGE_ID, source: 'hub' }]);
    const outside = await db.pool.query(`SELECT count(*)::int AS n FROM hub.features f
      WHERE f.county IS NOT NULL AND NOT EXISTS (SELECT 1 FROM hub.counties c WHERE c.adcode = f.county)`);
    expect(outside.rows[0].n).toBe(0);
    const village = await db.pool.query("SELECT properties->>'name' AS name, county, ST_AsText(geom) AS wkt FROM hub.features WHERE id = 'HS-VL-131102002201'");
    expect(village.rows[0]).toEqual({ name: '集贤街村', county: 131102, wkt: 'POINT(115.647139 37.659772)' });
  });

  it('changes nothing when run again', async () => {
    const before = await tableCounts();
    const again = await seedHengshui(db.pool);
    expect(again.inserted).toEqual({ workspace: 0, targets: 0, layers: 0, counties: 0, features: 0 });
    expect(await tableCounts()).toEqual(before);
    expect(before.max_version).toBe(1);
  });
});
