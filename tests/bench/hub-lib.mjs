// Shared by the hub benchmarks (B7 push, B8 pull): the hub's TypeScript modules bundled for
// plain Node, and a PostgreSQL cluster of the bench's own in a temporary folder (Debian's
// PostgreSQL 15 + PostGIS, default durability: fsync on), stopped and removed at the end or on
// Ctrl+C. Port: ONEMAP_BENCH_PG_PORT (default 55481).
import { build } from 'esbuild';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { onCleanup, root } from './lib.mjs';

/** A TypeScript entry of the project bundled into one .mjs in a new temp folder (CommonJS deps need require()). */
async function bundleForNode(entry, prefix) {
  const directory = mkdtempSync(path.join(os.tmpdir(), prefix));
  const outfile = path.join(directory, `${path.basename(entry, '.ts')}.mjs`);
  await build({
    entryPoints: [path.join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __onemapCreateRequire } from 'node:module'; const require = __onemapCreateRequire(import.meta.url);" },
  });
  return { directory, outfile };
}

let modules = null;
/** server/ and the hub test harness, bundled to a temporary .mjs (CommonJS deps need require()). */
export async function hubModules() {
  if (modules !== null) return modules;
  const { directory, outfile } = await bundleForNode('tests/bench/hub-modules.ts', 'onemap-bench-hub-');
  modules = await import(pathToFileURL(outfile).href);
  rmSync(directory, { recursive: true, force: true });
  return modules;
}

/** A cluster of the bench's own with one migrated database `bench`. */
export async function benchCluster(log) {
  const { startLocalCluster, migrate } = await hubModules();
  const base = mkdtempSync(path.join(os.tmpdir(), 'onemap-bench-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout);
    chownSync(base, uid, gid);
  }
  const port = Number(process.env.ONEMAP_BENCH_PG_PORT || 55481);
  const cluster = await startLocalCluster({ dataDir: path.join(base, 'pg'), port, log, install: false });
  let removed = false;
  const remove = async () => {
    if (removed) return;
    removed = true;
    await cluster.stop('immediate').catch(() => {});
    rmSync(base, { recursive: true, force: true });
  };
  const unregister = onCleanup(remove);
  const admin = new pg.Client({ connectionString: cluster.connectionString('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE bench');
  await admin.end();
  const pool = new pg.Pool({ connectionString: cluster.connectionString('bench'), max: 60 });
  pool.on('error', () => {});
  await migrate(pool);
  return {
    cluster,
    pool,
    connectionString: cluster.connectionString('bench'),
    /** libpq key=value form (GDAL's PG: driver). */
    libpq: `host=${cluster.host} port=${cluster.port} user=postgres dbname=bench`,
    async close() {
      await pool.end().catch(() => {});
      await remove();
      unregister();
    },
  };
}

/**
 * The hub in a Node process of its own (tests/hub/harness/hub-process.ts, bundled), as it runs in
 * use: its work does not share the reader's event loop. Port chosen by the system.
 */
export async function startHubProcess(connectionString) {
  const { directory, outfile } = await bundleForNode('tests/hub/harness/hub-process.ts', 'onemap-bench-hubproc-');
  const child = spawn(process.execPath, [outfile], { cwd: root, env: { ...process.env, DATABASE_URL: connectionString, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(directory, { recursive: true, force: true });
  };
  const unregister = onCleanup(close);
  const port = await new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    void exited.then((how) => reject(new Error(`hub process exited (${String(how)}) before listening`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await close();
      unregister();
    },
  };
}

let syncModulesLoaded = null;
/** The hub and the app's store with its sync engine (tests/bench/hub-sync-modules.ts), bundled for plain Node. */
export async function syncModules() {
  if (syncModulesLoaded !== null) return syncModulesLoaded;
  const { directory, outfile } = await bundleForNode('tests/bench/hub-sync-modules.ts', 'onemap-bench-sync-');
  try {
    syncModulesLoaded = await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return syncModulesLoaded;
}

/** `count` registered wells `<prefix>-<n>` in `county`, inserted as plain SQL (as QGIS would), 500 a statement. */
export async function seedWells(pool, prefix, count, county) {
  for (let start = 0; start < count; start += 500) {
    const values = [];
    const parameters = [];
    for (let index = start; index < Math.min(count, start + 500); index += 1) {
      parameters.push(`${prefix}-${index}`, JSON.stringify({ type: 'Point', coordinates: [115.6 + (index % 100) * 0.001, 37.7 + Math.floor(index / 100) * 0.001] }));
      values.push(`('wells', $${parameters.length - 1}, ${county}, 'registered', '{"name":"井","depth":1}', $${parameters.length}::jsonb)`);
    }
    await pool.query(`INSERT INTO hub.features (layer_id, id, county, status, properties, geometry) VALUES ${values.join(',')}`, parameters);
  }
}
