import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { OneMapDatabase, openDatabase } from '../../../renderer/src/db';
import {
  checkStoreLoss,
  describeStoreLoss,
  raiseStoreMarker,
  readStoreMarker,
  resetStoreMarker,
  watchDataLoss,
  type MarkerStorage,
} from '../../../renderer/src/db/store-loss';

function memoryStorage(): MarkerStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

describe('store-loss marker', () => {
  it('only ever rises, and reset sets or removes it', () => {
    const storage = memoryStorage();
    expect(readStoreMarker('onemap', storage)).toBeNull();
    raiseStoreMarker('onemap', 12, storage, new Date('2026-01-01T00:00:00Z'));
    raiseStoreMarker('onemap', 7, storage);
    expect(readStoreMarker('onemap', storage)).toEqual({ sequence: 12, at: '2026-01-01T00:00:00.000Z' });
    raiseStoreMarker('onemap', 30, storage);
    expect(readStoreMarker('onemap', storage)?.sequence).toBe(30);
    resetStoreMarker('onemap', 5, storage);
    expect(readStoreMarker('onemap', storage)?.sequence).toBe(5);
    resetStoreMarker('onemap', 0, storage);
    expect(readStoreMarker('onemap', storage)).toBeNull();
    expect(readStoreMarker('other', storage)).toBeNull();
  });

  it('survives a broken or unwritable storage without throwing', () => {
    const storage = memoryStorage();
    storage.items.set('onemap.store-marker.onemap', 'not json');
    expect(readStoreMarker('onemap', storage)).toBeNull();
    const full: MarkerStorage = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => {},
    };
    expect(() => raiseStoreMarker('onemap', 3, full)).not.toThrow();
    expect(() => resetStoreMarker('onemap', 3, full)).not.toThrow();
  });
});

describe('checkStoreLoss', () => {
  const marker = { sequence: 2421, at: '2026-11-28T06:16:00.000Z' };
  const browserReport = { status: 'total' as const, message: 'IndexedDB (database was corrupt): checksum mismatch', databaseName: 'onemap' };

  it('sees nothing when the journal reaches the marker and the browser reported nothing', () => {
    expect(checkStoreLoss({ databaseName: 'onemap', journalMaxSequence: 2421, marker, browserReport: null })).toBeNull();
    expect(checkStoreLoss({ databaseName: 'onemap', journalMaxSequence: 2500, marker, browserReport: null })).toBeNull();
    expect(checkStoreLoss({ databaseName: 'onemap', journalMaxSequence: 0, marker: null, browserReport: null })).toBeNull();
  });

  it('reports a journal that ends below the marker', () => {
    const report = checkStoreLoss({ databaseName: 'onemap', journalMaxSequence: 0, marker, browserReport: null });
    expect(report).toMatchObject({ detectedBy: ['marker'], expectedSequence: 2421, foundSequence: 0, browserMessage: null });
    expect(describeStoreLoss(report!)).toContain('had reached #2421');
  });

  it("reports the browser's total data loss, with or without a marker", () => {
    expect(checkStoreLoss({ databaseName: 'onemap', journalMaxSequence: 0, marker: null, browserReport })).toMatchObject({ detectedBy: ['browser'], browserMessage: browserReport.message });
    expect(checkStoreLoss({ databaseName: 'onemap', journalMaxSequence: 0, marker, browserReport })?.detectedBy).toEqual(['browser', 'marker']);
  });
});

describe('watchDataLoss', () => {
  it('records the dataLoss of an upgradeneeded event without taking Dexie’s handler', async () => {
    // A factory whose open() fires upgradeneeded with Chromium's extra fields, then success.
    let handlerCalled = false;
    const fakeFactory = {
      open(name: string) {
        const request = new EventTarget() as IDBOpenDBRequest & { onupgradeneeded: ((event: Event) => void) | null };
        request.onupgradeneeded = null;
        queueMicrotask(() => {
          const event = Object.assign(new Event('upgradeneeded'), { oldVersion: 0, newVersion: 1, dataLoss: 'total', dataLossMessage: `IndexedDB (database was corrupt): checksum mismatch (${name})` });
          request.dispatchEvent(event);
          request.onupgradeneeded?.(event);
        });
        return request;
      },
      deleteDatabase: () => ({}) as IDBOpenDBRequest,
      databases: async () => [],
      cmp: () => 0,
    } as unknown as IDBFactory;
    const watch = watchDataLoss(fakeFactory);
    const request = watch.factory.open('onemap', 10);
    request.onupgradeneeded = () => {
      handlerCalled = true;
    };
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(handlerCalled).toBe(true);
    expect(watch.reportFor('onemap')).toEqual({ status: 'total', message: 'IndexedDB (database was corrupt): checksum mismatch (onemap)', databaseName: 'onemap' });
    expect(watch.reportFor('other')).toBeNull();
  });

  it('is a working IDBFactory for Dexie (fake-indexeddb reports no loss)', async () => {
    const watch = watchDataLoss(indexedDB);
    const name = `store-loss-${Math.random().toString(36).slice(2)}`;
    const database = await openDatabase(new OneMapDatabase(name, { indexedDB: watch.factory }));
    await database.meta.put({ key: 'probe', value: 1 });
    expect(await database.meta.count()).toBe(1);
    expect(watch.reportFor(name)).toBeNull();
    database.close();
    await watch.factory.deleteDatabase(name);
  });
});
