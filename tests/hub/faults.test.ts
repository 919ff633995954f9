// The hub under faults, against a real PostgreSQL + PostGIS: a hub process SIGKILLed after a
// commit and before its answer; PostgreSQL stopped with `pg_ctl -m immediate` while pushes are in
// flight; duplicate and reordered pushes; device clocks a day off; two commits of one county in
// the opposite order of their start; a push into another county; a missing or corrupt photo.
// Each ends with the same checks as the property test (tests/hub/harness/oracle.ts) or with the
// database shown unchanged.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedCluster, testDatabase, type IsolatedCluster, type TestDatabase } from './harness/database';
import { COUNTY_A, COUNTY_B, LAYER, addSimUsers, hubRows, prepareWorkspace, startHub, type SimUser } from './harness/hub-world';
import { checkHub } from './harness/oracle';
import { SimClient, photoBytes, randomSource, sha256Hex, type ChangeRecord } from './harness/sim-client';

const HUB_PROCESS_PORT = 47741;
const DAY = 24 * 3600 * 1000;

const device = (baseUrl: string, user: SimUser, name: string, seed: number, extra: Partial<ConstructorParameters<typeof SimClient>[0]> = {}): SimClient =>
  new SimClient({ baseUrl, user: user.name, password: user.password, device: name, layerId: LAYER, counties: user.counties, random: randomSource(seed), ...extra });

async function seedWells(pool: Pool, count: number, county = COUNTY_A, prefix = 'w'): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    await pool.query(
      `INSERT INTO hub.features (layer_id, id, county, status, properties, geometry, demo, created_at)
       VALUES ($1, $2, $3, 'registered', $4, $5, false, '2021-06-30T00:00:00Z')`,
      [LAYER, `${prefix}${index}`, county, JSON.stringify({ wellClass: 'agricultural', useType: 'irrigation', name: `井 ${index}` }), JSON.stringify({ type: 'Point', coordinates: [115.6 + index * 0.001, 37.7] })],
    );
  }
}

/** Everything a push can write, as text: equal text ⇔ nothing written in between. */
async function writtenState(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ state: string }>(`SELECT json_build_object(
      'features', (SELECT json_agg(json_build_array(layer_id, id, version, status, properties, geometry, county, deleted) ORDER BY layer_id, id) FROM hub.features),
      'history', (SELECT count(*) FROM hub.history), 'log', (SELECT count(*) FROM hub.change_log),
      'applied', (SELECT count(*) FROM hub.applied_changes), 'conflicts', (SELECT count(*) FROM hub.conflicts),
      'photos', (SELECT count(*) FROM hub.feature_attachments), 'bytes', (SELECT count(*) FROM hub.attachments))::text AS state`);
  return rows[0]?.state as string;
}

/** The end state that must not depend on push order, duplicates or client clocks. */
async function endState(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ state: string }>(`SELECT json_build_object(
      'features', (SELECT json_agg(json_build_array(layer_id, id, version, status, properties, geometry, county, deleted, field_versions) ORDER BY layer_id, id) FROM hub.features),
      'conflicts', (SELECT json_agg(json_build_array(change_id, entry_id, field, kind) ORDER BY change_id, entry_id, field) FROM hub.conflicts),
      'applied', (SELECT count(*) FROM hub.applied_changes))::text AS state`);
  return rows[0]?.state as string;
}

// ---- the hub in a child process ----------------------------------------------------------

let bundleDirectory: string | null = null;
async function hubProcessBundle(): Promise<string> {
  bundleDirectory ??= mkdtempSync(path.join(tmpdir(), 'onemap-hub-process-'));
  const outfile = path.join(bundleDirectory, 'hub-process.mjs');
  await build({
    entryPoints: [path.resolve('tests/hub/harness/hub-process.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __onemapCreateRequire } from 'node:module'; const require = __onemapCreateRequire(import.meta.url);" },
  });
  return outfile;
}

interface HubProcess {
  child: ChildProcess;
  exited: Promise<NodeJS.Signals | number | null>;
}

async function startHubProcess(connectionString: string, killAfter = ''): Promise<HubProcess> {
  const child = spawn(process.execPath, [await hubProcessBundle()], {
    env: { ...process.env, DATABASE_URL: connectionString, PORT: String(HUB_PROCESS_PORT), ONEMAP_KILL_AFTER_COMMIT: killAfter },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening')) resolve();
    });
    void exited.then((how) => reject(new Error(`hub process exited (${String(how)}) before listening`)));
  });
  return { child, exited };
}

describe('hub faults', () => {
  let database: TestDatabase;
  let users: SimUser[];

  beforeAll(async () => {
    database = await testDatabase();
    await prepareWorkspace(database.pool);
    users = await addSimUsers(database.pool, 4, 'fault');
  });
  afterAll(async () => {
    await database?.drop();
    if (bundleDirectory !== null) rmSync(bundleDirectory, { recursive: true, force: true });
  });

  it('(a) applies a change exactly once when the hub is killed after its commit and the client retries', async () => {
    await seedWells(database.pool, 2, COUNTY_A, 'kill-');
    const baseUrl = `http://127.0.0.1:${HUB_PROCESS_PORT}`;
    let hub = await startHubProcess(database.connectionString);
    const victim = device(baseUrl, users[0] as SimUser, 'victim', 1);
    await victim.signIn();
    await victim.pullAll();
    const key = `${LAYER}/kill-0`;
    const before = victim.display(key);
    if (before === null) throw new Error('seeded well not pulled');
    const change = victim.journal(key, [{ to: { ...before, status: 'sealed', properties: { ...before.properties, sealedDate: '2026-12-01' } } }, { attach: photoBytes(randomSource(7)) }]);
    await hub.child.kill('SIGTERM');
    await hub.exited;
    hub = await startHubProcess(database.connectionString, change.body.changeId);

    const pushing = victim.pushChange(change);
    expect(await hub.exited).toBe('SIGKILL');
    // The change committed before the hub died: the client never got the answer.
    const committed = await database.pool.query('SELECT result FROM hub.applied_changes WHERE change_id = $1', [change.body.changeId]);
    expect(committed.rowCount).toBe(1);
    expect(change.answers).toHaveLength(0);

    hub = await startHubProcess(database.connectionString);
    try {
      const answer = await pushing; // the same change, retried against the restarted hub
      expect(answer.status).toBe(200);
      expect(change.answers[0]).toEqual(committed.rows[0]?.result);
      await victim.pushChange(change); // and once more, on purpose
      const counts = await database.pool.query<{ applied: string; history: string; version: string; photos: string }>(
        `SELECT (SELECT count(*) FROM hub.applied_changes WHERE change_id = $1)::text AS applied,
                (SELECT count(*) FROM hub.history WHERE change_id = $1)::text AS history,
                (SELECT version FROM hub.features WHERE layer_id = $2 AND id = 'kill-0')::text AS version,
                (SELECT count(*) FROM hub.feature_attachments WHERE feature_id = 'kill-0')::text AS photos`,
        [change.body.changeId, LAYER],
      );
      // One history row per entry: the status edit and the photo attached.
      expect(counts.rows[0]).toEqual({ applied: '1', history: '2', version: '2', photos: '1' });
      await victim.pullAll();
      expect(await checkHub(database.pool, [victim])).toEqual([]);
    } finally {
      hub.child.kill('SIGTERM');
      await hub.exited;
    }
  }, 120_000);

  it('(c) gives the same end state whatever the order of devices and however often a change is pushed', async () => {
    const states: string[] = [];
    for (const variant of ['in order', 'interleaved with duplicates'] as const) {
      const fresh = await testDatabase();
      try {
        await prepareWorkspace(fresh.pool);
        const people = await addSimUsers(fresh.pool, 3, 'order');
        await seedWells(fresh.pool, 6);
        const hub = await startHub(fresh.pool);
        try {
          // Each device edits its own two wells (no two devices touch one feature).
          const devices = people.map((user, index) => device(hub.baseUrl, user, `order-${index}`, 100 + index));
          for (const one of devices) {
            await one.signIn();
            await one.pullAll();
          }
          devices.forEach((one, index) => {
            for (let step = 0; step < 8; step += 1) {
              const key = `${LAYER}/w${index * 2 + (step % 2)}`;
              const content = one.display(key);
              if (content !== null) one.journal(key, [{ to: { ...content, status: ['scheduled', 'sealed', 'verified'][step % 3] as string, properties: { ...content.properties, depthM: step } } }]);
            }
          });
          if (variant === 'in order') {
            for (const one of devices) await one.pushAll();
          } else {
            // Devices interleaved back to front, each change pushed twice, one device's changes all sent again at the end.
            const queues = devices.map((one) => [...one.pending]).reverse();
            while (queues.some((queue) => queue.length > 0)) {
              for (const [index, queue] of queues.entries()) {
                const change = queue.shift();
                if (change === undefined) continue;
                const owner = devices[devices.length - 1 - index] as SimClient;
                await owner.pushChange(change);
                await owner.pushChange(change);
              }
            }
            for (const change of (devices[0] as SimClient).changes) await (devices[0] as SimClient).pushChange(change);
          }
          await Promise.all(devices.map((one) => one.pullAll()));
          expect(await checkHub(fresh.pool, devices)).toEqual([]);
          states.push(await endState(fresh.pool));
        } finally {
          await hub.close();
        }
      } finally {
        await fresh.drop();
      }
    }
    expect(states[1]).toBe(states[0]);
  }, 120_000);

  it('(d) gives the same result whatever the devices’ clocks say (±1 day)', async () => {
    const states: string[] = [];
    for (const skews of [[0, 0], [DAY, -DAY], [-DAY, DAY]]) {
      const fresh = await testDatabase();
      try {
        await prepareWorkspace(fresh.pool);
        const people = await addSimUsers(fresh.pool, 2, 'clock');
        await seedWells(fresh.pool, 3);
        const hub = await startHub(fresh.pool);
        try {
          const devices = people.map((user, index) => device(hub.baseUrl, user, `clock-${index}`, 200 + index, { clockSkewMs: skews[index] }));
          for (const one of devices) {
            await one.signIn();
            await one.pullAll();
          }
          // Concurrent edits of the same wells: the hub takes the first pushed, whatever its time says.
          for (let round = 0; round < 3; round += 1) {
            for (const one of devices) for (let step = 0; step < 4; step += 1) one.randomEdit();
            // Device 1 pushes first, though with skews [DAY, -DAY] its clock is two days behind device 0.
            for (const one of [...devices].reverse()) await one.pushAll();
            for (const one of devices) await one.pullAll();
          }
          expect(await checkHub(fresh.pool, devices)).toEqual([]);
          states.push(await endState(fresh.pool));
        } finally {
          await hub.close();
        }
      } finally {
        await fresh.drop();
      }
    }
    expect(states[1]).toBe(states[0]);
    expect(states[2]).toBe(states[0]);
  }, 120_000);

  it('(e) a puller misses nothing when two writes to one county commit in the opposite order of their start', async () => {
    await seedWells(database.pool, 2, COUNTY_B, 'order-e-');
    const hub = await startHub(database.pool);
    const holder = await database.pool.connect();
    try {
      const writer = device(hub.baseUrl, users[2] as SimUser, 'e-writer', 3);
      const puller = device(hub.baseUrl, users[2] as SimUser, 'e-puller', 4);
      for (const one of [writer, puller]) {
        await one.signIn();
        await one.pullAll();
      }
      // First write (as QGIS would): its county number is taken (SET CONSTRAINTS … IMMEDIATE runs
      // the deferred log trigger now) and the transaction stays open.
      await holder.query('BEGIN');
      await holder.query(`UPDATE hub.features SET status = 'scheduled' WHERE layer_id = $1 AND id = 'order-e-0'`, [LAYER]);
      await holder.query('SET CONSTRAINTS ALL IMMEDIATE');
      // Second write, through the hub: it starts later and would commit first.
      const key = `${LAYER}/order-e-1`;
      const content = writer.display(key);
      if (content === null) throw new Error('seeded well not pulled');
      const change = writer.journal(key, [{ to: { ...content, status: 'sealed' } }]);
      const pushing = writer.pushChange(change);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await puller.pullAll();
      // Whatever the puller saw meanwhile, it must not have passed the first write's number.
      await holder.query('COMMIT');
      expect((await pushing).status).toBe(200);
      await puller.pullAll();
      expect(puller.server.get(`${LAYER}/order-e-0`)?.status).toBe('scheduled');
      expect(puller.server.get(key)?.status).toBe('sealed');
    } finally {
      holder.release();
      await hub.close();
    }
  }, 60_000);

  it('(f) refuses a push into a county outside the user’s with 403 and writes nothing', async () => {
    await seedWells(database.pool, 1, COUNTY_B, 'scope-b-');
    await seedWells(database.pool, 1, COUNTY_A, 'scope-a-');
    const hub = await startHub(database.pool);
    try {
      const inA = device(hub.baseUrl, users[0] as SimUser, 'f-a-only', 6);
      expect(inA.options.counties).toEqual([COUNTY_A]);
      await inA.signIn();
      await inA.pullAll();
      const start = await writtenState(database.pool);
      // An edit of a county-B well (the device crafted it: it cannot pull county B).
      const row = (await hubRows(database.pool)).find((one) => one.id === 'scope-b-0');
      const theirs = { geometry: row?.geometry, properties: row?.properties, status: row?.status, county: COUNTY_B, demo: false, createdAt: '2021-06-30T00:00:00.000Z' } as never;
      inA.server.set(`${LAYER}/scope-b-0`, { layerId: LAYER, id: 'scope-b-0', version: 1, deleted: false, county: COUNTY_B, status: 'registered', properties: row?.properties as never, geometry: row?.geometry as never, demo: false, createdAt: '2021-06-30T00:00:00.000Z', updatedAt: '2021-06-30T00:00:00.000Z', fieldVersions: {}, attachments: [] });
      const cases: ChangeRecord[] = [
        inA.journal(`${LAYER}/scope-b-0`, [{ to: { ...(theirs as object), status: 'sealed' } as never }]),
        // A county-A well moved into county B: the new county is out of scope too.
        inA.journal(`${LAYER}/scope-a-0`, [{ to: { ...(inA.display(`${LAYER}/scope-a-0`) as object), county: COUNTY_B } as never }]),
      ];
      inA.pending = [];
      // A new well in county B, in a change that also edits a county-A well: nothing of it is applied.
      const created = inA.create(() => 0.99);
      created.body.entries = created.body.entries.map((entry) => ({ ...entry, after: entry.after === null ? null : { ...entry.after, county: COUNTY_B } }));
      const both = inA.journal(`${LAYER}/scope-a-0`, [{ to: { ...(inA.display(`${LAYER}/scope-a-0`) as object), status: 'scheduled' } as never }]);
      both.body.entries = [...both.body.entries, ...created.body.entries];
      cases.push(both);
      for (const change of cases) {
        const answer = await inA.pushChange(change);
        expect(answer.status, change.body.changeId).toBe(403);
        const error = (answer.body as { error: { code: string; message: string } }).error;
        expect(error.code).toBe('out-of-scope');
        expect(error.message).toContain(String(COUNTY_B));
      }
      expect(await writtenState(database.pool)).toBe(start);
    } finally {
      await hub.close();
    }
  }, 60_000);

  it('(g) refuses a missing or corrupt photo and applies nothing of the change', async () => {
    await seedWells(database.pool, 1, COUNTY_A, 'photo-');
    const hub = await startHub(database.pool);
    try {
      const one = device(hub.baseUrl, users[0] as SimUser, 'g-device', 8);
      await one.signIn();
      await one.pullAll();
      const key = `${LAYER}/photo-0`;
      const content = one.display(key);
      if (content === null) throw new Error('seeded well not pulled');
      const start = await writtenState(database.pool);

      // Corrupt bytes: uploaded under a hash they do not have.
      const bytes = photoBytes(randomSource(9));
      const hash = sha256Hex(bytes);
      const corrupt = Uint8Array.from(bytes);
      corrupt[10] = (corrupt[10] as number) ^ 0xff;
      const upload = await one.request('PUT', `/v1/attachments/${hash}`, undefined, corrupt);
      expect(upload.status).toBe(400);
      expect(JSON.stringify(upload.body)).toContain(hash);
      expect(await writtenState(database.pool)).toBe(start);

      // Missing bytes: the push names the hash, and its status edit is not applied either.
      const change = one.journal(key, [{ to: { ...content, status: 'sealed' } }, { attach: bytes }]);
      const answer = await one.request('POST', '/v1/changes', change.body);
      expect(answer.status).toBe(409);
      const error = (answer.body as { error: { code: string; message: string } }).error;
      expect(error.code).toBe('missing-attachment');
      expect(error.message).toContain(hash);
      expect(await writtenState(database.pool)).toBe(start);

      // With the bytes uploaded, the same change id goes through once.
      await one.pushAll();
      expect(change.answers).toHaveLength(1);
      await one.pullAll();
      expect(await checkHub(database.pool, [one])).toEqual([]);
    } finally {
      await hub.close();
    }
  }, 60_000);

  it('(g) a photo attached to an existing feature on one device reaches the other devices’ pulls', async () => {
    await seedWells(database.pool, 1, COUNTY_A, 'shared-photo-');
    const hub = await startHub(database.pool);
    try {
      const [surveyor, office] = [device(hub.baseUrl, users[0] as SimUser, 'g-surveyor', 10), device(hub.baseUrl, users[1] as SimUser, 'g-office', 11)];
      for (const one of [surveyor, office]) {
        await one.signIn();
        await one.pullAll();
      }
      const key = `${LAYER}/shared-photo-0`;
      const bytes = photoBytes(randomSource(12));
      surveyor.journal(key, [{ attach: bytes }]);
      await surveyor.pushAll();
      await office.pullAll();
      // What QFieldCloud users lost: the photo must arrive, with bytes that match its hash.
      const photos = office.server.get(key)?.attachments ?? [];
      expect(photos.map((photo) => [photo.sha256, photo.attached])).toEqual([[sha256Hex(bytes), true]]);
      const download = await fetch(`${hub.baseUrl}/v1/attachments/${sha256Hex(bytes)}`, { headers: { authorization: `Bearer ${office.token}` } });
      expect(sha256Hex(new Uint8Array(await download.arrayBuffer()))).toBe(sha256Hex(bytes));
    } finally {
      await hub.close();
    }
  }, 60_000);
});

describe('hub faults: PostgreSQL stopped mid-push', () => {
  let isolated: IsolatedCluster;
  let database: TestDatabase;

  beforeAll(async () => {
    isolated = await isolatedCluster();
    database = await testDatabase({ cluster: isolated.cluster });
  }, 120_000);
  afterAll(async () => {
    await database?.drop().catch(() => {});
    await isolated?.remove();
  });

  it('(b) loses and doubles nothing when pg_ctl -m immediate stops the database while pushes are in flight', async () => {
    await prepareWorkspace(database.pool);
    const people = await addSimUsers(database.pool, 6, 'crash');
    await seedWells(database.pool, 8, COUNTY_A);
    await seedWells(database.pool, 8, COUNTY_B, 'b');
    const hub = await startHub(database.pool);
    try {
      const devices = people.map((user, index) => device(hub.baseUrl, user, `crash-${index}`, 300 + index, { attempts: 200 }));
      for (const one of devices) {
        await one.signIn();
        await one.pullAll();
        for (let step = 0; step < 25; step += 1) one.randomEdit();
      }
      const pushes = Promise.all(devices.map((one) => one.pushAll()));
      // Let some changes commit, then crash the database under the rest.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const answeredBefore = devices.reduce((sum, one) => sum + one.changes.filter((change) => change.answers.length > 0).length, 0);
      await isolated.cluster.stop('immediate');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await isolated.cluster.start();
      await pushes;
      const total = devices.reduce((sum, one) => sum + one.changes.length, 0);
      expect(answeredBefore).toBeLessThan(total); // the crash did hit pushes in flight
      await Promise.all(devices.map((one) => one.pullAll()));
      expect(await checkHub(database.pool, devices)).toEqual([]);
      const applied = await database.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM hub.applied_changes');
      expect(Number(applied.rows[0]?.n)).toBe(total);
    } finally {
      await hub.close();
    }
  }, 180_000);
});
