// A PostgreSQL cluster of the hub's own, in a data folder: Debian's PostgreSQL 15 binaries,
// initdb on first use, started and stopped with pg_ctl. It listens on 127.0.0.1 and on a Unix
// socket inside the data folder. PostgreSQL refuses to run as root, so as root initdb and pg_ctl
// run as the `postgres` user (runuser) on a folder chowned to it; otherwise as the current user.
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const POSTGRES_APT_PACKAGES = ['postgresql-15', 'postgresql-15-postgis-3'];
export const POSTGRES_APT_COMMAND = `apt-get install -y --no-install-recommends ${POSTGRES_APT_PACKAGES.join(' ')}`;

export interface LocalCluster {
  /** The Unix socket directory (the data folder): use as `host` in pg. */
  host: string;
  port: number;
  user: 'postgres';
  dataDir: string;
  /** Whether it was already running when startLocalCluster attached to it. */
  wasRunning: boolean;
  connectionString(database: string): string;
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
}

export interface LocalClusterOptions {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
  /**
   * Tests: `--no-sync -A trust` and no fsync (a machine crash may lose the cluster; a killed
   * server loses nothing committed). Otherwise
   * the socket (in the 0700 data folder) trusts its OS user and TCP asks for a password.
   */
  testing?: boolean;
  /** As root with apt-get, install PostgreSQL and PostGIS when they are missing. */
  install?: boolean;
}

export class ClusterError extends Error {
  constructor(message: string, readonly code?: 'port-taken') {
    super(message);
  }
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

interface Binaries {
  bin: string;
  shareDir: string;
}

function locate(): Binaries | { missing: string } {
  const bin = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
  if (!existsSync(path.join(bin, 'initdb')) || !existsSync(path.join(bin, 'pg_ctl'))) {
    return { missing: `PostgreSQL 15 (no initdb/pg_ctl in ${bin}${process.env.PG_BIN ? ', from PG_BIN' : ''})` };
  }
  const config = spawnSync(path.join(bin, 'pg_config'), ['--sharedir'], { encoding: 'utf8' });
  const shareDir = config.status === 0 ? config.stdout.trim() : '/usr/share/postgresql/15';
  if (!existsSync(path.join(shareDir, 'extension', 'postgis.control'))) {
    return { missing: `PostGIS 3 for PostgreSQL 15 (no ${path.join(shareDir, 'extension', 'postgis.control')})` };
  }
  return { bin, shareDir };
}

/** PostgreSQL 15 and PostGIS, installed with apt-get when allowed; else a one-line error. */
export function findPostgres(options: { install?: boolean; log?: (line: string) => void } = {}): Binaries {
  let found = locate();
  if ('missing' in found && options.install && isRoot() && !process.env.PG_BIN && hasAptGet()) {
    options.log?.(`installing ${POSTGRES_APT_PACKAGES.join(' ')} (apt-get): ${found.missing} is missing`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...POSTGRES_APT_PACKAGES], { stdio: 'inherit', env });
    found = locate();
  }
  if ('missing' in found) {
    throw new ClusterError(`${found.missing} is missing; install with: ${isRoot() ? '' : 'sudo '}${POSTGRES_APT_COMMAND}`);
  }
  return found;
}

function hasAptGet(): boolean {
  return spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
}

/** Runs a PostgreSQL binary, as `postgres` when we are root. */
async function runPg(binaries: Binaries, name: string, args: string[]): Promise<string> {
  const file = path.join(binaries.bin, name);
  const [command, commandArgs] = isRoot() ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  try {
    const { stdout } = await run(command, commandArgs, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as { stderr?: string; stdout?: string; code?: number | string; message: string };
    const detail = (failure.stderr || failure.stdout || failure.message).trim().split('\n').slice(-3).join(' ');
    const problem = new ClusterError(`${name} ${args[0] ?? ''} failed: ${detail}`);
    (problem as { exitCode?: unknown }).exitCode = failure.code;
    throw problem;
  }
}

/** As root: the folder belongs to `postgres`, and `postgres` can reach it (every parent open). */
function prepareDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ClusterError(`cannot create the data folder ${dataDir}: ${(error as Error).message}`);
  }
  if (!isRoot()) return;
  const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const groups = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (ids.status !== 0) throw new ClusterError(`running as root, the cluster runs as user postgres, which does not exist; install with: ${POSTGRES_APT_COMMAND}`);
  chownSync(dataDir, Number(ids.stdout.trim()), Number(groups.stdout.trim()));
  const reach = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-w', dataDir]);
  if (reach.status !== 0) {
    throw new ClusterError(`running as root, the cluster runs as user postgres, which cannot reach ${dataDir} (a parent folder is closed to it); choose another --data folder`);
  }
}

async function isRunning(binaries: Binaries, dataDir: string): Promise<boolean> {
  try {
    await runPg(binaries, 'pg_ctl', ['status', '-D', dataDir]);
    return true;
  } catch (error) {
    // 3: not running; 4: no cluster there.
    if ([3, 4].includes(Number((error as { exitCode?: unknown }).exitCode))) return false;
    throw error;
  }
}

function runningPort(dataDir: string): number | null {
  // postmaster.pid line 4 is the port the running server listens on.
  try {
    const port = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
    return Number.isInteger(port) && port > 0 ? port : null;
  } catch {
    return null;
  }
}

export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const log = options.log ?? (() => {});
  const binaries = findPostgres({ install: options.install, log });
  const dataDir = path.resolve(options.dataDir);
  const { port } = options;

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    prepareDataDir(dataDir);
    const started = Date.now();
    const auth = options.testing ? ['-A', 'trust', '--no-sync'] : ['--auth-local=trust', '--auth-host=scram-sha-256'];
    await runPg(binaries, 'initdb', ['-D', dataDir, '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', ...auth]);
    log(`initdb ${dataDir} (${Date.now() - started} ms)`);
  }

  const settings = [
    `-p ${port}`,
    `-k '${dataDir}'`,
    "-c listen_addresses='127.0.0.1'",
    // No fsync: a killed server (pg_ctl -m immediate) still loses nothing committed, only a machine
    // crash would. synchronous_commit stays on: without it a commit is acknowledged before its WAL
    // leaves the server's memory, and an immediate stop would lose it.
    ...(options.testing ? ['-c fsync=off', '-c full_page_writes=off'] : []),
  ].join(' ');
  const logFile = path.join(dataDir, 'postgres.log');

  const start = async (): Promise<void> => {
    if (await isRunning(binaries, dataDir)) {
      const current = runningPort(dataDir);
      if (current !== port) throw new ClusterError(`the cluster in ${dataDir} already runs on port ${current}, not ${port}`);
      return;
    }
    const started = Date.now();
    // Only this start's lines of the (appended) log explain its failure.
    const logOffset = existsSync(logFile) ? statSync(logFile).size : 0;
    try {
      await runPg(binaries, 'pg_ctl', ['start', '-w', '-t', '60', '-D', dataDir, '-l', logFile, '-o', settings]);
    } catch (error) {
      const failure = startFailure(logFile, logOffset) ?? (error as Error).message;
      if (/Address already in use/.test(failure)) throw new ClusterError(`PostgreSQL could not listen: port ${port} on 127.0.0.1 is taken`, 'port-taken');
      throw new ClusterError(`PostgreSQL did not start on 127.0.0.1:${port} (${failure})`);
    }
    log(`PostgreSQL started on 127.0.0.1:${port}, socket in ${dataDir} (${Date.now() - started} ms)`);
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast'): Promise<void> => {
    if (!(await isRunning(binaries, dataDir))) return;
    await runPg(binaries, 'pg_ctl', ['stop', '-w', '-t', '60', '-D', dataDir, '-m', mode]);
  };

  const wasRunning = await isRunning(binaries, dataDir);
  if (!wasRunning && isRoot()) log(`running as root: PostgreSQL runs as user postgres`);
  await start();
  return {
    wasRunning,
    host: dataDir,
    port,
    user: 'postgres',
    dataDir,
    connectionString: (database) => `postgresql://postgres@/${encodeURIComponent(database)}?host=${encodeURIComponent(dataDir)}&port=${port}`,
    stop,
    start,
  };
}

/** The last FATAL line of the server log: "could not bind … Address already in use", etc. */
function startFailure(logFile: string, offset: number): string | null {
  try {
    const lines = readFileSync(logFile).subarray(offset).toString('utf8').trim().split('\n');
    const fatal = lines.filter((line) => /FATAL|could not/.test(line)).slice(-3);
    return fatal.length > 0 ? fatal.join(' ').replace(/^.*?(FATAL|LOG):\s*/, '') : null;
  } catch {
    return null;
  }
}

/** Stops a cluster synchronously (process exit handlers, where nothing async runs). */
export function stopLocalClusterSync(dataDir: string, mode: 'fast' | 'immediate' = 'immediate'): void {
  const found = locate();
  if ('missing' in found || !existsSync(path.join(dataDir, 'postmaster.pid'))) return;
  const file = path.join(found.bin, 'pg_ctl');
  const args = ['stop', '-w', '-D', dataDir, '-m', mode];
  if (isRoot()) spawnSync('runuser', ['-u', 'postgres', '--', file, ...args], { stdio: 'ignore' });
  else spawnSync(file, args, { stdio: 'ignore' });
}
