// `npm run hub` end to end: the CLI (through scripts/run-ts.mjs, as npm runs it) on a temporary
// data folder and free ports: first run creates the cluster, migrates and seeds; the health
// endpoint answers; the built app is served (or one line says how to build it); SIGTERM stops the hub and its PostgreSQL; a second run seeds nothing; user
// commands; and the one-line errors.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stopLocalClusterSync } from '../../../server/db/cluster';
import { freePort } from '../harness/free-port';
import { testDatabase } from '../harness/database';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const base = mkdtempSync(path.join(tmpdir(), 'onemap-hub-cli-'));
chmodSync(base, 0o755); // as root, PostgreSQL runs as postgres and must enter it
const dataDir = path.join(base, 'hub');
const pgDataDir = path.join(dataDir, 'postgres');

const bundle = path.join(base, 'cli.mjs');

// The first test runs the CLI exactly as `npm run hub` does (scripts/run-ts.mjs); the others run
// the same bundle made once here, to save the bundling time per command.
beforeAll(async () => {
  await build({
    entryPoints: [path.join(root, 'server/cli.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning',
    banner: { js: "import { createRequire as __onemapCreateRequire } from 'node:module'; const require = __onemapCreateRequire(import.meta.url);" },
  });
});
afterAll(() => {
  stopLocalClusterSync(pgDataDir);
  rmSync(base, { recursive: true, force: true });
});

const asNpmRunsIt = (...args: string[]) => [path.join(root, 'scripts/run-ts.mjs'), path.join(root, 'server/cli.ts'), ...args];
const hubArgs = (...args: string[]) => [bundle, ...args];

/** Starts the hub; resolves with its output once it printed all it prints at start. */
function startHub(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ stop: () => Promise<number | null>; output: () => string }> {
  const child = spawn(process.execPath, asNpmRunsIt(...args), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env });
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

// Each step bundles the CLI (scripts/run-ts.mjs) and starts PostgreSQL: seconds each.
vi.setConfig({ testTimeout: 300_000 });

describe('npm run hub', () => {
  it('creates, migrates, seeds and serves; stops its database on SIGTERM; seeds nothing the second time', async () => {
    const [port, pgPort] = [await freePort(), await freePort()];
    const args = ['--data', dataDir, '--port', String(port), '--pg-port', String(pgPort)];
    // A built renderer (ONEMAP_OUT_DIR, as `vite build` takes it): the hub serves the app too.
    const webRoot = path.join(base, 'renderer');
    mkdirSync(webRoot);
    writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>OneMap</title>');
    const first = await startHub(args, { ...process.env, ONEMAP_OUT_DIR: webRoot });
    try {
      expect(first.output()).toContain(`app: http://127.0.0.1:${port}/`);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toBe('<!doctype html><title>OneMap</title>');
      expect(page.headers.get('content-security-policy')).toMatch(/connect-src 'self'/);
      expect(first.output()).toMatch(/seeded the Hengshui workspace: 7 layers, 11 counties, 8535 demo features/);
      expect(first.output()).toContain(`hub: http://127.0.0.1:${port}`);
      // The printed read-only login works over TCP with its password, sees the layer views, writes nothing.
      const reader = new RegExp(`read-only PostgreSQL \\(QGIS\\): host=127\\.0\\.0\\.1 port=${pgPort} dbname=onemap user=(\\w+) password=(\\S+) \\(the password is shown this once`).exec(first.output());
      expect(reader, first.output()).not.toBeNull();
      const office = new pg.Client({ host: '127.0.0.1', port: pgPort, database: 'onemap', user: reader?.[1], password: reader?.[2] });
      await office.connect();
      try {
        expect((await office.query('SELECT count(*)::int AS n FROM layers.wells')).rows[0].n).toBe(2785);
        await expect(office.query("UPDATE hub.layers SET deleted = true")).rejects.toThrow(/permission denied/);
      } finally {
        await office.end();
      }
      const wrong = new pg.Client({ host: '127.0.0.1', port: pgPort, database: 'onemap', user: reader?.[1], password: 'not-the-password' });
      await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
      const health = await fetch(`http://127.0.0.1:${port}/v1/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect(existsSync(path.join(pgDataDir, 'postmaster.pid'))).toBe(false);

    const second = await startHub(args);
    try {
      expect(second.output()).not.toMatch(/seeded|initdb|schema migrated|shown this once/);
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

  it('uses DATABASE_URL instead of a cluster of its own', async () => {
    const db = await testDatabase({ schema: 'empty' });
    const port = await freePort();
    const child = spawn(process.execPath, hubArgs('--port', String(port), '--empty', '--data', path.join(base, 'unused')),
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: db.connectionString, ONEMAP_OUT_DIR: path.join(base, 'not-built') } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await vi.waitFor(() => expect(output).toMatch(/^stop with Ctrl\+C$/m), { timeout: 240_000, interval: 200 });
      expect(output).toMatch(/schema migrated: 1/);
      expect(output).not.toMatch(/seeded|initdb|data:/);
      // No built renderer: one line says how to get the app; the API serves as ever.
      expect(output).toMatch(/^app: the app is not built: run `npm run build:renderer`, then start the hub again to open the app from it$/m);
      const cluster = db.cluster;
      expect(output).toContain(`read-only PostgreSQL (QGIS): host=${cluster.host} port=${cluster.port} dbname=${db.name} user=`);
      const health = await fetch(`http://127.0.0.1:${port}/v1/health`);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      expect(existsSync(path.join(base, 'unused'))).toBe(false);
      expect((await db.pool.query('SELECT count(*)::int AS n FROM hub.features')).rows[0].n).toBe(0);
    } finally {
      child.kill('SIGTERM');
      expect(await exited, output).toBe(0);
      await db.drop();
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

  it('adds, lists and drops PostgreSQL logins for office users', async () => {
    const args = ['--data', dataDir, '--pg-port', String(await freePort())];
    const add = runHub(['reader', 'add', 'taocheng_office', '--counties', '131102', '--password-stdin', ...args], 'office-password\n');
    expect(add.stderr).toBe('');
    expect(add.stdout).toMatch(/added read-only login taocheng_office \(counties 131102\): host=127\.0\.0\.1 port=\d+ dbname=onemap user=taocheng_office\n/);
    expect(runHub(['reader', 'list', ...args]).stdout).toContain('taocheng_office\treader\t131102\n');
    expect(runHub(['reader', 'drop', 'taocheng_office', ...args]).status).toBe(0);
    expect(runHub(['reader', 'list', ...args]).stdout).not.toContain('taocheng_office');
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
