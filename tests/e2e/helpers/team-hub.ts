// A real team hub for the sync e2e tests: a PostgreSQL 15 + PostGIS cluster of the test's own in
// a temp folder (migrated, the Hengshui workspace seeded, users added), and `npm run hub`'s own
// entry (server/cli.ts, bundled once) in a child process with DATABASE_URL, serving the built app
// at its address — the way a bureau runs it. The hub process can be stopped, SIGKILLed and
// started again on the same port (same origin, so each browser profile keeps its store), while
// the database keeps running.
import { build } from 'esbuild';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import type { LocalCluster } from '../../../server/db/cluster';
import type { NewUser } from '../../../server/users';
import type * as HubModules from './team-hub-modules';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface TeamHubOptions {
  /** The hub's HTTP port (the app's origin in the browser). */
  port: number;
  /** The cluster's port. */
  pgPort: number;
  users: NewUser[];
}

export interface TeamHub {
  origin: string;
  /** A pool on the hub's database, to compare its tables with the profiles' stores. */
  pool: pg.Pool;
  /** What the hub process printed (for failure messages). */
  output(): string;
  /** SIGTERM and wait (a clean stop). */
  stop(): Promise<void>;
  /** SIGKILL: the hub dies wherever it is, mid-request included. */
  kill(): Promise<void>;
  /** Starts the hub process again on the same port. */
  start(): Promise<void>;
  /** A new password (`npm run hub -- user passwd`), which ends the user's sessions. */
  setPassword(user: string, password: string): Promise<void>;
  /** Stops everything and removes the temp folder. */
  close(): Promise<void>;
}

async function bundle(entry: string, directory: string): Promise<string> {
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
  return outfile;
}

export async function startTeamHub(options: TeamHubOptions): Promise<TeamHub> {
  const base = mkdtempSync(path.join(tmpdir(), 'onemap-e2e-hub-'));
  // As root the cluster runs as postgres, which must reach the folder (mkdtemp makes it 0700).
  if (process.getuid?.() === 0) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout);
    if (Number.isInteger(uid) && uid > 0) chownSync(base, uid, gid);
  }
  const dataDir = path.join(base, 'pg');
  const { startLocalCluster, stopLocalClusterSync, migrate, seedHengshui, addUser, setPassword } = (await import(
    pathToFileURL(await bundle('tests/e2e/helpers/team-hub-modules.ts', base)).href
  )) as typeof HubModules;
  let cluster: LocalCluster | null = null;
  let pool: pg.Pool | null = null;
  let child: ChildProcess | null = null;
  let output = '';
  const cleanSync = (): void => {
    if (child !== null && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    stopLocalClusterSync(dataDir, 'immediate');
    rmSync(base, { recursive: true, force: true });
  };
  process.once('exit', cleanSync);
  try {
    cluster = await startLocalCluster({ dataDir, port: options.pgPort, testing: true, install: true });
    const admin = new pg.Client({ connectionString: cluster.connectionString('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE onemap_e2e');
    await admin.end();
    const connectionString = cluster.connectionString('onemap_e2e');
    pool = new pg.Pool({ connectionString, max: 4 });
    pool.on('error', () => {});
    await migrate(pool);
    await seedHengshui(pool);
    for (const user of options.users) await addUser(pool, user);
    const entry = await bundle('server/cli.ts', base);

    const launch = async (): Promise<void> => {
      const started = spawn(process.execPath, [entry, '--host', '127.0.0.1', '--port', String(options.port)], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: connectionString },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      const from = output.length;
      const exited = new Promise<string>((resolve) => started.once('exit', (code, signal) => resolve(String(signal ?? code))));
      await new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer): void => {
          output += chunk.toString();
          if (/^hub: https?:\/\//m.test(output.slice(from))) resolve();
        };
        started.stdout?.on('data', onData);
        started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
        void exited.then((how) => reject(new Error(`the hub exited (${how}) before listening:\n${output}`)));
      });
    };
    const halt = async (signal: NodeJS.Signals): Promise<void> => {
      const running = child;
      if (running === null || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill(signal);
      await exited;
    };
    await launch();
    const hubPool = pool;
    return {
      origin: `http://127.0.0.1:${options.port}`,
      pool: hubPool,
      output: () => output,
      stop: () => halt('SIGTERM'),
      kill: () => halt('SIGKILL'),
      start: launch,
      setPassword: (user, password) => setPassword(hubPool, user, password),
      async close() {
        await halt('SIGKILL');
        await hubPool.end().catch(() => {});
        cleanSync();
        process.removeListener('exit', cleanSync);
      },
    };
  } catch (error) {
    await pool?.end().catch(() => {});
    cleanSync();
    process.removeListener('exit', cleanSync);
    throw error;
  }
}
