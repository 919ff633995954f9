import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  attachPhoto,
  DatabaseBlockedError,
  isQuotaExceededError,
  OneMapDatabase,
  openDatabase,
  openOneMapDatabase,
  persistentStorageState,
  requestPersistentStorage,
  seed,
  StorageFullError,
  storageEstimate,
  transact,
  undo,
} from '../../../renderer/src/db';
import { dumpStore, freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

const opened: OneMapDatabase[] = [];
const names: string[] = [];
let nameCounter = 0;

function uniqueName(): string {
  nameCounter += 1;
  const name = `onemap-durability-${process.pid}-${nameCounter}-${Date.now()}`;
  names.push(name);
  return name;
}

afterEach(async () => {
  for (const database of opened.splice(0)) database.close();
  for (const name of names.splice(0)) {
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  }
});

/** The next OneMap: version 2 adds a table (what a real upgrade would look like). */
// The shipped schema's latest version, read from a fresh instance so the test follows new versions.
const CURRENT_VERSION = new OneMapDatabase('version-probe').verno;
const NEWER_VERSION = CURRENT_VERSION + 1;

class NewerOneMapDatabase extends OneMapDatabase {
  constructor(name: string) {
    super(name);
    this.version(NEWER_VERSION).stores({ drafts: 'id' });
  }
}

const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

describe('quota errors', () => {
  async function seeded() {
    const database = await freshDatabase();
    opened.push(database);
    names.push(database.name);
    await seed(database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(30) }], time: SEED_TIME });
    return database;
  }

  it('a QuotaExceededError during transact becomes StorageFullError (zh/en message) and nothing is written', async () => {
    const database = await seeded();
    await transact(database, { author: 'a', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00001', properties: { name: 'earlier' } }] });
    const before = await dumpStore(database);
    // The journal append has happened when the edit rows hit the full disk.
    const original = database.featureEdits.bulkPut.bind(database.featureEdits);
    database.featureEdits.bulkPut = (() => Promise.reject(quotaError())) as unknown as typeof original;
    const error = await transact(database, {
      author: 'a',
      operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00002', properties: { name: 'lost?' } }],
    }).catch((caught: unknown) => caught);
    database.featureEdits.bulkPut = original;
    expect(error).toBeInstanceOf(StorageFullError);
    expect((error as StorageFullError).messages.zh).toContain('存储空间已满');
    expect((error as StorageFullError).messages.en).toContain('Storage is full');
    expect(await dumpStore(database)).toEqual(before);
  });

  it('also for a photo (attachments full) and for an undo', async () => {
    const database = await seeded();
    const originalAdd = database.attachments.bulkAdd.bind(database.attachments);
    database.attachments.bulkAdd = (() => Promise.reject(quotaError())) as unknown as typeof originalAdd;
    const before = await dumpStore(database);
    await expect(
      attachPhoto(database, { layerId: 'test-wells', featureId: 'W-00001', blob: new Blob(['x']), fileName: 'x.jpg', mimeType: 'image/jpeg', author: 'a' }),
    ).rejects.toBeInstanceOf(StorageFullError);
    expect(await dumpStore(database)).toEqual(before);
    database.attachments.bulkAdd = originalAdd;

    await transact(database, { author: 'a', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00001', properties: { name: 'x' } }] });
    const beforeUndo = await dumpStore(database);
    const originalAddJournal = database.journal.bulkAdd.bind(database.journal);
    database.journal.bulkAdd = (() => Promise.reject(quotaError())) as unknown as typeof originalAddJournal;
    await expect(undo(database, { author: 'a' })).rejects.toBeInstanceOf(StorageFullError);
    database.journal.bulkAdd = originalAddJournal;
    expect(await dumpStore(database)).toEqual(beforeUndo);
  });

  it('recognises the quota error however it is wrapped, and nothing else', () => {
    expect(isQuotaExceededError(quotaError())).toBe(true);
    expect(isQuotaExceededError({ name: 'AbortError', inner: quotaError() })).toBe(true);
    expect(isQuotaExceededError({ name: 'BulkError', failures: [quotaError()] })).toBe(true);
    expect(isQuotaExceededError({ name: 'BulkError', failures: { 3: quotaError() } })).toBe(true);
    expect(isQuotaExceededError(new DOMException('x', 'AbortError'))).toBe(false);
    expect(isQuotaExceededError(new Error('disk full'))).toBe(false);
    expect(isQuotaExceededError(null)).toBe(false);
  });
});

describe('a blocked upgrade and closing for a newer window', () => {
  it('rejects with DatabaseBlockedError when an older window holds the database open and does not let go', async () => {
    const name = uniqueName();
    const first = await openOneMapDatabase(name);
    first.close();
    // An older OneMap window: a plain connection at the current version (Dexie stores version n
    // as IndexedDB version 10n) with no versionchange handler — it never closes by itself.
    const holder = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, CURRENT_VERSION * 10);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });

    const error = await openDatabase(new NewerOneMapDatabase(name)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseBlockedError);
    expect((error as DatabaseBlockedError).messages.zh).toContain('关闭其他 OneMap 窗口');
    expect((error as DatabaseBlockedError).messages.en).toContain('Close the other OneMap window');

    // Once the other window is closed, the upgrade goes through.
    holder.close();
    const newer = await openDatabase(new NewerOneMapDatabase(name));
    opened.push(newer);
    expect(newer.verno).toBe(NEWER_VERSION);
    expect(newer.tables.map((table) => table.name)).toContain('drafts');
  });

  it('an open OneMap database closes itself on versionchange, so a newer window is never blocked', async () => {
    const name = uniqueName();
    const older = await openOneMapDatabase(name);
    opened.push(older);
    await seed(older, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(5) }], time: SEED_TIME });
    let told = 0;
    older.onClosedForUpgrade(() => {
      told += 1;
    });

    const newer = await openDatabase(new NewerOneMapDatabase(name));
    opened.push(newer);
    expect(newer.verno).toBe(NEWER_VERSION);
    expect(older.closedForUpgrade).toBe(true);
    expect(told).toBe(1);
    expect(older.isOpen()).toBe(false);
    // The old window stays closed (no silent re-open on the old schema); the data is in the new one.
    await expect(older.layers.toArray()).rejects.toThrow();
    expect(await newer.layers.count()).toBe(1);
  });
});

describe('persistent storage and the estimate', () => {
  it('reports granted, denied or unsupported', async () => {
    expect(await requestPersistentStorage({ persisted: async () => false, persist: async () => true })).toBe('granted');
    expect(await requestPersistentStorage({ persisted: async () => true, persist: async () => false })).toBe('granted');
    expect(await requestPersistentStorage({ persisted: async () => false, persist: async () => false })).toBe('denied');
    expect(await requestPersistentStorage({ persist: () => Promise.reject(new Error('no')) })).toBe('denied');
    expect(await requestPersistentStorage({})).toBe('unsupported');
    expect(await requestPersistentStorage(undefined)).toBe('unsupported');
    expect(await persistentStorageState({ persisted: async () => true })).toBe('granted');
    expect(await persistentStorageState({})).toBe('unsupported');
  });

  it('estimates usage against the quota', async () => {
    expect(await storageEstimate({ estimate: async () => ({ usage: 250, quota: 1000 }) })).toEqual({ usage: 250, quota: 1000, usedFraction: 0.25 });
    expect(await storageEstimate({ estimate: async () => ({}) })).toEqual({ usage: 0, quota: 0, usedFraction: 0 });
    expect(await storageEstimate({})).toBeNull();
  });
});
