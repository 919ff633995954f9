// Layer renames and deletes travel in edit packages (shared/sync/layers.ts, db/sync.ts); a delete
// against a concurrent edit keeps the layer and queues the edited feature for review.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LayerDefinition } from '../../../shared/model';
import { decodeEditPackage } from '../../../shared/sync';
import {
  deleteLayer,
  ensureWorkspaceIdentity,
  exportEditPackage,
  getLayer,
  importEditPackage,
  importFeatures,
  LayerDeletionRefusedError,
  listSyncConflicts,
  readLayerFeatures,
  renameLayer,
  resolveConflict,
  seed,
  setUserName,
  transact,
  undo,
  type OneMapDatabase,
} from '../../../renderer/src/db';
import { dumpStore, freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

let a: OneMapDatabase;
let b: OneMapDatabase;
let c: OneMapDatabase;
const layer: LayerDefinition = { ...testWellsLayer, id: 'imported-villages', name: { zh: '村庄', en: 'Villages' } };

beforeEach(async () => {
  a = await freshDatabase();
  b = await freshDatabase();
  c = await freshDatabase();
  for (const [database, name] of [
    [a, '张工'],
    [b, '李工'],
    [c, '王工'],
  ] as const) {
    await seed(database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(10) }], time: SEED_TIME });
    await setUserName(database, name);
  }
  await importFeatures(a, {
    author: '张工',
    target: { kind: 'new', layer },
    features: [0, 1, 2].map((index) => ({ id: `V-${index}`, geometry: { type: 'Point' as const, coordinates: [115.4 + index / 10, 37.5] }, properties: { name: `村 ${index}` } })),
  });
});

afterEach(async () => {
  for (const database of [a, b, c]) {
    database.close();
    await database.delete();
  }
});

const deviceOf = async (database: OneMapDatabase) => (await ensureWorkspaceIdentity(database)).deviceId;
async function send(from: OneMapDatabase, to: OneMapDatabase) {
  const exported = await exportEditPackage(from, { peer: await deviceOf(to) });
  return { exported, report: await importEditPackage(to, exported.bytes) };
}
const ids = async (database: OneMapDatabase) => (await readLayerFeatures(database, layer.id)).map((feature) => feature.id).sort();

describe('layer changes in edit packages', () => {
  it('a rename travels; the same package twice changes nothing; concurrent renames end on the later one on both devices', async () => {
    await send(a, b);
    expect((await getLayer(b, layer.id))?.name).toEqual(layer.name);
    await renameLayer(a, { layerId: layer.id, name: { zh: '规划村庄', en: 'Planned villages' }, author: '张工', time: new Date('2030-01-01T00:00:00Z') });
    const { exported, report } = await send(a, b);
    expect(report.layers.renamed).toEqual([layer.id]);
    expect((await getLayer(b, layer.id))?.name).toEqual({ zh: '规划村庄', en: 'Planned villages' });
    const dump = await dumpStore(b);
    await importEditPackage(b, exported.bytes);
    expect(await dumpStore(b)).toEqual(dump);

    // Concurrent: b renames later than a; each imports the other's package.
    await renameLayer(a, { layerId: layer.id, name: { zh: '甲', en: 'A' }, author: '张工', time: new Date('2030-02-01T00:00:00Z') });
    await renameLayer(b, { layerId: layer.id, name: { zh: '乙', en: 'B' }, author: '李工', time: new Date('2030-03-01T00:00:00Z') });
    const fromA = await exportEditPackage(a, { all: true });
    const fromB = await exportEditPackage(b, { all: true });
    await importEditPackage(a, fromB.bytes);
    await importEditPackage(b, fromA.bytes);
    expect((await getLayer(a, layer.id))?.name.zh).toBe('乙');
    expect((await getLayer(b, layer.id))?.name.zh).toBe('乙');
  });

  it('a delete travels (layer and features go); its undo travels back; a device that never had the layer is not refused', async () => {
    await send(a, b);
    expect(await ids(b)).toEqual(['V-0', 'V-1', 'V-2']);
    await deleteLayer(a, { layerId: layer.id, author: '张工' });
    const { report } = await send(a, b);
    expect(report.layers).toMatchObject({ removed: [layer.id], heldBack: [] });
    expect(await getLayer(b, layer.id)).toBeNull();
    expect(await ids(b)).toEqual([]);

    // A third device gets everything from a: the deleted layer's versions come with its definition, and no layer is left.
    const all = await exportEditPackage(a, { all: true });
    expect((await decodeEditPackage(all.bytes)).layerChanges?.map((change) => change.kind)).toEqual(['remove']);
    await importEditPackage(c, all.bytes);
    expect(await getLayer(c, layer.id)).toBeNull();

    // Undo on a: the layer and its features come back, there and on b.
    await undo(a, { author: '张工' });
    expect(await ids(a)).toEqual(['V-0', 'V-1', 'V-2']);
    await send(a, b);
    expect((await getLayer(b, layer.id))?.name).toEqual(layer.name);
    expect(await ids(b)).toEqual(['V-0', 'V-1', 'V-2']);
  });

  it('a delete against an edit made meanwhile keeps the layer there, with the edited feature in the review queue', async () => {
    await send(a, b);
    await transact(b, { author: 'device', operations: [{ kind: 'update', layerId: layer.id, featureId: 'V-1', properties: { depthM: 42 } }] });
    await deleteLayer(a, { layerId: layer.id, author: '张工' });

    const { report } = await send(a, b);
    expect(report.layers).toMatchObject({ removed: [], heldBack: [{ layerId: layer.id, features: 1 }] });
    expect(await getLayer(b, layer.id)).not.toBeNull();
    expect(await ids(b)).toEqual(['V-1']);
    expect((await readLayerFeatures(b, layer.id))[0]?.properties.depthM).toBe(42);
    const queued = await listSyncConflicts(b);
    expect(queued.map((conflict) => `${conflict.featureId}:${conflict.detail.deletion === null ? 'field' : 'deletion'}`)).toEqual(['V-1:deletion']);

    // The other way: a sees the edit as a conflict too, with the layer there to decide it in.
    await send(b, a);
    expect(await getLayer(a, layer.id)).not.toBeNull();
    expect((await listSyncConflicts(a)).map((conflict) => conflict.featureId)).toEqual(['V-1']);

    // Deleting the layer on b waits for the conflict; once it is decided (the delete is taken), it goes.
    const refused = await deleteLayer(b, { layerId: layer.id, author: '李工' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LayerDeletionRefusedError);
    expect((refused as LayerDeletionRefusedError).refusal).toEqual({ reason: 'conflicts', featureIds: ['V-1'] });
    await resolveConflict(b, { conflictId: queued[0]!.id, choice: { kind: 'theirs' }, author: '李工' });
    expect(await ids(b)).toEqual([]);
    await deleteLayer(b, { layerId: layer.id, author: '李工' });
    expect(await getLayer(b, layer.id)).toBeNull();
  });
});
