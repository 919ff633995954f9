// `GET /v1/layers` and `GET /v1/workspace` on a hub seeded with the Hengshui workspace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hengshuiLayers, hengshuiTargets2021 } from '../../seeds';
import { seedHengshui } from '../../server/seed/hengshui';
import { layersResponseSchema, workspaceResponseSchema } from '../../shared/sync/hub/layers';
import { addTestUser, bearer, signIn, startHub, type TestHub } from './auth-fixtures';

let hub: TestHub;
let token: string;
beforeAll(async () => {
  hub = await startHub();
  await seedHengshui(hub.pool);
  await addTestUser(hub.pool, 'li', [131102]);
  token = await signIn(hub.app, 'li');
});
afterAll(async () => hub?.close());

describe('workspace and layers', () => {
  it('lists the layer definitions, deleted ones marked', async () => {
    await hub.pool.query("UPDATE hub.layers SET deleted = true, version = 2 WHERE id = 'villages'");
    const response = await hub.app.inject({ method: 'GET', url: '/v1/layers', headers: bearer(token) });
    expect(response.statusCode).toBe(200);
    const { layers } = layersResponseSchema.parse(response.json());
    expect(layers.map((layer) => layer.id)).toEqual(hengshuiLayers.map((layer) => layer.id).sort());
    expect(layers.find((layer) => layer.id === 'wells')!.definition).toEqual(hengshuiLayers.find((layer) => layer.id === 'wells'));
    expect(layers.find((layer) => layer.id === 'villages')).toMatchObject({ deleted: true, version: 2 });
    expect(layers.find((layer) => layer.id === 'wells')).toMatchObject({ deleted: false, version: 1 });
  });

  it('gives the name, the counties with names and the targets', async () => {
    const response = await hub.app.inject({ method: 'GET', url: '/v1/workspace', headers: bearer(token) });
    expect(response.statusCode).toBe(200);
    const workspace = workspaceResponseSchema.parse(response.json());
    expect(workspace.name).toEqual({ zh: '衡水市', en: 'Hengshui' });
    expect(workspace.counties).toHaveLength(11);
    expect(workspace.counties.find((county) => county.adcode === 131102)!.name.zh).toBe('桃城区');
    expect(workspace.targets.map((target) => target.id).sort()).toEqual(hengshuiTargets2021.map((target) => target.id).sort());
    expect(response.body).not.toContain('coordinates'); // county outlines are not sent
  });
});
