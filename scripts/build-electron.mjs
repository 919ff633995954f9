#!/usr/bin/env node
// Bundles the Electron main process and the preload into dist/electron/*.cjs.
// The preload runs sandboxed, where require() only knows 'electron' (and a few polyfills), so it
// must be a single self-contained CommonJS file; main is bundled too, so the packaged app needs
// no node_modules at all (zod and the shared code are inlined).
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outputDirectory = path.join(projectRoot, 'dist', 'electron');

// Electron 41 ships Node 24 and Chromium 146; these targets are conservative floors.
const common = {
  absWorkingDir: projectRoot,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  external: ['electron'],
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
};

await rm(outputDirectory, { recursive: true, force: true });

await Promise.all([
  build({
    ...common,
    entryPoints: ['electron/main/main.ts'],
    outfile: 'dist/electron/main.cjs',
    target: 'node22',
  }),
  build({
    ...common,
    entryPoints: ['electron/preload/preload.ts'],
    outfile: 'dist/electron/preload.cjs',
    target: 'chrome130',
  }),
]);

console.log(`Electron main and preload bundled into ${path.relative(projectRoot, outputDirectory)}/`);
