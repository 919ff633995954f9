// Puts a saved profile (a Playwright storage state with IndexedDB, written by seed.setup.ts) into a
// new browser context. Playwright's own `storageState` restore sends the whole state (10 MB of JSON
// for the demo store) as one script literal over the protocol for every test: seconds per test on
// two cores. Here it goes gzipped (≈ 0.5 MB) to a blank page on the app's origin, which unpacks it
// with the browser's own JSON parser and writes IndexedDB and localStorage in one transaction per
// database. seeded-profile.spec.ts checks that the store restored this way is the saved one exactly.
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { BrowserContext } from '@playwright/test';

interface SavedRecord {
  key?: unknown;
  value?: unknown;
  keyEncoded?: unknown;
  valueEncoded?: unknown;
}

interface SavedOrigin {
  origin: string;
  localStorage?: { name: string; value: string }[];
  indexedDB?: { name: string; stores: { name: string; records: SavedRecord[] }[] }[];
  opfs?: unknown[];
}

interface SavedState {
  cookies?: Parameters<BrowserContext['addCookies']>[0];
  origins?: SavedOrigin[];
}

interface Packed {
  mtimeMs: number;
  cookies: NonNullable<SavedState['cookies']>;
  origins: { origin: string; gzip: Buffer }[];
}

/** Per worker: each saved file is read, checked and gzipped once (again only if it was rewritten). */
const packedFiles = new Map<string, Packed>();

function pack(file: string): Packed {
  const { mtimeMs } = statSync(file);
  const cached = packedFiles.get(file);
  if (cached?.mtimeMs === mtimeMs) return cached;
  const state = JSON.parse(readFileSync(file, 'utf8')) as SavedState;
  for (const origin of state.origins ?? []) {
    // Values Playwright had to encode (Dates, typed arrays, Maps…) and OPFS files are not restored
    // here: say so instead of restoring a different store.
    if (origin.opfs?.length) throw new Error(`${file}: ${origin.origin} has OPFS entries, which profile-restore.ts does not restore`);
    for (const database of origin.indexedDB ?? []) {
      for (const store of database.stores) {
        if (store.records.some((record) => 'keyEncoded' in record || 'valueEncoded' in record)) {
          throw new Error(`${file}: ${database.name}.${store.name} holds values that are not plain JSON, which profile-restore.ts does not restore`);
        }
      }
    }
  }
  const packed: Packed = {
    mtimeMs,
    cookies: state.cookies ?? [],
    origins: (state.origins ?? []).map((origin) => ({ origin: origin.origin, gzip: gzipSync(JSON.stringify(origin), { level: 1 }) })),
  };
  packedFiles.set(file, packed);
  return packed;
}

/** Restores the saved profile in `file` into `context`, which must be new (empty storage). */
export async function restoreProfile(context: BrowserContext, file: string): Promise<void> {
  const packed = pack(file);
  if (packed.cookies.length > 0) await context.addCookies(packed.cookies);
  for (const { origin, gzip } of packed.origins) {
    const page = await context.newPage();
    try {
      await page.route(
        (url) => url.origin === origin,
        (route) =>
          route.request().url().endsWith('/__saved-profile')
            ? route.fulfill({ contentType: 'application/octet-stream', body: gzip })
            : route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>restore</title>' }),
      );
      await page.goto(`${origin}/`);
      await page.evaluate(writeOrigin, `${origin}/__saved-profile`);
    } finally {
      await page.close();
    }
  }
}

/** In the page: reads the gzipped origin state and writes it (runs in the browser). */
async function writeOrigin(url: string): Promise<void> {
  const response = await fetch(url);
  const saved = (await new Response(response.body!.pipeThrough(new DecompressionStream('gzip'))).json()) as {
    localStorage?: { name: string; value: string }[];
    indexedDB?: {
      name: string;
      version: number;
      stores: {
        name: string;
        autoIncrement: boolean;
        keyPath?: string;
        keyPathArray?: string[];
        indexes: { name: string; keyPath?: string; keyPathArray?: string[]; unique: boolean; multiEntry: boolean }[];
        records: { key?: IDBValidKey; value: unknown }[];
      }[];
    }[];
  };
  for (const { name, value } of saved.localStorage ?? []) localStorage.setItem(name, value);
  for (const database of saved.indexedDB ?? []) {
    const opening = indexedDB.open(database.name, database.version);
    opening.onupgradeneeded = () => {
      for (const store of database.stores) {
        const created = opening.result.createObjectStore(store.name, { autoIncrement: store.autoIncrement, keyPath: store.keyPathArray ?? store.keyPath ?? null });
        for (const index of store.indexes) {
          created.createIndex(index.name, index.keyPathArray ?? index.keyPath ?? '', { unique: index.unique, multiEntry: index.multiEntry });
        }
      }
    };
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error ?? new Error(`cannot open ${database.name}`));
    });
    try {
      if (db.objectStoreNames.length === 0) continue;
      const transaction = db.transaction([...db.objectStoreNames], 'readwrite');
      for (const store of database.stores) {
        const target = transaction.objectStore(store.name);
        for (const record of store.records) target.add(record.value, record.key);
      }
      await new Promise<void>((resolve, reject) => {
        transaction.oncomplete = () => resolve();
        transaction.onerror = () => reject(transaction.error ?? new Error(`cannot write ${database.name}`));
        transaction.onabort = () => reject(transaction.error ?? new Error(`writing ${database.name} was aborted`));
      });
    } finally {
      db.close();
    }
  }
}
