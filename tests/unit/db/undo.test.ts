import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { journalEntrySchema, type Feature } from '../../../shared/model';
import {
  attachPhoto,
  changeJournal,
  getFeature,
  listPhotos,
  OneMapDatabase,
  purgeRemovedAttachments,
  readLayerFeatures,
  redo,
  removePhoto,
  seed,
  transact,
  undo,
  undoState,
  UndoConflictError,
} from '../../../renderer/src/db';
import { dumpStore, freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

let database: OneMapDatabase;

beforeEach(async () => {
  database = await freshDatabase();
  await seed(database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(600) }], time: SEED_TIME });
});

afterEach(async () => {
  database.close();
  await database.delete();
});

const well = (featureId: string) => getFeature(database, 'test-wells', featureId);

/** What a feature is, without revision and update time (undo restores content; the revision only grows). */
const content = (feature: Feature | null) => {
  if (feature === null) return null;
  const { revision: _revision, updatedAt: _updatedAt, ...rest } = feature;
  return rest;
};

const rename = (featureId: string, name: string) =>
  transact(database, { author: '张工', operations: [{ kind: 'update', layerId: 'test-wells', featureId, properties: { name } }] });

const photo = (text: string) => new Blob([text], { type: 'image/jpeg' });

describe('undo / redo of every edit kind', () => {
  it('properties and status: undo restores the previous values (revision still grows), redo re-applies', async () => {
    const before = await well('W-00002');
    const edited = await transact(database, {
      author: '张工',
      operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00002', status: 'sealed', properties: { sealedDate: '2021-07-01', name: 'sealed well' } }],
    });
    const after = await well('W-00002');
    const undone = await undo(database, { author: '李工' });
    expect(content(await well('W-00002'))).toEqual(content(before));
    expect((await well('W-00002'))?.revision).toBe(3);
    expect(undone?.entries.map((entry) => [entry.operation, entry.undoes, entry.author])).toEqual([['update', edited.changeId, '李工']]);
    const redone = await redo(database, { author: '李工' });
    expect(content(await well('W-00002'))).toEqual(content(after));
    expect(redone?.entries.map((entry) => entry.redoes)).toEqual([undone?.changeId]);
    for (const entry of [...undone!.entries, ...redone!.entries]) {
      const { sequence: _sequence, ...shared } = entry;
      expect(journalEntrySchema.safeParse(shared).success).toBe(true);
    }
  });

  it('geometry', async () => {
    const before = await well('W-00003');
    await transact(database, { author: 'a', operations: [{ kind: 'update-geometry', layerId: 'test-wells', featureId: 'W-00003', geometry: { type: 'Point', coordinates: [115.9, 37.9] } }] });
    await undo(database, { author: 'a' });
    expect((await well('W-00003'))?.geometry).toEqual(before?.geometry);
    await redo(database, { author: 'a' });
    expect((await well('W-00003'))?.geometry).toEqual({ type: 'Point', coordinates: [115.9, 37.9] });
  });

  it('create: undo deletes the new feature, redo brings it back with the same values', async () => {
    await transact(database, {
      author: 'a',
      operations: [{ kind: 'create', layerId: 'test-wells', feature: { id: 'NEW-1', geometry: { type: 'Point', coordinates: [115.7, 37.7] }, properties: { name: 'new' } } }],
    });
    const created = await well('NEW-1');
    await undo(database, { author: 'a' });
    expect(await well('NEW-1')).toBeNull();
    expect(await readLayerFeatures(database, 'test-wells')).toHaveLength(600);
    await redo(database, { author: 'a' });
    expect(content(await well('NEW-1'))).toEqual(content(created));
    expect((await well('NEW-1'))?.revision).toBe(3);
  });

  it('delete: undo re-creates the feature with its previous revision values (a base feature too)', async () => {
    const before = await well('W-00001');
    await transact(database, { author: 'a', operations: [{ kind: 'delete', layerId: 'test-wells', featureId: 'W-00001' }] });
    expect(await well('W-00001')).toBeNull();
    const undone = await undo(database, { author: 'a' });
    expect(undone?.entries.map((entry) => entry.operation)).toEqual(['create']);
    expect(content(await well('W-00001'))).toEqual(content(before));
    expect((await well('W-00001'))?.revision).toBe(3);
    await redo(database, { author: 'a' });
    expect(await well('W-00001')).toBeNull();
  });

  it('a bulk update of 500 wells is one undo and one redo', async () => {
    const ids = Array.from({ length: 500 }, (_, index) => `W-${String(index + 1).padStart(5, '0')}`);
    const before = await readLayerFeatures(database, 'test-wells');
    await rename('W-00599', 'an earlier edit');
    const bulk = await transact(database, {
      author: 'office',
      operations: ids.map((featureId) => ({ kind: 'update' as const, layerId: 'test-wells', featureId, status: 'sealed', properties: { sealedDate: '2021-07-01' } })),
    });
    const state = await undoState(database);
    expect(state).toMatchObject({ canUndo: true, canRedo: false, undo: { changeId: bulk.changeId, originalChangeId: bulk.changeId, entryCount: 500, operations: ['update'], layerIds: ['test-wells'], author: 'office' } });
    const undone = await undo(database, { author: 'office' });
    expect(undone?.entries).toHaveLength(500);
    const afterUndo = await readLayerFeatures(database, 'test-wells');
    expect(afterUndo.filter((feature) => feature.status === 'sealed')).toHaveLength(0);
    expect(afterUndo.find((feature) => feature.id === 'W-00599')?.properties.name).toBe('an earlier edit');
    const bulkIds = new Set(ids);
    expect(afterUndo.filter((feature) => bulkIds.has(feature.id)).map(content)).toEqual(before.filter((feature) => bulkIds.has(feature.id)).map(content));
    const afterUndoState = await undoState(database);
    expect(afterUndoState.redo).toMatchObject({ changeId: undone!.changeId, originalChangeId: bulk.changeId, entryCount: 500 });
    // With the feature's properties, so the tooltip names it (its name, not its id).
    expect(afterUndoState.undo?.firstFeature).toMatchObject({ layerId: 'test-wells', featureId: 'W-00599', properties: { name: 'an earlier edit' } });
    await redo(database, { author: 'office' });
    expect((await readLayerFeatures(database, 'test-wells')).filter((feature) => feature.status === 'sealed')).toHaveLength(500);
  });

  it('a change mixing create, update and photo in one group is undone and redone as a whole', async () => {
    const committed = await transact(database, {
      author: 'a',
      operations: [
        { kind: 'create', layerId: 'test-wells', feature: { id: 'MIX-1', geometry: { type: 'Point', coordinates: [115.5, 37.5] }, properties: {} } },
        { kind: 'update', layerId: 'test-wells', featureId: 'MIX-1', properties: { name: 'mixed' } },
        { kind: 'attach', layerId: 'test-wells', featureId: 'MIX-1', attachment: { id: 'P-MIX', blob: photo('mix'), fileName: 'mix.jpg', mediaType: 'image/jpeg' } },
        { kind: 'update', layerId: 'test-wells', featureId: 'W-00010', properties: { depthM: 1 } },
      ],
    });
    expect(committed.entries.map((entry) => entry.operation)).toEqual(['create', 'update', 'attach', 'update']);
    const before = await dumpStore(database);
    await undo(database, { author: 'a' });
    expect(await well('MIX-1')).toBeNull();
    expect(await listPhotos(database, 'test-wells', 'MIX-1')).toEqual([]);
    expect((await well('W-00010'))?.properties.depthM).not.toBe(1);
    await redo(database, { author: 'a' });
    expect((await well('MIX-1'))?.properties.name).toBe('mixed');
    expect((await listPhotos(database, 'test-wells', 'MIX-1')).map((record) => record.id)).toEqual(['P-MIX']);
    expect((await well('W-00010'))?.properties.depthM).toBe(1);
    expect((await dumpStore(database)).attachments).toEqual(before.attachments);
  });
});

describe('undo / redo of photos', () => {
  it('attach: undo detaches (bytes kept), redo attaches the same photo again', async () => {
    const { attachmentId } = await attachPhoto(database, { layerId: 'test-wells', featureId: 'W-00004', blob: photo('jpeg bytes'), fileName: 'a.jpg', mimeType: 'image/jpeg', author: 'a' });
    expect(await listPhotos(database, 'test-wells', 'W-00004')).toHaveLength(1);
    await undo(database, { author: 'a' });
    expect(await listPhotos(database, 'test-wells', 'W-00004')).toEqual([]);
    const kept = await listPhotos(database, 'test-wells', 'W-00004', { includeRemoved: true });
    expect(kept.map((record) => [record.id, record.removedAt !== null])).toEqual([[attachmentId, true]]);
    await redo(database, { author: 'a' });
    const [again] = await listPhotos(database, 'test-wells', 'W-00004');
    expect(again?.id).toBe(attachmentId);
    expect(await again!.blob.text()).toBe('jpeg bytes');
  });

  it('remove: undo attaches it again', async () => {
    const { attachmentId } = await attachPhoto(database, { layerId: 'test-wells', featureId: 'W-00004', blob: photo('x'), fileName: 'a.jpg', mimeType: 'image/jpeg', author: 'a' });
    await removePhoto(database, { layerId: 'test-wells', featureId: 'W-00004', attachmentId, author: 'a' });
    expect(await listPhotos(database, 'test-wells', 'W-00004')).toEqual([]);
    await undo(database, { author: 'a' });
    expect((await listPhotos(database, 'test-wells', 'W-00004')).map((record) => record.id)).toEqual([attachmentId]);
  });

  it('deleting a feature removes its photos in the same change; undo restores feature and photos', async () => {
    const thumbnail = new Blob(['thumb'], { type: 'image/png' });
    await attachPhoto(database, { layerId: 'test-wells', featureId: 'W-00005', blob: photo('one'), fileName: '1.jpg', mimeType: 'image/jpeg', author: 'a', id: 'P-1', thumbnail });
    await attachPhoto(database, { layerId: 'test-wells', featureId: 'W-00005', blob: photo('two'), fileName: '2.jpg', mimeType: 'image/jpeg', author: 'a', id: 'P-2' });
    const deleted = await transact(database, { author: 'a', operations: [{ kind: 'delete', layerId: 'test-wells', featureId: 'W-00005' }] });
    expect(deleted.entries.map((entry) => [entry.operation, entry.attachment?.id])).toEqual([
      ['detach', 'P-1'],
      ['detach', 'P-2'],
      ['delete', undefined],
    ]);
    expect(deleted.attachments).toEqual([
      { id: 'P-1', layerId: 'test-wells', featureId: 'W-00005', attached: false },
      { id: 'P-2', layerId: 'test-wells', featureId: 'W-00005', attached: false },
    ]);
    expect(await listPhotos(database, 'test-wells', 'W-00005')).toEqual([]);
    const journalHoldsNoBlob = (await changeJournal(database, deleted.changeId)).every((entry) => !JSON.stringify(entry).includes('one'));
    expect(journalHoldsNoBlob).toBe(true);

    await undo(database, { author: 'a' });
    expect(await well('W-00005')).not.toBeNull();
    const photos = await listPhotos(database, 'test-wells', 'W-00005');
    expect(photos.map((record) => record.id)).toEqual(['P-1', 'P-2']);
    expect(await photos[0]!.blob.text()).toBe('one');
    expect(await photos[0]!.thumbnail?.text()).toBe('thumb');
  });

  it('a feature edit and its photo commit together or not at all', async () => {
    const before = await dumpStore(database);
    await expect(
      transact(database, {
        author: 'a',
        operations: [
          { kind: 'update', layerId: 'test-wells', featureId: 'W-00006', properties: { name: 'with photo' } },
          { kind: 'attach', layerId: 'test-wells', featureId: 'W-00006', attachment: { blob: 'not a blob' as unknown as Blob, fileName: 'x.jpg', mediaType: 'image/jpeg' } },
        ],
      }),
    ).rejects.toThrow(/Blob/);
    expect(await dumpStore(database)).toEqual(before);
  });
});

describe('the stacks', () => {
  it('undo twice after a restart removes exactly the last two edits; redo (after another restart) restores them', async () => {
    await rename('W-00001', 'first');
    await rename('W-00002', 'second');
    await rename('W-00003', 'third');
    const name = database.name;
    database.close();

    database = new OneMapDatabase(name);
    await database.open();
    await undo(database, { author: 'a' });
    await undo(database, { author: 'a' });
    const names = async () => Promise.all(['W-00001', 'W-00002', 'W-00003'].map(async (id) => (await well(id))?.properties.name));
    expect(await names()).toEqual(['first', 'Well 2', 'Well 3']);
    database.close();

    database = new OneMapDatabase(name);
    await database.open();
    expect(await undoState(database)).toMatchObject({ canUndo: true, canRedo: true });
    await redo(database, { author: 'a' });
    expect(await names()).toEqual(['first', 'second', 'Well 3']);
    await redo(database, { author: 'a' });
    expect(await names()).toEqual(['first', 'second', 'third']);
    expect(await redo(database, { author: 'a' })).toBeNull();
  });

  it('a new edit after an undo clears the redo stack; the undone change stays undone', async () => {
    await rename('W-00001', 'A');
    await rename('W-00002', 'B');
    await undo(database, { author: 'a' });
    expect((await undoState(database)).canRedo).toBe(true);
    await rename('W-00003', 'C');
    expect((await undoState(database)).canRedo).toBe(false);
    expect(await redo(database, { author: 'a' })).toBeNull();
    await undo(database, { author: 'a' });
    expect((await well('W-00003'))?.properties.name).toBe('Well 3');
    await undo(database, { author: 'a' });
    expect((await well('W-00001'))?.properties.name).toBe('Well 1');
    expect((await well('W-00002'))?.properties.name).toBe('Well 2');
    expect(await undo(database, { author: 'a' })).toBeNull();
    expect(await undoState(database)).toMatchObject({ canUndo: false, undo: null });
  });

  it('undo, redo and undo again interleave like an editor: each step inverts exactly one change', async () => {
    const value = async () => (await well('W-00001'))?.properties.depthM;
    const depths: unknown[] = [await value()];
    for (const depth of [1, 2, 3]) {
      await transact(database, { author: 'a', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00001', properties: { depthM: depth } }] });
    }
    const steps: [string, unknown][] = [];
    for (const step of ['undo', 'undo', 'redo', 'undo', 'undo', 'undo', 'redo', 'redo', 'redo'] as const) {
      await (step === 'undo' ? undo : redo)(database, { author: 'a' });
      steps.push([step, await value()]);
    }
    expect(steps).toEqual([
      ['undo', 2],
      ['undo', 1],
      ['redo', 2],
      ['undo', 1],
      ['undo', depths[0]],
      ['undo', depths[0]],
      ['redo', 1],
      ['redo', 2],
      ['redo', 3],
    ]);
    expect(await undoState(database)).toMatchObject({ canUndo: true, canRedo: false });
    expect((await undoState(database)).undo?.isRestore).toBe(false);
  });

  it('describes what undo and redo would do, following a redo back to the original edit', async () => {
    const edit = await transact(database, { author: '张工', note: '现场核查', operations: [{ kind: 'delete', layerId: 'test-wells', featureId: 'W-00009' }] });
    await undo(database, { author: '李工' });
    const redone = await redo(database, { author: '李工' });
    const state = await undoState(database);
    expect(state.undo).toMatchObject({ changeId: redone!.changeId, originalChangeId: edit.changeId, author: '张工', note: '现场核查', operations: ['delete'] });
  });

  it('refuses to undo a photo removal once the photo was purged, writing nothing', async () => {
    const { attachmentId } = await attachPhoto(database, { layerId: 'test-wells', featureId: 'W-00004', blob: photo('x'), fileName: 'a.jpg', mimeType: 'image/jpeg', author: 'a' });
    await removePhoto(database, { layerId: 'test-wells', featureId: 'W-00004', attachmentId, author: 'a', time: new Date('2021-01-01T00:00:00Z') });
    expect(await purgeRemovedAttachments(database, new Date('2021-02-01T00:00:00Z'))).toBe(1);
    const before = await dumpStore(database);
    await expect(undo(database, { author: 'a' })).rejects.toBeInstanceOf(UndoConflictError);
    expect(await dumpStore(database)).toEqual(before);
  });
});

describe('undo after compaction', () => {
  it('undoes a delete whose tombstone was folded into the base, continuing the revision', async () => {
    const { compactLayer } = await import('../../../renderer/src/db');
    const before = await well('W-00007');
    await rename('W-00007', 'renamed');
    await transact(database, { author: 'a', operations: [{ kind: 'delete', layerId: 'test-wells', featureId: 'W-00007' }] });
    expect((await compactLayer(database, 'test-wells')).foldedEdits).toBe(1);
    expect(await database.featureEdits.count()).toBe(0);
    await undo(database, { author: 'a' });
    expect(await well('W-00007')).toMatchObject({ properties: { name: 'renamed' }, revision: 4 });
    await undo(database, { author: 'a' });
    expect(content(await well('W-00007'))).toEqual(content(before));
  });
});
