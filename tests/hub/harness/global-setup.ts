// The hub tests' globalSetup: one PostgreSQL cluster per test run in a temporary folder, and the
// database `onemap_template` with every migration, which testDatabase() copies for each test.
// The cluster is stopped and its folder removed at teardown, and also when the run is
// interrupted (Ctrl+C, SIGTERM) or fails.
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startLocalCluster, stopLocalClusterSync } from '../../../server/db/cluster';
import { migrate } from '../../../server/db/migrate';
import { TEMPLATE_DATABASE } from './context';
import { freePort } from './free-port';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const base = mkdtempSync(path.join(tmpdir(), 'onemap-hub-test-'));
  const dataDir = path.join(base, 'pg');
  let cleaned = false;
  const cleanSync = (): void => {
    if (cleaned) return;
    cleaned = true;
    stopLocalClusterSync(dataDir, 'immediate');
    rmSync(base, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    cleanSync();
    process.kill(process.pid, signal);
  };
  process.once('exit', cleanSync);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    // As root the cluster runs as postgres, which must reach the folder (mkdtemp makes it 0700).
    if (process.getuid?.() === 0) {
      const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
      const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout);
      if (Number.isInteger(uid) && uid > 0) chownSync(base, uid, gid);
    }
    const port = process.env.ONEMAP_HUB_TEST_PG_PORT ? Number(process.env.ONEMAP_HUB_TEST_PG_PORT) : await freePort();
    const cluster = await startLocalCluster({ dataDir, port, testing: true, install: true });
    const clusterMs = Date.now() - started;

    const admin = new pg.Client({ connectionString: cluster.connectionString('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    await admin.end();
    const templateStarted = Date.now();
    const pool = new pg.Pool({ connectionString: cluster.connectionString(TEMPLATE_DATABASE), max: 1 });
    try {
      await migrate(pool);
    } finally {
      await pool.end();
    }
    if (process.env.ONEMAP_HUB_TEST_TIMING) {
      console.log(`hub test cluster: start ${clusterMs} ms, template ${Date.now() - templateStarted} ms`);
    }
    project.provide('hubTestCluster', { dataDir, port, template: TEMPLATE_DATABASE });
  } catch (error) {
    cleanSync();
    throw error;
  }

  return async () => {
    process.off('exit', cleanSync);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    cleanSync();
  };
}
