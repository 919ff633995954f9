// Syncing when things go wrong: the hub down, the answer lost after the hub committed, the token
// expired, a change the hub refuses — nothing waiting is lost, nothing goes up twice, and one
// refused change never blocks the ones after it.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFeature, readHubStatus, transact } from '../../../renderer/src/db';
import { appStore, insertWells, startAppHub, HENGSHUI_TAOCHENG, PASSWORD, ZAOQIANG, type AppHub, type AppStore } from './fixture';

let hub: AppHub;
let a: AppStore;
let lostAnswers = 0;

const setDepth = (store: AppStore, featureId: string, depth: number) => transact(store.db, { author: store.device, operations: [{ kind: 'update', layerId: 'wells', featureId, properties: { depth } }] });

/** Each hub row a change id wrote, counted: nothing may be doubled. */
async function hubRowsOf(changeIds: readonly string[]): Promise<{ applied: number; history: number }> {
  const applied = await hub.db.pool.query('SELECT count(*)::int AS n FROM hub.applied_changes WHERE change_id = ANY($1)', [changeIds]);
  const history = await hub.db.pool.query('SELECT count(*)::int AS n FROM hub.history WHERE change_id = ANY($1)', [changeIds]);
  return { applied: applied.rows[0].n as number, history: history.rows[0].n as number };
}

beforeAll(async () => {
  hub = await startAppHub({
    faults: {
      afterCommit: () => {
        if (lostAnswers > 0) {
          lostAnswers -= 1;
          throw new Error('the answer is lost after the commit');
        }
      },
    },
  });
  await insertWells(hub, [1, 2, 3, 4, 5].map((n) => ({ id: `W${n}`, county: HENGSHUI_TAOCHENG, lon: 115.7 + n / 100, lat: 37.74 })));
  a = await appStore(hub, 'zhang', '张工');
  expect((await a.sync()).stopped).toBeNull();
});

afterAll(async () => {
  await a?.close();
  await hub?.close();
});

describe('syncing with a hub that fails', () => {
  it('hub down: the sync reports offline, keeps every change, and later sends each exactly once', async () => {
    await hub.stop();
    const changes = [await setDepth(a, 'W1', 101), await setDepth(a, 'W2', 102), await setDepth(a, 'W3', 103)];
    const report = await a.sync();
    expect(report).toMatchObject({ stopped: 'offline', pushed: 0 });
    expect(report.error).toMatchObject({ kind: 'offline' });
    expect((await readHubStatus(a.db)).waitingChanges).toBe(3);
    expect(await a.sync()).toMatchObject({ stopped: 'offline' });
    await hub.start();
    expect(await a.sync()).toMatchObject({ stopped: null, pushed: 3 });
    expect(await a.sync()).toMatchObject({ stopped: null, pushed: 0, pulled: 0 });
    const ids = changes.map((change) => change.changeId);
    expect(await hubRowsOf(ids)).toEqual({ applied: 3, history: 3 });
    const { rows } = await hub.db.pool.query(`SELECT id, (properties->>'depth')::int AS depth, version FROM hub.features WHERE id IN ('W1','W2','W3') ORDER BY id`);
    expect(rows).toEqual([{ id: 'W1', depth: 101, version: '2' }, { id: 'W2', depth: 102, version: '2' }, { id: 'W3', depth: 103, version: '2' }]);
  });

  it('an answer lost after the hub committed: the change goes again under its id and is not doubled', async () => {
    const change = await setDepth(a, 'W4', 104);
    lostAnswers = 1;
    const report = await a.sync();
    expect(report.stopped).toBe('offline');
    expect((await readHubStatus(a.db)).waitingChanges).toBe(1);
    expect(await a.sync()).toMatchObject({ stopped: null, pushed: 1 });
    expect(await hubRowsOf([change.changeId])).toEqual({ applied: 1, history: 1 });
    expect((await a.db.hubPushes.get(change.changeId))?.status).toBe('applied');
  });

  it('a token that expired: auth-expired, every waiting change kept; signed in again, they go up', async () => {
    await setDepth(a, 'W5', 105);
    await setDepth(a, 'W5', 106);
    await hub.db.pool.query(`UPDATE hub.tokens SET expires_at = now() - interval '1 minute'`);
    const report = await a.sync();
    expect(report).toMatchObject({ stopped: 'auth-expired', pushed: 0 });
    expect(report.error).toMatchObject({ kind: 'unauthorized', status: 401 });
    expect((await readHubStatus(a.db)).waitingChanges).toBe(2);
    a.token = (await a.client.signIn({ user: 'zhang', password: PASSWORD })).token;
    expect(await a.sync()).toMatchObject({ stopped: null, pushed: 2 });
    const { rows } = await hub.db.pool.query(`SELECT (properties->>'depth')::int AS depth FROM hub.features WHERE id = 'W5'`);
    expect(rows[0]?.depth).toBe(106);
  });

  it('a change in a county not granted is refused and recorded; the changes after it still go up', async () => {
    const outside = await transact(a.db, {
      author: a.device,
      operations: [{ kind: 'create', layerId: 'wells', feature: { id: 'OUT-1', geometry: { type: 'Point', coordinates: [115.6, 37.6] }, properties: { name: '枣强的井' }, county: ZAOQIANG } }],
    });
    const after = await setDepth(a, 'W1', 201);
    const report = await a.sync();
    expect(report).toMatchObject({ stopped: null, pushed: 1, refused: 1 });
    expect(await a.db.hubPushes.get(outside.changeId)).toMatchObject({ status: 'refused', code: 'out-of-scope', features: ['wells/OUT-1'] });
    expect((await a.db.hubPushes.get(after.changeId))?.status).toBe('applied');
    expect(await readHubStatus(a.db)).toMatchObject({ waitingChanges: 0, refusedChanges: 1 });
    const { rows } = await hub.db.pool.query(`SELECT count(*)::int AS n FROM hub.features WHERE id = 'OUT-1'`);
    expect(rows[0]?.n).toBe(0);
    // The refused feature stays in this store (the panel lists the refusal).
    expect(await getFeature(a.db, 'wells', 'OUT-1')).not.toBeNull();
  });
});
