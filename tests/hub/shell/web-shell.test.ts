// The hub serves the web shell at its own address (buildHub({ webRoot, geodataRoot })): the
// renderer at `/` with the app's CSP, geodata/ at `/geodata/` with Range, and the API unchanged
// (unknown /v1 paths stay JSON 404s, the health check says it is a OneMap hub); the web platform
// takes its own origin as the hub exactly when that origin answers as one; CORS only for the
// desktop app's origin.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../shared/shell/content-security-policy';
import { hubHealthSchema } from '../../../shared/sync/hub/health';
import { createWebHub } from '../../../renderer/src/platform/web-hub';
import { COUNTY_A, addTestUser, bearer, seedWorkspace, signIn, startHub, type TestHub } from '../auth-fixtures';

const geodataRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../geodata');
const webRoot = mkdtempSync(path.join(tmpdir(), 'onemap-hub-web-'));
const indexHtml = '<!doctype html><title>OneMap</title><script type="module" src="./assets/app.js"></script>';
let hub: TestHub;
let token: string;

beforeAll(async () => {
  writeFileSync(path.join(webRoot, 'index.html'), indexHtml);
  mkdirSync(path.join(webRoot, 'assets'));
  writeFileSync(path.join(webRoot, 'assets', 'app.js'), 'console.log("onemap")');
  writeFileSync(path.join(webRoot, '.secret'), 'not for the web');
  hub = await startHub({ webRoot, geodataRoot });
  await seedWorkspace(hub.pool);
  await addTestUser(hub.pool, 'alice', [COUNTY_A]);
  token = await signIn(hub.app, 'alice');
});
afterAll(async () => {
  await hub?.close();
  rmSync(webRoot, { recursive: true, force: true });
});

describe('the web shell', () => {
  it('serves index.html at / with the app CSP (connect-src self: the hub is the same origin)', async () => {
    const answer = await hub.app.inject({ method: 'GET', url: '/' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/html/);
    expect(answer.body).toBe(indexHtml);
    expect(answer.headers['content-security-policy']).toBe(contentSecurityPolicy());
    expect(answer.headers['content-security-policy']).toMatch(/connect-src 'self'/);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    const script = await hub.app.inject({ method: 'GET', url: '/assets/app.js?v=1' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['content-security-policy']).toBe(contentSecurityPolicy());
  });

  it('serves geodata/ at /geodata/ with Range → 206', async () => {
    const file = readFileSync(path.join(geodataRoot, 'hengshui-counties.geojson'));
    const whole = await hub.app.inject({ method: 'GET', url: '/geodata/hengshui-counties.geojson' });
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload.equals(file)).toBe(true);
    const part = await hub.app.inject({ method: 'GET', url: '/geodata/hengshui-counties.geojson', headers: { range: 'bytes=100-199' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${file.length}`);
    expect(part.rawPayload.equals(file.subarray(100, 200))).toBe(true);
    expect(part.headers['content-security-policy']).toBe(contentSecurityPolicy());
    const beyond = await hub.app.inject({ method: 'GET', url: '/geodata/hengshui-counties.geojson', headers: { range: `bytes=${file.length + 10}-` } });
    expect(beyond.statusCode).toBe(416);
  });

  it('answers a missing file, a dotfile and a path outside the folders with a JSON 404', async () => {
    for (const url of ['/nothing.js', '/.secret', '/geodata/../package.json', '/geodata/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json']) {
      const answer = await hub.app.inject({ method: 'GET', url });
      expect(answer.statusCode, url).toBe(404);
      expect(answer.json().error.code, url).toBe('not-found');
    }
    const post = await hub.app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(post.statusCode).toBe(404);
  });
});

describe('the API beside it', () => {
  it('keeps unknown /v1 paths JSON 404s, even where a file of that name exists', async () => {
    writeFileSync(path.join(webRoot, 'v1.html'), 'no');
    mkdirSync(path.join(webRoot, 'v1'), { recursive: true });
    writeFileSync(path.join(webRoot, 'v1', 'index.html'), 'no');
    for (const url of ['/v1', '/v1/', '/v1/nothing', '/v1/index.html']) {
      const answer = await hub.app.inject({ method: 'GET', url });
      expect(answer.statusCode, url).toBe(404);
      expect(answer.json(), url).toMatchObject({ error: { code: 'not-found' } });
    }
  });

  it('answers the health check as a OneMap hub, without a token', async () => {
    const answer = await hub.app.inject({ method: 'GET', url: '/v1/health' });
    expect(answer.statusCode).toBe(200);
    expect(hubHealthSchema.parse(answer.json())).toMatchObject({ hub: 'onemap', status: 'ok' });
  });

  it('still needs a token for the API and answers it as before', async () => {
    expect((await hub.app.inject({ method: 'GET', url: '/v1/layers' })).statusCode).toBe(401);
    const layers = await hub.app.inject({ method: 'GET', url: '/v1/layers', headers: bearer(token) });
    expect(layers.statusCode).toBe(200);
    expect(layers.headers['content-type']).toMatch(/^application\/json/);
    expect(layers.json().layers.map((layer: { id: string }) => layer.id)).toEqual(['wells']);
  });
});

describe('a hub without the web shell', () => {
  it('answers / with a JSON 404', async () => {
    const bare = await startHub();
    try {
      const answer = await bare.app.inject({ method: 'GET', url: '/' });
      expect(answer.statusCode).toBe(404);
      expect(answer.json().error.code).toBe('not-found');
    } finally {
      await bare.close();
    }
  });
});

describe("the web shell's platform opened from the hub", () => {
  /** The page's fetch of its own origin, answered by this hub (or by a server that is not one). */
  const fetchFrom = (app: TestHub['app']) => async (url: string) => {
    const answer = await app.inject({ method: 'GET', url: new URL(url).pathname });
    return new Response(answer.body, { status: answer.statusCode, headers: { 'content-type': String(answer.headers['content-type']) } });
  };

  it('takes its own origin as the hub when /v1/health answers as a OneMap hub', async () => {
    const platform = createWebHub('http://127.0.0.1:47680', fetchFrom(hub.app));
    expect(await platform.getHubAddress()).toBe('http://127.0.0.1:47680');
    await platform.setHubAddress('http://127.0.0.1:47680/');
    await expect(platform.setHubAddress('http://10.0.0.9:47680')).rejects.toMatchObject({ code: 'hub-address-not-own-origin', details: { address: 'http://10.0.0.9:47680' } });
    expect(await platform.loadHubToken()).toBeNull();
  });

  it('has no hub when its origin is not a hub (vite preview, a 404, other JSON, offline)', async () => {
    const notAHub = createWebHub('http://127.0.0.1:47615', async () => new Response(indexHtml, { status: 200, headers: { 'content-type': 'text/html' } }));
    expect(await notAHub.getHubAddress()).toBeNull();
    const missing = createWebHub('http://127.0.0.1:47615', async () => new Response('{"error":{}}', { status: 404 }));
    expect(await missing.getHubAddress()).toBeNull();
    const otherJson = createWebHub('http://127.0.0.1:47615', async () => new Response('{"status":"ok","schema":4}', { status: 200 }));
    expect(await otherJson.getHubAddress()).toBeNull();
    const offline = createWebHub('http://127.0.0.1:47615', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await offline.getHubAddress()).toBeNull();
  });
});

