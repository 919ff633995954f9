// Runs inside a Chromium page for hub-sync-chromium.bench.mjs: the app's store (Dexie over
// Chromium's IndexedDB) and its sync engine against the real hub, whose origin the page is on
// (no CORS: the route is the hub's own). Bundled (IIFE) and evaluated by the bench.
import { OneMapDatabase, prepareHubWorkspace, setUserName, syncOnce, transact } from '../../renderer/src/db';
import { createHubClient, type HubClient } from '../../shared/sync/hub/client';

interface Opened {
  database: OneMapDatabase;
  client: HubClient;
  device: string;
}

let opened: Opened | null = null;

const need = (): Opened => {
  if (opened === null) throw new Error('open() first');
  return opened;
};

(window as unknown as { __benchSync: unknown }).__benchSync = {
  async open(user: string, password: string): Promise<void> {
    const database = new OneMapDatabase(`bench-sync-${user}`);
    await database.open();
    await setUserName(database, user);
    let token: string | null = null;
    const client = createHubClient({ address: location.origin, fetch: (url, init) => fetch(url, init as RequestInit), token: () => token });
    const device = `chromium-${user}`;
    token = (await client.signIn({ user, password, device })).token;
    await prepareHubWorkspace(database, client);
    opened = { database, client, device };
  },
  async sync(): Promise<{ ms: number; pushed: number; pulled: number; stopped: string | null; error: string | null }> {
    const { database, client, device } = need();
    const started = performance.now();
    const report = await syncOnce(database, { client, device });
    return { ms: performance.now() - started, pushed: report.pushed, pulled: report.pulled, stopped: report.stopped, error: report.error?.message ?? null };
  },
  /** This profile's own journal entries (versions) of features whose id starts with `prefix`. */
  async journal(prefix: string) {
    return (await need().database.journal.toArray()).filter((entry) => entry.applies === undefined && entry.featureId.startsWith(prefix));
  },
  /** One change per feature (as a person saving one form after another). */
  async edit(prefix: string, count: number, depthBase: number): Promise<void> {
    const { database, device } = need();
    for (let index = 0; index < count; index += 1) {
      await transact(database, { author: device, operations: [{ kind: 'update', layerId: 'wells', featureId: `${prefix}-${index}`, properties: { depth: depthBase + index } }] });
    }
  },
};
