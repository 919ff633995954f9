// The Dexie schema: EVERY version ever shipped stays in this file, unchanged.
//
// A shipped version is never edited. To change the schema, add `this.version(n + 1).stores({...})`
// (only the tables that change) with an `.upgrade(transaction => ...)` that rewrites old records,
// and a unit test that opens a database filled under version n and checks the upgrade.
// Seeding is not a migration: it lives in seed.ts and is an idempotent upsert.
import { Dexie, type Table } from 'dexie';
import type { LayerDefinition, Target, TargetSet } from '../../../shared/model';
import type {
  AttachmentRecord,
  FeatureChunkRecord,
  FeatureEditRecord,
  FeatureFilterPackRecord,
  FeatureFilterRecord,
  FeatureIdIndexRecord,
  HubConflictRecord,
  HubFeatureRecord,
  HubPushRecord,
  LayerBaseRecord,
  LayerJournalRecord,
  MetaRecord,
  StoredJournalEntry,
  SyncConflictRecord,
  SyncHeadRecord,
  SyncVersionRecord,
  TileCacheEntryRecord,
  TileCacheLayerRecord,
  TileCacheRecord,
} from './records';
import { DatabaseBlockedError } from './durability';
import { filterRecordOf, IdIndexCollector, packsOf } from './chunk-filters';
import { hashId } from '../../../shared/lookup';
import { checkStoreLoss, describeStoreLoss, readStoreMarker, resetStoreMarker, watchDataLoss, type StoreLossReport } from './store-loss';

export const DEFAULT_DATABASE_NAME = 'onemap';

export class OneMapDatabase extends Dexie {
  /** Layer definitions, by layer id. */
  layers!: Table<LayerDefinition, string>;
  /** Yearly targets, by target id. */
  targets!: Table<Target, string>;
  /** Which chunk generation is each layer's base. */
  layerBases!: Table<LayerBaseRecord, string>;
  /** Packed base features, ~1,000 per record (see records.ts). */
  featureChunks!: Table<FeatureChunkRecord, string>;
  /** Per-feature user edits overriding the base; key `[layerId, featureId]`. */
  featureEdits!: Table<FeatureEditRecord, [string, string]>;
  /** Append-only journal; key is the auto-incremented `sequence`. */
  journal!: Table<StoredJournalEntry, number, Omit<StoredJournalEntry, 'sequence'>>;
  /** Photos and other files, as Blobs, by id; indexed by feature. */
  attachments!: Table<AttachmentRecord, string>;
  /** Workspace id, device id, seed versions, counters. */
  meta!: Table<MetaRecord, string>;
  /** Layers created by a change (an import making a new layer), journaled; since version 2. */
  layerJournal!: Table<LayerJournalRecord, number>;
  /** Versions received from other devices (sync); since version 3. */
  syncVersions!: Table<SyncVersionRecord, number>;
  /** Each feature's version heads (sync); since version 3. */
  syncHeads!: Table<SyncHeadRecord, [string, string]>;
  /** The review queue of sync conflicts; since version 3. */
  syncConflicts!: Table<SyncConflictRecord, string>;
  /** The hub version of each feature pulled from the team hub; since version 4. */
  hubFeatures!: Table<HubFeatureRecord, [string, string]>;
  /** Open conflicts on the team hub, with a queued resolution; since version 4. */
  hubConflicts!: Table<HubConflictRecord, number>;
  /** The hub's answer to each pushed change; since version 4. */
  hubPushes!: Table<HubPushRecord, string>;
  /** Target sets (a year's targets), by id; since version 5. */
  targetSets!: Table<TargetSet, string>;
  /**
   * Each chunk's Bloom filter of its feature ids, by chunk id, since version 6; and each
   * generation's id index in buckets (`${layerId}:${generation}#<bucket>`), since version 7
   * (chunk-filters.ts).
   */
  featureFilters!: Table<FeatureFilterRecord | FeatureIdIndexRecord, string>;
  /** Cut planning tiles kept across starts, their entries and each layer's cache state; since version 8 (tile-cache.ts). */
  tileCache!: Table<TileCacheRecord, string>;
  tileCacheEntries!: Table<TileCacheEntryRecord, string>;
  tileCacheLayers!: Table<TileCacheLayerRecord, string>;

  constructor(name: string = DEFAULT_DATABASE_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);

    // Version 1 — shipped with the first store. Do not edit; add version 2 below it.
    this.version(1).stores({
      layers: 'id',
      targets: 'id, layerId',
      layerBases: 'layerId',
      featureChunks: 'id, [layerId+generation]',
      featureEdits: '[layerId+featureId], [layerId+sequence], sequence',
      journal: '++sequence, &id, changeId, [layerId+featureId], time',
      attachments: 'id, [layerId+featureId]',
      meta: 'key',
    });

    // Version 2 — the journal of layer definitions created by imports (`create-layer` in
    // transact.ts). Only a new table: no record of version 1 changes, so no upgrade function.
    this.version(2).stores({
      layerJournal: '++sequence, &id, changeId, layerId',
    });

    // Version 3 — exchanging edits between devices (sync.ts): versions received from other
    // devices, each feature's version heads, the review queue. The upgrade records every
    // journaled feature's last entry as its head, so the next edit names it as its parent.
    this.version(3)
      .stores({
        syncVersions: '++receivedSequence, &id, [layerId+featureId]',
        syncHeads: '[layerId+featureId]',
        syncConflicts: 'id, [layerId+featureId], status',
      })
      .upgrade(async (transaction) => {
        const heads = new Map<string, SyncHeadRecord>();
        await transaction
          .table<StoredJournalEntry, number>('journal')
          .each((entry) => void heads.set(`${entry.layerId}\u0000${entry.featureId}`, { layerId: entry.layerId, featureId: entry.featureId, heads: [entry.id] }));
        await transaction.table<SyncHeadRecord, [string, string]>('syncHeads').bulkPut([...heads.values()]);
      });

    // Version 4 — syncing with the team hub (db/hub/): the hub version of each pulled feature,
    // the hub's open conflicts, the answers to pushed changes. Only new tables: no upgrade function.
    this.version(4).stores({
      hubFeatures: '[layerId+featureId]',
      hubConflicts: 'id, [layerId+featureId]',
      hubPushes: 'changeId, status, firstSequence',
    });

    // Version 5 — target sets by year (change/apply-target.ts): the sets, and targets found by
    // set. A target without `setId` is in its start year's set (shared/model/target-set.ts), so
    // no record of version 4 changes: no upgrade function.
    this.version(5).stores({
      targets: 'id, layerId, setId',
      targetSets: 'id, year',
    });

    // Version 6 — finding a base feature by id without reading every chunk of its layer: a Bloom
    // filter of each chunk's ids, in its own table so reading filters never deserialises a
    // feature (chunk-filters.ts). The upgrade builds the filters of the chunks already there,
    // one chunk at a time (a cursor, not the whole table in memory), and each generation's pack.
    this.version(6)
      .stores({
        featureFilters: 'id, [layerId+generation]',
      })
      .upgrade(async (transaction) => {
        const filters: FeatureFilterRecord[] = [];
        await transaction.table<FeatureChunkRecord, string>('featureChunks').each((chunk) => void filters.push(filterRecordOf(chunk)));
        await transaction.table<FeatureFilterRecord | FeatureFilterPackRecord, string>('featureFilters').bulkAdd([...filters, ...packsOf(filters)]);
      });

    // Version 7 — a first lookup by id reads one bucket of an exact id index instead of the
    // generation's filter pack (2.4 MiB at 1,000,000 ids). Same table, new rows: the upgrade builds
    // the index of every generation of chunks already there (one chunk at a time, a cursor; ≈ 10
    // bytes per id held) and deletes the version 6 packs (keys `${layerId}:${generation}`).
    this.version(7)
      .stores({})
      .upgrade(async (transaction) => {
        const index = new IdIndexCollector();
        await transaction.table<FeatureChunkRecord, string>('featureChunks').each((chunk) => index.add(chunk, chunk.featureIds.map(hashId)));
        const filters = transaction.table<FeatureFilterRecord | FeatureIdIndexRecord | FeatureFilterPackRecord, string>('featureFilters');
        const keys = await filters.toCollection().primaryKeys();
        await filters.bulkDelete(keys.filter((key) => /^[^:#]+:\d+$/.test(key)));
        await filters.bulkPut(index.records());
      });

    // Version 8 — the tiles worker keeps the tiles that were costly to cut (tile-cache.ts), so a
    // start draws a large layer without cutting it again. Only new tables (derived data, empty
    // until cut): no upgrade function.
    this.version(8).stores({
      tileCache: 'key',
      tileCacheEntries: 'key, layerId, usedAt',
      tileCacheLayers: 'layerId',
    });

    // Another window (a newer OneMap) wants to upgrade or delete the database: let go at once so
    // it is never blocked, and stay closed (no silent re-open on the old schema). The window
    // that was closed tells its user to reload (see `onClosedForUpgrade`).
    this.on('versionchange', () => {
      this.closedForUpgrade = true;
      this.close({ disableAutoOpen: true });
      for (const listener of [...this.closedForUpgradeListeners]) listener();
      return false; // Dexie's own handler (which would allow an automatic re-open) is not needed.
    });
  }

  /** True once another window's upgrade made this connection close (see the constructor). */
  closedForUpgrade = false;

  private readonly closedForUpgradeListeners = new Set<() => void>();

  /** Calls `listener` when a newer window closes this connection; returns the unsubscribe. */
  onClosedForUpgrade(listener: () => void): () => void {
    this.closedForUpgradeListeners.add(listener);
    return () => this.closedForUpgradeListeners.delete(listener);
  }
}

/**
 * Opens a database object, rejecting with {@link DatabaseBlockedError} — instead of waiting
 * forever — when the open must upgrade and another connection (an older window that does not
 * let go) blocks it. The blocked open is cancelled: nothing is upgraded behind the user's back.
 */
export async function openDatabase<Database extends Dexie>(database: Database): Promise<Database> {
  let onBlocked: (() => void) | undefined;
  const blocked = new Promise<never>((_resolve, reject) => {
    onBlocked = () => {
      database.close({ disableAutoOpen: true });
      reject(new DatabaseBlockedError(database.name));
    };
    database.on('blocked', onBlocked);
  });
  try {
    await Promise.race([database.open(), blocked]);
    return database;
  } finally {
    if (onBlocked !== undefined) database.on('blocked').unsubscribe(onBlocked);
  }
}

/** Opens (creating or upgrading as needed) the OneMap database. */
export async function openOneMapDatabase(name: string = DEFAULT_DATABASE_NAME): Promise<OneMapDatabase> {
  return openDatabase(new OneMapDatabase(name));
}

/** What the start-up open found: the database, and a report if its data vanished since last time. */
export interface CheckedOpen {
  database: OneMapDatabase;
  loss: StoreLossReport | null;
}

/**
 * Opens the OneMap database and checks, before anything is seeded or written, whether the
 * browser emptied it behind our back (store-loss.ts: Chromium's `dataLoss` report on the open,
 * or the journal ending below the marker kept outside IndexedDB). A loss is reported once: the
 * marker is then reset to what the store holds, and the caller offers a restore from a backup.
 */
export async function openCheckedOneMapDatabase(name: string = DEFAULT_DATABASE_NAME): Promise<CheckedOpen> {
  const watch = watchDataLoss();
  const database = await openDatabase(new OneMapDatabase(name, { indexedDB: watch.factory }));
  const last = await database.journal.orderBy(':id').last();
  const found = last?.sequence ?? 0;
  const loss = checkStoreLoss({ databaseName: name, journalMaxSequence: found, marker: readStoreMarker(name), browserReport: watch.reportFor(name) });
  if (loss !== null) {
    console.error(`[store] ${describeStoreLoss(loss)}`);
    resetStoreMarker(name, found);
  }
  return { database, loss };
}
