import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  attachPhoto,
  backupFromJson,
  backupToJson,
  BackupInvalidError,
  exportBackup,
  featureHistory,
  getFeature,
  getLayer,
  importFeatures,
  listPhotos,
  readLayerFeatures,
  redo,
  removePhoto,
  restoreBackup,
  seed,
  StorageFullError,
  transact,
  undo,
  undoState,
  type OneMapBackup,
  type OneMapDatabase,
} from '../../../renderer/src/db';
import { targetSchema, type Target } from '../../../shared/model';
import targetsFile from '../../../seeds/targets-2021.json';
import { dumpStore, freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

const opened: OneMapDatabase[] = [];

async function database(): Promise<OneMapDatabase> {
  const created = await freshDatabase();
  opened.push(created);
  return created;
}

afterEach(async () => {
  for (const each of opened.splice(0)) {
    each.close();
    await each.delete();
  }
});

const BACKUP_TIME = new Date('2021-08-01T00:00:00Z');
const target: Target = targetSchema.parse((targetsFile as unknown[])[0]);

let source: OneMapDatabase;

/** A store with a bit of everything: base features, edits, a delete, photos (one removed), an undo. */
beforeEach(async () => {
  source = await database();
  await seed(source, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(1_500) }], time: SEED_TIME });
  await transact(source, { author: '张工', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00002', status: 'sealed', properties: { sealedDate: '2021-07-01' } }] });
  await transact(source, { author: '张工', operations: [{ kind: 'delete', layerId: 'test-wells', featureId: 'W-00003' }] });
  await transact(source, {
    author: '张工',
    operations: [{ kind: 'create', layerId: 'test-wells', feature: { id: 'NEW-1', geometry: { type: 'Point', coordinates: [115.5, 37.5] }, properties: { name: 'new' } } }],
  });
  await attachPhoto(source, { layerId: 'test-wells', featureId: 'NEW-1', blob: new Blob([new Uint8Array([0, 1, 2, 250, 255])], { type: 'image/jpeg' }), fileName: 'a.jpg', mimeType: 'image/jpeg', author: '张工', thumbnail: new Blob(['t'], { type: 'image/png' }), id: 'P-1' });
  const { attachmentId } = await attachPhoto(source, { layerId: 'test-wells', featureId: 'NEW-1', blob: new Blob(['removed'], { type: 'image/jpeg' }), fileName: 'b.jpg', mimeType: 'image/jpeg', author: '张工', id: 'P-2' });
  await removePhoto(source, { layerId: 'test-wells', featureId: 'NEW-1', attachmentId, author: '张工' });
  await transact(source, { author: '张工', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00004', properties: { name: 'undone' } }] });
  await undo(source, { author: '张工' });
});

/** A backup as JSON text and back: what the Electron side writes to a file and reads. */
const throughFile = (backup: OneMapBackup) => backupFromJson(backupToJson(backup));

describe('backup', () => {
  it('round trip is lossless: export → restore into an empty store → export again is equal', async () => {
    await source.targets.put(target);
    // A layer created by an import (packed base + layerJournal) and a waiting sync conflict (schema 2 and 3 tables).
    await importFeatures(source, {
      author: '张工',
      target: { kind: 'new', layer: { ...testWellsLayer, id: 'imported' } },
      packed: true,
      features: [0, 1, 2].map((index) => ({ id: `I-${index}`, geometry: { type: 'Point' as const, coordinates: [115.4 + index / 10, 37.5] }, properties: { name: `imported ${index}` } })),
      source: 'wells.geojson',
      time: new Date('2021-07-01T00:00:00Z'),
    });
    await source.syncConflicts.put({ id: 'C-1', layerId: 'test-wells', featureId: 'W-00002', status: 'open', detectedAt: '2021-08-01T00:00:00.000Z', packageId: 'P', detail: { fields: ['status'] }, resolution: null });
    const backup = await exportBackup(source, { time: BACKUP_TIME });
    expect(backup).toMatchObject({ format: 'onemap-backup', formatVersion: 1, schemaVersion: source.verno });
    expect(backup.attachments).toHaveLength(2);
    expect(backup.layerJournal).toHaveLength(1);
    expect(backup.syncConflicts).toHaveLength(1);
    expect(backup.syncHeads!.length).toBeGreaterThan(0);

    const empty = await database();
    const report = await restoreBackup(empty, throughFile(backup));
    expect(report).toEqual({ layers: 2, features: 1_503, journalEntries: backup.journal.length, attachments: 2 });
    expect(await exportBackup(empty, { time: BACKUP_TIME })).toEqual(backup);

    // And the restored store works: features, photos (bytes intact), undo/redo where it was.
    expect(await readLayerFeatures(empty, 'test-wells')).toEqual(await readLayerFeatures(source, 'test-wells'));
    const [photo] = await listPhotos(empty, 'test-wells', 'NEW-1');
    expect([...new Uint8Array(await photo!.blob.arrayBuffer())]).toEqual([0, 1, 2, 250, 255]);
    expect(photo!.blob.type).toBe('image/jpeg');
    expect(await photo!.thumbnail?.text()).toBe('t');
    expect(await undoState(empty)).toEqual(await undoState(source));
    // The imported layer came back whole, with its history, and its import is still undoable.
    const imported = await readLayerFeatures(source, 'imported');
    expect(imported).toHaveLength(3);
    expect(await readLayerFeatures(empty, 'imported')).toEqual(imported);
    expect((await featureHistory(empty, 'imported', 'I-1')).map((entry) => [entry.cause, entry.note])).toEqual([['import', 'wells.geojson']]);
    await undo(empty, { author: 'a' });
    expect(await getLayer(empty, 'imported')).toBeNull();
    expect(await readLayerFeatures(empty, 'imported')).toEqual([]);
    await redo(empty, { author: 'a' });
    expect(await readLayerFeatures(empty, 'imported')).toEqual(imported);
    await undo(empty, { author: 'a' });
    await undo(empty, { author: 'a' }); // the photo removal
    expect((await listPhotos(empty, 'test-wells', 'NEW-1')).map((record) => record.id)).toEqual(['P-1', 'P-2']);
  });

  it('restoring over a used store replaces everything, keeps this device id and never reuses a chunk generation', async () => {
    const backup = await exportBackup(source);
    const used = await database();
    await seed(used, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(20, 7) }], time: SEED_TIME });
    await transact(used, { author: 'x', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00001', properties: { name: 'will vanish' } }] });
    // Read once so the store's in-memory chunk lookup knows the current generation.
    expect((await getFeature(used, 'test-wells', 'W-00010'))?.properties.depthM).toBe(100 + ((9 * 37) % 300) + 7);
    const usedDevice = (await used.meta.get('device-id'))?.value;
    const usedGeneration = (await used.layerBases.get('test-wells'))!.generation;

    await restoreBackup(used, backup);
    expect((await used.meta.get('device-id'))?.value).toBe(usedDevice);
    expect((await used.layerBases.get('test-wells'))!.generation).toBeGreaterThan(usedGeneration);
    expect(await readLayerFeatures(used, 'test-wells')).toEqual(await readLayerFeatures(source, 'test-wells'));
    expect(await getFeature(used, 'test-wells', 'W-00010')).toEqual(await getFeature(source, 'test-wells', 'W-00010'));
    expect(await used.journal.count()).toBe(backup.journal.length);
  });

  it('keeps a hub workspace\'s sync state, never its sign-in token; a restore keeps this machine\'s token', async () => {
    const hubFeature = { layerId: 'test-wells', featureId: 'W-00002', version: 7, fieldVersions: { status: 7, 'properties.sealedDate': 7 }, county: 131102 };
    const conflict = { id: 3, layerId: 'test-wells', featureId: 'W-00005', conflict: { id: 3, layerId: 'test-wells', featureId: 'W-00005', kind: 'field', field: 'properties.name' }, pendingResolution: null };
    const push = { changeId: 'c-1', firstSequence: 1, lastSequence: 1, entryCount: 1, status: 'refused', code: 'out-of-scope', message: 'no', features: ['test-wells/W-00002'], time: '2021-07-01T00:00:00.000Z' };
    await source.hubFeatures.put(hubFeature);
    await source.hubConflicts.put(conflict as never);
    await source.hubPushes.put(push as never);
    await source.meta.bulkPut([
      { key: 'hub:cursor', value: 'cursor-1' },
      { key: 'hub:token', value: 'secret-token-of-source' },
    ]);
    const text = backupToJson(await exportBackup(source));
    expect(text).not.toContain('secret-token-of-source');

    const other = await database();
    await other.meta.put({ key: 'hub:token', value: 'token-of-this-machine' });
    await restoreBackup(other, backupFromJson(text));
    expect(await other.hubFeatures.toArray()).toEqual([hubFeature]);
    expect(await other.hubConflicts.toArray()).toEqual([conflict]);
    expect(await other.hubPushes.toArray()).toEqual([push]);
    expect((await other.meta.get('hub:cursor'))?.value).toBe('cursor-1');
    expect((await other.meta.get('hub:token'))?.value).toBe('token-of-this-machine');
  });

  const corruptions: [string, (backup: OneMapBackup) => unknown][] = [
    ['not a backup at all', () => ({ hello: 'world' })],
    ['a newer schema', (backup) => ({ ...backup, schemaVersion: 99 })],
    ['a feature with a broken geometry', (backup) => {
      const chunk = backup.featureChunks[0]!;
      return { ...backup, featureChunks: [{ ...chunk, features: chunk.features.map((feature, index) => (index === 3 ? { ...feature, geometry: { type: 'Point', coordinates: [999, 0] } } : feature)) }, ...backup.featureChunks.slice(1)] };
    }],
    ['a missing chunk', (backup) => ({ ...backup, featureChunks: backup.featureChunks.slice(1) })],
    ['a journal entry without author', (backup) => ({ ...backup, journal: backup.journal.map((entry, index) => (index === 0 ? { ...entry, author: '' } : entry)) })],
    ['an edit row pointing at a missing journal entry', (backup) => ({ ...backup, journal: backup.journal.slice(0, 1) })],
    ['photo bytes that are not base64', (backup) => ({ ...backup, attachments: backup.attachments.map((attachment) => ({ ...attachment, blob: { ...attachment.blob, base64: '%%%' } })) })],
    ['photo bytes of the wrong size', (backup) => ({ ...backup, attachments: backup.attachments.map((attachment) => ({ ...attachment, byteSize: attachment.byteSize + 1 })) })],
    ['a duplicate layer', (backup) => ({ ...backup, layers: [...backup.layers, ...backup.layers] })],
  ];

  it.each(corruptions)('refuses %s with BackupInvalidError, writing nothing', async (_label, corrupt) => {
    const backup = await exportBackup(source);
    const before = await dumpStore(source);
    const error = await restoreBackup(source, corrupt(structuredClone(backup))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackupInvalidError);
    expect((error as BackupInvalidError).messages.zh).toContain('未做任何更改');
    expect((error as BackupInvalidError).problems.length).toBeGreaterThan(0);
    expect(await dumpStore(source)).toEqual(before);
  });

  it('restores a backup made before the schema 2/3 tables existed; each journaled feature\'s last entry becomes its sync head', async () => {
    const backup = await exportBackup(source);
    const { layerJournal, syncVersions, syncHeads, syncConflicts, ...schemaOne } = backup;
    expect(layerJournal).toEqual([]);
    expect(syncVersions).toEqual([]);
    expect(syncConflicts).toEqual([]);
    const empty = await database();
    await restoreBackup(empty, throughFile({ ...schemaOne, schemaVersion: 1 }));
    expect(await empty.syncHeads.toArray()).toEqual(syncHeads);
    expect(await empty.layerJournal.count()).toBe(0);
  });

  it('refuses text that is not JSON', () => {
    expect(() => backupFromJson('{"format": "onemap-backup", ')).toThrow(BackupInvalidError);
  });

  it('writes nothing when the disk fills up in the middle of a restore', async () => {
    const backup = await exportBackup(source);
    const target = await database();
    await seed(target, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(10) }], time: SEED_TIME });
    const before = await dumpStore(target);
    const original = target.attachments.bulkAdd.bind(target.attachments);
    target.attachments.bulkAdd = (() => Promise.reject(new DOMException('full', 'QuotaExceededError'))) as unknown as typeof original;
    await expect(restoreBackup(target, backup)).rejects.toBeInstanceOf(StorageFullError);
    target.attachments.bulkAdd = original;
    expect(await dumpStore(target)).toEqual(before);
  });
});
