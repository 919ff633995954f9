// Per-test databases on the run's cluster (see global-setup.ts): each call copies
// onemap_template (every migration applied) into a fresh database.
//
// The cluster is shared by the test files running at the same time: a test that stops it
// (fault tests) must use isolatedCluster() instead.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { inject } from 'vitest';
import { startLocalCluster, type LocalCluster } from '../../../server/db/cluster';
import { migrate } from '../../../server/db/migrate';
import './context';
import { freePort } from './free-port';

export interface TestDatabase {
  pool: pg.Pool;
  connectionString: string;
  name: string;
  cluster: LocalCluster;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

let shared: Promise<LocalCluster> | null = null;

/** The run's cluster (started by globalSetup; this attaches to it). */
export function testCluster(): Promise<LocalCluster> {
  const { dataDir, port } = inject('hubTestCluster');
  shared ??= startLocalCluster({ dataDir, port, testing: true });
  return shared;
}

export interface TestDatabaseOptions {
  /** 'latest' (default): a copy of onemap_template; 'empty': no migration applied (upgrade tests). */
  schema?: 'latest' | 'empty';
  /** Another cluster (isolatedCluster()); default the run's. */
  cluster?: LocalCluster;
  /** Pool size (default 10). */
  max?: number;
}

export async function testDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const cluster = options.cluster ?? (await testCluster());
  const name = `t_${randomBytes(6).toString('hex')}`;
  const template = options.schema === 'empty' ? 'template0' : inject('hubTestCluster').template;
  const admin = new pg.Client({ connectionString: cluster.connectionString('postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template} STRATEGY FILE_COPY`);
  } finally {
    await admin.end();
  }
  const connectionString = cluster.connectionString(name);
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // A stopped cluster (fault tests) makes idle clients fail; that must not crash the worker.
  pool.on('error', () => {});
  let dropped = false;
  return {
    pool,
    connectionString,
    name,
    cluster,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await pool.end();
      const client = new pg.Client({ connectionString: cluster.connectionString('postgres') });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface IsolatedCluster {
  cluster: LocalCluster;
  /** Stops the cluster and removes its folder. */
  remove(): Promise<void>;
}

/**
 * A cluster of the test's own (its own folder and port), for tests that stop or crash it. Takes
 * a few seconds (initdb). It has its own onemap_template: create databases on it with
 * testDatabase({ cluster }).
 */
export async function isolatedCluster(): Promise<IsolatedCluster> {
  const base = mkdtempSync(path.join(tmpdir(), 'onemap-hub-test-'));
  if (process.getuid?.() === 0) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout);
    chownSync(base, uid, gid);
  }
  let cluster: LocalCluster | null = null;
  try {
    cluster = await startLocalCluster({ dataDir: path.join(base, 'pg'), port: await freePort(), testing: true });
    await migrateTemplate(cluster);
  } catch (error) {
    await cluster?.stop('immediate').catch(() => {});
    rmSync(base, { recursive: true, force: true });
    throw error;
  }
  const started = cluster;
  return {
    cluster: started,
    remove: async () => {
      await started.stop('immediate').catch(() => {});
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** Creates onemap_template on a cluster, every migration applied. */
export async function migrateTemplate(cluster: LocalCluster): Promise<void> {
  const template = inject('hubTestCluster').template;
  const admin = new pg.Client({ connectionString: cluster.connectionString('postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const pool = new pg.Pool({ connectionString: cluster.connectionString(template), max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
}
