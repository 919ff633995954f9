// Photo bytes by SHA-256 (PUT/GET /v1/attachments/:sha256) and attach entries that need them.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { change, counts, entry, push, pushHub, seed, uniqueId, type PushHub } from './fixture';

let hub: PushHub;
beforeAll(async () => {
  hub = await pushHub();
});
afterAll(async () => {
  await hub?.close();
});

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);

const put = (hash: string, bytes: Buffer, type = 'image/jpeg', user = 'surveyor') =>
  hub.app.inject({ method: 'PUT', url: `/v1/attachments/${hash}`, headers: { 'x-test-user': user, 'content-type': type }, payload: bytes });

function attachEntry(featureId: string, attachmentId: string) {
  return entry(featureId, 'attach', null, null, {
    attachment: { id: attachmentId, fileName: 'well.jpg', mediaType: 'image/jpeg', byteSize: jpeg.length, hasThumbnail: false, createdAt: '2026-12-06T08:00:00.000Z' },
  });
}

describe('attachments', () => {
  it('stores bytes under their hash once, and gives them back with their media type', async () => {
    const hash = sha256(jpeg);
    const first = await put(hash, jpeg);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ sha256: hash, byteSize: jpeg.length, mediaType: 'image/jpeg', created: true });
    const again = await put(hash, jpeg);
    expect(again.statusCode).toBe(200);
    expect(again.json().created).toBe(false);
    const got = await hub.app.inject({ method: 'GET', url: `/v1/attachments/${hash}`, headers: { 'x-test-user': 'other' } });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.rawPayload.equals(jpeg)).toBe(true);
  });

  it('refuses bytes that do not match the hash, naming both, and stores nothing', async () => {
    const claimed = sha256(Buffer.from('something else'));
    const before = await counts(hub);
    const response = await put(claimed, jpeg, 'application/octet-stream');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'hash-mismatch', details: { expected: claimed, actual: sha256(jpeg) } });
    expect(await counts(hub)).toEqual(before);
  });

  it('answers 404 for unknown bytes, 400 for a malformed hash, 401 without a user, 413 over the limit', async () => {
    const unknown = 'a'.repeat(64);
    expect((await hub.app.inject({ method: 'GET', url: `/v1/attachments/${unknown}`, headers: { 'x-test-user': 'surveyor' } })).statusCode).toBe(404);
    expect((await hub.app.inject({ method: 'GET', url: '/v1/attachments/xyz', headers: { 'x-test-user': 'surveyor' } })).statusCode).toBe(400);
    expect((await hub.app.inject({ method: 'GET', url: `/v1/attachments/${sha256(jpeg)}` })).statusCode).toBe(401);
    const big = Buffer.alloc(1024 * 1024 + 1, 7);
    expect((await put(sha256(big), big)).statusCode).toBe(413);
  });

  it('a change attaching a photo whose bytes the hub lacks is refused (409 naming the hash), nothing written', async () => {
    const featureId = uniqueId('W');
    const missing = sha256(Buffer.from(`not uploaded ${featureId}`));
    const before = await counts(hub);
    const answer = await push(hub, 'surveyor', change([entry(featureId, 'create', null, seed), attachEntry(featureId, 'P1')], { attachments: [{ attachmentId: 'P1', sha256: missing }] }));
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatchObject({ code: 'missing-attachment', details: { sha256: missing } });
    expect(answer.body.error?.message).toContain(missing);
    expect(await counts(hub)).toEqual(before);
  });

  it('attaches uploaded bytes to a feature; a detach takes the photo off', async () => {
    const hash = sha256(jpeg);
    await put(hash, jpeg);
    const featureId = uniqueId('W');
    const attached = await push(hub, 'surveyor', change([entry(featureId, 'create', null, seed), attachEntry(featureId, 'P2')], { attachments: [{ attachmentId: 'P2', sha256: hash }] }));
    expect(attached.body).toMatchObject({ status: 'applied', features: [{ featureId, applied: expect.arrayContaining(['photo:P2', 'geometry']) }] });
    const rows = async () => (await hub.db.pool.query('SELECT attachment_id, sha256, attached, file_name FROM hub.feature_attachments WHERE feature_id = $1', [featureId])).rows;
    expect(await rows()).toEqual([{ attachment_id: 'P2', sha256: hash, attached: true, file_name: 'well.jpg' }]);
    const detach = entry(featureId, 'detach', null, null, { attachment: { id: 'P2', fileName: 'well.jpg', mediaType: 'image/jpeg', byteSize: jpeg.length, hasThumbnail: false, createdAt: '2026-12-06T08:00:00.000Z' } });
    expect((await push(hub, 'surveyor', change([detach]))).body.status).toBe('applied');
    expect((await rows())[0]?.attached).toBe(false);
  });
});
