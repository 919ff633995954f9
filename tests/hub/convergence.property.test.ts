// The convergence property, through the hub: 20 simulated devices (tests/hub/harness/sim-client.ts)
// with clocks up to a day off make random edits while offline (status, properties, moves,
// deletes, creates, photos), push in journal order or shuffled, some changes twice, pull at
// random moments, several devices at once. Then everyone syncs (push all, then pull all until
// `more` is false) and tests/hub/harness/oracle.ts checks: every device's copy equals the hub's
// rows, no field edit lost, every conflict recorded once, nothing doubled.
// One hub and one database serve every case; between cases the data rows are deleted (about
// 30 ms; TRUNCATE of the same tables took ~470 ms and a new database from the template ~1.5 s
// on this machine, under load). 100 cases took 62 s at load 8 on 2 CPUs (197 s at load 18).
// ONEMAP_PROPERTY_RUNS changes the number of cases (default 100).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from './harness/database';
import { COUNTY_A, COUNTY_B, LAYER, addSimUsers, prepareWorkspace, resetHubData, startHub, type RunningHub, type SimUser } from './harness/hub-world';
import { checkHub } from './harness/oracle';
import { POINTS, SimClient, randomSource } from './harness/sim-client';

const RUNS = Number.parseInt(process.env.ONEMAP_PROPERTY_RUNS ?? '', 10) || 100;
const CLIENTS = 20;
const DAY = 24 * 3600 * 1000;

type Command =
  | { t: 'edit'; client: number; count: number }
  | { t: 'push'; client: number; shuffle: boolean; duplicate: boolean }
  | { t: 'pull'; client: number }
  | { t: 'sync'; client: number };

const client = fc.nat(CLIENTS - 1);
const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('edit' as const), client, count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('push' as const), client, shuffle: fc.boolean(), duplicate: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('pull' as const), client }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('sync' as const), client }) },
);

let database: Awaited<ReturnType<typeof testDatabase>>;
let hub: RunningHub;
let users: SimUser[];
const tokens: string[] = [];

beforeAll(async () => {
  database = await testDatabase();
  await prepareWorkspace(database.pool);
  users = await addSimUsers(database.pool, CLIENTS);
  hub = await startHub(database.pool);
  for (const [index, user] of users.entries()) {
    const device = new SimClient({ baseUrl: hub.baseUrl, user: user.name, password: user.password, device: `d${index}`, layerId: LAYER, counties: user.counties, random: Math.random });
    await device.signIn();
    tokens.push(device.token as string);
  }
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await database?.drop();
});

/** A few features already on the hub when the case starts, in both counties (written by SQL, as QGIS would). */
async function seedFeatures(seed: number): Promise<void> {
  const values: string[] = [];
  for (let index = 0; index < 6; index += 1) {
    const [x, y] = POINTS[(seed + index) % POINTS.length] as [number, number];
    const county = index % 2 === 0 ? COUNTY_A : COUNTY_B;
    values.push(
      `('${LAYER}', 'seed-${index}', ${county}, 'registered', '{"wellClass":"agricultural","useType":"irrigation","name":"种子 ${index}","depthM":30}',
        '{"type":"Point","coordinates":[${x},${y}]}', NULL, true, '2021-06-30T00:00:00Z')`,
    );
  }
  await database.pool.query(`INSERT INTO hub.features (layer_id, id, county, status, properties, geometry, geom, demo, created_at) VALUES ${values.join(',')}`);
}

async function runCase(seed: number, commands: Command[], batch: number): Promise<string[]> {
  await resetHubData(database.pool);
  await seedFeatures(seed);
  const random = randomSource(seed);
  const clients = users.map((user, index) => {
    const device = new SimClient({
      baseUrl: hub.baseUrl,
      user: user.name,
      password: user.password,
      device: `s${seed >>> 0}-d${index}`,
      layerId: LAYER,
      counties: user.counties,
      random: randomSource(seed * 31 + index),
      // Device clocks anywhere within a day of the truth: the hub orders by its own sequences.
      clockSkewMs: Math.round((random() * 2 - 1) * DAY),
      // Small pages for a few devices, so paging is exercised on every case.
      pageLimit: index % 5 === 0 ? 4 : 50,
    });
    device.token = tokens[index] as string;
    return device;
  });
  await Promise.all(clients.map((device) => device.pullAll()));
  // Commands run in batches; within a batch different devices run at the same time.
  for (let start = 0; start < commands.length; start += batch) {
    const byClient = new Map<number, Command[]>();
    for (const command of commands.slice(start, start + batch)) byClient.set(command.client, [...(byClient.get(command.client) ?? []), command]);
    await Promise.all(
      [...byClient].map(async ([index, list]) => {
        const device = clients[index] as SimClient;
        for (const command of list) {
          if (command.t === 'edit') for (let count = 0; count < command.count; count += 1) device.randomEdit();
          else if (command.t === 'push') await device.pushAll({ shuffle: command.shuffle, duplicate: command.duplicate ? 0.5 : 0 });
          else if (command.t === 'pull') await device.pullAll();
          else {
            await device.pushAll();
            await device.pullAll();
          }
        }
      }),
    );
  }
  // Everyone syncs: push all, then pull all until `more` is false.
  await Promise.all(clients.map((device) => device.pushAll()));
  await Promise.all(clients.map((device) => device.pullAll()));
  return checkHub(database.pool, clients);
}

describe('hub convergence (property)', () => {
  it(`converges with ${CLIENTS} devices, loses no field edit and records every conflict once (${RUNS} cases)`, async () => {
    let conflicts = 0;
    let changes = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.array(commandArbitrary, { minLength: 10, maxLength: 30 }),
        fc.integer({ min: 1, max: 8 }),
        async (seed, commands, batch) => {
          const problems = await runCase(seed, commands, batch);
          expect(problems).toEqual([]);
          const counted = await database.pool.query<{ conflicts: string; changes: string }>(
            'SELECT (SELECT count(*) FROM hub.conflicts)::text AS conflicts, (SELECT count(*) FROM hub.applied_changes)::text AS changes',
          );
          conflicts += Number(counted.rows[0]?.conflicts);
          changes += Number(counted.rows[0]?.changes);
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
    // The cases must exercise the merge, not only the happy path.
    expect(changes).toBeGreaterThan(RUNS * 10);
    expect(conflicts).toBeGreaterThan(0);
    console.info(`convergence: ${RUNS} cases, ${changes} changes, ${conflicts} conflicts`);
  }, 600_000);
});
