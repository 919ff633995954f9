// The hub (buildHub) on a fresh test database: users of three roles and counties, one point
// layer, and helpers that build journal entries the way a device's `transact` writes them.
import type { FastifyInstance } from 'fastify';
import type { Feature, JournalEntry, LayerDefinition } from '../../../shared/model';
import type { FeatureContent } from '../../../shared/sync';
import type { HubUser } from '../../../server/auth/user';
import { buildHub } from '../../../server/app';
import { addUser } from '../../../server/users';
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

export type UserName = 'surveyor' | 'planner' | 'admin' | 'other';
export const PASSWORD = 'correct horse battery';

export interface PushHub {
  db: TestDatabase;
  app: FastifyInstance;
  users: Record<UserName, HubUser>;
  /** The Authorization header of a signed-in user. */
  as(user: UserName): Record<string, string>;
  close(): Promise<void>;
}

/** buildHub on a fresh database: two counties, the wells layer, four users signed in. */
export async function pushHub(faults?: HubFaults): Promise<PushHub> {
  const db = await testDatabase();
  await db.pool.query(
    `INSERT INTO hub.counties (adcode, name) VALUES ($1, '{"zh":"桃城区","en":"Taocheng"}'), ($2, '{"zh":"枣强县","en":"Zaoqiang"}')`,
    [HENGSHUI_TAOCHENG, ZAOQIANG],
  );
  await db.pool.query('INSERT INTO hub.layers (id, definition) VALUES ($1, $2)', [WELLS.id, JSON.stringify(WELLS)]);
  const specs: [UserName, HubUser['role'], number[] | 'all'][] = [
    ['surveyor', 'surveyor', [HENGSHUI_TAOCHENG]],
    ['planner', 'planner', [HENGSHUI_TAOCHENG]],
    ['admin', 'admin', 'all'],
    ['other', 'surveyor', [ZAOQIANG]],
  ];
  const app = await buildHub({ pool: db.pool, ...(faults === undefined ? {} : { faults }) });
  await app.ready();
  const users = {} as PushHub['users'];
  const tokens = {} as Record<UserName, string>;
  for (const [name, role, counties] of specs) {
    users[name] = await addUser(db.pool, { name, displayName: `${name} 用户`, role, counties, password: PASSWORD });
    const signedIn = await app.inject({ method: 'POST', url: '/v1/session', payload: { user: name, password: PASSWORD } });
    tokens[name] = (signedIn.json() as { token: string }).token;
  }
  return {
    db,
    app,
    users,
    as: (user) => ({ authorization: `Bearer ${tokens[user]}` }),
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

export async function push(hub: PushHub, user: UserName, body: Record<string, unknown>): Promise<Pushed> {
  const response = await hub.app.inject({ method: 'POST', url: '/v1/changes', headers: hub.as(user), payload: body });
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
