// Issue 13 A: a change that travels between devices keeps its author's name, device, time and
// note in the history of every device it reaches (the package it came in is added, never
// substituted), and the import report counts exactly what the store wrote.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Feature } from '../../../shared/model';
import {
  ensureWorkspaceIdentity,
  exportEditPackage,
  featureHistory,
  getFeature,
  importEditPackage,
  restoreVersion,
  seed,
  setUserName,
  transact,
  type OneMapDatabase,
} from '../../../renderer/src/db';
import { freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

let a: OneMapDatabase;
let b: OneMapDatabase;

beforeEach(async () => {
  a = await freshDatabase();
  b = await freshDatabase();
  for (const [database, name] of [
    [a, '水务局-王工'],
    [b, '李工'],
  ] as const) {
    await seed(database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(30) }], time: SEED_TIME });
    await setUserName(database, name);
  }
});

afterEach(async () => {
  for (const database of [a, b]) {
    database.close();
    await database.delete();
  }
});

const deviceOf = async (database: OneMapDatabase) => (await ensureWorkspaceIdentity(database)).deviceId;
const well = (database: OneMapDatabase, id: string) => getFeature(database, 'test-wells', id) as Promise<Feature>;
const change = (database: OneMapDatabase, featureId: string, time: string, properties: Record<string, string | number>, options: { status?: string; note?: string } = {}) =>
  transact(database, {
    author: 'device',
    time: new Date(time),
    operations: [{ kind: 'update', layerId: 'test-wells', featureId, properties, ...(options.status === undefined ? {} : { status: options.status }) }],
    ...(options.note === undefined ? {} : { note: options.note }),
  });

async function send(from: OneMapDatabase, to: OneMapDatabase, time: string) {
  const exported = await exportEditPackage(from, { all: true });
  return { packageId: exported.manifest.packageId, report: await importEditPackage(to, exported.bytes, { time: new Date(time) }) };
}

/** What the history shows of each entry: who (name, device), when, the note, and the package it arrived in. */
const shown = async (database: OneMapDatabase, featureId: string) =>
  (await featureHistory(database, 'test-wells', featureId)).map((entry) => ({
    name: entry.authorName,
    device: entry.device,
    time: entry.time,
    note: entry.note,
    arrivedIn: entry.arrival?.packageId,
    arrivedAt: entry.arrival?.time,
  }));

describe('changes between devices keep who, when and why', () => {
  it('each change shows on the other device with its name, device, original time and note, plus the package it came in', async () => {
    const [deviceA, deviceB] = [await deviceOf(a), await deviceOf(b)];
    await change(a, 'W-00001', '2026-12-06T08:57:49Z', { sealedDate: '2021-06-28' }, { status: 'sealed', note: '现场核实已封填，回填水泥砂浆' });
    await change(b, 'W-00002', '2026-12-06T09:01:00Z', { depthM: 575 }, { note: 'B机：复测井深' });

    const toB = await send(a, b, '2026-12-06T09:08:10Z');
    const toA = await send(b, a, '2026-12-06T09:09:00Z');

    expect(await shown(b, 'W-00001')).toEqual([
      { name: '水务局-王工', device: deviceA, time: '2026-12-06T08:57:49.000Z', note: '现场核实已封填，回填水泥砂浆', arrivedIn: toB.packageId, arrivedAt: '2026-12-06T09:08:10.000Z' },
    ]);
    expect(await shown(a, 'W-00002')).toEqual([
      { name: '李工', device: deviceB, time: '2026-12-06T09:01:00.000Z', note: 'B机：复测井深', arrivedIn: toA.packageId, arrivedAt: '2026-12-06T09:09:00.000Z' },
    ]);
    // On the author's own device the same change shows the same, without an arrival.
    expect(await shown(a, 'W-00001')).toEqual([{ name: '水务局-王工', device: deviceA, time: '2026-12-06T08:57:49.000Z', note: '现场核实已封填，回填水泥砂浆', arrivedIn: undefined, arrivedAt: undefined }]);
    // A received version is shown as its author wrote it, in this device's order: after what was here before it arrived.
    await change(b, 'W-00001', '2026-12-06T09:20:00Z', { depthM: 600 }, { note: 'B 之后' });
    expect((await shown(b, 'W-00001')).map((entry) => entry.note)).toEqual(['现场核实已封填，回填水泥砂浆', 'B 之后']);
  });

  it('a received version can be restored as its author saved it', async () => {
    await change(a, 'W-00003', '2026-12-06T08:00:00Z', { depthM: 111 }, { note: 'A' });
    await send(a, b, '2026-12-06T08:10:00Z');
    await change(b, 'W-00003', '2026-12-06T08:20:00Z', { depthM: 222 });
    const [received] = await featureHistory(b, 'test-wells', 'W-00003');
    expect(received?.arrival).toBeDefined();
    await restoreVersion(b, { layerId: 'test-wells', featureId: 'W-00003', journalEntryId: received?.id as string, author: 'device' });
    expect((await well(b, 'W-00003')).properties.depthM).toBe(111);
  });

  it('the report counts what was written: a feature in conflict still gets its other fields, and they are counted', async () => {
    await change(a, 'W-00004', '2026-12-06T08:00:00Z', { depthM: 800 });
    await change(b, 'W-00004', '2026-12-06T08:01:00Z', { depthM: 900 });
    await change(b, 'W-00004', '2026-12-06T08:02:00Z', { sealedDate: '2021-06-28' }, { status: 'sealed' });
    await change(b, 'W-00005', '2026-12-06T08:03:00Z', { depthM: 55, name: 'B' });
    const before = await well(a, 'W-00004');

    const { report } = await send(b, a, '2026-12-06T08:10:00Z');
    const after = await well(a, 'W-00004');
    expect([before.status === 'sealed', after.status, after.properties.sealedDate, after.properties.depthM]).toEqual([false, 'sealed', '2021-06-28', 800]);
    expect(report).toMatchObject({ applied: 2, fields: 2 + 2, merged: 1, conflicts: 1, conflictFields: 1 });
  });
});

describe('the same seeded feature on two devices seeded at different times', () => {
  it('is one starting point: fields changed on one side only are applied, not put in conflict', async () => {
    const [c, d] = [await freshDatabase(), await freshDatabase()];
    try {
      // Each device stamps its seeded features with its own seeding time (createdAt).
      await seed(c, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(5) }], time: new Date('2026-12-01T00:00:00Z') });
      await seed(d, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(5) }], time: new Date('2026-12-05T00:00:00Z') });
      await change(c, 'W-00001', '2026-12-06T08:00:00Z', { depthM: 800 });
      await change(d, 'W-00001', '2026-12-06T08:01:00Z', { sealedDate: '2021-06-28', name: 'D' }, { status: 'sealed' });
      const { report } = await send(d, c, '2026-12-06T08:10:00Z');
      expect(report).toMatchObject({ applied: 1, fields: 3, merged: 1, conflicts: 0 });
      expect(await well(c, 'W-00001')).toMatchObject({ status: 'sealed', properties: { depthM: 800, sealedDate: '2021-06-28', name: 'D' }, createdAt: '2026-12-01T00:00:00.000Z' });
    } finally {
      for (const database of [c, d]) {
        database.close();
        await database.delete();
      }
    }
  });
});
