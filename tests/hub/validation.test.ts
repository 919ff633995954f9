// Request validation through the whole hub (buildHub): 400 naming the field for malformed JSON,
// wrong types, unknown and missing fields; 413 for oversized bodies; nothing written; no stack
// trace or SQL in an answer; and the OpenAPI document lists every route.
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTY_A, PASSWORD, addTestUser, bearer, seedWorkspace, signIn, startHub, type TestHub } from './auth-fixtures';

let hub: TestHub;
let token: string;
beforeAll(async () => {
  hub = await startHub({ bodyLimit: 256 * 1024 });
  await seedWorkspace(hub.pool);
  await addTestUser(hub.pool, 'alice', [COUNTY_A]);
  token = await signIn(hub.app, 'alice');
});
afterAll(async () => hub?.close());

/** Row counts of every table a request could write. */
async function written(): Promise<Record<string, number>> {
  const { rows } = await hub.pool.query<{ counts: Record<string, number> }>(`SELECT json_build_object(
    'tokens', (SELECT count(*) FROM hub.tokens), 'features', (SELECT count(*) FROM hub.features),
    'history', (SELECT count(*) FROM hub.history), 'changes', (SELECT count(*) FROM hub.applied_changes),
    'log', (SELECT count(*) FROM hub.change_log), 'conflicts', (SELECT count(*) FROM hub.conflicts),
    'attachments', (SELECT count(*) FROM hub.attachments)) AS counts`);
  return rows[0]!.counts;
}

function json(payload: string, auth = true) {
  return { 'content-type': 'application/json', ...(auth ? bearer(token) : {}) };
}

describe('400 naming the field', () => {
  it.each([
    ['/v1/session', '{"user": "alice", "password": ', /^body is not valid JSON: /],
    ['/v1/session', '', /^body is empty/],
    ['/v1/session', '{"user": 5, "password": "x"}', /^body\/user must be string$/],
    ['/v1/session', '{"user": "alice", "password": "x", "admin": true}', /^body\/admin is not a known field$/],
    ['/v1/session', '{"user": "alice"}', /^body\/password is required$/],
    ['/v1/session', '["alice"]', /^body must be object$/],
    ['/v1/session', '{"user": "alice", "password": "x", "__proto__": {"a": 1}}', /__proto__/],
    ['/v1/changes', '{"changeId": "c1", ', /^body is not valid JSON: /],
    ['/v1/changes', '{"changeId": "c1", "device": "d", "entries": [{"featureId": 7}]}', /^body\/entries\/0\//],
    ['/v1/changes', '{"changeId": "c1", "device": "d", "entries": [], "extra": 1}', /^body/],
  ])('POST %s %s', async (url, payload, message) => {
    const before = await written();
    const response = await hub.app.inject({ method: 'POST', url, headers: json(payload), payload });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.code).toBe('invalid-request');
    expect(response.json().error.message).toMatch(message);
    expect(await written()).toEqual(before);
  });

  it('names the field of a wrong type in a push entry', async () => {
    const payload = JSON.stringify({ changeId: 'c2', device: 'd', entries: [{ featureId: 7 }] });
    const response = await hub.app.inject({ method: 'POST', url: '/v1/changes', headers: json(payload), payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.field).toMatch(/^body\/entries\/0\/\w+$/);
  });
});

describe('413 too large', () => {
  it('refuses a body over the limit before reading it, writing nothing', async () => {
    const before = await written();
    const big = JSON.stringify({ changeId: 'c3', device: 'd', entries: [], layers: [{ pad: 'x'.repeat(300 * 1024) }] });
    const response = await hub.app.inject({ method: 'POST', url: '/v1/changes', headers: json(big), payload: big });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('too-large');
    const session = JSON.stringify({ user: 'alice', password: 'x'.repeat(300 * 1024) });
    const signIn = await hub.app.inject({ method: 'POST', url: '/v1/session', headers: json(session, false), payload: session });
    expect(signIn.statusCode).toBe(413);
    expect(await written()).toEqual(before);
  });

  it('takes 10 MiB by default', async () => {
    const other = await startHub();
    try {
      await addTestUser(other.pool, 'bob', 'all');
      const almost = JSON.stringify({ user: 'bob', password: PASSWORD, device: 'd'.repeat(9 * 1024 * 1024) });
      const ok = await other.app.inject({ method: 'POST', url: '/v1/session', headers: { 'content-type': 'application/json' }, payload: almost });
      expect(ok.statusCode).toBe(400); // read and validated: device is at most 200 characters
      expect(ok.json().error.message).toBe('body/device must NOT have more than 200 characters');
      const over = JSON.stringify({ user: 'bob', password: PASSWORD, device: 'd'.repeat(11 * 1024 * 1024) });
      const refused = await other.app.inject({ method: 'POST', url: '/v1/session', headers: { 'content-type': 'application/json' }, payload: over });
      expect(refused.statusCode).toBe(413);
    } finally {
      await other.close();
    }
  });
});

describe('other errors', () => {
  it('answers an unknown route with not-found and a non-JSON body with 415', async () => {
    const missing = await hub.app.inject({ method: 'GET', url: '/v1/nothing', headers: bearer(token) });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not-found');
    const text = await hub.app.inject({ method: 'POST', url: '/v1/session', headers: { 'content-type': 'text/plain' }, payload: 'user=alice' });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('unsupported-media-type');
  });

  it('never shows a stack trace or SQL to the client', async () => {
    await hub.pool.query('ALTER TABLE hub.layers RENAME TO layers_away');
    try {
      const response = await hub.app.inject({ method: 'GET', url: '/v1/layers', headers: bearer(token) });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ error: { code: 'internal', message: 'the hub failed to answer; the error is in its log' } });
      expect(response.body).not.toMatch(/layers|SELECT|relation|\bat\b/);
    } finally {
      await hub.pool.query('ALTER TABLE hub.layers_away RENAME TO layers');
    }
  });
});

describe('OpenAPI', () => {
  it('lists every route the hub serves, with its request schemas', async () => {
    const { app, close } = await startHubCollectingRoutes();
    try {
      const response = await app.app.inject({ method: 'GET', url: '/v1/openapi.json' });
      expect(response.statusCode).toBe(200);
      const document = response.json() as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string }[]; requestBody?: unknown }>> };
      expect(document.openapi).toMatch(/^3\./);
      const listed = new Set(Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`)));
      // HEAD mirrors GET; OPTIONS is the desktop app's CORS preflight (routes/cors.ts), not an API route.
      const served = app.routes.filter((route) => !route.startsWith('HEAD ') && !route.startsWith('OPTIONS '));
      expect(app.routes).toContain('OPTIONS *');
      expect(served.length).toBeGreaterThanOrEqual(12);
      for (const route of served) expect(listed, route).toContain(route);
      for (const route of ['POST /v1/session', 'GET /v1/changes', 'POST /v1/changes', 'PUT /v1/attachments/{sha256}', 'GET /v1/conflicts', 'GET /v1/layers', 'GET /v1/workspace']) {
        expect(listed, route).toContain(route);
      }
      expect(document.paths['/v1/changes']!.get!.parameters!.map((parameter) => parameter.name).sort()).toEqual(['bbox', 'counties', 'cursor', 'limit']);
      expect(document.paths['/v1/session']!.post!.requestBody).toBeDefined();
    } finally {
      await close();
    }
  });
});

/** A hub whose routes are recorded as Fastify registers them (independently of the swagger plugin). */
async function startHubCollectingRoutes() {
  const routes: string[] = [];
  const started = await startHub({
    onRoute: (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) routes.push(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    },
  });
  return { app: { app: started.app, routes }, close: started.close };
}
