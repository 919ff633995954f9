/* global window */
// The app's sync engine in Chromium against a real hub (issue 16's closing measurements, as the
// app runs them): the store is Dexie over Chromium's IndexedDB in a page on the hub's origin
// (hub-sync-page.ts, evaluated over CDP), Chromium started with the desktop shell's switches.
// One profile syncs 1,000 waiting changes (push, then the pull of its own changes back), another
// pulls them; then 10 profiles sync 100 changes each at once, and once more for each other's.
// Baseline in the same run: the same 1,000 changes posted to `POST /v1/changes` from Node, one
// request each (the hub's own cost). Checked: every change on the hub once, every count agreeing.
// Ports: the hub ONEMAP_BENCH_HUB_PORT (55504), PostgreSQL ONEMAP_BENCH_PG_PORT (hub-lib.mjs).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { benchCluster, seedWells, syncModules } from './hub-lib.mjs';
import { bundleForEvaluate, environmentInfo, formatMs, formatRatio, guardContext, launchChromium, loadNote } from './lib.mjs';

export const title = 'Hub sync in Chromium: 1,000 changes from one profile, 10 profiles at once';
export const needsApp = false;

const CHANGES = Number(process.env.ONEMAP_BENCH_SYNC_CHANGES || 1000);
const PROFILES = Number(process.env.ONEMAP_BENCH_SYNC_STORES || 10);
const PER_PROFILE = Number(process.env.ONEMAP_BENCH_SYNC_PER_STORE || 100);
const COUNTY = 131102;
const PASSWORD = 'bench password';

export async function run({ log }) {
  const load = { before: os.loadavg()[0] };
  const m = await syncModules();
  const script = await bundleForEvaluate('tests/bench/hub-sync-page.ts');
  const db = await benchCluster(log);
  let app = null;
  let browser = null;
  try {
    await db.pool.query(`INSERT INTO hub.counties (adcode, name) VALUES (${COUNTY}, '{"zh":"桃城区","en":"Taocheng"}')`);
    await db.pool.query('INSERT INTO hub.layers (id, definition) VALUES ($1, $2)', ['wells', JSON.stringify(m.WELLS)]);
    for (let index = 0; index <= PROFILES + 1; index += 1) await m.addUser(db.pool, { name: `u${index}`, role: 'surveyor', counties: [COUNTY], password: PASSWORD });
    await seedWells(db.pool, 'a', CHANGES, COUNTY);
    await seedWells(db.pool, 'b', CHANGES, COUNTY);
    for (let index = 0; index < PROFILES; index += 1) await seedWells(db.pool, `s${index}`, PER_PROFILE, COUNTY);
    app = await m.buildHub({ pool: db.pool, logger: false });
    const port = Number(process.env.ONEMAP_BENCH_HUB_PORT || 55504);
    await app.listen({ host: '127.0.0.1', port });
    const address = `http://127.0.0.1:${port}`;
    browser = await launchChromium();
    log(environmentInfo(browser));

    const watches = [];
    /** A fresh profile (its own IndexedDB) on a blank page of the hub's origin, signed in as `user`. */
    const openProfile = async (user) => {
      const context = await browser.newContext();
      const watch = await guardContext(context, [address]);
      watches.push([user, watch]);
      // Registered after the guard, so it answers first: the page itself; /v1/… goes to the hub.
      await context.route(`${address}/bench.html`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>sync bench</title>' }));
      const page = await context.newPage();
      await page.goto(`${address}/bench.html`);
      await page.evaluate(script);
      await page.evaluate(([name, password]) => window.__benchSync.open(name, password), [user, PASSWORD]);
      return {
        user,
        sync: async (what) => {
          const report = await page.evaluate(() => window.__benchSync.sync());
          if (report.stopped !== null) throw new Error(`${what} (${user}): sync stopped (${report.stopped}): ${report.error}`);
          return report;
        },
        edit: (prefix, count, depthBase) => page.evaluate(([p, c, d]) => window.__benchSync.edit(p, c, d), [prefix, count, depthBase]),
        journal: (prefix) => page.evaluate((p) => window.__benchSync.journal(p), prefix),
      };
    };

    // One profile: 1,000 changes waiting, then one sync; another profile pulls them.
    const a = await openProfile('u0');
    const b = await openProfile(`u${PROFILES + 1}`);
    const firstPull = await a.sync('first pull');
    log(`first pull (${firstPull.pulled} features): ${formatMs(firstPull.ms)}`);
    await b.sync('first pull');
    await a.edit('a', CHANGES, 1000);
    const pushed = await a.sync('push');
    log(`push: ${formatMs(pushed.ms)}`);
    if (pushed.pushed !== CHANGES) throw new Error(`push: ${pushed.pushed} of ${CHANGES} pushed`);
    const pulled = await b.sync('pull');
    log(`pull: ${formatMs(pulled.ms)}`);
    if (pulled.pulled !== CHANGES) throw new Error(`pull: ${pulled.pulled} of ${CHANGES} pulled`);

    // Baseline: the same changes (on the b-* wells) posted bare from Node, one request each.
    const entries = await a.journal('a-');
    const token = (await (await fetch(`${address}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: `u${PROFILES}`, password: PASSWORD }) })).json()).token;
    let started = performance.now();
    for (const entry of entries) {
      const { sequence: _sequence, parents: _parents, ...rest } = entry;
      const featureId = entry.featureId.replace(/^a-/, 'b-');
      const moved = { ...rest, id: `bare-${entry.id}`, changeId: `bare-${entry.changeId}`, featureId, before: { ...entry.before, id: featureId }, after: { ...entry.after, id: featureId } };
      const response = await fetch(`${address}/v1/changes`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ changeId: moved.changeId, device: 'bare', entries: [moved] }) });
      if (response.status !== 200) throw new Error(`bare push: ${response.status} ${await response.text()}`);
    }
    const bareMs = performance.now() - started;

    // Ten profiles at once: each pushes its own changes, then each pulls the others'.
    const many = [];
    for (let index = 1; index <= PROFILES; index += 1) many.push(await openProfile(`u${index}`));
    await Promise.all(many.map((profile) => profile.sync('first pull')));
    for (const [index, profile] of many.entries()) await profile.edit(`s${index}`, PER_PROFILE, 5000);
    started = performance.now();
    // Each cycle pushes, then pulls what the others pushed before its pull: a second cycle brings the rest.
    const first = await Promise.all(many.map((profile) => profile.sync('push')));
    const concurrentPushMs = performance.now() - started;
    started = performance.now();
    const second = await Promise.all(many.map((profile) => profile.sync('pull')));
    const concurrentPullMs = performance.now() - started;
    const expectedPulled = (PROFILES - 1) * PER_PROFILE;
    many.forEach((profile, index) => {
      const total = (first[index]?.pulled ?? 0) + (second[index]?.pulled ?? 0);
      if (first[index]?.pushed !== PER_PROFILE || total !== expectedPulled) throw new Error(`${profile.user}: pushed ${first[index]?.pushed}, pulled ${total} of ${expectedPulled}`);
    });

    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM hub.history WHERE source = 'hub' AND change_id NOT LIKE 'bare-%'`);
    const expectedHistory = CHANGES + PROFILES * PER_PROFILE;
    if (rows[0].n !== expectedHistory) throw new Error(`hub history: ${rows[0].n} rows for ${expectedHistory} changes (lost or doubled)`);
    for (const [user, watch] of watches) watch.assertClean(user);

    load.after = os.loadavg()[0];
    const rowsOut = [
      [`first pull of ${firstPull.pulled} features (one profile)`, formatMs(firstPull.ms), ''],
      [`${CHANGES} changes: one profile's sync (push + own pull back)`, formatMs(pushed.ms), formatRatio(pushed.ms / bareMs)],
      [`${CHANGES} changes: another profile's pull`, formatMs(pulled.ms), formatRatio(pulled.ms / bareMs)],
      [`baseline: the same ${CHANGES} changes posted bare from Node`, formatMs(bareMs), '1.00×'],
      [`${PROFILES} profiles × ${PER_PROFILE} changes: one sync each, at once`, formatMs(concurrentPushMs), ''],
      [`${PROFILES} profiles: the next sync each (the rest of ${expectedPulled} others' changes)`, formatMs(concurrentPullMs), ''],
    ];
    const note = loadNote({ before: load.before, after: load.after, cpus: os.cpus().length });
    if (note !== '') log(note);
    return {
      tables: [{ title, columns: ['what', 'time', 'vs bare posts'], rows: rowsOut }],
      data: { firstPullMs: firstPull.ms, pushMs: pushed.ms, pullMs: pulled.ms, bareMs, concurrentPushMs, concurrentPullMs, changes: CHANGES, profiles: PROFILES, perProfile: PER_PROFILE, load },
    };
  } finally {
    await browser?.close();
    await app?.close();
    await db.close();
  }
}
