// An import into a NEW layer, streamed to disk: each feature is validated as its batch comes (the
// one feature validator, validation.ts, the same as transact's) and written — in chunks of ~1,000, each
// write its own small IndexedDB transaction, overlapping with the reading — into a STAGED chunk
// generation that no layer points at. Memory stays bounded whatever the size of the file: at most
// `bufferCap` features wait in buckets, plus the chunks queued for writing; for the whole file only
// the ids the file gave are kept (the duplicate check). Then ONE small `transact` change
// (`create-layer` with the {@link StagedLayerBase} this module alone makes) checks that the staged
// chunks are all there and switches over: the layer, its `layerBases` record and its one
// `layerJournal` record — undo/redo as for any imported layer.
//
// Spatial order without holding the file: until `bufferCap` features have come, they are only held
// (an import that small is packed at the end exactly as `packFeatures` packs it). At the cap, the
// features held give the staging grid: their extent with a margin (a far better sample than the
// first batch), positions outside it clamped to its edge. Each feature then goes to the bucket of
// its coarse Hilbert cell (`cellOrder`: 4^3 = 64 cells, so 64 buckets of < 1,000 stay under the
// 100,000 cap), a bucket is written as a chunk when it reaches the chunk size (sorted by the fine
// Hilbert index inside), the fullest buckets are written early if the buffer goes over the cap,
// and what is left at the end is sorted along the curve and cut into chunks. A chunk covers one
// coarse cell (1/64 of the grid, or less when the data are clustered) — not the 1/1000 of a full
// sort, the price of bounded memory without rewriting everything; compaction repacks a layer.
//
// Staged chunks are invisible and safe: no `layerBases` record points at them; a meta row
// (`import-staging:<generation>`) says whose they are, so `removeStaleChunks` spares them and
// `removeAbandonedImports` (run at start) sweeps those of an import that is no longer running (a
// Web Lock held by the import says it is, or — without Web Locks, in Node — this context's
// registry); a backup leaves them out; a cancelled or failed import deletes them (`discard`).
import type { Feature, LayerDefinition, ValidationIssue } from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import type { BoundingBox, FeatureChunkRecord, ImportStagingRecord, LayerBaseRecord } from './records';
import { META_KEYS } from './records';
import { chunkId } from './base';
import { importedFeature } from './imported-base';
import { checkFeature } from './validation';
import { randomId } from './identity';
import type { NewFeature } from './change/inputs';
import { DEFAULT_CHUNK_SIZE, emptyBoundingBox, geometryBoundingBox, hilbertIndex, HILBERT_ORDER, packFeatures, unionBoundingBoxes } from './spatial-packing';

/** Features waiting in buckets at most (≈100 MiB of points at most in Chromium). */
export const DEFAULT_STAGING_BUFFER = 100_000;
/** Coarse Hilbert cells of the staging grid: 4^3 = 64 buckets; 64 × 1,000 < the buffer cap. */
export const DEFAULT_STAGING_CELL_ORDER = 3;
/** Chunks per staging write transaction. */
export const STAGING_CHUNKS_PER_TRANSACTION = 8;
/** Chunks waiting to be written at most before the reader is held back. */
export const DEFAULT_MAX_QUEUED_CHUNKS = 24;
/** Chunk ids pad the sequence to 7 digits. */
const SEQUENCE_SPACE = 10_000_000;
/** Chunks deleted per transaction when a staging is discarded. */
const DELETE_CHUNKS_PER_TRANSACTION = 25;

export interface StagingOptions {
  chunkSize?: number;
  /** Features held in buckets at most (default {@link DEFAULT_STAGING_BUFFER}). */
  bufferCap?: number;
  /** Hilbert order of the bucket grid (default {@link DEFAULT_STAGING_CELL_ORDER}). */
  cellOrder?: number;
  chunksPerTransaction?: number;
  /** Chunks queued for writing before {@link StagedImport.settle} waits (default {@link DEFAULT_MAX_QUEUED_CHUNKS}). */
  maxQueuedChunks?: number;
}

// ---- liveness: is the import that staged a generation still running? ----

interface LockManagerLike {
  request(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => unknown): Promise<unknown>;
}

function lockManager(): LockManagerLike | undefined {
  return (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
}

/** Stagings of this JS context that are running (the fallback without Web Locks). */
const running = new Set<string>();

const lockName = (database: OneMapDatabase, token: string) => `onemap-import-staging:${database.name}:${token}`;

/** Holds the import's lock until the returned function is called. */
async function holdLiveness(database: OneMapDatabase, token: string): Promise<() => void> {
  const name = lockName(database, token);
  running.add(name);
  const manager = lockManager();
  let release: () => void = () => undefined;
  if (manager !== undefined) {
    const held = new Promise<void>((resolve) => (release = resolve));
    await new Promise<void>((acquired, failed) => {
      manager.request(name, {}, () => {
        acquired();
        return held;
      }).catch(failed);
    });
  }
  return () => {
    running.delete(name);
    release();
  };
}

async function isRunning(database: OneMapDatabase, token: string): Promise<boolean> {
  const name = lockName(database, token);
  if (running.has(name)) return true;
  const manager = lockManager();
  if (manager === undefined) return false;
  return (await manager.request(name, { ifAvailable: true }, (lock) => lock === null)) === true;
}

const stagingKey = (generation: number) => `${META_KEYS.importStagingPrefix}${generation}`;

/** Deletes the chunks of one layer generation, a few per transaction. */
async function deleteGeneration(database: OneMapDatabase, layerId: string, generation: number): Promise<number> {
  let removed = 0;
  for (;;) {
    const keys = await database.transaction('rw', database.featureChunks, async () => {
      const found = await database.featureChunks.where('[layerId+generation]').equals([layerId, generation]).limit(DELETE_CHUNKS_PER_TRANSACTION).primaryKeys();
      if (found.length > 0) await database.featureChunks.bulkDelete(found);
      return found;
    });
    if (keys.length === 0) return removed;
    removed += keys.length;
  }
}

/** Staging records (meta rows) of all imports, running or not. */
export async function readImportStagings(database: OneMapDatabase): Promise<ImportStagingRecord[]> {
  const rows = await database.meta.where('key').startsWith(META_KEYS.importStagingPrefix).toArray();
  return rows.map((row) => row.value as ImportStagingRecord);
}

/**
 * Removes the staged chunks (and staging records) of imports that are no longer running — left by
 * a crash or a closed window mid-import. Run at start; cheap when there are none. Returns the
 * number of chunks removed.
 */
export async function removeAbandonedImports(database: OneMapDatabase): Promise<number> {
  let removed = 0;
  for (const staging of await readImportStagings(database)) {
    if (await isRunning(database, staging.token)) continue;
    removed += await deleteGeneration(database, staging.layerId, staging.generation);
    await database.transaction('rw', database.meta, () => database.meta.delete(stagingKey(staging.generation)));
  }
  return removed;
}

// ---- the staged base handed to transact ----

const genuine = new WeakSet<object>();
/** Only this module has it: no other module can make a {@link StagedLayerBase}. */
const WITNESS: unique symbol = Symbol('staged-layer-base');

interface StagedBaseFields {
  layer: LayerDefinition;
  time: string;
  generation: number;
  token: string;
  chunkCount: number;
  featureCount: number;
  bbox: BoundingBox | null;
}

/**
 * What `transact` needs to switch a staged import over: made only by {@link StagedImport.finish},
 * after every feature was validated against `layer` at `time` and every chunk written.
 */
export class StagedLayerBase {
  readonly layer: LayerDefinition;
  readonly time: string;
  readonly generation: number;
  readonly token: string;
  readonly chunkCount: number;
  readonly featureCount: number;
  readonly bbox: BoundingBox | null;

  constructor(witness: typeof WITNESS, fields: StagedBaseFields) {
    if (witness !== WITNESS) throw new Error('a staged base is made by the import only');
    this.layer = fields.layer;
    this.time = fields.time;
    this.generation = fields.generation;
    this.token = fields.token;
    this.chunkCount = fields.chunkCount;
    this.featureCount = fields.featureCount;
    this.bbox = fields.bbox;
    genuine.add(Object.freeze(this));
  }

  /** The `layerBases` record the switch-over writes. */
  record(): LayerBaseRecord {
    return { layerId: this.layer.id, generation: this.generation, chunkCount: this.chunkCount, featureCount: this.featureCount, bbox: this.bbox === null ? null : [...this.bbox], seedVersion: null, foldedDeletions: [] };
  }
}

/** True only for a descriptor made by {@link StagedImport.finish} (not a look-alike). */
export function isStagedLayerBase(value: unknown): value is StagedLayerBase {
  return typeof value === 'object' && value !== null && genuine.has(value);
}

/**
 * Run inside transact's transaction: checks that the staging is this import's and complete, then
 * writes the base record and ends the staging. Returns the record, or the issue that refuses it.
 */
export async function switchOverStagedBase(database: OneMapDatabase, base: StagedLayerBase): Promise<LayerBaseRecord | string> {
  const row = await database.meta.get(stagingKey(base.generation));
  const staging = row?.value as ImportStagingRecord | undefined;
  if (staging === undefined || staging.token !== base.token || staging.layerId !== base.layer.id) return 'the staged import is gone (swept or restored over)';
  const chunks = await database.featureChunks.where('[layerId+generation]').equals([base.layer.id, base.generation]).count();
  if (chunks !== base.chunkCount) return `the staged base has ${chunks} of its ${base.chunkCount} chunks`;
  const record = base.record();
  await database.layerBases.add(record);
  await database.meta.delete(stagingKey(base.generation));
  return record;
}

// ---- the staging itself ----

interface Entry {
  feature: Feature;
  /** Fine Hilbert index on the staging grid. */
  key: number;
}

interface Grid {
  west: number;
  south: number;
  width: number;
  height: number;
}

/** The entries in Hilbert order, ties in the order they came; sorted through typed arrays (fast). */
function sortedByKey(entries: readonly Entry[]): Entry[] {
  const count = entries.length;
  const keys = new Float64Array(count);
  const order = new Uint32Array(count);
  for (let index = 0; index < count; index += 1) {
    keys[index] = (entries[index] as Entry).key;
    order[index] = index;
  }
  order.sort((left, right) => {
    const leftKey = keys[left]!;
    const rightKey = keys[right]!;
    // -1/1, not the difference: keys reach 2^32, a difference that large is a heap number per call.
    if (leftKey !== rightKey) return leftKey < rightKey ? -1 : 1;
    // Ties (features at one spot) in the order they came: deterministic for a given file, and no
    // string comparison of ids — measured: ids compared on 28 % of the comparisons of the B1 points
    // doubled the staging's CPU time.
    return left - right;
  });
  const sorted: Entry[] = new Array<Entry>(count);
  for (let index = 0; index < count; index += 1) sorted[index] = entries[order[index]!] as Entry;
  return sorted;
}

/**
 * A new layer's features being validated and written to a staged generation. Start with
 * {@link StagedImport.start}; {@link add} each feature; {@link settle} between batches (holds the
 * reader back while too many chunks wait); {@link finish} for the descriptor to give `transact`;
 * {@link discard} on cancel or failure; {@link release} after the switch-over.
 */
export class StagedImport {
  private readonly givenIds = new Map<string, number>();
  private problems = 0;
  private added = 0;
  private readonly extent: BoundingBox = emptyBoundingBox();
  /** Until the buffer first fills: all features, in order. */
  private held: Feature[] | null = [];
  private grid: Grid | null = null;
  private readonly buckets = new Map<number, Entry[]>();
  private buffered = 0;
  private readonly nextInCell = new Map<number, number>();
  private readonly queue: FeatureChunkRecord[] = [];
  private queuedFeatures = 0;
  private writing: Promise<void> | null = null;
  private failure: unknown = null;
  private chunksMade = 0;
  private finished = false;
  private closed = false;
  /** Whether the generation counter existed before {@link start} (a discard puts it back as it was). */
  private hadCounter = true;
  /** Chunks and features written so far. */
  writtenChunks = 0;
  writtenFeatures = 0;
  /** Most features held (buffer and write queue) at any time: the memory bound, for tests. */
  peakHeld = 0;
  private readonly chunkSize: number;
  private readonly bufferCap: number;
  private readonly cellOrder: number;
  private readonly perTransaction: number;
  private readonly maxQueued: number;

  private constructor(
    private readonly database: OneMapDatabase,
    readonly layer: LayerDefinition,
    readonly time: string,
    readonly generation: number,
    private readonly token: string,
    private readonly releaseLiveness: () => void,
    options: StagingOptions,
  ) {
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.bufferCap = Math.max(options.bufferCap ?? DEFAULT_STAGING_BUFFER, this.chunkSize);
    this.cellOrder = options.cellOrder ?? DEFAULT_STAGING_CELL_ORDER;
    this.perTransaction = options.chunksPerTransaction ?? STAGING_CHUNKS_PER_TRANSACTION;
    this.maxQueued = options.maxQueuedChunks ?? DEFAULT_MAX_QUEUED_CHUNKS;
    if (!(this.cellOrder >= 0 && this.cellOrder <= 8)) throw new RangeError('cellOrder must be 0…8');
  }

  /**
   * Allocates a generation and records the staging (one small transaction), the import's
   * liveness held first so a sweep never takes it for abandoned.
   */
  static async start(database: OneMapDatabase, layer: LayerDefinition, time: string, options: StagingOptions = {}): Promise<StagedImport> {
    const token = randomId();
    const release = await holdLiveness(database, token);
    try {
      let hadCounter = false;
      const generation = await database.transaction('rw', database.meta, async () => {
        const last = await database.meta.get(META_KEYS.lastGeneration);
        hadCounter = last !== undefined;
        const next = (typeof last?.value === 'number' ? last.value : 0) + 1;
        const staging: ImportStagingRecord = { layerId: layer.id, generation: next, token, startedAt: new Date().toISOString() };
        await database.meta.bulkPut([
          { key: META_KEYS.lastGeneration, value: next },
          { key: stagingKey(next), value: staging },
        ]);
        return next;
      });
      const staged = new StagedImport(database, layer, time, generation, token, release, options);
      staged.hadCounter = hadCounter;
      return staged;
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Valid features added. */
  get count(): number {
    return this.added;
  }

  /** True once a feature was refused: nothing more is staged, {@link finish} refuses. */
  get invalid(): boolean {
    return this.problems > 0;
  }

  /** Features waiting in the buffer (held or in buckets; not yet in a chunk). */
  get bufferedFeatures(): number {
    return (this.held?.length ?? 0) + this.buffered;
  }

  /** Features waiting in memory (buckets and write queue). */
  get heldFeatures(): number {
    return (this.held?.length ?? 0) + this.buffered + this.queuedFeatures;
  }

  /**
   * Validates the feature exactly as `ImportedLayerBase.add` does and, if the import is still
   * clean, stages it. `duplicateOf` is the `position` of an earlier feature with the same id.
   */
  add(input: NewFeature, position?: number): { issues: ValidationIssue[]; duplicateOf?: number; id: string } {
    if (this.finished || this.closed) throw new Error('this staged import is finished');
    const feature = importedFeature(this.layer, this.time, input);
    const issues = checkFeature(this.layer, feature);
    const previous = input.id === undefined ? undefined : this.givenIds.get(input.id);
    if (previous !== undefined) {
      this.refuse();
      return { issues, duplicateOf: previous, id: feature.id };
    }
    if (issues.length > 0) {
      this.refuse();
      return { issues, id: feature.id };
    }
    if (input.id !== undefined) this.givenIds.set(input.id, position ?? this.added);
    this.added += 1;
    if (this.problems > 0) return { issues, id: feature.id };
    const box = geometryBoundingBox(feature.geometry);
    unionBoundingBoxes(this.extent, box);
    if (this.held !== null) {
      this.held.push(feature);
      if (this.held.length >= this.bufferCap) this.spill();
    } else this.bucket({ feature, key: this.keyOf(box) });
    this.notePeak();
    return { issues, id: feature.id };
  }

  /** A refused feature: the import will write nothing, so stop holding and writing features. */
  private refuse(): void {
    this.problems += 1;
    this.held = null;
    this.buckets.clear();
    this.buffered = 0;
    this.queue.length = 0;
    this.queuedFeatures = 0;
  }

  private notePeak(): void {
    const held = this.heldFeatures;
    if (held > this.peakHeld) this.peakHeld = held;
  }

  /** The first time the buffer is full: the grid from what it holds, then everything into buckets. */
  private spill(): void {
    const held = this.held ?? [];
    this.held = null;
    const [west, south, east, north] = this.extent;
    const marginX = Math.max((east - west) * 0.05, 1e-6);
    const marginY = Math.max((north - south) * 0.05, 1e-6);
    this.grid = { west: west - marginX, south: south - marginY, width: east - west + 2 * marginX, height: north - south + 2 * marginY };
    for (const feature of held) this.bucket({ feature, key: this.keyOf(geometryBoundingBox(feature.geometry)) });
  }

  private keyOf(box: BoundingBox): number {
    const grid = this.grid as Grid;
    const cells = 2 ** HILBERT_ORDER - 1;
    const clamp = (value: number) => (value < 0 ? 0 : value > cells ? cells : value);
    const cellX = clamp(Math.round((((box[0] + box[2]) / 2 - grid.west) / grid.width) * cells));
    const cellY = clamp(Math.round((((box[1] + box[3]) / 2 - grid.south) / grid.height) * cells));
    return hilbertIndex(cellX, cellY);
  }

  private cellOf(key: number): number {
    return Math.floor(key / 4 ** (HILBERT_ORDER - this.cellOrder));
  }

  private bucket(entry: Entry): void {
    const cell = this.cellOf(entry.key);
    let list = this.buckets.get(cell);
    if (list === undefined) {
      list = [];
      this.buckets.set(cell, list);
    }
    list.push(entry);
    this.buffered += 1;
    if (list.length >= this.chunkSize) this.flushBucket(cell);
    while (this.buffered > this.bufferCap) {
      let fullest = -1;
      let size = 0;
      for (const [candidate, entries] of this.buckets) {
        if (entries.length > size) {
          size = entries.length;
          fullest = candidate;
        }
      }
      this.flushBucket(fullest);
    }
  }

  private flushBucket(cell: number): void {
    const entries = this.buckets.get(cell) ?? [];
    this.buckets.delete(cell);
    this.buffered -= entries.length;
    this.enqueue(sortedByKey(entries), this.cellSequence(cell));
  }

  private cellSequence(cell: number): number {
    const stride = Math.floor(SEQUENCE_SPACE / 4 ** this.cellOrder);
    const next = this.nextInCell.get(cell) ?? 0;
    if (next >= stride) throw new RangeError(`more than ${stride} chunks in one staging cell`);
    this.nextInCell.set(cell, next + 1);
    return cell * stride + next;
  }

  /** Entries in Hilbert order → one chunk record, queued for writing. */
  private enqueue(entries: readonly Entry[], sequence: number): void {
    const bbox = emptyBoundingBox();
    const features: Feature[] = [];
    const featureIds: string[] = [];
    for (const { feature } of entries) {
      unionBoundingBoxes(bbox, geometryBoundingBox(feature.geometry));
      features.push(feature);
      featureIds.push(feature.id);
    }
    this.pushRecord({ sequence, bbox, hilbertFirst: (entries[0] as Entry).key, hilbertLast: (entries[entries.length - 1] as Entry).key, featureIds, features });
  }

  private pushRecord(chunk: Pick<FeatureChunkRecord, 'sequence' | 'bbox' | 'hilbertFirst' | 'hilbertLast' | 'featureIds' | 'features'>): void {
    const layerId = this.layer.id;
    this.queue.push({ id: chunkId(layerId, this.generation, chunk.sequence), layerId, generation: this.generation, ...chunk, userFeatureIds: [] });
    this.queuedFeatures += chunk.features.length;
    this.chunksMade += 1;
    this.pump();
  }

  /** Writes the queued chunks, a few per transaction, one transaction at a time. */
  private pump(): void {
    if (this.writing !== null || this.queue.length === 0 || this.failure !== null || this.closed) return;
    const records = this.queue.splice(0, this.perTransaction);
    for (const record of records) this.queuedFeatures -= record.features.length;
    const database = this.database;
    const writing = database.transaction('rw', database.featureChunks, () => database.featureChunks.bulkAdd(records)).then(
      () => {
        this.writtenChunks += records.length;
        for (const record of records) this.writtenFeatures += record.features.length;
      },
      (error: unknown) => {
        this.failure ??= error;
      },
    );
    this.writing = writing;
    void writing.then(() => {
      this.writing = null;
      this.pump();
    });
  }

  /** Waits until at most `maxQueued` chunks wait to be written (0: all written); throws a write's failure. */
  async settle(maxQueued: number = this.maxQueued): Promise<void> {
    for (;;) {
      if (this.failure !== null) throw this.failure;
      if (this.queue.length <= maxQueued && (maxQueued > 0 || this.writing === null)) return;
      if (this.writing === null) this.pump();
      const writing = this.writing;
      if (writing === null) return;
      await writing;
      // Let the `.then` that starts the next write run first.
      await Promise.resolve();
    }
  }

  /**
   * Stages what is still held and waits for every write; returns the descriptor for the
   * switch-over. An import that never filled the buffer is packed exactly as `packFeatures` does.
   */
  async finish(): Promise<StagedLayerBase> {
    if (this.problems > 0) throw new Error('this staged import holds refused features');
    if (this.finished) throw new Error('this staged import is finished');
    this.finished = true;
    if (this.held !== null) {
      const packed = packFeatures(this.held, this.chunkSize);
      this.held = null;
      for (const chunk of packed.chunks) this.pushRecord(chunk);
    } else {
      const all: Entry[] = [];
      for (const entries of this.buckets.values()) for (const entry of entries) all.push(entry);
      this.buckets.clear();
      this.buffered = 0;
      const rest = sortedByKey(all);
      for (let start = 0; start < rest.length; start += this.chunkSize) {
        const entries = rest.slice(start, start + this.chunkSize);
        this.enqueue(entries, this.cellSequence(this.cellOf((entries[0] as Entry).key)));
      }
    }
    await this.settle(0);
    return new StagedLayerBase(WITNESS, {
      layer: this.layer,
      time: this.time,
      generation: this.generation,
      token: this.token,
      chunkCount: this.chunksMade,
      featureCount: this.added,
      bbox: this.added === 0 ? null : [...this.extent],
    });
  }

  /** Chunks written so far, of how many made (progress of {@link finish}). */
  get progress(): { written: number; made: number } {
    return { written: this.writtenChunks, made: this.chunksMade };
  }

  /**
   * Cancel or failure: stops writing, deletes the staged chunks (small transactions) and the
   * staging record — every table as before the import (but the generation counter).
   */
  async discard(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.held = null;
    this.buckets.clear();
    this.buffered = 0;
    this.queue.length = 0;
    this.queuedFeatures = 0;
    try {
      while (this.writing !== null) await this.writing;
      await deleteGeneration(this.database, this.layer.id, this.generation);
      const database = this.database;
      await database.transaction('rw', database.meta, async () => {
        await database.meta.delete(stagingKey(this.generation));
        // No base ever pointed at this generation: if it is still the last one, give it back, so
        // the store is exactly as before the import.
        const last = await database.meta.get(META_KEYS.lastGeneration);
        if (last?.value !== this.generation) return;
        if (this.hadCounter) await database.meta.put({ key: META_KEYS.lastGeneration, value: this.generation - 1 });
        else await database.meta.delete(META_KEYS.lastGeneration);
      });
    } finally {
      this.releaseLiveness();
    }
  }

  /** After the switch-over committed (the staging record went with it). */
  release(): void {
    this.closed = true;
    this.releaseLiveness();
  }
}
