// The database `npm run hub` works on: DATABASE_URL when set, else the hub's own cluster in
// --data (created on first run), database `onemap`.
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ClusterError, startLocalCluster, type LocalCluster } from '../db/cluster';
import type { ClusterOptions } from './args';

export const LOCAL_DATABASE = 'onemap';

export class DatabaseSetupError extends Error {}

export interface HubDatabase {
  pool: pg.Pool;
  /** The local cluster, when the hub runs its own. */
  cluster: LocalCluster | null;
  /** Host, port and database name, for the read-only connection line. */
  location: { host: string; port: number; database: string };
  /** Closes the pool and stops the cluster if this process started it. */
  close(): Promise<void>;
}

function writableFolder(dir: string): void {
  try {
    // 0755: as root, PostgreSQL (user postgres) must pass through it to its own subfolder.
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new DatabaseSetupError(`data folder ${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); choose another with --data DIR`);
  }
}

export async function openHubDatabase(options: ClusterOptions, log: (line: string) => void): Promise<HubDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const pool = new pg.Pool({ connectionString: url });
    pool.on('error', () => {});
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      await pool.end();
      throw new DatabaseSetupError(`cannot connect to DATABASE_URL: ${(error as Error).message}`);
    }
    const parsed = new URL(url);
    return {
      pool,
      cluster: null,
      location: { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || 5432), database: decodeURIComponent(parsed.pathname.slice(1)) },
      close: () => pool.end(),
    };
  }

  writableFolder(options.dataDir);
  const cluster = await startLocalCluster({ dataDir: path.join(options.dataDir, 'postgres'), port: options.pgPort, install: true, log })
    .catch((error: unknown) => {
      if (error instanceof ClusterError && error.code === 'port-taken') throw new DatabaseSetupError(`${error.message}; choose another with --pg-port`);
      throw error;
    });
  try {
    const admin = new pg.Client({ connectionString: cluster.connectionString('postgres') });
    await admin.connect();
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [LOCAL_DATABASE]);
      if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${LOCAL_DATABASE}`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    if (!cluster.wasRunning) await cluster.stop().catch(() => {});
    throw error;
  }
  const pool = new pg.Pool({ connectionString: cluster.connectionString(LOCAL_DATABASE) });
  pool.on('error', () => {});
  return {
    pool,
    cluster,
    location: { host: '127.0.0.1', port: cluster.port, database: LOCAL_DATABASE },
    close: async () => {
      await pool.end();
      if (!cluster.wasRunning) await cluster.stop();
    },
  };
}

/**
 * The connection line printed for QGIS and other readers. A reader logs in with its own
 * read-only role (server/db/readers.ts creates them); the hub never prints the superuser.
 */
export function readOnlyConnectionString(location: HubDatabase['location']): string {
  return `postgresql://<reader>@${location.host}:${location.port}/${encodeURIComponent(location.database)}`;
}
