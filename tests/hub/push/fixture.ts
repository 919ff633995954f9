// A hub with PUSH's routes on a fresh test database: users of three roles and counties, one point
// layer, and helpers that build journal entries the way a device's `transact` writes them.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Feature, JournalEntry, LayerDefinition } from '../../../shared/model';
import type { FeatureContent } from '../../../shared/sync';
import type { HubUser } from '../../../server/auth/user';
import { attachmentsRoutes } from '../../../server/routes/attachments';
import { changesRoutes } from '../../../server/routes/changes';
import { conflictsRoutes } from '../../../server/routes/conflicts';
import type { HubFaults } from '../../../server/faults';
import { testDatabase, type TestDatabase } from '../harness/database';

export const WELLS: LayerDefinition = {
  id: 'wells',
  name: { zh: '水井', en: 'Wells' },
  geometryType: 'Point',
  fields: [
    { key: 'name', label: { zh: '名称', en: 'Name' }, required: false, type: 'string', maxLength: 50 },
    { key: 'depth', label: { zh: '深度', en: 'Depth' }, required: false, type: 'integer', min: 0 },
  ],
  status: {
    label: { zh: '状态', en: 'Status' },
    states: ['registered', 'scheduled', 'done'].map((value) => ({ value, label: { zh: value, en: value } })),
    initial: 'registered',
    transitions: [{ from: 'registered', to: 'scheduled' }],
  },
};

export const HENGSHUI_TAOCHENG = 131102;
export const ZAOQIANG = 131121;

export interface PushHub {
  db: TestDatabase;
  app: FastifyInstance;
  users: Record<'surveyor' | 'planner' | 'admin' | 'other', HubUser>;
  close(): Promise<void>;
}

export async function pushHub(faults?: HubFaults): Promise<PushHub> {
  const db = await testDatabase();
  const specs: [keyof PushHub['users'], HubUser['role'], number[] | 'all'][] = [
    ['surveyor', 'surveyor', [HENGSHUI_TAOCHENG]],
    ['planner', 'planner', [HENGSHUI_TAOCHENG]],
    ['admin', 'admin', 'all'],
    ['other', 'surveyor', [ZAOQIANG]],
  ];
  const users = {} as PushHub['users'];
  for (const [name, role, counties] of specs) {
    const row = await db.pool.query<{ id: string }>(
      `INSERT INTO hub.users (name, display_name, role, counties, all_counties, password_hash) VALUES ($1, $2, $3, $4, $5, 'x') RETURNING id`,
      [name, `${name} 用户`, role, counties === 'all' ? [] : counties, counties === 'all'],
    );
    users[name] = { id: Number(row.rows[0]?.id), name, displayName: `${name} 用户`, role, counties };
  }
  await db.pool.query('INSERT INTO hub.layers (id, definition) VALUES ($1, $2)', [WELLS.id, JSON.stringify(WELLS)]);
  const app = Fastify({ logger: false });
  // Stands in for AUTH's token check: the test names the user.
  app.addHook('preHandler', async (request) => {
    const name = request.headers['x-test-user'];
    const user = typeof name === 'string' ? users[name as keyof PushHub['users']] : undefined;
    if (user !== undefined) (request as unknown as { hubUser: HubUser }).hubUser = user;
  });
  await app.register(changesRoutes, { pool: db.pool, ...(faults === undefined ? {} : { faults }) });
  await app.register(attachmentsRoutes, { pool: db.pool, maxBytes: 1024 * 1024 });
  await app.register(conflictsRoutes, { pool: db.pool });
  await app.ready();
  return {
    db,
    app,
    users,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

export const seed: FeatureContent = {
  geometry: { type: 'Point', coordinates: [115.7, 37.74] },
  properties: { name: 'seed', depth: 10 },
  status: 'registered',
  county: HENGSHUI_TAOCHENG,
  demo: false,
  createdAt: '2021-06-30T00:00:00.000Z',
};

let counter = 0;
export const uniqueId = (prefix: string): string => `${prefix}-${(counter += 1)}-${Math.random().toString(36).slice(2, 8)}`;

const snapshot = (featureId: string, content: FeatureContent, revision: number): Feature => ({
  id: featureId,
  layerId: 'wells',
  ...content,
  updatedAt: '2026-12-06T08:00:00.000Z',
  revision,
});

export function entry(featureId: string, operation: JournalEntry['operation'], before: FeatureContent | null, after: FeatureContent | null, extra: Partial<JournalEntry> = {}): JournalEntry {
  return {
    id: uniqueId('entry'),
    changeId: uniqueId('local'),
    layerId: 'wells',
    featureId,
    operation,
    before: before === null ? null : snapshot(featureId, before, 1),
    after: after === null ? null : snapshot(featureId, after, before === null ? 1 : 2),
    author: 'install-a',
    device: 'tablet-a',
    authorName: '张三',
    time: '2026-12-06T08:00:00.000Z',
    note: '外业核查',
    ...extra,
  };
}

export interface Pushed {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; details?: Record<string, unknown> } };
}

export async function push(hub: PushHub, user: keyof PushHub['users'], body: Record<string, unknown>): Promise<Pushed> {
  const response = await hub.app.inject({ method: 'POST', url: '/v1/changes', headers: { 'x-test-user': user }, payload: body });
  return { status: response.statusCode, body: response.json() };
}

export const change = (entries: JournalEntry[], extra: Record<string, unknown> = {}) => ({ changeId: uniqueId('change'), device: 'tablet-a', entries, ...extra });

/** Row counts of every table a push writes. */
export async function counts(hub: PushHub): Promise<Record<string, number>> {
  const tables = ['features', 'history', 'change_log', 'conflicts', 'applied_changes', 'feature_attachments', 'attachments', 'layers'];
  const result: Record<string, number> = {};
  for (const table of tables) {
    const row = await hub.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM hub.${table}`);
    result[table] = Number(row.rows[0]?.n);
  }
  return result;
}
