// Layer definitions, target sets and targets written through the hub: versions, idempotency by
// change id, the 409 version conflict with the hub's record, the role check, the shared validator's
// refusals, the history, and a new field as a typed column of the QGIS view (ogrinfo).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hengshuiLayers, hengshuiTargets2021 } from '../../seeds';
import { buildHub } from '../../server/app';
import { createReader, dropReader, readOnlyConnectionString } from '../../server/db/readers';
import { seedHengshui } from '../../server/seed/hengshui';
import { layerWriteAnswerSchema, targetSetWriteAnswerSchema, targetWriteAnswerSchema } from '../../shared/sync/hub/definitions';
import { workspaceResponseSchema } from '../../shared/sync/hub/layers';
import type { LayerDefinition, Target } from '../../shared/model';
import { addTestUser, bearer, signIn } from './auth-fixtures';
import { testDatabase, type TestDatabase } from './harness/database';
import { fieldTypes, ogrinfo } from './qgis/gdal';

let db: TestDatabase;
let app: FastifyInstance;
let planner: string;
let surveyor: string;
const reader = { name: `defs_${randomBytes(4).toString('hex')}`, password: 'office pass 1' };

beforeAll(async () => {
  db = await testDatabase();
  await seedHengshui(db.pool);
  app = await buildHub({ pool: db.pool });
  await addTestUser(db.pool, 'chen', 'all', 'planner');
  await addTestUser(db.pool, 'li', [131102], 'surveyor');
  planner = await signIn(app, 'chen');
  surveyor = await signIn(app, 'li');
  await createReader(db.pool, { ...reader, counties: 'all' });
});

afterAll(async () => {
  await app?.close();
  await dropReader(db.pool, reader.name).catch(() => undefined);
  await db?.drop();
});

const send = (method: 'PUT' | 'DELETE', url: string, payload: unknown, token = planner) => app.inject({ method, url, payload: payload as object, headers: bearer(token) });
const count = async (sql: string): Promise<number> => (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`)).rows[0]!.n;
const workspace = async () => workspaceResponseSchema.parse((await app.inject({ method: 'GET', url: '/v1/workspace', headers: bearer(planner) })).json());

const set2022 = { id: 'year-2022', year: 2022, title: { zh: '2022 年目标', en: '2022 targets' } };
const target2022: Target = {
  ...(hengshuiTargets2021[0] as Target),
  id: 'wells-non-agricultural-2022',
  setId: 'year-2022',
  quantity: 300,
  startDate: '2022-01-01',
  deadline: '2022-12-31',
};

describe('target sets and targets through the hub', () => {
  it('moved the 2021 targets into one versioned set, listed with versions', async () => {
    const listed = await workspace();
    expect(listed.targetSets).toEqual([expect.objectContaining({ id: 'year-2021', version: 1, deleted: false, set: expect.objectContaining({ year: 2021 }) })]);
    expect(listed.targetRecords?.map((record) => record.id).sort()).toEqual(hengshuiTargets2021.map((target) => target.id).sort());
    expect(listed.targets.map((target) => target.id).sort()).toEqual(hengshuiTargets2021.map((target) => target.id).sort());
  });

  it('creates a 2022 set and a target in it; the same change id again gets the stored answer', async () => {
    const created = await send('PUT', '/v1/target-sets/year-2022', { changeId: 'c-set-2022', baseVersion: 0, set: set2022, device: 'pc-1' });
    expect(created.statusCode, created.body).toBe(200);
    expect(targetSetWriteAnswerSchema.parse(created.json())).toMatchObject({ status: 'applied', targetSet: { id: 'year-2022', version: 1, updatedBy: 'chen', set: set2022 } });

    const request = { changeId: 'c-target-2022', baseVersion: 0, target: target2022 };
    const first = await send('PUT', `/v1/targets/${target2022.id}`, request);
    expect(first.statusCode, first.body).toBe(200);
    expect(targetWriteAnswerSchema.parse(first.json())).toMatchObject({ status: 'applied', target: { version: 1, target: { quantity: 300 } } });
    const history = await count("hub.definition_history WHERE kind = 'target' AND key = 'wells-non-agricultural-2022'");
    const again = await send('PUT', `/v1/targets/${target2022.id}`, request);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await count("hub.definition_history WHERE kind = 'target' AND key = 'wells-non-agricultural-2022'")).toBe(history);
    const reused = await send('PUT', `/v1/targets/${target2022.id}`, { ...request, target: { ...target2022, quantity: 5 } });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.code).toBe('change-id-reused');

    const listed = await workspace();
    expect(listed.targetSets?.map((set) => [set.id, set.version])).toEqual([['year-2021', 1], ['year-2022', 1]]);
    expect(listed.targetRecords?.find((record) => record.id === target2022.id)).toMatchObject({ version: 1, deleted: false, updatedBy: 'chen' });
    const [row] = (await db.pool.query("SELECT set_id, layer_id FROM hub.targets WHERE id = 'wells-non-agricultural-2022'")).rows;
    expect(row).toEqual({ set_id: 'year-2022', layer_id: 'wells' });
  });

  it('answers a stale base version with 409 and the hub\'s record, writing nothing', async () => {
    await send('PUT', `/v1/targets/${target2022.id}`, { changeId: 'c-target-2022-v2', baseVersion: 1, target: { ...target2022, quantity: 320 } });
    const before = { history: await count('hub.definition_history'), applied: await count('hub.applied_changes') };
    const stale = await send('PUT', `/v1/targets/${target2022.id}`, { changeId: 'c-target-stale', baseVersion: 1, target: { ...target2022, quantity: 999 } });
    expect(stale.statusCode).toBe(409);
    const { error } = stale.json();
    expect(error.code).toBe('version-conflict');
    expect(error.details).toMatchObject({ baseVersion: 1, version: 2, current: { id: target2022.id, version: 2, target: { quantity: 320 } } });
    expect({ history: await count('hub.definition_history'), applied: await count('hub.applied_changes') }).toEqual(before);
    // A create of something that exists is stale too.
    const create = await send('PUT', '/v1/target-sets/year-2022', { changeId: 'c-set-again', baseVersion: 0, set: set2022 });
    expect(create.statusCode).toBe(409);
    expect(create.json().error.details).toMatchObject({ version: 1, current: { id: 'year-2022' } });
  });

  it('lets only planners and admins write, naming the role', async () => {
    const response = await send('PUT', '/v1/target-sets/year-2023', { changeId: 'c-surveyor', baseVersion: 0, set: { ...set2022, id: 'year-2023', year: 2023 } }, surveyor);
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({ code: 'forbidden-role', details: { role: 'surveyor' } });
    expect(response.json().error.message).toContain('surveyor');
    expect(await count("hub.target_sets WHERE id = 'year-2023'")).toBe(0);
  });

  it('refuses what the shared validator refuses, naming the field', async () => {
    const unknownField = await send('PUT', '/v1/targets/bad-target', {
      changeId: 'c-bad-target', baseVersion: 0,
      target: { ...target2022, id: 'bad-target', metric: { kind: 'count', scope: { where: [{ field: 'noSuchField', in: ['x'] }] }, done: { statuses: ['sealed'] } } },
    });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().error.details.field).toBe('body/target/metric/scope/where/0');
    const sameYear = await send('PUT', '/v1/target-sets/plan-2022', { changeId: 'c-plan-2022', baseVersion: 0, set: { ...set2022, id: 'plan-2022' } });
    expect(sameYear.statusCode).toBe(400);
    expect(sameYear.json().error.details.field).toBe('body/set/year');
    const wrongId = await send('PUT', '/v1/target-sets/year-2030', { changeId: 'c-wrong-id', baseVersion: 0, set: set2022 });
    expect(wrongId.statusCode).toBe(400);
    expect(wrongId.json().error.details.field).toBe('body/set/id');
    expect(await count("hub.targets WHERE id = 'bad-target'") + await count("hub.target_sets WHERE id IN ('plan-2022', 'year-2030')")).toBe(0);
  });

  it('deletes a target as a tombstone; a set only once it is empty', async () => {
    const notEmpty = await send('DELETE', '/v1/target-sets/year-2022', { changeId: 'c-del-set-early', baseVersion: 1 });
    expect(notEmpty.statusCode).toBe(409);
    expect(notEmpty.json().error.code).toBe('set-not-empty');
    const removed = await send('DELETE', `/v1/targets/${target2022.id}`, { changeId: 'c-del-target', baseVersion: 2 });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toMatchObject({ status: 'applied', target: { version: 3, deleted: true } });
    const set = await send('DELETE', '/v1/target-sets/year-2022', { changeId: 'c-del-set', baseVersion: 1 });
    expect(set.statusCode, set.body).toBe(200);
    const listed = await workspace();
    expect(listed.targets.some((target) => target.id === target2022.id)).toBe(false);
    expect(listed.targetSets?.find((candidate) => candidate.id === 'year-2022')).toMatchObject({ deleted: true, version: 2 });
    const operations = await db.pool.query("SELECT operation, version::int, user_name, source FROM hub.definition_history WHERE key = 'year-2022' ORDER BY id");
    expect(operations.rows).toEqual([
      { operation: 'create', version: 1, user_name: 'chen', source: 'hub' },
      { operation: 'delete', version: 2, user_name: 'chen', source: 'hub' },
    ]);
  });
});

describe('layer definitions through the hub', () => {
  const wells = hengshuiLayers.find((layer) => layer.id === 'wells') as LayerDefinition;

  it('adds a field: a new version, in history, and a typed column of the QGIS view', async () => {
    const connection = readOnlyConnectionString({ host: db.cluster.host, port: db.cluster.port, database: db.name, ...reader });
    expect(fieldTypes(await ogrinfo(connection, ['-so', 'layers.wells'])).has('pumpKw')).toBe(false);
    const next: LayerDefinition = { ...wells, version: 2, fields: [...wells.fields, { key: 'pumpKw', type: 'number', min: 0, required: false, label: { zh: '水泵功率', en: 'Pump power' } }] };
    const response = await send('PUT', '/v1/layers/wells', { changeId: 'c-wells-v2', baseVersion: 1, definition: next });
    expect(response.statusCode, response.body).toBe(200);
    expect(layerWriteAnswerSchema.parse(response.json())).toMatchObject({ status: 'applied', layer: { id: 'wells', version: 2, updatedBy: 'chen' } });
    expect(fieldTypes(await ogrinfo(connection, ['-so', 'layers.wells'])).get('pumpKw')).toBe('Real');
    const history = await db.pool.query("SELECT operation, version::int FROM hub.definition_history WHERE kind = 'layer' AND key = 'wells' ORDER BY id");
    expect(history.rows).toEqual([{ operation: 'create', version: 1 }, { operation: 'update', version: 2 }]);
  });

  it('refuses a change the features refuse, and a new layer with an invalid definition, naming the field', async () => {
    const current = (await db.pool.query("SELECT definition FROM hub.layers WHERE id = 'wells'")).rows[0].definition as LayerDefinition;
    const index = current.fields.findIndex((field) => field.key === 'wellClass');
    const fields = current.fields.map((field) => (field.key === 'wellClass' && field.type === 'enum' ? { ...field, values: field.values.filter((value) => value.value !== 'agricultural') } : field));
    const inUse = await send('PUT', '/v1/layers/wells', { changeId: 'c-wells-drop-value', baseVersion: 2, definition: { ...current, version: 3, fields } });
    expect(inUse.statusCode).toBe(400);
    expect(inUse.json().error.details).toMatchObject({ field: `body/definition/fields/${index}/values`, problem: 'allowed-value-in-use' });
    const duplicate = await send('PUT', '/v1/layers/ponds', {
      changeId: 'c-ponds', baseVersion: 0,
      definition: { ...wells, id: 'ponds', featureCode: undefined, fields: [...wells.fields, wells.fields[1]] },
    });
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.json().error.details.field).toMatch(/^body\/definition\/fields\/\d+\/key$/);
    expect(await count("hub.layers WHERE id = 'ponds'")).toBe(0);
    expect((await db.pool.query("SELECT version::int FROM hub.layers WHERE id = 'wells'")).rows[0].version).toBe(2);
  });

  it('creates a layer with base version 0, with its view', async () => {
    const ponds = {
      id: 'ponds', name: { zh: '坑塘', en: 'Ponds' }, geometryType: 'Polygon', fields: [{ key: 'areaMu', type: 'number', required: false, label: { zh: '面积', en: 'Area' } }],
      status: { label: { zh: '状态', en: 'Status' }, initial: 'planned', states: [{ value: 'planned', label: { zh: '规划', en: 'Planned' } }, { value: 'filled', label: { zh: '已填埋', en: 'Filled' } }], transitions: [{ from: 'planned', to: 'filled' }] },
    } as LayerDefinition;
    const response = await send('PUT', '/v1/layers/ponds', { changeId: 'c-ponds-ok', baseVersion: 0, definition: ponds });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'applied', layer: { version: 1, definition: { id: 'ponds' } } });
    expect((await db.pool.query("SELECT to_regclass('layers.ponds') IS NOT NULL AS ok")).rows[0].ok).toBe(true);
  });
});
