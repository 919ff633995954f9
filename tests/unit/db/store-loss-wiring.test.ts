// The store-loss check as the app wires it: `transact` raises the marker after every commit, and
// `openCheckedOneMapDatabase` (the app's start-up open) reports a store that lost its journal —
// once. localStorage is stubbed with an in-memory one (Node has none).
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCheckedOneMapDatabase, seed, transact } from '../../../renderer/src/db';
import { readStoreMarker, type MarkerStorage } from '../../../renderer/src/db/store-loss';
import { generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

let storage: MarkerStorage & { items: Map<string, string> };

beforeEach(() => {
  const items = new Map<string, string>();
  storage = { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value), removeItem: (key) => void items.delete(key) };
  (globalThis as { localStorage?: MarkerStorage }).localStorage = storage;
});

afterEach(() => {
  delete (globalThis as { localStorage?: MarkerStorage }).localStorage;
});

const deleteDatabase = (name: string) =>
  new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });

describe('store-loss check at start-up', () => {
  it('transact raises the marker; an emptied store is reported at the next open, once', async () => {
    const name = `store-loss-wiring-${Math.random().toString(36).slice(2)}`;
    const first = await openCheckedOneMapDatabase(name);
    expect(first.loss).toBeNull();
    await seed(first.database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(5) }], time: SEED_TIME });
    expect(readStoreMarker(name)).toBeNull(); // seeding is not an edit
    await transact(first.database, { author: 'a', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00001', properties: { name: 'x' } }] });
    const committed = await transact(first.database, { author: 'a', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00002', properties: { name: 'y' } }] });
    expect(readStoreMarker(name)?.sequence).toBe(committed.entries[0]?.sequence);

    // A normal restart: nothing to report.
    first.database.close();
    const again = await openCheckedOneMapDatabase(name);
    expect(again.loss).toBeNull();
    again.database.close();

    // The browser empties the store.
    await deleteDatabase(name);
    const emptied = await openCheckedOneMapDatabase(name);
    expect(emptied.loss).toMatchObject({ databaseName: name, detectedBy: ['marker'], expectedSequence: committed.entries[0]?.sequence, foundSequence: 0 });
    emptied.database.close();

    // Reported once.
    const next = await openCheckedOneMapDatabase(name);
    expect(next.loss).toBeNull();
    next.database.close();
    await deleteDatabase(name);
  });
});
