// Two app stores syncing through a real hub: an edit travels with its author, the same field
// edited on both sides becomes one hub conflict that both sides agree on once resolved, a photo
// arrives byte-identical.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachPhoto, featureHistory, getFeature, readHubStatus, transact, listPhotos, queueHubResolution, getPhoto, undoState } from '../../../renderer/src/db';
import { pulledFeatureSchema } from '../../../shared/sync/hub/pull';
import { appStore, insertWells, startAppHub, HENGSHUI_TAOCHENG, ZAOQIANG, type AppHub, type AppStore } from './fixture';

let hub: AppHub;
let a: AppStore;
let b: AppStore;
// Once the hub sends its last writer with pulled features, pulled history names that writer.
const hubSendsLastChange = 'lastChange' in pulledFeatureSchema.shape;

beforeAll(async () => {
  hub = await startAppHub();
  await insertWells(hub, [
    { id: 'W1', county: HENGSHUI_TAOCHENG, lon: 115.7, lat: 37.74 },
    { id: 'W2', county: HENGSHUI_TAOCHENG, lon: 115.71, lat: 37.75 },
  ]);
  a = await appStore(hub, 'zhang', '张工');
  b = await appStore(hub, 'wang', '王工');
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await hub?.close();
});

describe('two app stores through the hub', () => {
  it('the first sync fills a store from the hub, and writes nothing to undo', async () => {
    const report = await a.sync();
    expect(report).toMatchObject({ stopped: null, pushed: 0, pulled: 2 });
    expect((await getFeature(a.db, 'wells', 'W1'))?.properties.name).toBe('井 W1');
    expect(await undoState(a.db)).toMatchObject({ canUndo: false });
    expect((await b.sync()).pulled).toBe(2);
    const status = await readHubStatus(a.db);
    expect(status).toMatchObject({ waitingChanges: 0, openConflicts: 0, refusedChanges: 0 });
    expect(status.lastSyncAt).not.toBeNull();
  });

  it('an edit on A reaches B with A\'s author in its history; syncing again changes nothing', async () => {
    await transact(a.db, { author: a.device, operations: [{ kind: 'update', layerId: 'wells', featureId: 'W1', properties: { depth: 42 } }], note: '复测' });
    expect((await readHubStatus(a.db)).waitingChanges).toBe(1);
    expect(await a.sync()).toMatchObject({ stopped: null, pushed: 1, pulled: 0 });
    expect((await readHubStatus(a.db)).waitingChanges).toBe(0);
    const journalBefore = await b.db.journal.count();
    expect(await b.sync()).toMatchObject({ stopped: null, pushed: 0, pulled: 1 });
    expect((await getFeature(b.db, 'wells', 'W1'))?.properties.depth).toBe(42);
    const last = (await featureHistory(b.db, 'wells', 'W1')).at(-1);
    expect(last?.applies?.[0]).toMatch(/^hub:wells\/W1@\d+$/);
    if (hubSendsLastChange) expect(last).toMatchObject({ authorName: '张工', device: a.device, note: '复测' });
    else expect(last).toMatchObject({ authorName: 'hub', device: 'hub' });
    // The pulled change is not B's to undo, and it is never pushed back.
    expect(await undoState(b.db)).toMatchObject({ canUndo: false });
    expect(await b.sync()).toMatchObject({ stopped: null, pushed: 0, pulled: 0 });
    expect(await b.db.journal.count()).toBe(journalBefore + 1);
    // A pulls its own change back: identical, so no journal entry.
    const journalA = await a.db.journal.count();
    expect(await a.sync()).toMatchObject({ pulled: 0 });
    expect(await a.db.journal.count()).toBe(journalA);
  });

  it('the same field edited on both sides: one hub conflict in B\'s queue; resolved, both sides agree', async () => {
    await transact(a.db, { author: a.device, operations: [{ kind: 'update', layerId: 'wells', featureId: 'W2', properties: { name: 'A 的名字', depth: 11 } }] });
    await transact(b.db, { author: b.device, operations: [{ kind: 'update', layerId: 'wells', featureId: 'W2', properties: { name: 'B 的名字' } }] });
    expect(await a.sync()).toMatchObject({ stopped: null, pushed: 1 });
    const report = await b.sync();
    expect(report).toMatchObject({ stopped: null, pushed: 1, conflicts: 1 });
    // B got A's other field; its own value of the contested field stays until decided.
    expect((await getFeature(b.db, 'wells', 'W2'))?.properties).toEqual({ name: 'B 的名字', depth: 11 });
    const conflicts = await b.db.hubConflicts.toArray();
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]?.conflict).toMatchObject({ field: 'properties.name', kind: 'field', hub: 'A 的名字', theirs: 'B 的名字', base: '井 W2' });
    expect((await readHubStatus(b.db)).openConflicts).toBe(1);

    await queueHubResolution(b.db, conflicts[0]!.id, 'theirs');
    expect(await b.sync()).toMatchObject({ stopped: null, resolutions: 1, conflicts: 0 });
    expect(await a.sync()).toMatchObject({ stopped: null });
    for (const store of [a, b]) expect((await getFeature(store.db, 'wells', 'W2'))?.properties).toEqual({ name: 'B 的名字', depth: 11 });
    const { rows } = await hub.db.pool.query(`SELECT properties FROM hub.features WHERE id = 'W2'`);
    expect(rows[0]?.properties).toEqual({ name: 'B 的名字', depth: 11 });
    expect(await b.db.hubConflicts.count()).toBe(0);
  });

  it('keeping the hub\'s value of a conflict brings it to the side that lost', async () => {
    await transact(a.db, { author: a.device, operations: [{ kind: 'update', layerId: 'wells', featureId: 'W1', properties: { name: 'A 保留' } }] });
    await transact(b.db, { author: b.device, operations: [{ kind: 'update', layerId: 'wells', featureId: 'W1', properties: { name: 'B 放弃' } }] });
    await a.sync();
    expect((await b.sync()).conflicts).toBe(1);
    expect((await getFeature(b.db, 'wells', 'W1'))?.properties.name).toBe('B 放弃');
    const [conflict] = await b.db.hubConflicts.toArray();
    await queueHubResolution(b.db, conflict!.id, 'hub');
    expect(await b.sync()).toMatchObject({ stopped: null, resolutions: 1, conflicts: 0 });
    expect((await getFeature(b.db, 'wells', 'W1'))?.properties.name).toBe('A 保留');
    expect((await readHubStatus(b.db)).waitingChanges).toBe(0);
  });

  it('a photo taken on A arrives on B byte-identical', async () => {
    const bytes = new Uint8Array(5000).map((_, index) => (index * 31) % 251);
    const { attachmentId } = await attachPhoto(a.db, { author: a.device, layerId: 'wells', featureId: 'W1', blob: new Blob([bytes], { type: 'image/jpeg' }), fileName: 'well.jpg', mimeType: 'image/jpeg' });
    expect(await a.sync()).toMatchObject({ stopped: null, pushed: 1 });
    expect(await b.sync()).toMatchObject({ stopped: null, pulled: 1 });
    const photos = await listPhotos(b.db, 'wells', 'W1');
    expect(photos.map((photo) => photo.id)).toEqual([attachmentId]);
    const photo = await getPhoto(b.db, attachmentId);
    expect(new Uint8Array(await photo!.blob.arrayBuffer())).toEqual(bytes);
    expect(photo).toMatchObject({ fileName: 'well.jpg', mediaType: 'image/jpeg' });
    const { rows } = await hub.db.pool.query('SELECT count(*)::int AS n FROM hub.attachments');
    expect(rows[0]?.n).toBe(1);
  });

  it('a planner of every county pulls both counties; a well moved out of a surveyor\'s county leaves that store', async () => {
    await insertWells(hub, [{ id: 'Z1', county: ZAOQIANG, lon: 115.6, lat: 37.6 }]);
    const planner = await appStore(hub, 'chen', '陈工');
    try {
      expect((await planner.sync()).stopped).toBeNull();
      expect((await getFeature(planner.db, 'wells', 'Z1'))?.county).toBe(ZAOQIANG);
      expect((await getFeature(planner.db, 'wells', 'W2'))?.properties.name).toBe('B 的名字');
      expect(await getFeature(a.db, 'wells', 'Z1')).toBeNull();
      await a.sync();
      const undoTop = (await undoState(a.db)).undo?.changeId;
      // The hub moves W2 to the other county (as a QGIS edit would): A drops its copy, the planner keeps it.
      await hub.db.pool.query(`UPDATE hub.features SET county = $1 WHERE id = 'W2'`, [ZAOQIANG]);
      expect(await a.sync()).toMatchObject({ stopped: null, pulled: 1 });
      expect(await getFeature(a.db, 'wells', 'W2')).toBeNull();
      expect(await a.db.hubFeatures.get(['wells', 'W2'])).toBeUndefined();
      expect((await undoState(a.db)).undo?.changeId).toBe(undoTop);
      expect((await readHubStatus(a.db)).waitingChanges).toBe(0);
      await planner.sync();
      expect((await getFeature(planner.db, 'wells', 'W2'))?.county).toBe(ZAOQIANG);
    } finally {
      await planner.close();
    }
  });
});
