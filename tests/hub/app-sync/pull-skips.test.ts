// A feature the hub holds that this store's layer refuses (written in QGIS past the app's rules:
// a status without the date it needs, a value of the wrong type) must not stop the pull: the
// rest of its page is written, later syncs go on, the feature is listed as skipped, and once a
// version that fits arrives it is written and no longer listed.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LayerDefinition } from '../../../shared/model';
import { getFeature, readHubSkippedFeatures, syncOnce } from '../../../renderer/src/db';
import { appStore, startAppHub, HENGSHUI_TAOCHENG, type AppHub, type AppStore } from './fixture';

const CLOSURES: LayerDefinition = {
  id: 'closures',
  name: { zh: '关停井', en: 'Closures' },
  geometryType: 'Point',
  fields: [
    { key: 'depth', label: { zh: '深度', en: 'Depth' }, required: false, type: 'integer', min: 0 },
    { key: 'closedOn', label: { zh: '封填日期', en: 'Closed on' }, required: false, type: 'date' },
  ],
  status: {
    label: { zh: '状态', en: 'Status' },
    states: [
      { value: 'open', label: { zh: '在用', en: 'Open' } },
      { value: 'closed', label: { zh: '已封填', en: 'Closed' }, dateField: 'closedOn' },
    ],
    initial: 'open',
    transitions: [{ from: 'open', to: 'closed' }],
  },
};

let hub: AppHub;
let store: AppStore;

/** As QGIS would: one SQL statement on the hub's table. */
async function sql(text: string, values: unknown[]): Promise<void> {
  await hub.db.pool.query(text, values);
}

beforeAll(async () => {
  hub = await startAppHub();
  await sql('INSERT INTO hub.layers (id, definition) VALUES ($1, $2)', [CLOSURES.id, JSON.stringify(CLOSURES)]);
  for (const id of ['C1', 'C2', 'C3']) {
    await sql(`INSERT INTO hub.features (layer_id, id, county, status, properties, geometry) VALUES ('closures', $1, $2, 'open', '{"depth": 10}', $3)`, [
      id,
      HENGSHUI_TAOCHENG,
      JSON.stringify({ type: 'Point', coordinates: [115.7, 37.74] }),
    ]);
  }
  store = await appStore(hub, 'zhang', '张工');
  expect(await store.sync()).toMatchObject({ stopped: null, pulled: 3 });
});

afterAll(async () => {
  await store?.close();
  await hub?.close();
});

describe('pulled features this store cannot hold', () => {
  it('are skipped and listed; the rest of the page is written and later syncs go on', async () => {
    // C1: closed without its date (the app's workflow refuses it); C2: a depth that is no integer;
    // C3: a plain edit in the same page.
    await sql(`UPDATE hub.features SET status = 'closed' WHERE layer_id = 'closures' AND id = 'C1'`, []);
    await sql(`UPDATE hub.features SET properties = '{"depth": "deep"}' WHERE layer_id = 'closures' AND id = 'C2'`, []);
    await sql(`UPDATE hub.features SET properties = '{"depth": 33}' WHERE layer_id = 'closures' AND id = 'C3'`, []);
    const report = await store.sync();
    expect(report.error?.message ?? null).toBeNull();
    expect(report.stopped).toBeNull();
    expect(report.pulled).toBe(1);
    expect((await getFeature(store.db, 'closures', 'C3'))?.properties.depth).toBe(33);
    expect((await getFeature(store.db, 'closures', 'C1'))?.status).toBe('open');
    expect((await getFeature(store.db, 'closures', 'C2'))?.properties.depth).toBe(10);
    const skipped = await readHubSkippedFeatures(store.db);
    expect(skipped.map((record) => record.featureId).sort()).toEqual(['C1', 'C2']);
    expect(skipped.find((record) => record.featureId === 'C1')?.reason).toMatch(/closedOn/);
    expect(skipped.find((record) => record.featureId === 'C2')?.reason).toMatch(/depth/);

    // Another edit after them arrives: nothing is stuck behind the skipped ones.
    await sql(`UPDATE hub.features SET properties = '{"depth": 34}' WHERE layer_id = 'closures' AND id = 'C3'`, []);
    expect(await store.sync()).toMatchObject({ stopped: null, pulled: 1 });
    expect((await getFeature(store.db, 'closures', 'C3'))?.properties.depth).toBe(34);
    expect(await readHubSkippedFeatures(store.db)).toHaveLength(2);
  });

  it('a later version that fits is written and leaves the list', async () => {
    await sql(`UPDATE hub.features SET properties = '{"depth": 10, "closedOn": "2021-06-30"}' WHERE layer_id = 'closures' AND id = 'C1'`, []);
    expect(await store.sync()).toMatchObject({ stopped: null, pulled: 1 });
    const closed = await getFeature(store.db, 'closures', 'C1');
    expect(closed).toMatchObject({ status: 'closed', properties: { closedOn: '2021-06-30' } });
    expect((await readHubSkippedFeatures(store.db)).map((record) => record.featureId)).toEqual(['C2']);
  });

  it('a cycle says when its push is done (the panel then shows the pull), once; not when it stops before', async () => {
    let told = 0;
    const onPushed = () => void (told += 1);
    expect(await syncOnce(store.db, { client: store.client, device: store.device, onPushed })).toMatchObject({ stopped: null });
    expect(told).toBe(1);
    await hub.stop();
    expect(await syncOnce(store.db, { client: store.client, device: store.device, onPushed })).toMatchObject({ stopped: 'offline' });
    expect(told).toBe(1);
    await hub.start();
  });
});
