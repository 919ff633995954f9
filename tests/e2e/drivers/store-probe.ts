// The one place specs read the app's IndexedDB directly (not through the app): what the store
// holds after an action, for assertions. Read-only; each read opens its own connection and
// closes it, so the app's connection never waits on it. Readers run in the page (a small helper
// is installed on `window` once per page load) and send back only what the spec asks for.
import type { Page } from '../helpers/test';

/** The app's database name (renderer/src/db/schema.ts). */
export const STORE_NAME = 'onemap';

/** One table's record count and SHA-256 of its records in key order (see `digest`). */
export interface TableDigest {
  count: number;
  sha256: string;
}

export interface ProbeFeature {
  id: string;
  layerId: string;
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
  status: string;
  county: number | null;
  revision: number;
}

interface InPageProbe {
  /** Runs `read` in one read-only transaction over `tables` (missing tables are left out; 'all': every table). */
  read<T>(tables: string[] | 'all', read: (stores: Record<string, IDBObjectStore>) => Promise<T>): Promise<T>;
  request<T>(request: IDBRequest): Promise<T>;
  /** A record as text that tells apart everything IndexedDB keeps: -0, undefined, Dates, typed arrays, Blob bytes. */
  canonical(value: unknown): Promise<string>;
  /** The database it reads. */
  databaseName: string;
}

declare global {
  interface Window {
    __onemapStoreProbe?: InPageProbe;
  }
}

function install(databaseName: string): void {
  if (window.__onemapStoreProbe?.databaseName === databaseName) return;
  const request = <T,>(req: IDBRequest): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      req.onsuccess = () => resolve(req.result as T);
      req.onerror = () => reject(req.error);
    });
  const bytesHex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  // Synchronous, so a store of 10,000s of features is walked quickly; Blob bytes are read first.
  const text = (value: unknown, blobs: Map<Blob, string>): string => {
    if (value === undefined) return 'u';
    if (value === null) return 'n';
    if (typeof value === 'number') return Object.is(value, -0) ? '#-0' : `#${String(value)}`;
    if (typeof value === 'string') return JSON.stringify(value);
    if (typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value}:${String(value)}`;
    if (value instanceof Date) return `date:${value.getTime()}`;
    if (value instanceof Blob) return `blob:${JSON.stringify(value.type)}:${blobs.get(value) ?? '?'}`;
    if (value instanceof ArrayBuffer) return `ab:${bytesHex(new Uint8Array(value))}`;
    if (ArrayBuffer.isView(value)) return `${value.constructor.name}:${bytesHex(new Uint8Array(value.buffer, value.byteOffset, value.byteLength))}`;
    if (Array.isArray(value)) return `[${value.map((item) => text(item, blobs)).join(',')}]`;
    if (value instanceof Map || value instanceof Set) return `${value.constructor.name}:${text([...value], blobs)}`;
    return `{${Object.entries(value as object).map(([key, item]) => `${JSON.stringify(key)}:${text(item, blobs)}`).join(',')}}`;
  };
  const findBlobs = (value: unknown, found: Blob[]): void => {
    if (value instanceof Blob) found.push(value);
    else if (Array.isArray(value)) for (const item of value) findBlobs(item, found);
    else if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer) && !(value instanceof Date)) for (const item of Object.values(value)) findBlobs(item, found);
  };
  const canonical = async (value: unknown): Promise<string> => {
    const found: Blob[] = [];
    findBlobs(value, found);
    const blobs = new Map(await Promise.all(found.map(async (blob) => [blob, bytesHex(new Uint8Array(await blob.arrayBuffer()))] as const)));
    return text(value, blobs);
  };
  const read = async <T,>(tables: string[] | 'all', reader: (stores: Record<string, IDBObjectStore>) => Promise<T>): Promise<T> => {
    const database = await request<IDBDatabase>(indexedDB.open(databaseName));
    try {
      const present = tables === 'all' ? [...database.objectStoreNames].sort() : tables.filter((name) => database.objectStoreNames.contains(name));
      const stores: Record<string, IDBObjectStore> = {};
      if (present.length > 0) {
        const transaction = database.transaction(present, 'readonly');
        for (const name of present) stores[name] = transaction.objectStore(name);
      }
      return await reader(stores);
    } finally {
      database.close();
    }
  };
  window.__onemapStoreProbe = { read, request, canonical, databaseName };
}

export class StoreProbe {
  /** `databaseName`: another of the app's databases (a hub workspace's), else the local one. */
  constructor(
    readonly page: Page,
    readonly databaseName: string = STORE_NAME,
  ) {}

  private async run<R, A>(reader: (arg: A) => Promise<R>, arg: A): Promise<R> {
    await this.page.evaluate(install, this.databaseName);
    // Arguments and results are plain data (structured clone); Playwright's Unboxed<A> adds nothing here.
    return this.page.evaluate(reader as (arg: unknown) => Promise<R>, arg);
  }

  /** Every record of one table, in key order. */
  records<T>(table: string): Promise<T[]> {
    return this.run((name) => window.__onemapStoreProbe!.read([name], (stores) => window.__onemapStoreProbe!.request<T[]>(stores[name]!.getAll())), table);
  }

  keys(table: string): Promise<IDBValidKey[]> {
    return this.run((name) => window.__onemapStoreProbe!.read([name], (stores) => window.__onemapStoreProbe!.request<IDBValidKey[]>(stores[name]!.getAllKeys())), table);
  }

  /** One record by key (null when there is none). */
  get<T>(table: string, key: IDBValidKey): Promise<T | null> {
    return this.run(
      ({ name, id }) => window.__onemapStoreProbe!.read([name], async (stores) => (await window.__onemapStoreProbe!.request<T | undefined>(stores[name]!.get(id))) ?? null),
      { name: table, id: key },
    );
  }

  /** Record counts of the given tables (0 for a table the database does not have). */
  counts<Table extends string>(tables: readonly Table[]): Promise<Record<Table, number>> {
    return this.run(
      (names) =>
        window.__onemapStoreProbe!.read(names, async (stores) => {
          const counts: Record<string, number> = {};
          for (const name of names) counts[name] = stores[name] ? await window.__onemapStoreProbe!.request<number>(stores[name].count()) : 0;
          return counts as Record<Table, number>;
        }),
      [...tables],
    );
  }

  async count(table: string): Promise<number> {
    return (await this.counts([table]))[table] ?? 0;
  }

  /** The feature in an edit row (null: deleted, or no edit row). */
  async editedFeature<T = ProbeFeature>(layerId: string, featureId: string): Promise<T | null> {
    return (await this.get<{ feature: T | null }>('featureEdits', [layerId, featureId]))?.feature ?? null;
  }

  /**
   * Current features as the store resolves them: each layer's base (chunks of its current
   * generation) with the edit rows over it. `layerId` limits it to one layer; only the count and
   * the features with the given ids come back (`edited`: the id has an edit row).
   */
  currentFeatures(options: { layerId?: string; ids?: string[]; all?: boolean } = {}): Promise<{ count: number; byId: Record<string, { feature: ProbeFeature | null; edited: boolean }>; features: ProbeFeature[] }> {
    return this.run(
      ({ layerId, ids, all }) =>
        window.__onemapStoreProbe!.read(['layerBases', 'featureChunks', 'featureEdits'], async (stores) => {
          const probe = window.__onemapStoreProbe!;
          const bases = await probe.request<{ layerId: string; generation: number }[]>(stores.layerBases!.getAll());
          const current = new Set(bases.filter((base) => layerId === undefined || base.layerId === layerId).map((base) => `${base.layerId}@${base.generation}`));
          const features = new Map<string, ProbeFeature | null>();
          const editedIds = new Set<string>();
          const chunks = await probe.request<{ layerId: string; generation: number; features: ProbeFeature[] }[]>(stores.featureChunks!.getAll());
          for (const chunk of chunks) if (current.has(`${chunk.layerId}@${chunk.generation}`)) for (const feature of chunk.features) features.set(`${chunk.layerId}/${feature.id}`, feature);
          for (const edit of await probe.request<{ layerId: string; featureId: string; feature: ProbeFeature | null }[]>(stores.featureEdits!.getAll())) {
            if (layerId !== undefined && edit.layerId !== layerId) continue;
            features.set(`${edit.layerId}/${edit.featureId}`, edit.feature);
            editedIds.add(edit.featureId);
          }
          const byId: Record<string, { feature: ProbeFeature | null; edited: boolean }> = {};
          for (const id of ids ?? []) {
            const found = [...features.entries()].find(([key]) => key.endsWith(`/${id}`));
            byId[id] = { feature: found?.[1] ?? null, edited: editedIds.has(id) };
          }
          const present = [...features.values()].filter((feature): feature is ProbeFeature => feature !== null);
          return { count: present.length, byId, features: all ? present : [] };
        }),
      options,
    );
  }

  /**
   * A layer's packed base as stored: its record's feature count, the features in its chunks, and
   * the properties and coordinates of the features whose property `key` has one of `values`.
   * Walks the chunks with a cursor in the page (a base may hold 300,000 features).
   */
  baseSummary(layerId: string, key: string, values: readonly unknown[]): Promise<{ featureCount: number | null; chunkFeatures: number; found: { id: string; properties: Record<string, unknown>; coordinates: unknown }[] }> {
    return this.run(
      ({ layer, key: property, values: wanted }) =>
        window.__onemapStoreProbe!.read(['layerBases', 'featureChunks'], async (stores) => {
          const base = await window.__onemapStoreProbe!.request<{ generation: number; featureCount: number } | undefined>(stores.layerBases!.get(layer));
          let chunkFeatures = 0;
          const found: { id: string; properties: Record<string, unknown>; coordinates: unknown }[] = [];
          await new Promise<void>((resolve, reject) => {
            const request = stores.featureChunks!.openCursor();
            request.onsuccess = () => {
              const cursor = request.result;
              if (cursor === null) return resolve();
              const chunk = cursor.value as { layerId: string; generation: number; features: { id: string; properties: Record<string, unknown>; geometry: { coordinates: unknown } }[] };
              if (base !== undefined && chunk.layerId === layer && chunk.generation === base.generation) {
                chunkFeatures += chunk.features.length;
                for (const feature of chunk.features) if (wanted.includes(feature.properties[property])) found.push({ id: feature.id, properties: feature.properties, coordinates: feature.geometry.coordinates });
              }
              cursor.continue();
            };
            request.onerror = () => reject(request.error);
          });
          return { featureCount: base?.featureCount ?? null, chunkFeatures, found };
        }),
      { layer: layerId, key, values: [...values] },
    );
  }

  /** Every record of every table as one JSON text (Blobs as their type and size), to compare whole stores. */
  dump(): Promise<string> {
    return this.run(
      (name) =>
        new Promise<string>((resolve, reject) => {
          const opening = indexedDB.open(name);
          opening.onerror = () => reject(opening.error);
          opening.onsuccess = () => {
            const database = opening.result;
            const names = [...database.objectStoreNames].sort();
            const transaction = database.transaction(names, 'readonly');
            const dump: Record<string, unknown[]> = {};
            for (const table of names) {
              const request = transaction.objectStore(table).getAll();
              request.onsuccess = () => {
                dump[table] = request.result;
              };
            }
            transaction.oncomplete = () => {
              database.close();
              resolve(JSON.stringify(dump, (_key, value: unknown) => (value instanceof Blob ? { blob: value.type, size: value.size } : value)));
            };
            transaction.onerror = () => reject(transaction.error);
          };
        }),
      this.databaseName,
    );
  }

  /**
   * Each table's count and a SHA-256 of its keys and records in key order, in one transaction:
   * equal digests mean equal stores, down to Blob bytes, typed arrays, -0 and undefined fields.
   */
  digest(): Promise<Record<string, TableDigest>> {
    return this.run(
      () =>
        window.__onemapStoreProbe!.read('all', async (stores) => {
          const probe = window.__onemapStoreProbe!;
          // Every request first, in the transaction; the Blob reads after it (they would end it).
          const tables = await Promise.all(
            Object.entries(stores).map(async ([table, store]) => ({ table, keys: await probe.request<IDBValidKey[]>(store.getAllKeys()), values: await probe.request<unknown[]>(store.getAll()) })),
          );
          const digests: Record<string, TableDigest> = {};
          for (const { table, keys, values } of tables) {
            const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(await probe.canonical([keys, values])));
            digests[table] = { count: values.length, sha256: Array.from(new Uint8Array(hash), (byte) => byte.toString(16).padStart(2, '0')).join('') };
          }
          return digests;
        }),
      undefined,
    );
  }
}
