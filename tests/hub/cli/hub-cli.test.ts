// `npm run hub` end to end: the CLI (through scripts/run-ts.mjs, as npm runs it) on a temporary
// data folder and free ports: first run creates the cluster, migrates and seeds; the health
// endpoint answers; SIGTERM stops the hub and its PostgreSQL; a second run seeds nothing; user
// commands; and the one-line errors.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { stopLocalClusterSync } from '../../../server/db/cluster';
import { freePort } from '../harness/free-port';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const base = mkdtempSync(path.join(tmpdir(), 'onemap-hub-cli-'));
chmodSync(base, 0o755); // as root, PostgreSQL runs as postgres and must enter it
const dataDir = path.join(base, 'hub');
const pgDataDir = path.join(dataDir, 'postgres');

afterAll(() => {
  stopLocalClusterSync(pgDataDir);
  rmSync(base, { recursive: true, force: true });
});

const hubArgs = (...args: string[]) => [path.join(root, 'scripts/run-ts.mjs'), path.join(root, 'server/cli.ts'), ...args];

/** Starts the hub; resolves with its output once it printed all it prints at start. */
function startHub(args: string[]): Promise<{ stop: () => Promise<number | null>; output: () => string }> {
  const child = spawn(process.execPath, hubArgs(...args), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/^stop with Ctrl\+C$/m.test(output)) {
        resolve({
          output: () => output,
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`the hub exited (${code}) before it listened:\n${output}`)));
  });
}

function runHub(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, hubArgs(...args), { cwd: root, input, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run hub', () => {
  it('creates, migrates, seeds and serves; stops its database on SIGTERM; seeds nothing the second time', async () => {
    const [port, pgPort] = [await freePort(), await freePort()];
    const args = ['--data', dataDir, '--port', String(port), '--pg-port', String(pgPort)];
    const first = await startHub(args);
    try {
      expect(first.output()).toMatch(/seeded the Hengshui workspace: 7 layers, 11 counties, 8535 demo features/);
      expect(first.output()).toContain(`hub: http://127.0.0.1:${port}`);
      expect(first.output()).toMatch(new RegExp(`read-only PostgreSQL \\(QGIS\\): postgresql://<reader>@127\\.0\\.0\\.1:${pgPort}/onemap`));
      const health = await fetch(`http://127.0.0.1:${port}/v1/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect(existsSync(path.join(pgDataDir, 'postmaster.pid'))).toBe(false);

    const second = await startHub(args);
    try {
      expect(second.output()).not.toMatch(/seeded|initdb|schema migrated/);
      const client = new pg.Client({ host: pgDataDir, port: pgPort, user: 'postgres', database: 'onemap' });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT count(*)::int AS n, max(version)::int AS v FROM hub.features');
        expect(rows[0]).toEqual({ n: 8535, v: 1 });
      } finally {
        await client.end();
      }
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('adds, lists and disables users', async () => {
    const pgPortArgs = ['--data', dataDir, '--pg-port', String(await freePort())];
    const add = runHub(['user', 'add', 'li', '--role', 'surveyor', '--counties', '131102,131121', '--password-stdin', ...pgPortArgs], 'a-long-password\n');
    expect(add.stderr).toBe('');
    expect(add.stdout).toMatch(/added user li \(id \d+, surveyor, counties 131102,131121\)/);
    expect(runHub(['user', 'disable', 'li', ...pgPortArgs]).status).toBe(0);
    expect(runHub(['user', 'list', ...pgPortArgs]).stdout).toBe('li\tsurveyor\t131102,131121\tdisabled\n');
    const again = runHub(['user', 'add', 'li', '--role', 'planner', '--counties', 'all', '--password-stdin', ...pgPortArgs], 'another-password\n');
    expect(again).toMatchObject({ status: 1, stderr: 'onemap hub: user "li" already exists\n' });
    expect(existsSync(path.join(pgDataDir, 'postmaster.pid'))).toBe(false);
  });

  it('refuses with one line: a taken port (hub or PostgreSQL), an unwritable folder, missing PostgreSQL, an open host', async () => {
    const taken: Server = createServer();
    const port = await new Promise<number>((resolve) => taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)));
    try {
      const busy = runHub(['--data', dataDir, '--port', String(port)]);
      expect(busy).toMatchObject({ status: 1, stderr: `onemap hub: port ${port} on 127.0.0.1 is taken (another hub running?); choose another with --port\n` });
    } finally {
      taken.close();
    }
    const pgTaken: Server = createServer();
    const pgPort = await new Promise<number>((resolve) => pgTaken.listen(0, '127.0.0.1', () => resolve((pgTaken.address() as { port: number }).port)));
    try {
      const busy = runHub(['--data', dataDir, '--port', String(await freePort()), '--pg-port', String(pgPort)]);
      expect(busy).toMatchObject({ status: 1, stderr: `onemap hub: PostgreSQL could not listen: port ${pgPort} on 127.0.0.1 is taken; choose another with --pg-port\n` });
    } finally {
      pgTaken.close();
    }
    const unwritable = runHub(['--data', '/dev/null/hub', '--port', String(await freePort())]);
    expect(unwritable).toMatchObject({ status: 1, stderr: 'onemap hub: data folder /dev/null/hub is not writable (ENOTDIR); choose another with --data DIR\n' });

    const noPostgres = spawnSync(process.execPath, hubArgs('--data', path.join(base, 'other'), '--port', String(await freePort())),
      { cwd: root, encoding: 'utf8', env: { ...process.env, PG_BIN: '/nonexistent/bin' } });
    expect(noPostgres.status).toBe(1);
    expect(noPostgres.stderr).toMatch(/^onemap hub: PostgreSQL 15 \(no initdb\/pg_ctl in \/nonexistent\/bin, from PG_BIN\) is missing; install with: (sudo )?apt-get install -y --no-install-recommends postgresql-15 postgresql-15-postgis-3\n$/);

    const open = runHub(['--host', '0.0.0.0']);
    expect(open.status).toBe(1);
    expect(open.stderr).toMatch(/^onemap hub: --host 0\.0\.0\.0 would serve .* give --cert FILE --key FILE \(HTTPS\), or --insecure-http/);
  });
});
