// `npm run bench [-- name ...]`: the speed and memory benchmarks in tests/bench/ (never part of
// `npm test`). Builds the renderer into a temp dir, serves it with `vite preview` on 127.0.0.1
// (port 47635, ONEMAP_BENCH_PORT overrides), runs every tests/bench/<name>.bench.mjs or only the
// names given, prints a table per benchmark and writes test-reports/bench/<name>.json. Each bench
// reports ratios against a baseline measured in the same run. Exits non-zero on any error.
// A bench module exporting `nodeOnly = true` needs no browser, and one exporting `needsApp = false`
// drives its own page (B1 import): when every selected bench is one of those, the renderer is not
// built and no server is started (`run` then gets `baseUrl: null`).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDirectory = path.join(root, 'tests/bench');
const reportDirectory = path.join(root, 'test-reports/bench');
const vite = path.join(root, 'node_modules/vite/bin/vite.js');
const suffix = '.bench.mjs';

function portFromEnvironment() {
  const value = process.env.ONEMAP_BENCH_PORT;
  if (value === undefined || value === '') return 47635;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`ONEMAP_BENCH_PORT: invalid port "${value}"`);
  return port;
}

function selectBenches(names) {
  const available = readdirSync(benchDirectory)
    .filter((file) => file.endsWith(suffix))
    .map((file) => file.slice(0, -suffix.length))
    .sort();
  if (names.length === 0) return available;
  const unknown = names.filter((name) => !available.includes(name));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s): ${unknown.join(', ')} (available: ${available.join(', ')})`);
  return names;
}

let server = null;
let buildDirectory = null;
let cleanupsFromBenches = async () => {};

async function stopServer() {
  const child = server;
  server = null;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function cleanUp() {
  await cleanupsFromBenches();
  await stopServer();
  if (buildDirectory) rmSync(buildDirectory, { recursive: true, force: true });
  buildDirectory = null;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\nbench: ${signal}, stopping…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

async function startPreview(port) {
  const url = `http://127.0.0.1:${port}/`;
  const child = spawn(
    process.execPath,
    [vite, 'preview', '--outDir', buildDirectory, '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--logLevel', 'warn'],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ONEMAP_PORT: String(port) } },
  );
  server = child;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const result = await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 100, null))]);
    if (result) throw new Error(`vite preview exited (${result.signal ?? `code ${result.code}`}) — is port ${port} in use? (ONEMAP_BENCH_PORT)`);
    try {
      const response = await fetch(url);
      if (response.ok) return url;
    } catch {
      // not listening yet
    }
  }
  throw new Error(`vite preview did not answer at ${url} within 30 s`);
}

async function main() {
  const names = selectBenches(process.argv.slice(2).filter((argument) => !argument.startsWith('-')));
  const port = portFromEnvironment();

  const benches = new Map();
  for (const name of names) benches.set(name, await import(pathToFileURL(path.join(benchDirectory, `${name}${suffix}`)).href));
  let baseUrl = null;
  if ([...benches.values()].some((bench) => bench.nodeOnly !== true && bench.needsApp !== false)) {
    buildDirectory = mkdtempSync(path.join(os.tmpdir(), 'onemap-bench-renderer-'));
    console.log(`▶ build renderer (vite, into ${buildDirectory})`);
    // Built into a temp dir, not dist/renderer, so a bench never swaps files under a running
    // `npm start` or e2e run; same vite.config.ts, same production build.
    // A profiling run (ONEMAP_BENCH_PROFILE) keeps names readable; its times are not comparable.
    const minify = process.env.ONEMAP_BENCH_PROFILE ? ['--minify', 'false'] : [];
    const built = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn', '--outDir', buildDirectory, '--emptyOutDir', ...minify], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ONEMAP_PORT: String(port) },
    });
    if (built.status !== 0) throw new Error(`renderer build failed (exit ${built.status ?? built.signal})`);

    baseUrl = await startPreview(port);
    console.log(`▶ web shell (vite preview) at ${baseUrl}`);
  }

  const library = await import(pathToFileURL(path.join(benchDirectory, 'lib.mjs')).href);
  cleanupsFromBenches = library.runCleanups;
  mkdirSync(reportDirectory, { recursive: true });

  const failures = [];
  for (const name of names) {
    const started = Date.now();
    console.log(`\n▶ bench ${name}`);
    try {
      const bench = benches.get(name);
      const result = await bench.run({ baseUrl, root, log: (line) => console.log(line) });
      console.log('');
      for (const table of result.tables) console.log(`${library.formatTable(table)}\n`);
      const report = {
        name,
        title: bench.title ?? name,
        date: new Date().toISOString(),
        seconds: Math.round((Date.now() - started) / 100) / 10,
        baseUrl,
        tables: result.tables,
        ...result.data,
      };
      const file = path.join(reportDirectory, `${name}.json`);
      writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`✔ ${name} (${report.seconds} s) → ${path.relative(root, file)}`);
    } catch (error) {
      failures.push(name);
      console.error(`✘ ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      await library.runCleanups();
    }
  }
  if (failures.length > 0) throw new Error(`failed: ${failures.join(', ')}`);
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  console.error(`\nbench: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await cleanUp();
}
if (!interrupted) process.exit(exitCode);
