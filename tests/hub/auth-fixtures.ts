// Shared set-up of the sign-in, pull and validation tests: a hub on a fresh database, users,
// counties, a layer and features written as direct SQL (the triggers log them like any write).
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { expect } from 'vitest';
import { buildHub, type HubOptions } from '../../server/app';
import { addUser } from '../../server/users';
import { hengshuiLayers } from '../../seeds';
import { testDatabase } from './harness/database';

export const COUNTY_A = 131102;
export const COUNTY_B = 131121;
export const COUNTY_C = 131122;
export const PASSWORD = 'correct horse battery';

export interface TestHub {
  app: FastifyInstance;
  pool: Pool;
  close(): Promise<void>;
}

export async function startHub(options: Partial<HubOptions> = {}): Promise<TestHub> {
  const database = await testDatabase();
  const app = await buildHub({ pool: database.pool, ...options });
  await app.ready();
  return {
    app,
    pool: database.pool,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

export async function seedWorkspace(pool: Pool): Promise<void> {
  await pool.query(
    `INSERT INTO hub.counties (adcode, name) VALUES
       ($1, '{"zh":"桃城区","en":"Taocheng"}'), ($2, '{"zh":"枣强县","en":"Zaoqiang"}'), ($3, '{"zh":"武邑县","en":"Wuyi"}')`,
    [COUNTY_A, COUNTY_B, COUNTY_C],
  );
  const wells = hengshuiLayers.find((layer) => layer.id === 'wells')!;
  await pool.query('INSERT INTO hub.layers (id, definition) VALUES ($1, $2)', ['wells', JSON.stringify(wells)]);
}

export async function addTestUser(pool: Pool, name: string, counties: number[] | 'all', role: 'admin' | 'planner' | 'surveyor' = 'surveyor') {
  return addUser(pool, { name, role, counties, password: PASSWORD });
}

export async function signIn(app: FastifyInstance, user: string, password = PASSWORD): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/v1/session', payload: { user, password } });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { token: string }).token;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export interface TestFeature {
  id: string;
  county: number | null;
  lon: number;
  lat: number;
  status?: string;
}

/** Inserts wells features (one statement, so one transaction). */
export async function insertFeatures(pool: Pool | { query: Pool['query'] }, features: TestFeature[]): Promise<void> {
  for (const feature of features) {
    await pool.query(
      `INSERT INTO hub.features (layer_id, id, county, status, properties, geometry)
       VALUES ('wells', $1, $2, $3, $4, $5)`,
      [
        feature.id,
        feature.county,
        feature.status ?? 'open',
        JSON.stringify({ name: `井 ${feature.id}` }),
        JSON.stringify({ type: 'Point', coordinates: [feature.lon, feature.lat] }),
      ],
    );
  }
}
