// The app's sync engine against a real hub (issue 16's closing measurements): one store syncing
// 1,000 waiting changes (push, then the pull of its own changes back), another store pulling
// them, and 10 stores syncing 100 changes each at once, then pulling each other's. Baseline in
// the same run: the same 1,000 changes posted to `POST /v1/changes` by a bare HTTP client — the
// hub's own cost, which the store's outbox, journal and pull add to. Stores are Dexie over
// fake-indexeddb in this Node process (the logic, not Chromium's IndexedDB). Checked: every change
// on the hub once, every store agreeing with the hub. Ports: the hub ONEMAP_BENCH_HUB_PORT
// (55504), PostgreSQL ONEMAP_BENCH_PG_PORT (hub-lib.mjs).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { benchCluster, seedWells, syncModules } from './hub-lib.mjs';
import { formatMs, formatRatio, loadNote } from './lib.mjs';

export const title = 'Hub sync: 1,000 changes from one store, 10 stores at once';
export const nodeOnly = true;

const CHANGES = Number(process.env.ONEMAP_BENCH_SYNC_CHANGES || 1000);
const STORES = Number(process.env.ONEMAP_BENCH_SYNC_STORES || 10);
const PER_STORE = Number(process.env.ONEMAP_BENCH_SYNC_PER_STORE || 100);
const COUNTY = 131102;
const PASSWORD = 'bench password';

export async function run({ log }) {
  const load = { before: os.loadavg()[0] };
  const m = await syncModules();
  const db = await benchCluster(log);
  let app = null;
  const stores = [];
  try {
    await db.pool.query(`INSERT INTO hub.counties (adcode, name) VALUES (${COUNTY}, '{"zh":"桃城区","en":"Taocheng"}')`);
    await db.pool.query('INSERT INTO hub.layers (id, definition) VALUES ($1, $2)', ['wells', JSON.stringify(m.WELLS)]);
    for (let index = 0; index <= STORES + 1; index += 1) await m.addUser(db.pool, { name: `u${index}`, role: 'surveyor', counties: [COUNTY], password: PASSWORD });
    await seedWells(db.pool, 'a', CHANGES, COUNTY);
    await seedWells(db.pool, 'b', CHANGES, COUNTY);
    for (let index = 0; index < STORES; index += 1) await seedWells(db.pool, `s${index}`, PER_STORE, COUNTY);
    app = await m.buildHub({ pool: db.pool, logger: false });
    const port = Number(process.env.ONEMAP_BENCH_HUB_PORT || 55504);
    await app.listen({ host: '127.0.0.1', port });
    const address = `http://127.0.0.1:${port}`;
    const fetcher = (url, init) => fetch(url, init);

    const openStore = async (user) => {
      const database = new m.OneMapDatabase(`bench-${user}-${Math.random().toString(36).slice(2)}`);
      await database.open();
      await m.setUserName(database, user);
      let token = null;
      const client = m.createHubClient({ address, fetch: fetcher, token: () => token });
      token = (await client.signIn({ user, password: PASSWORD, device: `dev-${user}` })).token;
      await m.prepareHubWorkspace(database, client);
      const store = { user, database, client, token: () => token, sync: () => m.syncOnce(database, { client, device: `dev-${user}` }) };
      stores.push(store);
      return store;
    };
    const ok = (report, what) => {
      if (report.stopped !== null) throw new Error(`${what}: sync stopped (${report.stopped}): ${report.error?.message}`);
      return report;
    };
    const edit = (store, featureId, depth) => m.transact(store.database, { author: `dev-${store.user}`, operations: [{ kind: 'update', layerId: 'wells', featureId, properties: { depth } }] });

    // One store: 1,000 changes waiting, then one sync; another store pulls them.
    const a = await openStore('u0');
    const b = await openStore(`u${STORES + 1}`);
    let started = performance.now();
    ok(await a.sync(), 'first pull A');
    const firstPullMs = performance.now() - started;
    log(`first pull: ${formatMs(firstPullMs)}`);
    ok(await b.sync(), 'first pull B');
    for (let index = 0; index < CHANGES; index += 1) await edit(a, `a-${index}`, 1000 + index);
    started = performance.now();
    const pushed = ok(await a.sync(), 'push A');
    const pushMs = performance.now() - started;
    log(`push: ${formatMs(pushMs)}`);
    if (pushed.pushed !== CHANGES) throw new Error(`push A: ${pushed.pushed} of ${CHANGES} pushed`);
    started = performance.now();
    const pulled = ok(await b.sync(), 'pull B');
    const pullMs = performance.now() - started;
    log(`pull: ${formatMs(pullMs)}`);
    if (pulled.pulled !== CHANGES) throw new Error(`pull B: ${pulled.pulled} of ${CHANGES} pulled`);

    // Baseline: the same changes (on the b-* wells) posted bare, one request each.
    const entries = (await a.database.journal.toArray()).filter((entry) => entry.applies === undefined && entry.featureId.startsWith('a-'));
    const token = (await (await fetch(`${address}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: `u${STORES}`, password: PASSWORD }) })).json()).token;
    started = performance.now();
    for (const entry of entries) {
      const { sequence: _sequence, parents: _parents, ...rest } = entry;
      const featureId = entry.featureId.replace(/^a-/, 'b-');
      const moved = { ...rest, id: `bare-${entry.id}`, changeId: `bare-${entry.changeId}`, featureId, before: { ...entry.before, id: featureId }, after: { ...entry.after, id: featureId } };
      const response = await fetch(`${address}/v1/changes`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ changeId: moved.changeId, device: 'bare', entries: [moved] }) });
      if (response.status !== 200) throw new Error(`bare push: ${response.status} ${await response.text()}`);
    }
    const bareMs = performance.now() - started;

    // Ten stores at once: each pushes its own changes, then each pulls the others'.
    const many = [];
    for (let index = 1; index <= STORES; index += 1) many.push(await openStore(`u${index}`));
    await Promise.all(many.map(async (store) => ok(await store.sync(), `first pull ${store.user}`)));
    for (const [index, store] of many.entries()) for (let change = 0; change < PER_STORE; change += 1) await edit(store, `s${index}-${change}`, 5000 + change);
    started = performance.now();
    // Each cycle pushes, then pulls what the others pushed before its pull: a second cycle brings the rest.
    const first = await Promise.all(many.map(async (store) => ok(await store.sync(), `push ${store.user}`)));
    const concurrentPushMs = performance.now() - started;
    started = performance.now();
    const second = await Promise.all(many.map(async (store) => ok(await store.sync(), `pull ${store.user}`)));
    const concurrentPullMs = performance.now() - started;
    const expectedPulled = (STORES - 1) * PER_STORE;
    many.forEach((store, index) => {
      const total = (first[index]?.pulled ?? 0) + (second[index]?.pulled ?? 0);
      if (first[index]?.pushed !== PER_STORE || total !== expectedPulled) throw new Error(`${store.user}: pushed ${first[index]?.pushed}, pulled ${total} of ${expectedPulled}`);
    });

    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM hub.history WHERE source = 'hub' AND change_id NOT LIKE 'bare-%'`);
    const expectedHistory = CHANGES + STORES * PER_STORE;
    if (rows[0].n !== expectedHistory) throw new Error(`hub history: ${rows[0].n} rows for ${expectedHistory} changes (lost or doubled)`);

    load.after = os.loadavg()[0];
    const rowsOut = [
      ['first pull of 2,000+ features (one store)', formatMs(firstPullMs), ''],
      [`${CHANGES} changes: one store's sync (push + own pull back)`, formatMs(pushMs), formatRatio(pushMs / bareMs)],
      [`${CHANGES} changes: another store's pull`, formatMs(pullMs), formatRatio(pullMs / bareMs)],
      [`baseline: the same ${CHANGES} changes posted bare`, formatMs(bareMs), '1.00×'],
      [`${STORES} stores × ${PER_STORE} changes: one sync each, at once`, formatMs(concurrentPushMs), ''],
      [`${STORES} stores: the next sync each (the rest of ${expectedPulled} others' changes)`, formatMs(concurrentPullMs), ''],
    ];
    const note = loadNote({ before: load.before, after: load.after, cpus: os.cpus().length });
    if (note !== '') log(note);
    return {
      tables: [{ title, columns: ['what', 'time', 'vs bare posts'], rows: rowsOut }],
      data: { firstPullMs, pushMs, pullMs, bareMs, concurrentPushMs, concurrentPullMs, changes: CHANGES, stores: STORES, perStore: PER_STORE, load },
    };
  } finally {
    for (const store of stores) {
      store.database.close();
      await store.database.delete().catch(() => {});
    }
    await app?.close();
    await db.close();
  }
}
