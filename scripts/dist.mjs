#!/usr/bin/env node
// Builds the renderer and the Electron bundles, then packages them with electron-builder
// (targets and fuses in electron-builder.yml). Extra arguments go to electron-builder,
// e.g. `npm run dist -- --linux deb`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';

const require = createRequire(import.meta.url);

// electron-builder needs the Electron binary matching package.json (it copies it and flips the
// fuses in it). require('electron') returns its path, or throws when the postinstall download
// never happened — as on machines that cannot reach GitHub.
function electronBinaryInstalled() {
  try {
    return existsSync(require('electron'));
  } catch {
    return false;
  }
}

if (!electronBinaryInstalled()) {
  console.error(
    'dist: stopped — no Electron binary in node_modules/electron (its download from GitHub never ran or failed), and electron-builder packages that binary; run `npm run install-electron` where GitHub downloads work, then `npm run dist` again.',
  );
  process.exit(1);
}

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run('npm', ['run', 'build']);
run('npx', ['electron-builder', '--config', 'electron-builder.yml', '--publish', 'never', ...process.argv.slice(2)]);
