// The desktop app (app://onemap) calls the hub across origins: exactly that origin is allowed,
// with the bearer header; any other origin gets no CORS grant, so a browser refuses the answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktopAppOrigin } from '../../shared/shell/desktop-origin';
import { addTestUser, bearer, signIn, startHub, type TestHub } from './auth-fixtures';

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.close();
});

const preflight = (origin: string, method = 'POST') =>
  hub.app.inject({
    method: 'OPTIONS',
    url: '/v1/changes',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type' },
  });

describe('CORS for the desktop app', () => {
  it('grants a preflight from app://onemap exactly, with the Authorization header, without signing in', async () => {
    const response = await preflight(desktopAppOrigin);
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('app://onemap');
    expect(String(response.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
    expect(String(response.headers['access-control-allow-methods'])).toContain('POST');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('grants no other origin', async () => {
    for (const origin of ['https://example.com', 'app://other', 'http://127.0.0.1:47615', 'null']) {
      const response = await preflight(origin);
      expect(response.headers['access-control-allow-origin'], origin).toBeUndefined();
    }
  });

  it('marks real answers for the desktop origin only', async () => {
    await addTestUser(hub.pool, 'cora', 'all', 'planner');
    const token = await signIn(hub.app, 'cora');
    const desktop = await hub.app.inject({ method: 'GET', url: '/v1/session', headers: { ...bearer(token), origin: desktopAppOrigin } });
    expect(desktop.statusCode).toBe(200);
    expect(desktop.headers['access-control-allow-origin']).toBe('app://onemap');
    const other = await hub.app.inject({ method: 'GET', url: '/v1/session', headers: { ...bearer(token), origin: 'https://example.com' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
