// B8 — pull a county of 100,000 features through the hub (GET /v1/changes, every page, each
// page's JSON parsed; the hub in a Node process of its own) vs `ogr2ogr -f GeoJSON /vsistdout/
// PG:… <layer view>` of the same rows (the QGIS views in schema `layers` when the database has
// them, else a -sql SELECT on hub.features), both from one cluster of the bench's own
// (tests/bench/hub-lib.mjs). Another county holds 10 % more rows, so both must filter. Checked:
// both return every row of the county.
// ONEMAP_BENCH_PULL_FEATURES (100000), ONEMAP_BENCH_PULL_LIMIT (page size; default: the largest
// the hub accepts of 5000, 2000, 1000, 500), ONEMAP_BENCH_ROUNDS (2).
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { benchCluster, hubModules, startHubProcess } from './hub-lib.mjs';
import { formatMs, formatRatio, loadNote, median, roundsFromEnvironment } from './lib.mjs';

export const title = 'B8 pull: a county of 100,000 features through the hub vs ogr2ogr';
export const nodeOnly = true;

const FEATURES = Number(process.env.ONEMAP_BENCH_PULL_FEATURES || 100_000);

async function seed(pool, LAYER, county, count, prefix) {
  // In slices, so the deferred change-log triggers of one statement stay a bounded queue.
  for (let start = 0; start < count; start += 20_000) {
    const end = Math.min(count, start + 20_000) - 1;
    await pool.query(
      `INSERT INTO hub.features (layer_id, id, county, status, properties, geometry, demo)
       SELECT $1, $2 || i, $3, (ARRAY['registered','scheduled','sealed','verified'])[1 + i % 4],
              jsonb_build_object('wellClass', 'agricultural', 'useType', 'irrigation', 'name', '衡水 ' || i || ' 号井',
                                 'depthM', 20 + i % 180, 'plannedDate', '2026-12-01'),
              jsonb_build_object('type', 'Point', 'coordinates', jsonb_build_array(115.2 + (i % 1000) * 0.0013, 37.1 + (i / 1000) * 0.0012)),
              false
       FROM generate_series($4::int, $5::int) AS i`,
      [LAYER, prefix, county, start, end],
    );
  }
}

async function pullThroughHub(m, hub, user, county, limit) {
  const device = new m.SimClient({ baseUrl: hub.baseUrl, user: user.name, password: user.password, device: 'b8', layerId: m.LAYER, counties: [county], random: Math.random });
  await device.signIn();
  let rows = 0;
  let bytes = 0;
  let pages = 0;
  let cursor = null;
  const started = performance.now();
  for (;;) {
    const query = new URLSearchParams({ counties: String(county), limit: String(limit) });
    if (cursor !== null) query.set('cursor', cursor);
    const response = await fetch(`${hub.baseUrl}/v1/changes?${query}`, { headers: { authorization: `Bearer ${device.token}` } });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`B8: pull answered ${response.status} ${text.slice(0, 300)}`);
    bytes += text.length;
    const page = JSON.parse(text);
    rows += page.features.length;
    pages += 1;
    cursor = page.cursor;
    if (!page.more) break;
  }
  return { ms: performance.now() - started, rows, bytes, pages };
}

/** The largest page size the hub accepts (a 400 names the limit). */
async function pageLimit(m, hub, user, county) {
  if (process.env.ONEMAP_BENCH_PULL_LIMIT) return Number(process.env.ONEMAP_BENCH_PULL_LIMIT);
  const device = new m.SimClient({ baseUrl: hub.baseUrl, user: user.name, password: user.password, device: 'b8-probe', layerId: m.LAYER, counties: [county], random: Math.random });
  await device.signIn();
  for (const limit of [5000, 2000, 1000, 500]) {
    const answer = await device.request('GET', `/v1/changes?counties=${county}&limit=${limit}`);
    if (answer.status === 200) return limit;
  }
  throw new Error('B8: the hub accepts none of the page sizes 5000, 2000, 1000, 500');
}

function ogr2ogr(args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('ogr2ogr', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let rows = 0;
    let tail = '';
    let errors = '';
    child.stdout.on('data', (chunk) => {
      bytes += chunk.length;
      // The GeoJSON driver writes one feature per line.
      const text = tail + chunk.toString('utf8');
      const lines = text.split('\n');
      tail = lines.pop();
      for (const line of lines) if (line.startsWith('{ "type": "Feature"')) rows += 1;
    });
    child.stderr.on('data', (chunk) => {
      errors += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (tail.startsWith('{ "type": "Feature"')) rows += 1;
      if (code !== 0) reject(new Error(`ogr2ogr exited ${code}: ${errors.slice(0, 500)}`));
      else resolve({ ms: performance.now() - started, rows, bytes });
    });
  });
}

export async function run({ log }) {
  if (spawnSync('ogr2ogr', ['--version']).status !== 0) throw new Error('B8 needs ogr2ogr (apt-get install -y gdal-bin)');
  const rounds = roundsFromEnvironment(2);
  const load = { before: os.loadavg()[0] };
  const m = await hubModules();
  const db = await benchCluster(log);
  const data = { features: FEATURES, rounds: [] };
  try {
    await m.prepareWorkspace(db.pool);
    const seeding = performance.now();
    await seed(db.pool, m.LAYER, m.COUNTY_A, FEATURES, 'a');
    await seed(db.pool, m.LAYER, m.COUNTY_B, Math.round(FEATURES * 1.1), 'b');
    await db.pool.query('VACUUM ANALYZE');
    log(`seeded ${FEATURES.toLocaleString('en')} + ${Math.round(FEATURES * 1.1).toLocaleString('en')} features in ${formatMs(performance.now() - seeding)}`);
    const [user] = await m.addSimUsers(db.pool, 1, 'puller');
    // A process of its own, as in use (and as ogr2ogr is): the hub's work and the reader's overlap.
    const hub = await startHubProcess(db.connectionString);
    const view = (await db.pool.query(`SELECT to_regclass('layers.${m.LAYER}') IS NOT NULL AS present`)).rows[0].present;
    const source = view
      ? [`PG:${db.libpq}`, `layers.${m.LAYER}`, '-where', `county = ${m.COUNTY_A}`]
      : [`PG:${db.libpq}`, '-sql', `SELECT id, status, county, properties::text AS properties, geom FROM hub.features WHERE layer_id = '${m.LAYER}' AND county = ${m.COUNTY_A} AND NOT deleted`];
    data.ogrSource = view ? `layers.${m.LAYER} view` : 'SELECT on hub.features';
    try {
      const limit = await pageLimit(m, hub, user, m.COUNTY_A);
      data.pageLimit = limit;
      for (let round = 0; round < rounds; round += 1) {
        const order = round % 2 === 0 ? ['hub', 'ogr'] : ['ogr', 'hub'];
        const result = {};
        for (const which of order) {
          if (which === 'hub') result.hub = await pullThroughHub(m, hub, user, m.COUNTY_A, limit);
          else result.ogr = await ogr2ogr(['-f', 'GeoJSON', '/vsistdout/', ...source]);
        }
        if (result.hub.rows !== FEATURES || result.ogr.rows !== FEATURES) throw new Error(`B8: rows hub ${result.hub.rows}, ogr2ogr ${result.ogr.rows}, expected ${FEATURES}`);
        result.ratio = result.hub.ms / result.ogr.ms;
        log(`round ${round + 1}: hub ${formatMs(result.hub.ms)} (${result.hub.pages} pages), ogr2ogr ${formatMs(result.ogr.ms)}, hub/ogr2ogr ${formatRatio(result.ratio)}`);
        data.rounds.push(result);
      }
    } finally {
      await hub.close();
    }
  } finally {
    await db.close();
  }
  load.after = os.loadavg()[0];
  const rows = data.rounds.map((result, index) => [
    String(index + 1),
    formatMs(result.hub.ms),
    `${result.hub.pages} × ${data.pageLimit}`,
    `${(result.hub.bytes / 1024 / 1024).toFixed(1)} MiB`,
    formatMs(result.ogr.ms),
    `${(result.ogr.bytes / 1024 / 1024).toFixed(1)} MiB`,
    formatRatio(result.ratio),
  ]);
  rows.push(['median', formatMs(median(data.rounds.map((r) => r.hub.ms))), '', '', formatMs(median(data.rounds.map((r) => r.ogr.ms))), '', formatRatio(median(data.rounds.map((r) => r.ratio)))]);
  return {
    tables: [
      {
        title: `${loadNote({ ...load, cpus: os.cpus().length })}B8 — pull one county of ${FEATURES.toLocaleString('en')} features: hub (all pages, JSON parsed) vs ogr2ogr -f GeoJSON /vsistdout/ (${data.ogrSource}); goal hub/ogr2ogr < 1×`,
        columns: ['round', 'hub', 'pages', 'hub JSON', 'ogr2ogr', 'GeoJSON', 'hub/ogr2ogr'],
        rows,
      },
    ],
    data: { ...data, load },
  };
}
