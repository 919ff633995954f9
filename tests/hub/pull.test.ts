// Pull (`GET /v1/changes`) against a real PostgreSQL: paging by cursor over several counties
// (nothing skipped or repeated, also when transactions commit out of order), the latest version
// per feature, moved-out features, bbox, attachments, scope and cursor checks.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullResponseSchema, type PullResponse } from '../../shared/sync/hub/pull';
import { COUNTY_A, COUNTY_B, COUNTY_C, addTestUser, bearer, insertFeatures, seedWorkspace, signIn, startHub, type TestHub } from './auth-fixtures';

let hub: TestHub;
let token: string; // alice: counties A and B
let adminToken: string; // all counties

beforeAll(async () => {
  hub = await startHub();
  await seedWorkspace(hub.pool);
  await addTestUser(hub.pool, 'alice', [COUNTY_A, COUNTY_B]);
  await addTestUser(hub.pool, 'root', 'all', 'admin');
  token = await signIn(hub.app, 'alice');
  adminToken = await signIn(hub.app, 'root');
});
afterAll(async () => hub?.close());

async function pull(app: FastifyInstance, auth: string, query: string): Promise<PullResponse> {
  const response = await app.inject({ method: 'GET', url: `/v1/changes?${query}`, headers: bearer(auth) });
  expect(response.statusCode, response.body).toBe(200);
  return pullResponseSchema.parse(response.json());
}

/** Every page from `cursor` on; the ids (layer/id@version) in the order received. */
async function pullAll(counties: number[], cursor?: string, limit = 3, auth = token) {
  const seen: string[] = [];
  let pages = 0;
  for (;;) {
    const query = `counties=${counties.join(',')}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await pull(hub.app, auth, query);
    pages += 1;
    for (const feature of page.features) seen.push(`${feature.id}@${feature.version}${'movedOut' in feature ? ':out' : ''}`);
    cursor = page.cursor;
    if (!page.more) return { seen, cursor, pages };
    expect(pages).toBeLessThan(100);
  }
}

async function updateStatus(ids: string[], status: string): Promise<void> {
  await hub.pool.query("UPDATE hub.features SET status = $2 WHERE layer_id = 'wells' AND id = ANY($1)", [ids, status]);
}

describe('pull by cursor', () => {
  let cursor: string;

  it('pages through several counties, each feature once, only the pulled counties', async () => {
    const inA = Array.from({ length: 7 }, (_, i) => ({ id: `a${i}`, county: COUNTY_A, lon: 115.6 + i * 0.01, lat: 37.7 }));
    const inB = Array.from({ length: 5 }, (_, i) => ({ id: `b${i}`, county: COUNTY_B, lon: 115.7, lat: 37.5 + i * 0.01 }));
    const inC = Array.from({ length: 3 }, (_, i) => ({ id: `c${i}`, county: COUNTY_C, lon: 115.9, lat: 37.9 }));
    await insertFeatures(hub.pool, [...inA.slice(0, 4), ...inB.slice(0, 2), ...inC]);
    await insertFeatures(hub.pool, [...inB.slice(2), ...inA.slice(4)]);
    const first = await pullAll([COUNTY_A, COUNTY_B]);
    // Ordered by county, then by commit sequence.
    expect(first.seen).toEqual([...['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6'], ...['b0', 'b1', 'b2', 'b3', 'b4']].map((id) => `${id}@1`));
    expect(first.pages).toBe(5); // 12 rows by 3, then an empty page says there is no more
    cursor = first.cursor;
    // Nothing new: an empty page, same position.
    const again = await pull(hub.app, token, `counties=${COUNTY_A},${COUNTY_B}&cursor=${cursor}`);
    expect(again).toEqual({ features: [], cursor, more: false });
  });

  it('sends changes since the cursor, the latest version once per feature', async () => {
    await updateStatus(['a1', 'b3'], 'closed');
    await updateStatus(['a1'], 'sealed');
    await updateStatus(['c0'], 'closed'); // not pulled
    const next = await pullAll([COUNTY_A, COUNTY_B], cursor, 500);
    expect(next.seen).toEqual(['a1@3', 'b3@2']);
    cursor = next.cursor;
  });

  it('misses nothing when two transactions on one county commit out of order', async () => {
    const early = await hub.pool.connect();
    const late = await hub.pool.connect();
    try {
      await early.query('BEGIN');
      await early.query("UPDATE hub.features SET status = 'early' WHERE layer_id = 'wells' AND id = 'a2'");
      await insertFeatures(early, [{ id: 'a-early', county: COUNTY_A, lon: 115.6, lat: 37.6 }]);
      await late.query('BEGIN');
      await late.query("UPDATE hub.features SET status = 'late' WHERE layer_id = 'wells' AND id = 'a3'");
      await late.query('COMMIT');
      const between = await pullAll([COUNTY_A, COUNTY_B], cursor, 1);
      expect(between.seen).toEqual(['a3@2']);
      await early.query('COMMIT');
      const after = await pullAll([COUNTY_A, COUNTY_B], between.cursor, 1);
      expect(after.seen.sort()).toEqual(['a-early@1', 'a2@2']);
      cursor = after.cursor;
    } finally {
      early.release();
      late.release();
    }
  });

  it('tells a puller a feature left its counties, without its content', async () => {
    await hub.pool.query("UPDATE hub.features SET county = $1 WHERE layer_id = 'wells' AND id = 'a4'", [COUNTY_C]);
    const response = await hub.app.inject({ method: 'GET', url: `/v1/changes?counties=${COUNTY_A},${COUNTY_B}&cursor=${cursor}`, headers: bearer(token) });
    const page = pullResponseSchema.parse(response.json());
    expect(page.features).toEqual([{ layerId: 'wells', id: 'a4', version: 2, movedOut: true, county: COUNTY_A }]);
    expect(response.body).not.toContain('井 a4');
    // A puller of both counties gets the feature itself.
    const both = await pull(hub.app, adminToken, `counties=${COUNTY_A},${COUNTY_C}&limit=5000`);
    const a4 = both.features.filter((feature) => feature.id === 'a4');
    expect(a4).toHaveLength(1);
    expect(a4[0]).toMatchObject({ county: COUNTY_C, version: 2, properties: { name: '井 a4' } });
    expect('movedOut' in a4[0]!).toBe(false);
  });

  it('sends a feature whose county changed since its row was logged as moved out, not its content', async () => {
    // a5 was logged in A; before the puller reads that row it moves to C: the row in A must not
    // carry C's content to a puller of A.
    const fresh = await pull(hub.app, token, `counties=${COUNTY_A}&limit=5000`);
    const beforeMove = fresh.features.find((feature) => feature.id === 'a5');
    expect(beforeMove).toBeDefined();
    await hub.pool.query("UPDATE hub.features SET county = $1, status = 'secret' WHERE layer_id = 'wells' AND id = 'a5'", [COUNTY_C]);
    const response = await hub.app.inject({ method: 'GET', url: `/v1/changes?counties=${COUNTY_A}&limit=5000`, headers: bearer(token) });
    expect(response.body).not.toContain('secret');
    const a5 = pullResponseSchema.parse(response.json()).features.filter((feature) => feature.id === 'a5');
    expect(a5).toEqual([{ layerId: 'wells', id: 'a5', version: 2, movedOut: true, county: COUNTY_A }]);
  });

  it('sends tombstones and photos', async () => {
    const bytes = Buffer.from('photo bytes');
    const sha = createHash('sha256').update(bytes).digest('hex');
    await hub.pool.query("INSERT INTO hub.attachments (sha256, media_type, byte_size, bytes) VALUES ($1, 'image/jpeg', $2, $3)", [sha, bytes.length, bytes]);
    await hub.pool.query(
      `INSERT INTO hub.feature_attachments (layer_id, feature_id, attachment_id, sha256, file_name, media_type, byte_size, created_at)
       VALUES ('wells', 'b0', 'p1', $1, 'well.jpg', 'image/jpeg', $2, '2026-12-01T08:00:00Z')`,
      [sha, bytes.length],
    );
    await hub.pool.query("UPDATE hub.features SET status = 'photographed' WHERE layer_id = 'wells' AND id = 'b0'");
    await hub.pool.query("UPDATE hub.features SET deleted = true WHERE layer_id = 'wells' AND id = 'b1'");
    const page = await pull(hub.app, token, `counties=${COUNTY_B}&cursor=${cursor}`);
    const b0 = page.features.find((feature) => feature.id === 'b0');
    const b1 = page.features.find((feature) => feature.id === 'b1');
    expect(b0).toMatchObject({
      status: 'photographed',
      deleted: false,
      attachments: [{ attachmentId: 'p1', sha256: sha, thumbnailSha256: null, fileName: 'well.jpg', byteSize: bytes.length, attached: true, createdAt: '2026-12-01T08:00:00.000Z' }],
    });
    expect(b1).toMatchObject({ deleted: true, version: 2, fieldVersions: { exists: 2, status: 1 } });
  });
});

describe('pull filters and checks', () => {
  it('keeps features in the bbox (and every moved-out one)', async () => {
    await insertFeatures(hub.pool, [
      { id: 'box-in', county: COUNTY_B, lon: 116.0, lat: 38.0 },
      { id: 'box-out', county: COUNTY_B, lon: 116.5, lat: 38.5 },
    ]);
    const all = await pull(hub.app, token, `counties=${COUNTY_A},${COUNTY_B}&limit=5000&bbox=115.95,37.95,116.05,38.05`);
    const ids = all.features.map((feature) => feature.id);
    expect(ids).toContain('box-in');
    expect(ids).not.toContain('box-out');
    expect(ids).not.toContain('b2'); // at 115.7, 37.52
    expect(ids).toEqual(expect.arrayContaining(['a4', 'a5'])); // moved out: always sent
    expect(all.features.filter((feature) => !('movedOut' in feature)).map((feature) => feature.id)).toEqual(['box-in']);
  });

  it('refuses a county outside the user scope (403 naming it)', async () => {
    for (const counties of [`${COUNTY_A},${COUNTY_C}`, '0']) {
      const response = await hub.app.inject({ method: 'GET', url: `/v1/changes?counties=${counties}`, headers: bearer(token) });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('out-of-scope');
    }
    const response = await hub.app.inject({ method: 'GET', url: `/v1/changes?counties=${COUNTY_A},${COUNTY_C}`, headers: bearer(token) });
    expect(response.json().error.message).toContain(String(COUNTY_C));
    expect(response.json().error.details).toEqual({ county: COUNTY_C });
    // Outside every county: users with all counties only.
    await insertFeatures(hub.pool, [{ id: 'nowhere', county: null, lon: 100, lat: 30 }]);
    const outside = await pull(hub.app, adminToken, 'counties=0');
    expect(outside.features.map((feature) => feature.id)).toEqual(['nowhere']);
  });

  it.each([
    ['cursor=%%%', 'querystring/cursor'],
    ['cursor=bm90LWpzb24', 'querystring/cursor'],
    [`cursor=${Buffer.from(JSON.stringify({ v: 1, s: { [COUNTY_A]: -1 } })).toString('base64url')}`, 'querystring/cursor'],
    [`cursor=${Buffer.from(JSON.stringify({ v: 2, s: {} })).toString('base64url')}`, 'querystring/cursor'],
    [`cursor=${Buffer.from(JSON.stringify({ v: 1, s: { abc: 1 } })).toString('base64url')}`, 'querystring/cursor'],
    ['limit=5001', 'querystring/limit'],
    ['limit=0', 'querystring/limit'],
    ['limit=ten', 'querystring/limit'],
    ['bbox=1,2,3', 'querystring/bbox'],
    ['bbox=116,38,115,39', 'querystring/bbox'],
    ['extra=1', 'querystring/extra'],
  ])('refuses %s (400 naming %s)', async (query, field) => {
    const response = await hub.app.inject({ method: 'GET', url: `/v1/changes?counties=${COUNTY_A}&${query}`, headers: bearer(token) });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.code).toBe('invalid-request');
    expect(response.json().error.message.startsWith(`${field} `)).toBe(true);
  });

  it('refuses missing or malformed counties', async () => {
    for (const [query, message] of [
      ['', 'querystring/counties is required'],
      ['counties=abc', 'querystring/counties must be comma-separated 6-digit county adcodes'],
      ['counties=131102,', 'querystring/counties must be comma-separated 6-digit county adcodes'],
    ]) {
      const response = await hub.app.inject({ method: 'GET', url: `/v1/changes?${query}`, headers: bearer(token) });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toBe(message);
    }
  });
});
