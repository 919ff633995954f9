// The team hub as the person uses it: the 团队同步 panel (sign in / out, sync now, status) and the
// header indicator, by their data-testids; plus `startHub`, a real hub (`npm run hub`: its own
// PostgreSQL + PostGIS cluster, serving the built app at its own origin) for a spec.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, type Page } from '../helpers/test';

export interface RunningHub {
  url: string;
  stop(): Promise<void>;
  /** Adds a hub user (`npm run hub -- user add`). */
  addUser(name: string, password: string, role: 'admin' | 'planner' | 'surveyor', counties: string): void;
  /** Sets a new password (`npm run hub -- user passwd`), which ends the user's sessions. */
  setPassword(name: string, password: string): void;
}

const repo = path.resolve(import.meta.dirname, '../../..');

/** Starts `npm run hub` on `port` (its cluster on `pgPort`) in a fresh folder; resolves once it serves the app. */
export async function startHub(port: number, pgPort: number): Promise<RunningHub> {
  const data = mkdtempSync(path.join(tmpdir(), 'onemap-hub-spec-'));
  // As root the cluster runs as user postgres, which must reach the folder.
  chmodSync(data, 0o755);
  const args = ['scripts/run-ts.mjs', 'server/cli.ts'];
  const place = ['--data', data, '--pg-port', String(pgPort)];
  const child: ChildProcess = spawn(process.execPath, [...args, ...place, '--port', String(port)], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the hub did not start in 180 s:\n${output}`)), 180_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (/^app: http/m.test(output)) {
        clearTimeout(timer);
        resolve();
      } else if (/^app: /m.test(output)) reject(new Error(`the hub serves no app (build the renderer first):\n${output}`));
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => reject(new Error(`the hub exited (${code}):\n${output}`)));
  });
  const cli = (command: string[], password: string) => {
    const run = spawnSync(process.execPath, [...args, ...command, ...place], { cwd: repo, input: `${password}\n`, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`hub ${command.join(' ')}: ${run.stdout}${run.stderr}`);
  };
  return {
    url: `http://127.0.0.1:${port}/`,
    addUser(name, password, role, counties) {
      cli(['user', 'add', name, '--role', role, '--counties', counties, '--password-stdin'], password);
    },
    setPassword(name, password) {
      cli(['user', 'passwd', name, '--password-stdin'], password);
    },
    async stop() {
      // SIGTERM: the hub stops its cluster before it exits.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export class HubDriver {
  constructor(readonly page: Page) {}

  get indicator() {
    return this.page.getByTestId('hub-indicator');
  }

  async openPanel(): Promise<void> {
    await this.indicator.click();
    await expect(this.page.getByTestId('hub-panel')).toBeVisible();
  }

  async signIn(user: string, password: string): Promise<void> {
    await this.page.getByTestId('hub-user').fill(user);
    await this.page.getByTestId('hub-password').fill(password);
    await this.page.getByTestId('hub-sign-in').click();
  }

  /** Waits until the header says everything is on the hub. */
  async waitSynced(timeout = 120_000): Promise<void> {
    await expect(this.indicator).toHaveAttribute('data-waiting', '0', { timeout });
    await expect(this.indicator).toHaveAttribute('data-phase', 'idle', { timeout });
    await expect(this.indicator).toContainText('已同步', { timeout });
  }

  /** The app cannot reach the hub (as with the network down) until `reconnect`. */
  async disconnect(): Promise<void> {
    await this.page.route('**/v1/**', (route) => route.abort('internetdisconnected'));
  }

  async reconnect(): Promise<void> {
    await this.page.unroute('**/v1/**');
  }
}
