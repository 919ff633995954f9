import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unzipSync, zipSync } from 'fflate';
import type { Feature } from '../../../shared/model';
import { decodeEditPackage, EditPackageError } from '../../../shared/sync';
import {
  attachPhoto,
  backupToJson,
  exportBackup,
  exportEditPackage,
  getFeature,
  importEditPackage,
  importFeatures,
  listPhotos,
  listSyncConflicts,
  listSyncPeers,
  resolveConflict,
  seed,
  setUserName,
  transact,
  undo,
  ensureWorkspaceIdentity,
  readLayerFeatures,
  rebuildSyncHeads,
  restoreBackup,
  type OneMapDatabase,
} from '../../../renderer/src/db';
import { dumpStore, freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

let a: OneMapDatabase;
let b: OneMapDatabase;

beforeEach(async () => {
  a = await freshDatabase();
  b = await freshDatabase();
  for (const [database, name] of [
    [a, '张工'],
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
const well = (database: OneMapDatabase, id: string) => getFeature(database, 'test-wells', id);
const content = (feature: Feature | null) => {
  if (feature === null) return null;
  const { revision: _revision, updatedAt: _updatedAt, ...rest } = feature;
  return rest;
};
const update = (database: OneMapDatabase, featureId: string, properties: Record<string, string | number>, status?: string) =>
  transact(database, { author: 'device', operations: [{ kind: 'update', layerId: 'test-wells', featureId, properties, ...(status === undefined ? {} : { status }) }] });

async function send(from: OneMapDatabase, to: OneMapDatabase) {
  const exported = await exportEditPackage(from, { peer: await deviceOf(to) });
  return { exported, report: await importEditPackage(to, exported.bytes) };
}

/** Everything a refused import must leave alone: the backup export plus the sync tables. */
async function storeBytes(database: OneMapDatabase): Promise<string> {
  const backup = backupToJson(await exportBackup(database, { time: new Date('2024-01-01T00:00:00Z') }));
  const dump = await dumpStore(database);
  return `${backup}\n${JSON.stringify({ syncVersions: dump.syncVersions, syncHeads: dump.syncHeads, syncConflicts: dump.syncConflicts })}`;
}

describe('exchanging edit packages between two stores', () => {
  it('journal entries carry the user name, the device and the versions they were based on', async () => {
    const first = await update(a, 'W-00001', { depthM: 150 });
    const second = await update(a, 'W-00001', { depthM: 160 });
    expect(first.entries[0]).toMatchObject({ authorName: '张工', device: await deviceOf(a), parents: [] });
    expect(second.entries[0]?.parents).toEqual([first.entries[0]?.id]);
  });

  it('different fields merge; the same field is a conflict kept for review; resolving makes both agree', async () => {
    await update(a, 'W-00001', { depthM: 200, name: 'A named it' });
    await update(b, 'W-00001', { depthM: 300 });
    await update(b, 'W-00002', { name: 'only B' });

    const { report } = await send(a, b);
    expect(report).toMatchObject({ versions: { received: 1, duplicates: 0 }, conflicts: 1, source: { userName: '张工' } });
    // B keeps its depth until someone decides, and takes A's name (no conflict there).
    expect(await well(b, 'W-00001')).toMatchObject({ properties: { depthM: 300, name: 'A named it' } });
    const [conflict] = await listSyncConflicts(b);
    expect(conflict?.detail.fields.map((field) => [field.field, field.candidates.map((candidate) => candidate.value)])).toEqual([['properties.depthM', [200, 300]]]);
    expect(conflict?.detail.theirs.feature?.properties.depthM).toBe(200);

    const resolved = await resolveConflict(b, { conflictId: conflict?.id as string, choice: { kind: 'theirs' }, author: 'device' });
    expect(resolved?.entries[0]).toMatchObject({ resolves: conflict?.id, decides: ['properties.depthM'] });
    expect(await listSyncConflicts(b)).toEqual([]);

    const back = await send(b, a);
    expect(back.report.conflicts).toBe(0);
    for (const id of ['W-00001', 'W-00002']) expect(content(await well(a, id))).toEqual(content(await well(b, id)));
    expect((await well(a, 'W-00001'))?.properties).toMatchObject({ depthM: 200, name: 'A named it' });
    expect((await well(a, 'W-00002'))?.properties.name).toBe('only B');
  });

  it('importing the same package twice changes nothing (every table byte for byte)', async () => {
    await update(a, 'W-00003', { depthM: 42 });
    const exported = await exportEditPackage(a, { all: true });
    const first = await importEditPackage(b, exported.bytes);
    expect(first.applied).toBe(1);
    const before = await dumpStore(b);
    const second = await importEditPackage(b, exported.bytes);
    expect(second).toMatchObject({ versions: { received: 0, duplicates: 1 }, applied: 0, changeId: null });
    expect(await dumpStore(b)).toEqual(before);
  });

  it('refuses a truncated package, a wrong checksum and a newer format — each with its own message — and changes nothing', async () => {
    await update(a, 'W-00004', { depthM: 7 });
    await update(b, 'W-00004', { depthM: 8 });
    const { bytes } = await exportEditPackage(a, { all: true });
    const files = unzipSync(bytes);
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Record<string, unknown>;
    const damaged = {
      truncated: bytes.slice(0, Math.floor(bytes.length * 0.7)),
      'checksum-mismatch': zipSync({ ...files, 'versions.json': new TextEncoder().encode(new TextDecoder().decode(files['versions.json']).replace('"depthM":7', '"depthM":9')) }),
      'newer-format': zipSync({ ...files, 'manifest.json': new TextEncoder().encode(JSON.stringify({ ...manifest, formatVersion: 2 })) }),
    };
    const before = await storeBytes(b);
    const messages = new Set<string>();
    for (const [code, package_] of Object.entries(damaged)) {
      const error = await importEditPackage(b, package_).catch((caught: unknown) => caught);
      expect(error, code).toBeInstanceOf(EditPackageError);
      expect((error as EditPackageError).code).toBe(code);
      messages.add((error as EditPackageError).messages.zh);
      messages.add((error as EditPackageError).messages.en);
      expect(await storeBytes(b), `${code} left the store unchanged`).toBe(before);
    }
    expect(messages.size).toBe(6);
  });

  it('packages in any order: the later package alone brings the whole history of the features it touches', async () => {
    const peer = await deviceOf(b);
    await update(a, 'W-00005', { depthM: 1 });
    const first = await exportEditPackage(a, { peer });
    await update(a, 'W-00005', { depthM: 2 });
    await update(a, 'W-00006', { depthM: 3 });
    const second = await exportEditPackage(a, { peer });
    expect(second.manifest.counts).toMatchObject({ versions: 3, features: 2 });
    await importEditPackage(b, second.bytes);
    const afterSecond = await dumpStore(b);
    expect(await importEditPackage(b, first.bytes)).toMatchObject({ versions: { received: 0 } });
    expect((await dumpStore(b)).journal).toEqual(afterSecond.journal);
    expect((await well(b, 'W-00005'))?.properties.depthM).toBe(2);
  });

  it('a lost package is sent again once the peer says (in its own package) that it lacks it', async () => {
    await update(a, 'W-00007', { depthM: 70 });
    await exportEditPackage(a, { peer: await deviceOf(b) }); // never arrives
    const nothingNew = await exportEditPackage(a, { peer: await deviceOf(b) });
    expect(nothingNew.manifest.counts.versions).toBe(0);
    await send(b, a); // B's package says it holds nothing of A
    const again = await send(a, b);
    expect(again.report.versions.received).toBe(1);
    expect((await well(b, 'W-00007'))?.properties.depthM).toBe(70);
    expect((await listSyncPeers(a)).map((peer) => peer.userName)).toEqual(['李工']);
  });

  it('photos travel with the package', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 1, 2, 3, 4, 0xff, 0xd9]);
    await attachPhoto(a, { layerId: 'test-wells', featureId: 'W-00008', blob: new Blob([bytes], { type: 'image/jpeg' }), fileName: '井.jpg', mimeType: 'image/jpeg', author: 'device' });
    const { report } = await send(a, b);
    expect(report.photos).toBe(1);
    const [photo] = await listPhotos(b, 'test-wells', 'W-00008');
    expect(photo?.fileName).toBe('井.jpg');
    expect(new Uint8Array(await (photo as { blob: Blob }).blob.arrayBuffer())).toEqual(bytes);
  });

  it('edit against delete is queued; undoing the resolution reopens it; the import itself is one undo step', async () => {
    await transact(a, { author: 'device', operations: [{ kind: 'delete', layerId: 'test-wells', featureId: 'W-00009' }] });
    await update(b, 'W-00009', { name: 'still needed' });
    await update(b, 'W-00010', { depthM: 5 });
    await send(a, b);
    expect(await well(b, 'W-00009')).not.toBeNull();
    const [conflict] = await listSyncConflicts(b);
    expect(conflict?.detail.deletion).not.toBeNull();
    await resolveConflict(b, { conflictId: conflict?.id as string, choice: { kind: 'theirs' }, author: 'device' });
    expect(await well(b, 'W-00009')).toBeNull();
    await undo(b, { author: 'device' });
    expect(await well(b, 'W-00009')).not.toBeNull();
    expect((await listSyncConflicts(b)).map((view) => [view.id, view.reopened])).toEqual([[conflict?.id, true]]);
    // Decide again — keep mine — and both stores agree.
    await resolveConflict(b, { conflictId: conflict?.id as string, choice: { kind: 'mine' }, author: 'device' });
    await send(b, a);
    expect(content(await well(a, 'W-00009'))).toEqual(content(await well(b, 'W-00009')));
    expect((await well(a, 'W-00009'))?.properties.name).toBe('still needed');
    expect(await listSyncConflicts(a)).toEqual([]);
  });

  it('after a backup restore, each version chain continues (and rebuildSyncHeads finds the same heads)', async () => {
    const edited = await update(a, 'W-00013', { depthM: 13 });
    const restored = await freshDatabase();
    try {
      await restoreBackup(restored, await exportBackup(a));
      expect(await rebuildSyncHeads(restored)).toBeGreaterThan(0);
      const next = await update(restored, 'W-00013', { depthM: 14 });
      expect(next.entries[0]?.parents).toEqual([edited.entries[0]?.id]);
    } finally {
      restored.close();
      await restored.delete();
    }
  });

  it('undo after an import reverts what the import applied, as one step', async () => {
    await update(a, 'W-00011', { depthM: 11 });
    await update(a, 'W-00012', { depthM: 12 });
    const before = [content(await well(b, 'W-00011')), content(await well(b, 'W-00012'))];
    await send(a, b);
    expect((await well(b, 'W-00012'))?.properties.depthM).toBe(12);
    await undo(b, { author: 'device' });
    expect([content(await well(b, 'W-00011')), content(await well(b, 'W-00012'))]).toEqual(before);
  });
});

describe('edit packages and a layer imported as a packed base', () => {
  it('a new layer imported with fewer than PACKED_IMPORT_MIN_FEATURES features is journaled: the package carries every feature', async () => {
    const layer = { ...testWellsLayer, id: 'imported-villages' };
    await importFeatures(a, {
      author: '张工',
      target: { kind: 'new', layer },
      features: [0, 1, 2].map((index) => ({ id: `V-${index}`, geometry: { type: 'Point' as const, coordinates: [115.4 + index / 10, 37.5] }, properties: { name: `村 ${index}` } })),
    });
    await transact(a, { author: 'device', operations: [{ kind: 'update', layerId: 'imported-villages', featureId: 'V-1', properties: { depthM: 30 } }] });
    const exported = await exportEditPackage(a, { all: true });
    const decoded = await decodeEditPackage(exported.bytes);
    expect(decoded.layers.map((candidate) => candidate.id)).toEqual(['imported-villages']);
    expect(decoded.versions.map((version) => `${version.featureId}/${version.operation}`).sort()).toEqual(['V-0/create', 'V-1/create', 'V-1/update', 'V-2/create']);
    await importEditPackage(b, exported.bytes);
    const received = await readLayerFeatures(b, 'imported-villages');
    expect(received.map((feature) => feature.id).sort()).toEqual(['V-0', 'V-1', 'V-2']);
    expect(received.find((feature) => feature.id === 'V-1')?.properties).toMatchObject({ name: '村 1', depthM: 30 });
  });

  it('a big one (a packed base) carries the layer definition and the versions of edited features only — not the untouched imported features (documented limit)', async () => {
    const layer = { ...testWellsLayer, id: 'imported-wells' };
    await importFeatures(a, {
      author: '张工',
      target: { kind: 'new', layer },
      packed: true,
      features: [0, 1, 2].map((index) => ({ id: `I-${index}`, geometry: { type: 'Point' as const, coordinates: [115.4 + index / 10, 37.5] }, properties: { name: `imported ${index}` } })),
    });
    await transact(a, { author: 'device', operations: [{ kind: 'update', layerId: 'imported-wells', featureId: 'I-1', properties: { depthM: 30 } }] });
    const exported = await exportEditPackage(a, { all: true });
    const decoded = await decodeEditPackage(exported.bytes);
    expect(decoded.layers.map((candidate) => candidate.id)).toEqual(['imported-wells']);
    expect(decoded.versions.map((version) => `${version.layerId}/${version.featureId}/${version.operation}`)).toEqual(['imported-wells/I-1/update']);
    await importEditPackage(b, exported.bytes);
    // B gets the layer and the edited feature; I-0 and I-2 stay on A until B imports the same file.
    expect((await readLayerFeatures(b, 'imported-wells')).map((feature) => feature.id)).toEqual(['I-1']);
  });
});
