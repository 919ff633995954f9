// Who changed a feature, as the app sees it: `lastChange` on pulled features (kept on the row by
// migration 004's triggers) and GET /v1/features/:layerId/:featureId/history. A direct SQL UPDATE
// (as QGIS makes it, by an editor role) shows as source 'sql' with that role in both; a push shows
// the user, author name, device, note and client time; a photo attached later moves lastChange.
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReader, dropReader } from '../../server/db/readers';
import { historyAnswerSchema, type HistoryAnswer } from '../../shared/sync/hub/history';
import { pullResponseSchema, type PulledFeature } from '../../shared/sync/hub/pull';
import { change, entry, HENGSHUI_TAOCHENG, push, pushHub, seed, uniqueId, type PushHub, type UserName } from './push/fixture';

let hub: PushHub;
let editorPool: pg.Pool;
let hubRole: string;
const editor = { name: `qgis_history_${randomBytes(4).toString('hex')}`, password: 'editor-2021' };
const featureId = uniqueId('W');

beforeAll(async () => {
  hub = await pushHub();
  await createReader(hub.db.pool, { ...editor, counties: [HENGSHUI_TAOCHENG], editor: true });
  const { cluster, name } = hub.db;
  editorPool = new pg.Pool({ host: cluster.host, port: cluster.port, database: name, user: editor.name, password: editor.password, max: 1 });
  hubRole = (await hub.db.pool.query<{ role: string }>('SELECT current_user AS role')).rows[0]!.role;
});
afterAll(async () => {
  await editorPool?.end();
  if (hub) await dropReader(hub.db.pool, editor.name);
  await hub?.close();
});

async function pulled(user: UserName = 'planner'): Promise<PulledFeature> {
  const answer = await hub.app.inject({ method: 'GET', url: `/v1/changes?counties=${HENGSHUI_TAOCHENG}&limit=5000`, headers: hub.as(user) });
  expect(answer.statusCode, answer.body).toBe(200);
  const found = pullResponseSchema.parse(answer.json()).features.find((feature) => feature.id === featureId);
  if (found === undefined || 'movedOut' in found) throw new Error(`${featureId} not pulled`);
  return found;
}

async function history(user: UserName, query = ''): Promise<{ status: number; body: HistoryAnswer & { error?: { code: string } } }> {
  const answer = await hub.app.inject({ method: 'GET', url: `/v1/features/wells/${featureId}/history${query}`, headers: hub.as(user) });
  return { status: answer.statusCode, body: answer.json() };
}

describe('lastChange and the history', () => {
  it('a push: the user, author name, device, note and client time', async () => {
    const started = Date.now();
    const answer = await push(hub, 'surveyor', change([entry(featureId, 'create', null, seed)]));
    expect(answer.body.status).toBe('applied');
    const feature = await pulled();
    expect(feature.lastChange).toEqual({
      userName: 'surveyor', authorName: '张三', device: 'tablet-a', note: '外业核查',
      time: feature.updatedAt, clientTime: '2026-12-06T08:00:00.000Z', source: 'hub', dbRole: hubRole,
    });
    expect(Date.parse(feature.lastChange!.time)).toBeGreaterThanOrEqual(started - 1000);
  });

  it('a direct SQL UPDATE by an editor role: source sql and the role, in lastChange and the history', async () => {
    const update = await editorPool.query("UPDATE hub.features SET status = 'scheduled', properties = properties || '{\"depth\": 12}' WHERE layer_id = 'wells' AND id = $1", [featureId]);
    expect(update.rowCount).toBe(1);
    const feature = await pulled();
    expect(feature.version).toBe(2);
    expect(feature.lastChange).toEqual({
      userName: null, authorName: null, device: null, note: null, time: feature.updatedAt, clientTime: null, source: 'sql', dbRole: editor.name,
    });
    // On the wire without its null members, as compact text.
    const raw = await hub.app.inject({ method: 'GET', url: `/v1/changes?counties=${HENGSHUI_TAOCHENG}&limit=5000`, headers: hub.as('planner') });
    expect(raw.body).toContain(`"lastChange":{"time":"${feature.updatedAt}","source":"sql","dbRole":"${editor.name}"}`);

    const { status, body } = await history('planner');
    expect(status).toBe(200);
    historyAnswerSchema.parse(body);
    expect(body.more).toBe(false);
    expect(body.history.map((row) => [row.version, row.operation, row.source])).toEqual([[2, 'update', 'sql'], [1, 'create', 'hub']]);
    const [sql, created] = body.history;
    expect(sql).toMatchObject({ user: null, authorName: null, device: null, note: null, clientTime: null, dbRole: editor.name, changeId: null });
    expect(sql!.changes).toEqual([
      { field: 'status', before: 'registered', after: 'scheduled' },
      { field: 'properties.depth', before: 10, after: 12 },
    ]);
    expect(created).toMatchObject({ user: 'surveyor', authorName: '张三', device: 'tablet-a', note: '外业核查', clientTime: '2026-12-06T08:00:00.000Z', dbRole: hubRole });
    expect(created!.changes.map((row) => row.field)).toEqual(['exists', 'geometry', 'status', 'county', 'demo', 'properties.depth', 'properties.name']);
    expect(created!.changes[0]).toEqual({ field: 'exists', before: false, after: true });
    expect(created!.changes[2]).toEqual({ field: 'status', after: 'registered' });
  });

  it('a photo attached later: lastChange names its writer, the history its row', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
    const hash = createHash('sha256').update(jpeg).digest('hex');
    const put = await hub.app.inject({ method: 'PUT', url: `/v1/attachments/${hash}`, headers: { ...hub.as('planner'), 'content-type': 'image/jpeg' }, payload: jpeg });
    expect(put.statusCode).toBe(201);
    const photo = entry(featureId, 'attach', null, null, {
      device: 'office-pc', authorName: '李四', note: '补拍', time: '2026-12-07T01:00:00.000Z',
      attachment: { id: 'P-h', fileName: 'well.jpg', mediaType: 'image/jpeg', byteSize: jpeg.length, hasThumbnail: false, createdAt: '2026-12-07T01:00:00.000Z' },
    });
    const answer = await push(hub, 'planner', change([photo], { device: 'office-pc', attachments: [{ attachmentId: 'P-h', sha256: hash }] }));
    expect(answer.body.status, JSON.stringify(answer.body)).toBe('applied');
    const feature = await pulled();
    expect(feature.version).toBe(2);
    expect(feature.lastChange).toMatchObject({ userName: 'planner', authorName: '李四', device: 'office-pc', note: '补拍', clientTime: '2026-12-07T01:00:00.000Z', source: 'hub' });
    const { body } = await history('surveyor');
    expect(body.history[0]).toMatchObject({ operation: 'attach', version: 2, user: 'planner', changes: [{ field: 'photo:P-h', after: { attachmentId: 'P-h', sha256: hash } }] });
  });

  it('pages newest first with limit and before', async () => {
    const first = await history('admin', '?limit=2');
    expect(first.body.history.map((row) => row.operation)).toEqual(['attach', 'update']);
    expect(first.body.more).toBe(true);
    const rest = await history('admin', `?limit=2&before=${first.body.history[1]!.id}`);
    expect(rest.body.history.map((row) => row.operation)).toEqual(['create']);
    expect(rest.body.more).toBe(false);
  });

  it('refuses a user of another county, an unknown feature, a bad query and no token', async () => {
    const other = await history('other');
    expect(other.status).toBe(403);
    expect(other.body.error?.code).toBe('out-of-scope');
    const unknown = await hub.app.inject({ method: 'GET', url: '/v1/features/wells/nope/history', headers: hub.as('admin') });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not-found');
    expect((await history('admin', '?limit=0')).status).toBe(400);
    expect((await history('admin', '?limit=5000')).status).toBe(400);
    expect((await history('admin', '?extra=1')).status).toBe(400);
    const anonymous = await hub.app.inject({ method: 'GET', url: `/v1/features/wells/${featureId}/history` });
    expect(anonymous.statusCode).toBe(401);
  });
});
