// `npm start`: the Electron app where Electron is installed; otherwise the same renderer served on
// 127.0.0.1 (the web shell) at a fixed port, because IndexedDB is per origin and the origin
// includes the port: another port would open an empty store.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronAvailability } from './electron-availability.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const defaultPort = 47615; // keep in step with shared/shell/content-security-policy.ts

function portFromArguments() {
  const index = process.argv.indexOf('--port');
  const value = index >= 0 ? process.argv[index + 1] : process.env.ONEMAP_PORT;
  if (value === undefined || value === '') return defaultPort;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`OneMap: invalid port "${value}" (expected 1–65535)`);
    process.exit(2);
  }
  return port;
}

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const webOnly = process.argv.includes('--web');
const electron = webOnly ? { available: false, reason: 'the web shell was asked for (--web)' } : electronAvailability();
const port = portFromArguments();
const env = { ...process.env, ONEMAP_PORT: String(port) };

run(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], env);

if (electron.available) {
  run(process.execPath, [path.join(root, 'scripts/build-electron.mjs')], env);
  const child = spawn(electron.binary, [root], { cwd: root, stdio: 'inherit', env });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`OneMap desktop shell not available: ${electron.reason}.`);
  const url = `http://127.0.0.1:${port}/`;
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules/vite/bin/vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--logLevel', 'warn'],
    { cwd: root, stdio: 'inherit', env },
  );
  // vite preview prints nothing at --logLevel warn; say where the app is once it answers.
  void waitUntilServing(url).then((serving) => {
    if (serving) console.log(`OneMap web shell: ${url}  (Ctrl+C to stop)`);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

async function waitUntilServing(url, attempts = 100) {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    try {
      const response = await fetch(url);
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
