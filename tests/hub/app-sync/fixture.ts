// A real hub (buildHub on a fresh PostgreSQL + PostGIS test database, listening on 127.0.0.1 in
// the ENGINE port range) and app stores (fake-indexeddb) that sync with it through the real
// client over HTTP.
import 'fake-indexeddb/auto';
import type { FastifyInstance } from 'fastify';
import { buildHub, type HubOptions } from '../../../server/app';
import { addUser } from '../../../server/users';
import { testDatabase, type TestDatabase } from '../harness/database';
import { WELLS, HENGSHUI_TAOCHENG, ZAOQIANG, PASSWORD } from '../push/fixture';
import { createHubClient, type HubClient } from '../../../shared/sync/hub/client';
import { OneMapDatabase, prepareHubWorkspace, setUserName, syncOnce, type SyncReport } from '../../../renderer/src/db';

export { WELLS, HENGSHUI_TAOCHENG, ZAOQIANG, PASSWORD };

// ONEMAP_HUB_APP_TEST_PORTS=<first>-<last> moves the range (helpers running at once each have theirs).
const [PORT_FIRST, PORT_LAST] = (/^(\d+)-(\d+)$/.exec(process.env.ONEMAP_HUB_APP_TEST_PORTS ?? '')?.slice(1).map(Number) ?? [55502, 55519]) as [number, number];

export interface AppHub {
  db: TestDatabase;
  app: FastifyInstance;
  address: string;
  /** Starts listening again on the same port (after `stop`). */
  start(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
}

async function listenInRange(app: FastifyInstance, preferred?: number): Promise<number> {
  const ports = preferred === undefined ? Array.from({ length: PORT_LAST - PORT_FIRST + 1 }, (_, index) => PORT_FIRST + index) : [preferred];
  for (const port of ports) {
    try {
      await app.listen({ port, host: '127.0.0.1' });
      return port;
    } catch (error) {
      if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
    }
  }
  throw new Error(`no free port in ${PORT_FIRST}–${PORT_LAST}`);
}

/** The hub with two counties, the wells layer and users: surveyors of each county, a planner, an admin. */
export async function startAppHub(options: Partial<HubOptions> = {}): Promise<AppHub> {
  const db = await testDatabase();
  await db.pool.query(
    `INSERT INTO hub.counties (adcode, name) VALUES ($1, '{"zh":"桃城区","en":"Taocheng"}'), ($2, '{"zh":"枣强县","en":"Zaoqiang"}')`,
    [HENGSHUI_TAOCHENG, ZAOQIANG],
  );
  await db.pool.query('INSERT INTO hub.layers (id, definition) VALUES ($1, $2)', [WELLS.id, JSON.stringify(WELLS)]);
  for (const [name, role, counties] of [
    ['zhang', 'surveyor', [HENGSHUI_TAOCHENG]],
    ['wang', 'surveyor', [HENGSHUI_TAOCHENG]],
    ['li', 'surveyor', [ZAOQIANG]],
    ['chen', 'planner', 'all'],
  ] as const) {
    await addUser(db.pool, { name, displayName: `${name} 工`, role, counties: counties === 'all' ? 'all' : [...counties], password: PASSWORD });
  }
  let app = await buildHub({ pool: db.pool, ...options });
  const port = await listenInRange(app);
  const address = `http://127.0.0.1:${port}`;
  let running = true;
  return {
    db,
    get app() {
      return app;
    },
    address,
    async start() {
      if (running) return;
      app = await buildHub({ pool: db.pool, ...options });
      await listenInRange(app, port);
      running = true;
    },
    async stop() {
      if (!running) return;
      running = false;
      await app.close();
    },
    async close() {
      if (running) await app.close();
      running = false;
      await db.drop();
    },
  };
}

/** Inserts wells on the hub by direct SQL (as QGIS would), in one statement each. */
export async function insertWells(hub: AppHub, wells: { id: string; county: number; lon: number; lat: number; name?: string }[]): Promise<void> {
  for (const well of wells) {
    await hub.db.pool.query(
      `INSERT INTO hub.features (layer_id, id, county, status, properties, geometry) VALUES ('wells', $1, $2, 'registered', $3, $4)`,
      [well.id, well.county, JSON.stringify({ name: well.name ?? `井 ${well.id}`, depth: 10 }), JSON.stringify({ type: 'Point', coordinates: [well.lon, well.lat] })],
    );
  }
}

let stores = 0;

export interface AppStore {
  db: OneMapDatabase;
  client: HubClient;
  token: string | null;
  device: string;
  sync(): Promise<SyncReport>;
  close(): Promise<void>;
}

/** A fresh app store signed in to the hub as `user`, filled from it (layers, targets), not yet synced. */
export async function appStore(hub: AppHub, user: string, displayName = `${user} 工`): Promise<AppStore> {
  stores += 1;
  const db = new OneMapDatabase(`onemap-hub-test-${process.pid}-${stores}-${Math.random().toString(36).slice(2, 8)}`);
  await db.open();
  await setUserName(db, displayName);
  const store: AppStore = {
    db,
    token: null,
    device: `device-${user}-${stores}`,
    client: undefined as unknown as HubClient,
    sync: () => syncOnce(db, { client: store.client, device: store.device }),
    async close() {
      db.close();
      await db.delete();
    },
  };
  store.client = createHubClient({ address: hub.address, fetch: (url, init) => fetch(url, init as RequestInit), token: () => store.token });
  const signedIn = await store.client.signIn({ user, password: PASSWORD, device: store.device });
  store.token = signedIn.token;
  await prepareHubWorkspace(db, store.client);
  return store;
}
