#!/usr/bin/env node
// Runs a TypeScript entry under Node: bundles it with esbuild into a temporary .mjs, runs that
// with the same Node, removes it, and exits with its exit code.
// Usage: node scripts/run-ts.mjs <entry.ts> [arguments passed to the entry...]
// The working directory is left as is (entries resolve project files from process.cwd()).
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [entry, ...entryArguments] = process.argv.slice(2);
if (entry === undefined) {
  console.error('usage: node scripts/run-ts.mjs <entry.ts> [arguments...]');
  process.exit(2);
}

const directory = mkdtempSync(join(tmpdir(), 'onemap-run-ts-'));
const outfile = join(directory, 'entry.mjs');
let status = 1;
try {
  await build({
    entryPoints: [resolve(entry)],
    outfile,
    bundle: true, // dependencies included: the temporary file cannot resolve the project's node_modules
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    banner: { js: "import { createRequire as __onemapCreateRequire } from 'node:module'; const require = __onemapCreateRequire(import.meta.url);" },
  });
  const child = spawn(process.execPath, ['--enable-source-maps', outfile, ...entryArguments], { stdio: 'inherit' });
  // Signals sent to this process alone (a service manager's SIGTERM) reach the entry too, so
  // it can shut down what it started (the hub stops its database).
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  status = await new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? 128 + (constants.signals[signal] ?? 0))));
} finally {
  rmSync(directory, { recursive: true, force: true });
}
process.exit(status);
