// The proof the issue asks for: an UPDATE made directly in PostGIS (as QGIS makes it) reaches the
// next pull of the feature's county, and a feature moved out by SQL is dropped by that county's
// pullers.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildHub } from '../../../server/app';
import { createReader, dropReader } from '../../../server/db/readers';
import { addUser } from '../../../server/users';
import { testDatabase } from '../harness/database';
import { seedHengshui } from './seed-hengshui';

let db: Awaited<ReturnType<typeof testDatabase>>;
let hub: FastifyInstance;
let editorPool: pg.Pool;
let token: string;
const editor = { name: `qgis_pull_${randomBytes(4).toString('hex')}`, password: 'editor-2021' };

interface PullAnswer {
  features: { layerId: string; id: string; version: number; status?: string; properties?: Record<string, unknown>; movedOut?: true }[];
  cursor: string;
  more: boolean;
}

async function pull(cursor: string | null): Promise<PullAnswer> {
  const query = new URLSearchParams({ counties: '131102', limit: '5000' });
  if (cursor !== null) query.set('cursor', cursor);
  const response = await hub.inject({ method: 'GET', url: `/v1/changes?${query}`, headers: { authorization: `Bearer ${token}` } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<PullAnswer>();
}

/** Pulls every page; returns the features of all pages and the last cursor. */
async function pullAll(cursor: string | null): Promise<{ features: PullAnswer['features']; cursor: string }> {
  const features: PullAnswer['features'] = [];
  let next = cursor;
  for (;;) {
    const page = await pull(next);
    features.push(...page.features);
    next = page.cursor;
    if (!page.more) return { features, cursor: page.cursor };
  }
}

beforeAll(async () => {
  db = await testDatabase();
  await seedHengshui(db.pool);
  await addUser(db.pool, { name: 'taocheng-planner', role: 'planner', counties: [131102], password: 'planner-2021' });
  await createReader(db.pool, { ...editor, counties: [131102], editor: true });
  editorPool = new pg.Pool({ host: db.cluster.host, port: db.cluster.port, database: db.name, user: editor.name, password: editor.password, max: 1 });
  hub = await buildHub({ pool: db.pool });
  const session = await hub.inject({ method: 'POST', url: '/v1/session', payload: { user: 'taocheng-planner', password: 'planner-2021' } });
  expect(session.statusCode, session.body).toBe(200);
  token = session.json<{ token: string }>().token;
});

afterAll(async () => {
  await hub.close();
  await editorPool.end();
  await dropReader(db.pool, editor.name);
  await db.drop();
});

describe('a direct SQL UPDATE and the next pull', () => {
  it('hands the edited feature to the next pull of its county, and only it', async () => {
    const first = await pullAll(null);
    const wells = first.features.filter((feature) => feature.layerId === 'wells');
    expect(wells.length).toBeGreaterThan(10);
    const target = wells.find((feature) => feature.status === 'registered');
    if (target === undefined) throw new Error('no registered well in 131102');

    const update = await editorPool.query(
      `UPDATE hub.features SET status = 'sealed', properties = properties || '{"sealedDate": "2021-07-01"}'
       WHERE layer_id = 'wells' AND id = $1`,
      [target.id],
    );
    expect(update.rowCount).toBe(1);

    const next = await pullAll(first.cursor);
    expect(next.features).toHaveLength(1);
    expect(next.features[0]).toMatchObject({
      layerId: 'wells',
      id: target.id,
      version: target.version + 1,
      status: 'sealed',
      properties: expect.objectContaining({ sealedDate: '2021-07-01' }),
    });
    // Nothing new after that.
    expect((await pullAll(next.cursor)).features).toEqual([]);
  });

  it('tells the county a feature moved out by SQL left it', async () => {
    const start = await pullAll(null);
    const target = start.features.find((feature) => feature.layerId === 'pocket-parks' && feature.movedOut !== true);
    if (target === undefined) throw new Error('no pocket park in 131102');
    // As a bureau admin would, connected as the tables' owner.
    await db.pool.query(`UPDATE hub.features SET county = 131182 WHERE layer_id = 'pocket-parks' AND id = $1`, [target.id]);
    const next = await pullAll(start.cursor);
    expect(next.features).toEqual([{ layerId: 'pocket-parks', id: target.id, version: target.version + 1, movedOut: true, county: 131102 }]);
  });
});
