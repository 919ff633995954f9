// Definitions through the hub between app stores: a new 2022 target set, a target in it, a new
// field and a new name of a layer made on one store reach another store at its next sync (as
// pulled changes: not undoable, not pushed back); the same target changed on both stores keeps
// the hub's record and lists the later change as refused (version conflict); a surveyor's
// definition change is refused by role and blocks nothing.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFeature, readHubStatus, renameLayer, transact, undoState, updateLayerDefinition } from '../../../renderer/src/db';
import type { LayerDefinition, Target, TargetSet } from '../../../shared/model';
import { appStore, insertWells, startAppHub, HENGSHUI_TAOCHENG, WELLS, type AppHub, type AppStore } from './fixture';

let hub: AppHub;
let a: AppStore;
let b: AppStore;

const SET_2022: TargetSet = { id: 'year-2022', year: 2022, title: { zh: '2022 年目标', en: '2022 targets' } };
const TARGET: Target = {
  id: 'wells-done-2022',
  setId: 'year-2022',
  title: { zh: '完成取水井治理', en: 'Finish the wells' },
  quote: { text: '完成 40 眼', sentence: '年内完成 40 眼取水井治理。', source: 'plan-2022.txt' },
  quantity: 40,
  unit: { zh: '眼', en: 'wells' },
  startDate: '2022-01-01',
  deadline: '2022-12-31',
  layerId: 'wells',
  metric: { kind: 'count', scope: { where: [] }, done: { statuses: ['done'], where: [] } },
};
const WELLS_V2: LayerDefinition = { ...WELLS, version: 2, fields: [...WELLS.fields, { key: 'pumpKw', label: { zh: '水泵功率', en: 'Pump power' }, required: false, type: 'number', min: 0 }] };

const putTarget = (store: AppStore, target: Target) => transact(store.db, { author: store.device, operations: [{ kind: 'put-target', layerId: target.layerId, target }] });

beforeAll(async () => {
  hub = await startAppHub();
  await insertWells(hub, [{ id: 'W1', county: HENGSHUI_TAOCHENG, lon: 115.7, lat: 37.74 }]);
  a = await appStore(hub, 'chen', '陈工');
  b = await appStore(hub, 'chen', '陈工');
  expect((await a.sync()).stopped).toBeNull();
  expect((await b.sync()).stopped).toBeNull();
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await hub?.close();
});

describe('definitions between two app stores through the hub', () => {
  it('a 2022 set, a target in it and a new field made on A reach B at its next sync', async () => {
    await transact(a.db, { author: a.device, operations: [{ kind: 'put-target-set', layerId: `target-set:${SET_2022.id}`, set: SET_2022 }] });
    await putTarget(a, TARGET);
    await updateLayerDefinition(a.db, { author: a.device, layer: WELLS_V2 });
    expect((await readHubStatus(a.db)).waitingChanges).toBe(3);
    expect(await a.sync()).toMatchObject({ stopped: null, pushed: 3, refused: 0, definitions: 0 });
    expect((await readHubStatus(a.db)).waitingChanges).toBe(0);
    const onHub = await hub.db.pool.query("SELECT (SELECT version::int FROM hub.layers WHERE id = 'wells') AS layer, (SELECT definition->>'quantity' FROM hub.targets WHERE id = 'wells-done-2022') AS quantity, (SELECT count(*)::int FROM hub.target_sets WHERE id = 'year-2022') AS sets");
    expect(onHub.rows[0]).toEqual({ layer: 2, quantity: '40', sets: 1 });

    const report = await b.sync();
    expect(report).toMatchObject({ stopped: null, pushed: 0, definitions: 3 });
    expect(await b.db.targetSets.get('year-2022')).toEqual(SET_2022);
    expect(await b.db.targets.get(TARGET.id)).toEqual(TARGET);
    expect((await b.db.layers.get('wells'))?.fields.map((field) => field.key)).toEqual(['name', 'depth', 'pumpKw']);
    // Pulled: B cannot undo it, and it is not B's to push back.
    expect(await undoState(b.db)).toMatchObject({ canUndo: false });
    expect((await readHubStatus(b.db)).waitingChanges).toBe(0);
    // A feature B edits with the new field reaches A.
    await transact(b.db, { author: b.device, operations: [{ kind: 'update', layerId: 'wells', featureId: 'W1', properties: { pumpKw: 7.5 } }] });
    expect(await b.sync()).toMatchObject({ stopped: null, pushed: 1, definitions: 0 });
    expect(await a.sync()).toMatchObject({ stopped: null, pushed: 0, definitions: 0, pulled: 1 });
    expect((await getFeature(a.db, 'wells', 'W1'))?.properties.pumpKw).toBe(7.5);
  });

  it('the same target changed on both: the first wins, the second is listed refused, and both stores end with the hub\'s', async () => {
    await putTarget(a, { ...TARGET, quantity: 50 });
    await putTarget(b, { ...TARGET, quantity: 60 });
    expect(await a.sync()).toMatchObject({ stopped: null, pushed: 1, refused: 0 });
    expect(await b.sync()).toMatchObject({ stopped: null, pushed: 0, refused: 1 });
    const refused = await b.db.hubPushes.where('status').equals('refused').toArray();
    expect(refused).toEqual([expect.objectContaining({ code: 'version-conflict', definition: { kind: 'target', id: TARGET.id, name: '完成取水井治理' } })]);
    expect((await readHubStatus(b.db)).refusedChanges).toBe(1);
    expect((await b.db.targets.get(TARGET.id))?.quantity).toBe(50);
    expect((await a.db.targets.get(TARGET.id))?.quantity).toBe(50);
    // B's next change of it starts from the hub's version and goes through.
    await putTarget(b, { ...TARGET, quantity: 70 });
    expect(await b.sync()).toMatchObject({ stopped: null, pushed: 1, refused: 0 });
    expect(await a.sync()).toMatchObject({ stopped: null, definitions: 1 });
    expect((await a.db.targets.get(TARGET.id))?.quantity).toBe(70);
  });

  it('a layer renamed on B is renamed on A, its fields kept', async () => {
    await renameLayer(b.db, { layerId: 'wells', author: b.device, name: { zh: '机井', en: 'Tube wells' } });
    expect(await b.sync()).toMatchObject({ stopped: null, pushed: 1, refused: 0 });
    expect(await a.sync()).toMatchObject({ stopped: null, definitions: 1 });
    const wells = await a.db.layers.get('wells');
    expect(wells?.name.zh).toBe('机井');
    expect(wells?.fields.map((field) => field.key)).toEqual(['name', 'depth', 'pumpKw']);
    expect(await b.sync()).toMatchObject({ stopped: null, pushed: 0, definitions: 0 });
  });

  it('a surveyor\'s definition change is refused by role and blocks nothing', async () => {
    const s = await appStore(hub, 'zhang', '张工');
    try {
      expect((await s.sync()).stopped).toBeNull();
      expect(await s.db.targets.get(TARGET.id)).toBeDefined();
      await putTarget(s, { ...TARGET, quantity: 1 });
      await transact(s.db, { author: s.device, operations: [{ kind: 'update', layerId: 'wells', featureId: 'W1', properties: { depth: 12 } }] });
      expect(await s.sync()).toMatchObject({ stopped: null, pushed: 1, refused: 1 });
      const [refused] = await s.db.hubPushes.where('status').equals('refused').toArray();
      expect(refused).toMatchObject({ code: 'forbidden-role' });
      // The hub's target stands here again; the feature edit went through.
      expect((await s.db.targets.get(TARGET.id))?.quantity).toBe(70);
      const depth = await hub.db.pool.query("SELECT properties->>'depth' AS depth FROM hub.features WHERE id = 'W1'");
      expect(depth.rows[0].depth).toBe('12');
    } finally {
      await s.close();
    }
  });
});
