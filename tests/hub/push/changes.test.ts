// POST /v1/changes against a real PostgreSQL + PostGIS: the merge per field, the whole-feature
// conflicts, idempotency, scope, unknown layers, validation, and what the triggers record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, disableUser } from '../../../server/users';
import { HENGSHUI_TAOCHENG, PASSWORD, ZAOQIANG, change, counts, entry, push, pushHub, seed, uniqueId, type PushHub } from './fixture';

let hub: PushHub;
beforeAll(async () => {
  hub = await pushHub();
});
afterAll(async () => {
  await hub?.close();
});

async function created(featureId = uniqueId('W')): Promise<string> {
  const answer = await push(hub, 'surveyor', change([entry(featureId, 'create', null, seed)]));
  expect(answer.body.status).toBe('applied');
  return featureId;
}

const hubRow = async (featureId: string) =>
  (await hub.db.pool.query('SELECT properties, status, county, deleted, version FROM hub.features WHERE layer_id = $1 AND id = $2', ['wells', featureId])).rows[0];

describe('POST /v1/changes', () => {
  it('creates a feature; history carries the author, device, note and change id; the change log its county', async () => {
    const featureId = uniqueId('W');
    const body = change([entry(featureId, 'create', null, seed)]);
    const answer = await push(hub, 'surveyor', body);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ changeId: body.changeId, status: 'applied', features: [{ layerId: 'wells', featureId, version: 1, conflicts: [] }] });
    const history = await hub.db.pool.query('SELECT operation, change_id, entry_id, user_name, author_name, device, note, client_time, source FROM hub.history WHERE feature_id = $1', [featureId]);
    expect(history.rows).toEqual([
      {
        operation: 'create', change_id: body.changeId, entry_id: body.entries[0]?.id, user_name: 'surveyor', author_name: '张三', device: 'tablet-a', note: '外业核查',
        client_time: new Date('2026-12-06T08:00:00.000Z'), source: 'hub',
      },
    ]);
    const log = await hub.db.pool.query('SELECT county, kind, change_id FROM hub.change_log WHERE feature_id = $1', [featureId]);
    expect(log.rows).toEqual([{ county: HENGSHUI_TAOCHENG, kind: 'upsert', change_id: body.changeId }]);
  });

  it('a change of several entries: each history row carries its own entry id, device, author and note', async () => {
    const [a, b] = [uniqueId('W'), uniqueId('W')];
    const entries = [
      entry(a, 'create', null, seed, { note: '新建 A', device: 'tablet-1', authorName: '甲' }),
      entry(b, 'create', null, seed, { note: '新建 B', device: 'tablet-2', authorName: '乙' }),
      entry(a, 'update', seed, { ...seed, status: 'scheduled' }, { note: '改 A', device: 'tablet-3', authorName: '丙', time: '2026-12-06T09:00:00.000Z' }),
    ];
    const body = change(entries);
    expect((await push(hub, 'surveyor', body)).body.status).toBe('applied');
    const history = await hub.db.pool.query(
      'SELECT feature_id, version::int, entry_id, device, author_name, note, client_time FROM hub.history WHERE change_id = $1 ORDER BY feature_id = $2 DESC, version',
      [body.changeId, a],
    );
    expect(history.rows).toEqual([
      { feature_id: a, version: 1, entry_id: entries[0]?.id, device: 'tablet-1', author_name: '甲', note: '新建 A', client_time: new Date('2026-12-06T08:00:00.000Z') },
      { feature_id: a, version: 2, entry_id: entries[2]?.id, device: 'tablet-3', author_name: '丙', note: '改 A', client_time: new Date('2026-12-06T09:00:00.000Z') },
      { feature_id: b, version: 1, entry_id: entries[1]?.id, device: 'tablet-2', author_name: '乙', note: '新建 B', client_time: new Date('2026-12-06T08:00:00.000Z') },
    ]);
  });

  it('per field: applied where the hub has the base, unchanged where it has the new value, a conflict elsewhere', async () => {
    const featureId = await created();
    const first = await push(hub, 'surveyor', change([entry(featureId, 'update', seed, { ...seed, properties: { name: 'A', depth: 20 } })]));
    expect(first.body).toMatchObject({ status: 'applied', features: [{ applied: ['properties.name', 'properties.depth'], version: 2 }] });
    const second = await push(hub, 'planner', change([entry(featureId, 'update', seed, { ...seed, status: 'scheduled', properties: { name: 'B', depth: 20 } })]));
    expect(second.status).toBe(200);
    const result = (second.body.features as { applied: string[]; unchanged: string[]; conflicts: { field: string; kind: string }[]; version: number }[])[0];
    expect(second.body.status).toBe('partly-applied');
    expect(result?.applied).toEqual(['status']);
    expect(result?.unchanged).toEqual(['properties.depth']);
    expect(result?.conflicts).toMatchObject([{ field: 'properties.name', kind: 'field' }]);
    expect(await hubRow(featureId)).toMatchObject({ properties: { name: 'A', depth: 20 }, status: 'scheduled', version: '3' });
    const conflict = await hub.db.pool.query('SELECT base, theirs, hub, hub_version, county FROM hub.conflicts WHERE feature_id = $1', [featureId]);
    expect(conflict.rows).toEqual([{ base: 'seed', theirs: 'B', hub: 'A', hub_version: '3', county: HENGSHUI_TAOCHENG }]);
    // Nothing new: a no-op.
    const again = await push(hub, 'planner', change([entry(featureId, 'update', seed, { ...seed, status: 'scheduled', properties: { name: 'A', depth: 20 } })]));
    expect(again.body.status).toBe('noop');
  });

  it('an edit against a feature deleted on the hub is an edit-deleted conflict; the tombstone stays', async () => {
    const featureId = await created();
    expect((await push(hub, 'surveyor', change([entry(featureId, 'delete', seed, null)]))).body.status).toBe('applied');
    const edit = await push(hub, 'planner', change([entry(featureId, 'update', seed, { ...seed, status: 'scheduled' })]));
    expect(edit.body).toMatchObject({ status: 'conflict', features: [{ conflicts: [{ kind: 'edit-deleted', field: '' }] }] });
    expect(await hubRow(featureId)).toMatchObject({ deleted: true, status: 'registered' });
  });

  it('a delete against a feature edited since its base is a delete-edited conflict; the feature stays', async () => {
    const featureId = await created();
    await push(hub, 'surveyor', change([entry(featureId, 'update', seed, { ...seed, status: 'scheduled' })]));
    const deletion = await push(hub, 'planner', change([entry(featureId, 'delete', seed, null)]));
    expect(deletion.body).toMatchObject({ status: 'conflict', features: [{ conflicts: [{ kind: 'delete-edited', field: '' }] }] });
    expect(await hubRow(featureId)).toMatchObject({ deleted: false, status: 'scheduled' });
  });

  it('a repeated change id gets the stored answer and writes nothing; other content under it is refused', async () => {
    const featureId = await created();
    const body = change([entry(featureId, 'update', seed, { ...seed, properties: { name: 'retry', depth: 10 } })]);
    const first = await push(hub, 'surveyor', body);
    const before = await counts(hub);
    const second = await push(hub, 'surveyor', body);
    expect(second).toEqual(first);
    expect(await counts(hub)).toEqual(before);
    const reused = await push(hub, 'surveyor', { ...body, entries: [entry(featureId, 'update', seed, { ...seed, status: 'done' })] });
    expect(reused.status).toBe(409);
    expect(reused.body.error?.code).toBe('change-id-reused');
    expect(await counts(hub)).toEqual(before);
  });

  it('two identical pushes at once: one application, the same answer to both', async () => {
    const featureId = await created();
    const body = change([entry(featureId, 'update', seed, { ...seed, properties: { name: 'together', depth: 10 } })]);
    const [a, b] = await Promise.all([push(hub, 'surveyor', body), push(hub, 'surveyor', body)]);
    expect(a).toEqual(b);
    expect(a.body.status).toBe('applied');
    const history = await hub.db.pool.query('SELECT count(*)::int AS n FROM hub.history WHERE change_id = $1', [body.changeId]);
    expect(history.rows[0]?.n).toBe(1);
  });

  it('pushes touching the same features in opposite orders, at once, all commit (no deadlock)', async () => {
    const [a, b] = [await created(), await created()];
    const pushes = Array.from({ length: 6 }, (_, round) => {
      const value = { ...seed, properties: { name: `round ${round}`, depth: 10 } };
      const entries = [entry(a, 'update', seed, value), entry(b, 'update', seed, value)];
      return push(hub, round % 2 === 0 ? 'surveyor' : 'planner', change(round % 2 === 0 ? entries : entries.reverse()));
    });
    const answers = await Promise.all(pushes);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    // Exactly one push applied each feature's name; the others met it as a conflict.
    expect(answers.filter((answer) => answer.body.status === 'applied')).toHaveLength(1);
  });

  it('two changes creating the same new id at once: one creates it, the other finds the same content', async () => {
    const featureId = uniqueId('W');
    const [a, b] = await Promise.all([
      push(hub, 'surveyor', change([entry(featureId, 'create', null, seed)])),
      push(hub, 'planner', change([entry(featureId, 'create', null, seed)])),
    ]);
    expect([a.body.status, b.body.status].sort()).toEqual(['applied', 'noop']);
    expect(await hubRow(featureId)).toMatchObject({ version: '1' });
  });

  it('refuses a feature in another county with 403, writing nothing', async () => {
    const featureId = uniqueId('W');
    const before = await counts(hub);
    const answer = await push(hub, 'surveyor', change([entry(featureId, 'create', null, { ...seed, county: ZAOQIANG })]));
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatchObject({ code: 'out-of-scope', details: { county: ZAOQIANG } });
    expect(await counts(hub)).toEqual(before);
  });

  it('refuses a move across the county line out of the user’s counties, and a move into them of a feature from outside', async () => {
    const featureId = await created();
    const before = await counts(hub);
    const moved = { ...seed, county: ZAOQIANG, geometry: { type: 'Point' as const, coordinates: [115.9, 37.8] as [number, number] } };
    const out = await push(hub, 'surveyor', change([entry(featureId, 'update', seed, moved)]));
    expect(out.status).toBe(403);
    expect(out.body.error?.details).toEqual({ county: ZAOQIANG });
    // The other county's surveyor may not take it either: the feature lies in 131102 on the hub.
    const into = await push(hub, 'other', change([entry(featureId, 'update', { ...seed, county: ZAOQIANG }, moved)]));
    expect(into.status).toBe(403);
    expect(into.body.error?.details).toEqual({ county: HENGSHUI_TAOCHENG });
    expect(await counts(hub)).toEqual(before);
    expect(await hubRow(featureId)).toMatchObject({ county: HENGSHUI_TAOCHENG, version: '1' });
  });

  it('an unknown layer is refused unless a planner sends its definition', async () => {
    const layer = { id: 'springs', name: { zh: '泉', en: 'Springs' }, geometryType: 'Point', fields: [], status: { label: { zh: '状态', en: 'Status' }, states: [{ value: 'registered', label: { zh: '登记', en: 'Registered' } }], initial: 'registered', transitions: [] } };
    const featureId = uniqueId('S');
    const create = entry(featureId, 'create', null, { ...seed, properties: {} });
    const springs = { ...create, layerId: 'springs', after: { ...create.after!, layerId: 'springs' } };
    const before = await counts(hub);
    const bare = await push(hub, 'planner', change([springs]));
    expect(bare.status).toBe(400);
    expect(bare.body.error).toMatchObject({ code: 'unknown-layer', details: { layerId: 'springs' } });
    const bySurveyor = await push(hub, 'surveyor', change([springs], { layers: [layer] }));
    expect(bySurveyor.status).toBe(400);
    expect(await counts(hub)).toEqual(before);
    const byPlanner = await push(hub, 'planner', change([springs], { layers: [layer] }));
    expect(byPlanner.body.status).toBe('applied');
    const stored = await hub.db.pool.query("SELECT definition->>'id' AS id FROM hub.layers WHERE id = 'springs'");
    expect(stored.rows).toEqual([{ id: 'springs' }]);
  });

  it('a merged feature that does not fit its layer is a conflict, not a write', async () => {
    const featureId = await created();
    const answer = await push(hub, 'surveyor', change([entry(featureId, 'update', seed, { ...seed, status: 'no-such-state', properties: { name: 'ok', depth: 10 } })]));
    expect(answer.body).toMatchObject({ status: 'conflict' });
    const fields = (answer.body.features as { conflicts: { field: string }[] }[])[0]?.conflicts.map((conflict) => conflict.field).sort();
    expect(fields).toEqual(['properties.name', 'status']);
    expect(await hubRow(featureId)).toMatchObject({ status: 'registered', properties: { name: 'seed', depth: 10 }, version: '1' });
  });

  it('a definition changed in the database (not through the hub) holds from the next push', async () => {
    const featureId = await created();
    const deeper = await push(hub, 'surveyor', change([entry(featureId, 'update', seed, { ...seed, properties: { name: 'seed', depth: 30 } })]));
    expect(deeper.body.status).toBe('applied');
    // An office user narrows the field by SQL: depth at most 40.
    await hub.db.pool.query(`UPDATE hub.layers SET definition = jsonb_set(definition, '{fields,1,max}', '40') WHERE id = 'wells'`);
    try {
      const before = { ...seed, properties: { name: 'seed', depth: 30 } };
      const tooDeep = await push(hub, 'surveyor', change([entry(featureId, 'update', before, { ...seed, properties: { name: 'seed', depth: 50 } })]));
      expect(tooDeep.body).toMatchObject({ status: 'conflict', features: [{ conflicts: [{ field: 'properties.depth' }] }] });
      expect(await hubRow(featureId)).toMatchObject({ properties: { name: 'seed', depth: 30 } });
    } finally {
      await hub.db.pool.query(`UPDATE hub.layers SET definition = definition #- '{fields,1,max}' WHERE id = 'wells'`);
    }
  });

  it('refuses a malformed change with 400 naming the field', async () => {
    const answer = await push(hub, 'surveyor', { changeId: 'x', device: 'd', entries: [{ ...entry('W', 'create', null, seed), featureId: '' }] });
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe('invalid-request');
    expect(answer.body.error?.message).toContain('body/entries/0/featureId');
    const unknown = await push(hub, 'surveyor', { ...change([entry('W', 'create', null, seed)]), extra: 1 });
    expect(unknown.status).toBe(400);
  });

  it('a token signed out, or of a user disabled, just after a push is refused at the next push (the route caches tokens briefly)', async () => {
    await addUser(hub.db.pool, { name: 'short-lived', displayName: null, role: 'surveyor', counties: [HENGSHUI_TAOCHENG], password: PASSWORD });
    const signIn = async (): Promise<Record<string, string>> => {
      const response = await hub.app.inject({ method: 'POST', url: '/v1/session', payload: { user: 'short-lived', password: PASSWORD } });
      return { authorization: `Bearer ${(response.json() as { token: string }).token}` };
    };
    const pushAs = async (headers: Record<string, string>) => {
      const response = await hub.app.inject({ method: 'POST', url: '/v1/changes', headers, payload: change([entry(uniqueId('W'), 'create', null, seed)]) });
      return { status: response.statusCode, body: response.json() as { error?: { details?: { reason?: string } } } };
    };
    const first = await signIn();
    expect((await pushAs(first)).status).toBe(200);
    expect((await hub.app.inject({ method: 'DELETE', url: '/v1/session', headers: first })).statusCode).toBeLessThan(300);
    const before = await counts(hub);
    const signedOut = await pushAs(first);
    expect(signedOut.status).toBe(401);
    expect(signedOut.body.error?.details?.reason).toBe('unknown');

    const second = await signIn();
    expect((await pushAs(second)).status).toBe(200);
    const between = await counts(hub);
    await disableUser(hub.db.pool, 'short-lived');
    expect((await pushAs(second)).status).toBe(401);
    expect(await counts(hub)).toEqual(between);
    expect(between.features).toBe((before.features ?? 0) + 1);
  });

  it('a surveyor without a user is 401', async () => {
    const response = await hub.app.inject({ method: 'POST', url: '/v1/changes', payload: change([entry('W', 'create', null, seed)]) });
    expect(response.statusCode).toBe(401);
  });

  it('is documented in the OpenAPI document with its request and answer schemas', async () => {
    const document = (await hub.app.inject({ method: 'GET', url: '/v1/openapi.json' })).json() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> }; responses: Record<string, unknown> }>> };
    const post = document.paths['/v1/changes']?.post;
    expect(Object.keys(post?.requestBody?.content['application/json']?.schema.properties ?? {}).sort()).toEqual(['attachments', 'changeId', 'device', 'entries', 'layers']);
    expect(Object.keys(post?.responses ?? {})).toEqual(expect.arrayContaining(['200', '403', '409']));
    expect(document.paths['/v1/conflicts/{id}/resolve']?.post?.requestBody).toBeDefined();
    expect(document.paths['/v1/attachments/{sha256}']?.put).toBeDefined();
  });
});
