// A hub on 127.0.0.1 for the property, fault and bench runs: the wells layer and two counties in
// the database, users with their counties, the hub listening on a port, and a quick reset of the
// data between property-test cases (DELETE of the few rows a case writes: measured faster than
// TRUNCATE and than a new database from the template, see convergence.property.test.ts).
import type { Pool } from 'pg';
import { hengshuiLayers } from '../../../seeds';
import { buildHub } from '../../../server/app';
import { hashPassword } from '../../../server/auth/passwords';

export const COUNTY_A = 131102; // 桃城区
export const COUNTY_B = 131121; // 枣强县
export const LAYER = 'wells';

/** The wells layer and the two counties the simulated devices work in. */
export async function prepareWorkspace(pool: Pool): Promise<void> {
  const wells = hengshuiLayers.find((layer) => layer.id === LAYER);
  await pool.query('INSERT INTO hub.layers (id, definition) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [LAYER, JSON.stringify(wells)]);
  await pool.query(
    `INSERT INTO hub.counties (adcode, name) VALUES ($1, '{"zh":"桃城区","en":"Taocheng"}'), ($2, '{"zh":"枣强县","en":"Zaoqiang"}')
     ON CONFLICT (adcode) DO NOTHING`,
    [COUNTY_A, COUNTY_B],
  );
}

/** Removes every feature, change, conflict and photo (users and tokens stay). */
export async function resetHubData(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // history refuses DELETE by trigger (append-only); a test reset is the one exception.
    await client.query('SET LOCAL session_replication_role = replica');
    for (const table of ['feature_attachments', 'history', 'change_log', 'county_sequences', 'conflicts', 'applied_changes', 'features', 'attachments']) {
      await client.query(`DELETE FROM hub.${table}`);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

export interface SimUser {
  name: string;
  password: string;
  counties: number[];
}

/**
 * Users for the simulated devices: most work in one county, a few in both. One password for all
 * (scrypt is slow on purpose: one hash instead of one per user keeps test setup short).
 */
export async function addSimUsers(pool: Pool, count: number, prefix = 'sim'): Promise<SimUser[]> {
  const password = `pass-${prefix}-secret`;
  const hash = await hashPassword(password);
  const users: SimUser[] = [];
  for (let index = 0; index < count; index += 1) {
    const counties = index % 10 === 9 ? [COUNTY_A, COUNTY_B] : index % 3 === 2 ? [COUNTY_B] : [COUNTY_A];
    const user: SimUser = { name: `${prefix}${index}`, password, counties };
    await pool.query(`INSERT INTO hub.users (name, display_name, role, counties, password_hash) VALUES ($1, $2, 'surveyor', $3, $4)`, [user.name, `模拟 ${index}`, counties, hash]);
    users.push(user);
  }
  return users;
}

export interface RunningHub {
  baseUrl: string;
  close(): Promise<void>;
}

export async function startHub(pool: Pool, options: Omit<Parameters<typeof buildHub>[0], 'pool'> = {}): Promise<RunningHub> {
  const app = await buildHub({ pool, logger: false, ...options });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('hub: no TCP address');
  return { baseUrl: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

export interface HubRow {
  layer_id: string;
  id: string;
  county: number | null;
  status: string;
  properties: Record<string, unknown>;
  geometry: unknown;
  demo: boolean;
  version: string;
  field_versions: Record<string, number>;
  deleted: boolean;
}

export async function hubRows(pool: Pool): Promise<HubRow[]> {
  const { rows } = await pool.query<HubRow>(
    'SELECT layer_id, id, county, status, properties, geometry, demo, version, field_versions, deleted FROM hub.features ORDER BY layer_id, id',
  );
  return rows;
}
