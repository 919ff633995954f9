// The shapes of the records the store keeps. Dexie-free, so that the pure packing and merge
// logic (spatial-packing.ts, merge.ts) and the unit tests can use them without a database.
import type { Feature, JournalEntry, LayerDefinition, Target, TargetSet } from '../../../shared/model';
import type { IdIndexBucket } from '../../../shared/lookup';

export type * from './hub-records';

/** `[west, south, east, north]` in WGS84 degrees. */
export type BoundingBox = [west: number, south: number, east: number, north: number];

/**
 * Up to ~1,000 features of one layer in one IndexedDB record, spatially ordered (Hilbert index
 * of the centroid). One record per feature writes ≈5,700 features/s in Chromium; packed, ≈30×
 * more. A chunk belongs to one *generation* of its layer's base: a re-seed or a compaction
 * writes a whole new generation next to the old one and then switches `LayerBaseRecord`
 * over in one small transaction, so a crash mid-write never leaves a half-written base.
 */
export interface FeatureChunkRecord {
  /** `${layerId}:${generation}:${sequence}` (sequence zero-padded to 7 digits, so ids sort by sequence). */
  id: string;
  layerId: string;
  generation: number;
  /**
   * Position of the chunk in the layer's Hilbert order. A packed generation (`packFeatures`)
   * numbers its chunks 0, 1, 2… and their Hilbert ranges follow each other. A generation staged
   * by a streamed import (staged-base.ts) numbers them `cell × stride + k` by the coarse Hilbert
   * cell of their first feature: in sequence order the cells never go back, but chunks of one cell
   * may overlap (each holds features of that cell as they came). Below 10,000,000 either way.
   */
  sequence: number;
  /** Of the chunk's features (exact). */
  bbox: BoundingBox;
  /** The smallest and largest Hilbert index of the chunk's features (on the grid it was packed on). */
  hilbertFirst: number;
  hilbertLast: number;
  /** `features[i].id === featureIds[i]`; kept apart so a lookup by id never walks the geometries. */
  featureIds: string[];
  features: Feature[];
  /**
   * Ids of features in this chunk whose value came from user edits folded in by compaction
   * (not from a seed file): a re-seed keeps them as they are.
   */
  userFeatureIds: string[];
}

/**
 * The Bloom filter of one chunk's feature ids (shared/lookup), under the chunk's id: a lookup by id
 * reads a layer's filters (small rows) and then only the chunks that may hold the id. Written and
 * deleted in the same transaction as its chunk (chunk-filters.ts). Schema version 6.
 */
export interface FeatureFilterRecord {
  /** The chunk's id. */
  id: string;
  layerId: string;
  generation: number;
  /**
   * `BloomFilter.toBinaryString()` of the chunk's `featureIds`: a string, not a Uint8Array, so the
   * record is plain JSON (saved profiles, store probes) at the same one byte per bit-array byte.
   */
  filter: string;
}

/**
 * Schema version 6 only (the version 7 upgrade deletes them; kept for that upgrade's code):
 * all the filters of one complete generation in one row of `featureFilters` (id
 * `${layerId}:${generation}`, outside its chunks' id range): a first lookup reads this one row instead
 * of one row per chunk (1,000 rows cost ≈ 130 ms in Chromium under load, measured). Written once
 * every chunk of the generation and its filter are (in the last chunk write's transaction, or right
 * after it); deleted with the generation. Without it, lookups read the per-chunk rows.
 */
export interface FeatureFilterPackRecord {
  id: string;
  layerId: string;
  generation: number;
  /** The chunk ids, and at the same index their filters (as in {@link FeatureFilterRecord.filter}). */
  chunkIds: string[];
  filters: string[];
}

/**
 * One bucket of a generation's exact id index (shared/lookup/id-index.ts), in `featureFilters`
 * under `${layerId}:${generation}#<bucket>` (outside its chunks' `${layerId}:${generation}:` id
 * range, deleted with them by the `[layerId+generation]` index): for each id hashing into the
 * bucket, its 31-bit hash and its chunk's sequence (the chunk id is `chunkId(layerId, generation,
 * sequence)`). A first lookup reads the base record, ONE bucket row and the chunk(s) it names.
 * All buckets of a generation are written in one transaction, once all its chunks are (the
 * generation's switch-over, or just before it for a staged import, whose chunks no base points at
 * yet); backups leave them out, a restore rebuilds them. Without a (readable) bucket, lookups use
 * the per-chunk filters. Schema version 7 (which replaced the version 6 per-generation pack).
 */
export interface FeatureIdIndexRecord extends IdIndexBucket {
  id: string;
  layerId: string;
  generation: number;
  /** The generation's chunk count the bucket count was derived from (`idIndexBucketCount`). */
  chunkCount: number;
}

/** Which generation of chunks is a layer's base, and what it was built from. */
export interface LayerBaseRecord {
  layerId: string;
  generation: number;
  chunkCount: number;
  featureCount: number;
  bbox: BoundingBox | null;
  /** Version (content hash) of the seed file the base was packed from; null if never seeded. */
  seedVersion: string | null;
  /**
   * Ids whose deletion was folded into the base by compaction: a re-seed must not bring them back.
   */
  foldedDeletions: string[];
}

/**
 * The current value of one feature as changed by the user, overriding the packed base;
 * `feature: null` is a tombstone (deleted). Written only by `transact` (and removed only by
 * compaction, which folds it into the base first).
 */
export interface FeatureEditRecord {
  layerId: string;
  featureId: string;
  feature: Feature | null;
  /** Revision of the feature at this edit (also kept for tombstones, so a re-create continues it). */
  revision: number;
  /** Journal sequence of the entry that wrote this row: the change feed's cursor. */
  sequence: number;
  changeId: string;
}

/** A journal entry as stored: the shared `JournalEntry` plus its position in the journal. */
export type StoredJournalEntry = JournalEntry & {
  /** Auto-incremented, store-wide, in commit order. */
  sequence: number;
};

/**
 * A photo (or other file) attached to a feature, kept as a Blob. Written only by `transact`
 * (`attach` / `detach` operations). A detach — or deleting the feature — is soft: it sets
 * `removedAt` and keeps the bytes, so undo can bring the photo back; only
 * `purgeRemovedAttachments` deletes the row (and then that detach can no longer be undone).
 */
export interface AttachmentRecord {
  id: string;
  layerId: string;
  featureId: string;
  fileName: string;
  mediaType: string;
  byteSize: number;
  blob: Blob;
  /** A small preview made by the caller (the UI draws it on a canvas); the store never decodes images. */
  thumbnail: Blob | null;
  createdAt: string;
  /** When it was detached (or its feature deleted); null while attached. */
  removedAt: string | null;
}

/**
 * A layer created (by an import), renamed, or removed (deleted, or an import undone) as part of a
 * change: the journal of layer definitions, next to the feature journal. Shares the change's
 * `changeId` with the feature entries it was made with. Written only by `transact`
 * (`create-layer`, `rename-layer` and `remove-layer` operations). Schema version 2; the optional
 * members below came later and need no new index.
 */
export interface LayerJournalRecord {
  /** Auto-incremented, in commit order. */
  sequence?: number;
  id: string;
  changeId: string;
  layerId: string;
  /** The target kinds (change/apply-target.ts) have `layerId` `target:<id>` / `target-set:<id>` and keep their values in `target` / `targetSet`. */
  operation: 'create-layer' | 'rename-layer' | 'remove-layer' | 'update-layer' | TargetJournalOperation;
  /** The definition removed (`remove-layer`), renamed (`rename-layer`) or replaced (`update-layer`); null for a create. */
  before: LayerDefinition | null;
  /** The definition created (`create-layer`) or renamed to; null for a remove. */
  after: LayerDefinition | null;
  author: string;
  /** The author's user name, when known. */
  authorName?: string;
  device: string;
  time: string;
  note?: string;
  /**
   * Set when the change wrote no feature journal entry (an import as a packed base, its undo and
   * redo): the journal's last sequence at commit, so undo.ts can place the change among the
   * others — right after that journal entry.
   */
  journalPosition?: number;
  /** An undo's or a redo's link, as on journal entries (undo.ts). */
  undoes?: string;
  redoes?: string;
  /** The layer was imported as a packed base: how many features, from which file. */
  imported?: { featureCount: number; source?: string };
  /** The base the change created (an import) or put back (a redo). */
  base?: LayerBaseRecord;
  /** A redo of an undone import: the removed base and edit rows were put back. */
  reinstated?: boolean;
  /** Sync: the ids of the layer changes from other devices this record applies (sync.ts); such a record is not itself sent on. */
  applies?: string[];
  /** What a `remove-layer` took away, so that redo can put it back (its chunks stay in the store). */
  removed?: { base: LayerBaseRecord | null; edits: FeatureEditRecord[] };
  /** put-target / remove-target: the target before and after (null: absent). */
  target?: { before: Target | null; after: Target | null };
  /** put-target-set / remove-target-set: the set before and after. */
  targetSet?: { before: TargetSet | null; after: TargetSet | null };
}

/** The `layerJournal` operations of targets and target sets (change/apply-target.ts). */
export type TargetJournalOperation = 'put-target' | 'remove-target' | 'put-target-set' | 'remove-target-set';

/**
 * A version of a feature received from another device (sync, schema version 3): the journal
 * entry as its author's device wrote it, kept as it is so it can be merged and passed on. Its
 * effect here is journaled separately, by the entries that applied it (`applies`).
 */
export type SyncVersionRecord = JournalEntry & {
  parents: string[];
  /** Auto-incremented in the order versions were received (the export watermark for relaying). */
  receivedSequence?: number;
  /** How it came here (local bookkeeping, never sent on). Absent on versions received before it was kept. */
  arrival?: SyncArrival;
};

/** The package a received version came in: shown in history next to (never instead of) its author, time and note. */
export interface SyncArrival {
  packageId: string;
  /** When it was imported here (this device's clock). */
  time: string;
  /** The device (and its user) whose package brought it — not necessarily the version's author (relay). */
  fromDevice: string;
  fromName: string | null;
  /** This device's journal's last sequence just before the import: where the version sits among its own entries. */
  journalPosition: number;
}

/** The versions a feature's current value descends from (sync): the parents of its next version. */
export interface SyncHeadRecord {
  layerId: string;
  featureId: string;
  heads: string[];
}

/** A conflict waiting in (or gone from) the review queue (sync, schema version 3). */
export interface SyncConflictRecord {
  id: string;
  layerId: string;
  featureId: string;
  status: 'open' | 'resolved' | 'superseded';
  /** When it was found (or last found again with new versions). */
  detectedAt: string;
  /** The package whose import found it. */
  packageId: string;
  /** The conflict as found (shared/sync ConflictDetail); the review queue recomputes it before deciding. */
  detail: unknown;
  /** The change that resolved it (undoing that change reopens it). */
  resolution: { changeId: string; choice: 'mine' | 'theirs' | 'merged'; time: string } | null;
}

export interface MetaRecord {
  key: string;
  value: unknown;
}

/** Keys of `meta` rows. */
export const META_KEYS = {
  workspaceId: 'workspace-id',
  deviceId: 'device-id',
  /** Content hash of the layer definitions last seeded. */
  layersSeedVersion: 'seed-version:layers',
  /** Content hash of the targets last seeded. */
  targetsSeedVersion: 'seed-version:targets',
  /** The bundled files each demo layer was last packed from (demo-sources.ts). */
  demoSeedSources: 'seed-sources',
  /** Counter for chunk generations (store-wide, only grows). */
  lastGeneration: 'last-generation',
  /** The user's name, asked once; journal entries carry it as `authorName`. */
  userName: 'user-name',
  /** Sync bookkeeping per peer device: `sync-peer:<deviceId>` (renderer/src/db/sync/). */
  syncPeerPrefix: 'sync-peer:',
  /**
   * An import streaming into a new layer has staged chunks: `import-staging:<generation>`, value
   * an {@link ImportStagingRecord} (staged-base.ts). Gone once the layer is created (same
   * transaction) or the staging is discarded; one left by a crash is swept at the next start.
   */
  importStagingPrefix: 'import-staging:',
  /** The last readable-code sequence this device gave in a layer: `feature-code:<layerId>` (transact.ts). */
  featureCodePrefix: 'feature-code:',
  /** Team hub (db/hub/): the pull cursor (`GET /v1/changes`). */
  hubCursor: 'hub:cursor',
  /** Team hub: the journal sequence up to which every version was pushed (or refused). */
  hubPushedThrough: 'hub:pushed-through',
  /** Team hub: when the last sync cycle completed (ISO time). */
  hubLastSync: 'hub:last-sync',
  /** Team hub: the bearer token (web shell only; the desktop keeps it with safeStorage). */
  hubToken: 'hub:token',
  /** Team hub: the address and the signed-in user ({@link HubSessionRecord}). */
  hubSession: 'hub:session',
  /** Team hub: the workspace's name and counties (`GET /v1/workspace`). */
  hubWorkspace: 'hub:workspace',
  /** Team hub: the ids of the layers the hub has (so a push carries the definitions of the others). */
  hubLayers: 'hub:layers',
  /** Team hub: features pulled that this store could not hold ({@link HubSkippedFeature}[]). */
  hubSkipped: 'hub:skipped',
  /** Team hub: the `layerJournal` sequence up to which every definition change was pushed (or refused). */
  hubDefinitionsPushedThrough: 'hub:definitions-pushed-through',
  /**
   * Team hub: the hub's version of each layer, target set and target this store holds, keyed
   * `layer:<id>` / `target-set:<id>` / `target:<id>` (and `layer-definition:<id>`: the version
   * inside the hub's definition), the base version of the next write (db/hub/definitions-push.ts).
   */
  hubDefinitionVersions: 'hub:definition-versions',
} as const;

/** The value of an `import-staging:<generation>` meta row. */
export interface ImportStagingRecord {
  layerId: string;
  generation: number;
  /** Names the import's liveness lock (staged-base.ts). */
  token: string;
  startedAt: string;
}

/**
 * A planning tile cut by the tiles worker, kept across starts (tile-cache.ts): derived data, never
 * backed up; `key` is `${layerId}/${z}/${x}/${y}`. Since version 8.
 */
export interface TileCacheRecord {
  key: string;
  bytes: Uint8Array;
}

/** What is known of a cached tile without reading its bytes: for lookups, invalidation and eviction. */
export interface TileCacheEntryRecord {
  key: string;
  layerId: string;
  /** The layer's base generation and definition version the tile was cut from. */
  generation: number;
  version: number;
  size: number;
  /** `Date.now()` of its last use: the least recently used go first past the size limit. */
  usedAt: number;
}

/**
 * Per layer, what its cached tiles reflect: its base `generation`, every edit row up to journal
 * sequence `cursor` and every layer change up to layer-journal sequence `layerCursor`; with the
 * generation's chunk ids and boxes, so a start does not read every chunk to find them.
 */
export interface TileCacheLayerRecord {
  layerId: string;
  /** `tileFormat` (shared/tiles/encode.ts) of the tiles kept: another drops them all. */
  format: number;
  generation: number;
  cursor: number;
  layerCursor: number;
  chunkIds: string[];
  chunkBoxes: BoundingBox[];
}
