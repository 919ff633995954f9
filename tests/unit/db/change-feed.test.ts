import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  compactLayer,
  readLayer,
  readLayerChangesSince,
  seed,
  transact,
  watchLayer,
  type LargeLayerReset,
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

  it('watches started together share the first read and the feed after it; a later one reads on its own', async () => {
    const watch = () => {
      const events: LayerChanges[] = [];
      let wake: () => void = () => {};
      const state = { events, waiting: Promise.resolve(), next: () => (state.waiting = new Promise<void>((resolve) => (wake = resolve))) };
      state.next();
      const stop = watchLayer(database, 'test-wells', (changes) => {
        events.push(changes);
        wake();
      });
      return { state, stop };
    };
    const map = watch();
    const panel = watch();
    await Promise.all([map.state.waiting, panel.state.waiting]);
    // One read: the same reset (the very same objects) for both.
    expect(panel.state.events[0]).toBe(map.state.events[0]);
    const later = watch();
    await later.state.waiting;
    expect(later.state.events[0]).toMatchObject({ kind: 'reset' });
    expect(later.state.events[0]).not.toBe(map.state.events[0]);

    map.stop();
    panel.state.next();
    later.state.next();
    await rename('W-00005', 'five');
    await Promise.all([panel.state.waiting, later.state.waiting]);
    expect(panel.state.events[1]!.kind === 'changes' && panel.state.events[1]!.upserted.map((feature) => feature.id)).toEqual(['W-00005']);
    expect(later.state.events[1]!.kind === 'changes' && later.state.events[1]!.upserted.map((feature) => feature.id)).toEqual(['W-00005']);
    expect(map.state.events).toHaveLength(1);
    panel.stop();
    later.stop();
  });

  it('with skipReadAbove, a layer surely larger is not read: its reset gives the cursor and a lower bound', async () => {
    await rename('W-00001', 'one');
    await transact(database, { author: 'a', operations: [{ kind: 'delete', layerId: 'test-wells', featureId: 'W-00002' }] });
    const follow = (skipReadAbove: number) => {
      const events: (LayerChanges | LargeLayerReset)[] = [];
      let wake: () => void = () => {};
      const next = () => new Promise<void>((resolve) => (wake = resolve));
      const state = { events, waiting: next(), next: () => (state.waiting = next()) };
      const stop = watchLayer(database, 'test-wells', (changes) => {
        events.push(changes);
        wake();
      }, undefined, { skipReadAbove });
      return { state, stop };
    };
    // 1,200 packed less 2 edit rows: at least 1,198.
    const large = follow(1_197);
    await large.state.waiting;
    const snapshot = await readLayer(database, 'test-wells');
    expect(large.state.events[0]).toEqual({ kind: 'large-reset', layerId: 'test-wells', generation: snapshot.generation, cursor: snapshot.cursor, atLeast: 1_198 });
    large.state.next();
    await rename('W-00007', 'seven');
    await large.state.waiting;
    expect(large.state.events[1]!.kind === 'changes' && large.state.events[1]!.upserted.map((feature) => feature.id)).toEqual(['W-00007']);
    large.stop();
    // Now 3 edit rows: at least 1,197, which is not more than 1,197, so the layer is read as before.
    const small = follow(1_197);
    await small.state.waiting;
    expect(small.state.events[0]!.kind === 'reset' && small.state.events[0]!.snapshot.features).toHaveLength(1_199);
    small.stop();
  });
});
