import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  compactLayer,
  readLayer,
  readLayerChangesSince,
  seed,
  transact,
  watchLayer,
  type LayerChanges,
  type OneMapDatabase,
} from '../../../renderer/src/db';
import { freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

let database: OneMapDatabase;

beforeEach(async () => {
  database = await freshDatabase();
  await seed(database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(1_200) }], time: SEED_TIME });
});

afterEach(async () => {
  database.close();
  await database.delete();
});

const rename = (featureId: string, name: string) =>
  transact(database, { author: 'a', operations: [{ kind: 'update', layerId: 'test-wells', featureId, properties: { name } }] });

describe('readLayerChangesSince', () => {
  it('gives only the features changed after the cursor, then nothing', async () => {
    const snapshot = await readLayer(database, 'test-wells');
    expect(snapshot.cursor).toBe(0);
    await rename('W-00001', 'one');
    await transact(database, { author: 'a', operations: [{ kind: 'delete', layerId: 'test-wells', featureId: 'W-00002' }] });
    const changes = await readLayerChangesSince(database, 'test-wells', snapshot.generation, snapshot.cursor);
    expect(changes).toMatchObject({ kind: 'changes', removed: ['W-00002'] });
    if (changes.kind !== 'changes') throw new Error('expected changes');
    expect(changes.upserted.map((feature) => [feature.id, feature.properties.name])).toEqual([['W-00001', 'one']]);
    const none = await readLayerChangesSince(database, 'test-wells', changes.generation, changes.cursor);
    expect(none).toMatchObject({ kind: 'changes', upserted: [], removed: [], cursor: changes.cursor });
  });

  it('asks for a full reload after the base is re-packed', async () => {
    const snapshot = await readLayer(database, 'test-wells');
    await rename('W-00001', 'one');
    await compactLayer(database, 'test-wells');
    const changes = await readLayerChangesSince(database, 'test-wells', snapshot.generation, snapshot.cursor);
    expect(changes.kind).toBe('reset');
  });
});

describe('watchLayer', () => {
  it('emits the whole layer first, then only what each commit changed', async () => {
    const events: LayerChanges[] = [];
    let wake: () => void = () => {};
    const next = () => new Promise<void>((resolve) => (wake = resolve));
    let waiting = next();
    const stop = watchLayer(database, 'test-wells', (changes) => {
      events.push(changes);
      wake();
    });
    await waiting;
    expect(events[0]).toMatchObject({ kind: 'reset' });
    expect(events[0]!.kind === 'reset' && events[0]!.snapshot.features).toHaveLength(1_200);

    waiting = next();
    await rename('W-00005', 'five');
    await waiting;
    expect(events[1]).toMatchObject({ kind: 'changes', removed: [] });
    expect(events[1]!.kind === 'changes' && events[1]!.upserted.map((feature) => feature.id)).toEqual(['W-00005']);

    waiting = next();
    await rename('W-00006', 'six');
    await waiting;
    expect(events[2]!.kind === 'changes' && events[2]!.upserted.map((feature) => feature.id)).toEqual(['W-00006']);
    stop();
  });
});
