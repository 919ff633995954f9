// The planning layers' feed (renderer/src/map/planning-feed.ts): followed before the map exists,
// handed over with every layer's first data in one batch, then change by change, in order.
import { describe, expect, it } from 'vitest';
import { followPlanningLayers, type SubscribePlanningLayer } from '../../../renderer/src/map/planning-feed';
import type { PlanningLayerChanges } from '../../../renderer/src/map/planning-layers';
import type { Feature } from '../../../shared/model';

function fakeStore() {
  const listeners = new Map<string, (changes: PlanningLayerChanges) => void>();
  const subscriptions: string[] = [];
  const subscribe: SubscribePlanningLayer = (layerId, listener) => {
    subscriptions.push(layerId);
    listeners.set(layerId, listener);
    return () => listeners.delete(layerId);
  };
  const emit = (layerId: string, changes: PlanningLayerChanges) => listeners.get(layerId)?.(changes);
  return { subscribe, emit, listeners, subscriptions };
}

const feature = (id: string) => ({ id }) as unknown as Feature;
const reset = (...ids: string[]): PlanningLayerChanges => ({ kind: 'reset', features: ids.map(feature) });
const upsert = (...ids: string[]): PlanningLayerChanges => ({ kind: 'changes', upserted: ids.map(feature), removed: [] });

describe('planning feed', () => {
  it('hands every layer its first data in one batch, in the layers\' order, once all have it', () => {
    const store = fakeStore();
    const feed = followPlanningLayers(['wells', 'parks'], store.subscribe);
    const batches: Array<Array<[string, PlanningLayerChanges]>> = [];
    feed.handOver(
      (resets) => batches.push([...resets]),
      () => undefined,
    );
    store.emit('parks', reset('p1'));
    expect(batches).toEqual([]);
    store.emit('wells', reset('w1'));
    expect(batches).toEqual([
      [
        ['wells', reset('w1')],
        ['parks', reset('p1')],
      ],
    ]);
  });

  it('holds what arrives before the handover and passes it on, in order, after the first data', async () => {
    const store = fakeStore();
    const feed = followPlanningLayers(['wells', 'parks'], store.subscribe);
    store.emit('wells', upsert('ignored: before any reset'));
    store.emit('wells', reset('w1'));
    store.emit('wells', upsert('w2'));
    store.emit('parks', reset('p1'));
    store.emit('parks', upsert('p2'));
    store.emit('wells', upsert('w3'));
    await feed.complete;
    const seen: unknown[] = [];
    feed.handOver(
      (resets) => seen.push(['first', [...resets.keys()]]),
      (layerId, changes) => seen.push([layerId, changes]),
    );
    store.emit('parks', upsert('p3'));
    expect(seen).toEqual([
      ['first', ['wells', 'parks']],
      ['wells', upsert('w2')],
      ['parks', upsert('p2')],
      ['wells', upsert('w3')],
      ['parks', upsert('p3')],
    ]);
  });

  it('drops held changes a later reset of the same layer replaces', () => {
    const store = fakeStore();
    const feed = followPlanningLayers(['wells'], store.subscribe);
    store.emit('wells', reset('w1'));
    store.emit('wells', upsert('w2'));
    store.emit('wells', reset('w1', 'w2', 'w3'));
    const seen: unknown[] = [];
    feed.handOver(
      (resets) => seen.push(resets.get('wells')),
      (_layerId, changes) => seen.push(changes),
    );
    expect(seen).toEqual([reset('w1'), reset('w1', 'w2', 'w3')]);
  });

  it('with no layers, hands over an empty batch at once', async () => {
    const feed = followPlanningLayers([], fakeStore().subscribe);
    await feed.complete;
    let batch: ReadonlyMap<string, PlanningLayerChanges> | null = null;
    feed.handOver(
      (resets) => (batch = resets),
      () => undefined,
    );
    expect(batch).toEqual(new Map());
  });

  it('handed over again after a detach, reads the layers afresh; stopped, follows nothing', () => {
    const store = fakeStore();
    const feed = followPlanningLayers(['wells'], store.subscribe);
    store.emit('wells', reset('w1'));
    const detach = feed.handOver(
      () => undefined,
      () => undefined,
    );
    detach();
    const firsts: unknown[] = [];
    feed.handOver(
      (resets) => firsts.push(resets.get('wells')),
      () => undefined,
    );
    expect(store.subscriptions).toEqual(['wells', 'wells']);
    store.emit('wells', reset('w1', 'w2'));
    expect(firsts).toEqual([reset('w1', 'w2')]);
    feed.stop();
    expect(store.listeners.size).toBe(0);
  });
});
