// The hub client over a fake fetch: what each failure is classified as, and that answers are
// checked against the shared schemas.
import { describe, expect, it } from 'vitest';
import { createHubClient, HubRequestError, type HubFetch, type HubFetchInit } from '../../../../shared/sync/hub/client';

interface Call {
  url: string;
  init: HubFetchInit;
}

function fakeFetch(answer: (call: Call) => { status: number; body?: unknown; raw?: string; contentType?: string } | Error): { fetch: HubFetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: HubFetch = async (url, init) => {
    const call = { url, init };
    calls.push(call);
    const result = answer(call);
    if (result instanceof Error) throw result;
    const text = result.raw ?? (result.body === undefined ? '' : JSON.stringify(result.body));
    return {
      status: result.status,
      headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? (result.contentType ?? 'application/json') : null) },
      text: async () => text,
      arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
    };
  };
  return { fetch, calls };
}

const user = { name: 'li', displayName: '李工', role: 'surveyor', counties: [131102] };
const error = (code: string, message = 'no') => ({ error: { code, message } });

async function failure(promise: Promise<unknown>): Promise<HubRequestError> {
  try {
    await promise;
  } catch (caught) {
    expect(caught).toBeInstanceOf(HubRequestError);
    return caught as HubRequestError;
  }
  throw new Error('expected a failure');
}

describe('hub client', () => {
  it('signs in without a token and sends the token on the other routes', async () => {
    const { fetch, calls } = fakeFetch((call) =>
      call.url.endsWith('/v1/session') && call.init.method === 'POST'
        ? { status: 200, body: { token: 't'.repeat(43), expiresAt: '2027-01-06T08:00:00.000Z', user } }
        : { status: 200, body: { user, expiresAt: '2027-01-06T08:00:00.000Z' } },
    );
    let token: string | null = null;
    const client = createHubClient({ address: 'http://127.0.0.1:55500/', fetch, token: () => token });
    const signedIn = await client.signIn({ user: 'li', password: 'pw', device: 'd1' });
    expect(calls[0]?.url).toBe('http://127.0.0.1:55500/v1/session');
    expect(calls[0]?.init.headers.authorization).toBeUndefined();
    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({ user: 'li', password: 'pw', device: 'd1' });
    token = signedIn.token;
    await client.session();
    expect(calls[1]?.init.headers.authorization).toBe(`Bearer ${'t'.repeat(43)}`);
  });

  it('without a token a protected route fails as unauthorized before any request', async () => {
    const { fetch, calls } = fakeFetch(() => ({ status: 200, body: {} }));
    const failed = await failure(createHubClient({ address: 'http://127.0.0.1:1', fetch, token: () => null }).layers());
    expect(failed.kind).toBe('unauthorized');
    expect(calls).toHaveLength(0);
  });

  it.each([
    [401, 'unauthorized', 'unauthorized'],
    [403, 'out-of-scope', 'forbidden'],
    [400, 'invalid-request', 'refused'],
    [404, 'not-found', 'refused'],
    [409, 'change-id-reused', 'refused'],
    [413, 'too-large', 'refused'],
    [429, 'too-many-attempts', 'refused'],
    [500, 'internal', 'server'],
    [501, 'internal', 'server'],
    [502, 'bad-gateway', 'offline'],
    [503, 'unavailable', 'offline'],
    [504, 'timeout', 'offline'],
  ] as const)('status %i is %s → kind %s', async (status, code, kind) => {
    const { fetch } = fakeFetch(() => ({ status, body: error(code, `message ${status}`) }));
    const failed = await failure(createHubClient({ address: 'http://h', fetch, token: () => 't' }).workspace());
    expect(failed.kind).toBe(kind);
    expect(failed.status).toBe(status);
    expect(failed.code).toBe(code);
    expect(failed.message).toContain(`message ${status}`);
  });

  it('a network failure is offline, with no status', async () => {
    const { fetch } = fakeFetch(() => new TypeError('fetch failed'));
    const failed = await failure(createHubClient({ address: 'http://h', fetch, token: () => 't' }).pull({ counties: [131102] }));
    expect(failed.kind).toBe('offline');
    expect(failed.status).toBeNull();
  });

  it('an error answer that is not the hub\'s JSON still classifies by status', async () => {
    const { fetch } = fakeFetch(() => ({ status: 502, raw: '<html>bad gateway</html>', contentType: 'text/html' }));
    const failed = await failure(createHubClient({ address: 'http://h', fetch, token: () => 't' }).layers());
    expect(failed.kind).toBe('offline');
    expect(failed.code).toBeNull();
  });

  it('an answer that does not fit its schema, or is cut short, is invalid-answer naming where', async () => {
    const wrong = fakeFetch(() => ({ status: 200, body: { features: [], cursor: 'c' } }));
    const failed = await failure(createHubClient({ address: 'http://h', fetch: wrong.fetch, token: () => 't' }).pull({ counties: [131102] }));
    expect(failed.kind).toBe('invalid-answer');
    expect(failed.message).toContain('more');
    const cut = fakeFetch(() => ({ status: 200, raw: '{"features":[{"layerId":' }));
    expect((await failure(createHubClient({ address: 'http://h', fetch: cut.fetch, token: () => 't' }).pull({ counties: [131102] }))).kind).toBe('invalid-answer');
  });

  it('builds the pull, conflict, resolve, attachment and history requests', async () => {
    const { fetch, calls } = fakeFetch((call) => {
      if (call.url.includes('/v1/changes')) return { status: 200, body: { features: [], cursor: 'abc', more: false } };
      if (call.url.includes('/resolve')) return { status: 200, body: { conflictId: 7, changeId: 'r1', choice: 'hub', version: 3, written: false } };
      if (call.url.includes('/v1/conflicts')) return { status: 200, body: { conflicts: [], more: false } };
      if (call.url.includes('/history')) {
        const row = { id: 9, version: 1, operation: 'update', changes: [{ field: 'status', before: 'a', after: 'b' }], changeId: null, entryId: null, user: null, authorName: null, device: null, note: null, clientTime: null, serverTime: '2026-12-01T00:00:00.000Z', source: 'sql', dbRole: 'qgis' };
        return { status: 200, body: { layerId: 'wells', featureId: 'W 1', history: [row], more: false } };
      }
      if (call.init.method === 'PUT') return { status: 201, body: { sha256: 'a'.repeat(64), byteSize: 3, mediaType: 'image/jpeg', created: true } };
      return { status: 200, raw: 'abc', contentType: 'image/jpeg' };
    });
    const client = createHubClient({ address: 'http://h', fetch, token: () => 't' });
    await client.pull({ counties: [131102, 0], cursor: 'x_y', limit: 50 });
    await client.conflicts({ counties: [131102], open: true, after: 4 });
    await client.resolve(7, { changeId: 'r1', choice: 'hub' });
    await client.putAttachment('a'.repeat(64), new Uint8Array([1, 2, 3]), 'image/jpeg');
    const photo = await client.getAttachment('a'.repeat(64));
    const history = await client.history('wells', 'W 1', { limit: 20, before: 100 });
    expect(calls.map((call) => `${call.init.method} ${call.url}`)).toEqual([
      'GET http://h/v1/changes?counties=131102,0&cursor=x_y&limit=50',
      'GET http://h/v1/conflicts?counties=131102&open=true&after=4',
      'POST http://h/v1/conflicts/7/resolve',
      `PUT http://h/v1/attachments/${'a'.repeat(64)}`,
      `GET http://h/v1/attachments/${'a'.repeat(64)}`,
      'GET http://h/v1/features/wells/W%201/history?limit=20&before=100',
    ]);
    expect(calls[3]?.init.headers['content-type']).toBe('image/jpeg');
    expect(calls[3]?.init.body).toEqual(new Uint8Array([1, 2, 3]));
    expect(new TextDecoder().decode(photo.bytes)).toBe('abc');
    expect(photo.mediaType).toBe('image/jpeg');
    expect(history.history[0]?.dbRole).toBe('qgis');
  });
});
