// Pull's one row per feature and page (PULL_ROWS_SQL's `latest`): when a feature changed several
// times and moved county since the cursor, every puller gets it once, at its latest version — as
// `movedOut` (naming the county it left) to a puller of the old county only, as the feature to a
// puller of the new county, and as the feature to a puller of both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullResponseSchema, type PullResponse } from '../../shared/sync/hub/pull';
import { COUNTY_A, COUNTY_B, addTestUser, bearer, insertFeatures, seedWorkspace, signIn, startHub, type TestHub } from './auth-fixtures';

let hub: TestHub;
const tokens: Record<'a' | 'b' | 'ab', string> = { a: '', b: '', ab: '' };

beforeAll(async () => {
  hub = await startHub();
  await seedWorkspace(hub.pool);
  await addTestUser(hub.pool, 'only-a', [COUNTY_A]);
  await addTestUser(hub.pool, 'only-b', [COUNTY_B]);
  await addTestUser(hub.pool, 'both', [COUNTY_A, COUNTY_B]);
  tokens.a = await signIn(hub.app, 'only-a');
  tokens.b = await signIn(hub.app, 'only-b');
  tokens.ab = await signIn(hub.app, 'both');
});
afterAll(async () => hub?.close());

async function pull(who: keyof typeof tokens, counties: number[], cursor?: string): Promise<PullResponse> {
  const query = `counties=${counties.join(',')}&limit=5000${cursor ? `&cursor=${cursor}` : ''}`;
  const response = await hub.app.inject({ method: 'GET', url: `/v1/changes?${query}`, headers: bearer(tokens[who]) });
  expect(response.statusCode, response.body).toBe(200);
  const page = pullResponseSchema.parse(response.json());
  expect(page.more).toBe(false);
  return page;
}

/** The page's rows of one feature, reduced to what tells them apart. */
function rowsOf(page: PullResponse, id: string): unknown[] {
  return page.features
    .filter((feature) => feature.id === id)
    .map((feature) => ('movedOut' in feature ? { movedOut: feature.county, version: feature.version } : { county: feature.county, version: feature.version, status: feature.status }));
}

const update = (id: string, set: string, values: unknown[] = []) =>
  hub.pool.query(`UPDATE hub.features SET ${set} WHERE layer_id = 'wells' AND id = $1`, [id, ...values]);

describe('one row per feature when it changed several times and moved inside one page', () => {
  const cursors: Partial<Record<keyof typeof tokens, string>> = {};

  it('starts from cursors taken before the changes', async () => {
    await insertFeatures(hub.pool, [{ id: 'other-a', county: COUNTY_A, lon: 115.6, lat: 37.7 }, { id: 'other-b', county: COUNTY_B, lon: 115.7, lat: 37.5 }]);
    cursors.a = (await pull('a', [COUNTY_A])).cursor;
    cursors.b = (await pull('b', [COUNTY_B])).cursor;
    cursors.ab = (await pull('ab', [COUNTY_A, COUNTY_B])).cursor;
  });

  it('created, edited, moved from A to B and edited again: movedOut to A, the latest version to B', async () => {
    await insertFeatures(hub.pool, [{ id: 'm', county: COUNTY_A, lon: 115.61, lat: 37.7, status: 'v1' }]);
    await update('m', "status = 'v2'");
    await update('m', 'county = $2, status = $3', [COUNTY_B, 'v3']);
    await update('m', "status = 'v4'");
    // Change log: A has m@1, m@2 and m@3 moved-out; B has m@3 and m@4.
    const log = await hub.pool.query("SELECT county, version::int, kind FROM hub.change_log WHERE feature_id = 'm' ORDER BY county, seq");
    expect(log.rows).toEqual([
      { county: COUNTY_A, version: 1, kind: 'upsert' }, { county: COUNTY_A, version: 2, kind: 'upsert' }, { county: COUNTY_A, version: 3, kind: 'moved-out' },
      { county: COUNTY_B, version: 3, kind: 'upsert' }, { county: COUNTY_B, version: 4, kind: 'upsert' },
    ]);
    expect(rowsOf(await pull('a', [COUNTY_A], cursors.a), 'm')).toEqual([{ movedOut: COUNTY_A, version: 4 }]);
    expect(rowsOf(await pull('b', [COUNTY_B], cursors.b), 'm')).toEqual([{ county: COUNTY_B, version: 4, status: 'v4' }]);
    expect(rowsOf(await pull('ab', [COUNTY_A, COUNTY_B], cursors.ab), 'm')).toEqual([{ county: COUNTY_B, version: 4, status: 'v4' }]);
    // Only A's pullers of a new feature that never reached them: nothing of B's content leaks.
    const onlyA = await hub.app.inject({ method: 'GET', url: `/v1/changes?counties=${COUNTY_A}&cursor=${cursors.a}`, headers: bearer(tokens.a) });
    expect(onlyA.body).not.toContain('v4');
  });

  it('moved to B and back to A: the feature to A, movedOut (B) to B, once to a puller of both', async () => {
    await insertFeatures(hub.pool, [{ id: 'r', county: COUNTY_A, lon: 115.62, lat: 37.7, status: 'r1' }]);
    await update('r', 'county = $2, status = $3', [COUNTY_B, 'r2']);
    await update('r', 'county = $2, status = $3', [COUNTY_A, 'r3']);
    expect(rowsOf(await pull('a', [COUNTY_A], cursors.a), 'r')).toEqual([{ county: COUNTY_A, version: 3, status: 'r3' }]);
    expect(rowsOf(await pull('b', [COUNTY_B], cursors.b), 'r')).toEqual([{ movedOut: COUNTY_B, version: 3 }]);
    expect(rowsOf(await pull('ab', [COUNTY_A, COUNTY_B], cursors.ab), 'r')).toEqual([{ county: COUNTY_A, version: 3, status: 'r3' }]);
  });

  it('edited, moved and edited in one transaction: one change-log version, the same answers', async () => {
    await insertFeatures(hub.pool, [{ id: 't', county: COUNTY_A, lon: 115.63, lat: 37.7, status: 't1' }]);
    const client = await hub.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("UPDATE hub.features SET status = 't2' WHERE layer_id = 'wells' AND id = 't'");
      await client.query("UPDATE hub.features SET county = $1 WHERE layer_id = 'wells' AND id = 't'", [COUNTY_B]);
      await client.query("UPDATE hub.features SET status = 't4' WHERE layer_id = 'wells' AND id = 't'");
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const log = await hub.pool.query("SELECT county, version::int, kind FROM hub.change_log WHERE feature_id = 't' ORDER BY county, seq");
    expect(log.rows).toEqual([
      { county: COUNTY_A, version: 1, kind: 'upsert' }, { county: COUNTY_A, version: 4, kind: 'moved-out' }, { county: COUNTY_B, version: 4, kind: 'upsert' },
    ]);
    expect(rowsOf(await pull('a', [COUNTY_A], cursors.a), 't')).toEqual([{ movedOut: COUNTY_A, version: 4 }]);
    expect(rowsOf(await pull('b', [COUNTY_B], cursors.b), 't')).toEqual([{ county: COUNTY_B, version: 4, status: 't4' }]);
    expect(rowsOf(await pull('ab', [COUNTY_A, COUNTY_B], cursors.ab), 't')).toEqual([{ county: COUNTY_B, version: 4, status: 't4' }]);
  });

  it('leaves the features that did not change out of those pages', async () => {
    const page = await pull('ab', [COUNTY_A, COUNTY_B], cursors.ab);
    expect(page.features.map((feature) => feature.id).sort()).toEqual(['m', 'r', 't']);
  });
});
