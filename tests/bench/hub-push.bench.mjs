// B7 — push through the hub: 50 concurrent devices × 200 changes each (status and geometry
// edits, one journal entry per change, as the app's transact writes them) against the hub, vs the
// same rows written by plain `pg` upserts, one transaction per change, over 50 concurrent
// connections — the engine's own limit with the same table and triggers. Both run in this
// process against one cluster of the bench's own (tests/bench/hub-lib.mjs). Checked after each
// run: 0 lost (every change answered/committed, every feature ends with its device's last
// values), 0 doubled (one applied_changes and one history row per change).
// ONEMAP_BENCH_PUSH_CLIENTS (50), ONEMAP_BENCH_PUSH_CHANGES (200), ONEMAP_BENCH_ROUNDS (1),
// ONEMAP_BENCH_HUB_POOL (10: the hub's own pool size, as `npm run hub` runs it).
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { benchCluster, hubModules } from './hub-lib.mjs';
import { formatMs, formatRatio, loadNote, percentile, roundsFromEnvironment } from './lib.mjs';

export const title = 'B7 push: 50 devices × 200 changes through the hub vs plain pg upserts';
export const nodeOnly = true;

const CLIENTS = Number(process.env.ONEMAP_BENCH_PUSH_CLIENTS || 50);
const CHANGES = Number(process.env.ONEMAP_BENCH_PUSH_CHANGES || 200);
const FEATURES_PER_CLIENT = 10;
const HUB_POOL = Number(process.env.ONEMAP_BENCH_HUB_POOL || 10);
const STATUSES = ['registered', 'scheduled', 'substitute-connected', 'sealed', 'verified'];

async function seed(pool, prefix, users, LAYER) {
  const values = [];
  const parameters = [];
  users.forEach((user, client) => {
    for (let index = 0; index < FEATURES_PER_CLIENT; index += 1) {
      parameters.push(`${prefix}-${client}-${index}`, user.counties[0], JSON.stringify({ type: 'Point', coordinates: [115.6 + client * 0.001, 37.7 + index * 0.001] }));
      const at = parameters.length;
      values.push(`('${LAYER}', $${at - 2}, $${at - 1}, 'registered', '{"wellClass":"agricultural","useType":"irrigation"}', $${at}::jsonb, false)`);
    }
  });
  await pool.query(`INSERT INTO hub.features (layer_id, id, county, status, properties, geometry, demo) VALUES ${values.join(',')}`, parameters);
}

/** One device's changes: alternately a new status (always another one) and a move. */
function plan(client, random) {
  const steps = [];
  for (let change = 0; change < CHANGES; change += 1) {
    const feature = Math.floor(random() * FEATURES_PER_CLIENT);
    if (change % 2 === 0) steps.push({ feature, kind: 'status', pick: 1 + Math.floor(random() * (STATUSES.length - 1)) });
    else steps.push({ feature, kind: 'move', point: [115.6 + random() * 0.5, 37.6 + random() * 0.5] });
  }
  return steps;
}

/** CPU time (user + system) of this process since `start`: the hub and its 50 devices share it. */
function cpuMsSince(start) {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function runHub(db, m, users, prefix, plans) {
  // The hub as `npm run hub` runs it: pg's default pool of 10 connections (server/cli/database.ts).
  const hubPool = new pg.Pool({ connectionString: db.connectionString, max: HUB_POOL });
  hubPool.on('error', () => {});
  const hub = await m.startHub(hubPool);
  const agent = new http.Agent({ keepAlive: true });
  try {
    // The devices' own HTTP client is not the hub's cost: node:http with keep-alive, not fetch.
    const transport = m.nodeHttpTransport(agent);
    const devices = users.map((user, index) => new m.SimClient({ baseUrl: hub.baseUrl, user: user.name, password: user.password, device: `${prefix}-d${index}`, layerId: m.LAYER, counties: user.counties, random: m.randomSource(index), pageLimit: 2000, transport }));
    for (const device of devices) {
      await device.signIn();
      await device.pullAll();
    }
    // Journal every change first (offline), as a device that comes back online would hold them.
    const expected = new Map();
    devices.forEach((device, client) => {
      for (const step of plans[client]) {
        const key = `${m.LAYER}/${prefix}-${client}-${step.feature}`;
        const content = device.display(key);
        if (content === null) throw new Error(`B7: ${key} not pulled`);
        const next =
          step.kind === 'status'
            ? { ...content, status: STATUSES[(STATUSES.indexOf(content.status) + step.pick) % STATUSES.length] }
            : { ...content, geometry: { type: 'Point', coordinates: step.point } };
        device.journal(key, [{ to: next }]);
        expected.set(key, { status: next.status, geometry: next.geometry });
      }
    });
    const latencies = [];
    const cpu = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      devices.map(async (device) => {
        for (const change of [...device.pending]) {
          const at = performance.now();
          const answer = await device.pushChange(change);
          latencies.push(performance.now() - at);
          if (answer.status !== 200) throw new Error(`B7: push ${change.body.changeId} answered ${answer.status} ${JSON.stringify(answer.body)}`);
        }
      }),
    );
    const ms = performance.now() - started;
    const cpuMs = cpuMsSince(cpu);
    const changeIds = devices.flatMap((device) => device.changes.map((change) => change.body.changeId));
    return { ms, cpuMs, latencies, expected, changeIds };
  } finally {
    agent.destroy();
    await hub.close();
    await hubPool.end();
  }
}

async function runPlain(db, users, prefix, plans, LAYER) {
  const current = new Map();
  const { rows } = await db.pool.query(`SELECT id, status, properties, county, geometry FROM hub.features WHERE id LIKE $1`, [`${prefix}-%`]);
  for (const row of rows) current.set(row.id, row);
  const expected = new Map();
  const latencies = [];
  const connections = await Promise.all(users.map(async () => {
    const client = new pg.Client({ connectionString: db.connectionString });
    await client.connect();
    return client;
  }));
  const work = users.map((user, client) =>
    plans[client].map((step) => {
      const id = `${prefix}-${client}-${step.feature}`;
      const row = current.get(id);
      const next = { ...row };
      if (step.kind === 'status') next.status = STATUSES[(STATUSES.indexOf(row.status) + step.pick) % STATUSES.length];
      else next.geometry = { type: 'Point', coordinates: step.point };
      current.set(id, next);
      expected.set(`${LAYER}/${id}`, { status: next.status, geometry: next.geometry });
      return { id, row: next };
    }),
  );
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    await Promise.all(
      connections.map(async (connection, client) => {
        for (const { id, row } of work[client]) {
          const at = performance.now();
          await connection.query('BEGIN');
          await connection.query(
            `INSERT INTO hub.features (layer_id, id, county, status, properties, geometry, demo) VALUES ($1, $2, $3, $4, $5, $6, false)
             ON CONFLICT (layer_id, id) DO UPDATE SET status = EXCLUDED.status, geometry = EXCLUDED.geometry, properties = EXCLUDED.properties`,
            [LAYER, id, row.county, row.status, JSON.stringify(row.properties), JSON.stringify(row.geometry)],
          );
          await connection.query('COMMIT');
          latencies.push(performance.now() - at);
        }
      }),
    );
  } finally {
    await Promise.all(connections.map((connection) => connection.end()));
  }
  return { ms: performance.now() - started, cpuMs: cpuMsSince(cpu), latencies, expected };
}

/** Lost: a change with no applied_changes row, or a feature not ending on its last values. Doubled: more than one row per change. */
async function check(db, prefix, expected, changeIds) {
  let lost = 0;
  let doubled = 0;
  const { rows } = await db.pool.query(`SELECT layer_id, id, status, geometry FROM hub.features WHERE id LIKE $1`, [`${prefix}-%`]);
  const byKey = new Map(rows.map((row) => [`${row.layer_id}/${row.id}`, row]));
  for (const [key, want] of expected) {
    const row = byKey.get(key);
    if (row === undefined || row.status !== want.status || JSON.stringify(row.geometry.coordinates) !== JSON.stringify(want.geometry.coordinates)) lost += 1;
  }
  if (changeIds !== null) {
    const applied = await db.pool.query('SELECT count(*)::int AS n FROM hub.applied_changes WHERE change_id = ANY($1)', [changeIds]);
    lost += changeIds.length - applied.rows[0].n;
    const history = await db.pool.query('SELECT count(*)::int AS n FROM (SELECT change_id FROM hub.history WHERE change_id = ANY($1) GROUP BY change_id, entry_id HAVING count(*) > 1) d', [changeIds]);
    doubled += history.rows[0].n;
    const conflicts = await db.pool.query('SELECT count(*)::int AS n FROM hub.conflicts WHERE change_id = ANY($1)', [changeIds]);
    if (conflicts.rows[0].n > 0) throw new Error(`B7: ${conflicts.rows[0].n} conflicts where every device edits only its own features`);
  }
  return { lost, doubled };
}

export async function run({ log }) {
  const rounds = roundsFromEnvironment(1);
  const load = { before: os.loadavg()[0] };
  const m = await hubModules();
  const db = await benchCluster(log);
  const data = { clients: CLIENTS, changesPerClient: CHANGES, rounds: [] };
  try {
    await m.prepareWorkspace(db.pool);
    const users = await m.addSimUsers(db.pool, CLIENTS, 'bench');
    for (let round = 0; round < rounds; round += 1) {
      const hubPrefix = `h${round}`;
      const plainPrefix = `p${round}`;
      await seed(db.pool, hubPrefix, users, m.LAYER);
      await seed(db.pool, plainPrefix, users, m.LAYER);
      await db.pool.query('VACUUM ANALYZE');
      const plans = users.map((_, client) => plan(client, m.randomSource(1000 * round + client)));
      // Alternate which goes first, so a warming cache favours neither.
      let hubRun;
      let plainRun;
      if (round % 2 === 0) {
        hubRun = await runHub(db, m, users, hubPrefix, plans);
        plainRun = await runPlain(db, users, plainPrefix, plans, m.LAYER);
      } else {
        plainRun = await runPlain(db, users, plainPrefix, plans, m.LAYER);
        hubRun = await runHub(db, m, users, hubPrefix, plans);
      }
      const hubCheck = await check(db, hubPrefix, hubRun.expected, hubRun.changeIds);
      const plainCheck = await check(db, plainPrefix, plainRun.expected, null);
      const result = {
        hubMs: hubRun.ms,
        plainMs: plainRun.ms,
        ratio: hubRun.ms / plainRun.ms,
        hubProcessCpuMs: hubRun.cpuMs,
        plainProcessCpuMs: plainRun.cpuMs,
        hubP95: percentile(hubRun.latencies, 95),
        hubP50: percentile(hubRun.latencies, 50),
        plainP95: percentile(plainRun.latencies, 95),
        plainP50: percentile(plainRun.latencies, 50),
        hub: hubCheck,
        plain: plainCheck,
      };
      log(`round ${round + 1}: hub ${formatMs(result.hubMs)}, plain ${formatMs(result.plainMs)}, ratio ${formatRatio(result.ratio)}; lost ${hubCheck.lost}/${plainCheck.lost}, doubled ${hubCheck.doubled}/${plainCheck.doubled}; this process's CPU (hub + devices) ${formatMs(hubRun.cpuMs)} in the hub run, ${formatMs(plainRun.cpuMs)} in the plain run`);
      if (hubCheck.lost + hubCheck.doubled + plainCheck.lost + plainCheck.doubled > 0) throw new Error(`B7: lost or doubled rows: ${JSON.stringify({ hubCheck, plainCheck })}`);
      data.rounds.push(result);
    }
  } finally {
    await db.close();
  }
  load.after = os.loadavg()[0];
  const total = CLIENTS * CHANGES;
  const rows = data.rounds.map((result, index) => [
    String(index + 1),
    formatMs(result.hubMs),
    formatMs(result.plainMs),
    formatRatio(result.ratio),
    `${(total / (result.hubMs / 1000)).toFixed(0)}/s`,
    `${result.hubP50.toFixed(1)} / ${result.hubP95.toFixed(1)} ms`,
    `${result.plainP50.toFixed(1)} / ${result.plainP95.toFixed(1)} ms`,
    `${result.hub.lost} / ${result.hub.doubled}`,
    `${formatMs(result.hubProcessCpuMs)} / ${formatMs(result.plainProcessCpuMs)}`,
  ]);
  return {
    tables: [
      {
        title: `${loadNote({ ...load, cpus: os.cpus().length })}B7 — ${CLIENTS} devices × ${CHANGES} changes (${total.toLocaleString('en')}; status and geometry edits), goal hub ≤ 2× plain upserts`,
        columns: ['round', 'hub', 'plain pg upserts', 'hub/plain', 'hub changes/s', 'hub p50 / p95', 'plain p50 / p95', 'hub lost / doubled', 'bench process CPU hub / plain'],
        rows,
      },
    ],
    data: { ...data, load },
  };
}
