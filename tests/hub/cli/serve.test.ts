// The hub's HTTP server as `npm run hub` creates it: plain HTTP on loopback, and HTTPS with the
// given certificate (checked against that certificate, not waved through).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_API_VERSION } from '../../../server/app';
import { createHubServer } from '../../../server/cli/serve';
import { listMigrations } from '../../../server/db/migrate';
import { testDatabase, type TestDatabase } from '../harness/database';

let db: TestDatabase;
const folder = mkdtempSync(path.join(tmpdir(), 'onemap-hub-tls-'));
beforeAll(async () => {
  db = await testDatabase({ max: 2 });
});
afterAll(async () => {
  await db?.drop();
  rmSync(folder, { recursive: true, force: true });
});

function getTls(port: number, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const call = request({ host: '127.0.0.1', port, path: '/v1/health', ca }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    call.on('error', reject);
    call.end();
  });
}

describe('the hub server', () => {
  it('answers the health check over HTTP with the schema version', async () => {
    const app = await createHubServer({ pool: db.pool });
    try {
      const response = await app.inject({ method: 'GET', url: '/v1/health' });
      expect(response.json()).toEqual({ hub: 'onemap', version: HUB_API_VERSION, status: 'ok', schema: listMigrations().at(-1)?.version });
    } finally {
      await app.close();
    }
  });

  it('serves HTTPS with the given certificate', async () => {
    const [cert, key] = [path.join(folder, 'cert.pem'), path.join(folder, 'key.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=onemap-test',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const app = await createHubServer({ pool: db.pool, https: { cert: readFileSync(cert), key: readFileSync(key) } });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as { port: number };
      const answer = await getTls(port, readFileSync(cert));
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 'ok' });
      // Another certificate authority: the client must refuse, so the hub really spoke TLS with ours.
      await expect(getTls(port, Buffer.from(''))).rejects.toThrow();
    } finally {
      await app.close();
    }
  });
});
