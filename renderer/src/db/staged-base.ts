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
// Spatial order without holding the file: the features go to coarse Hilbert buckets
// (staged-bucketer.ts, pure) and each bucket is written as a chunk when full. A chunk covers one
// coarse cell (1/64 of the grid, or less when the data are clustered) — not the 1/1000 of a full
// sort, the price of bounded memory without rewriting everything; compaction repacks a layer.
//
// Staged chunks are invisible and safe: no `layerBases` record points at them; a meta row
// (`import-staging:<generation>`) says whose they are, so `removeStaleChunks` spares them and
// `removeAbandonedImports` (run at start) sweeps those of an import that is no longer running (a
// Web Lock held by the import says it is, or — without Web Locks, in Node — this context's
// registry); a backup leaves them out; a cancelled or failed import deletes them (`discard`).
import type { LayerDefinition, ValidationIssue } from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import type { BoundingBox, FeatureChunkRecord, ImportStagingRecord, LayerBaseRecord } from './records';
import { META_KEYS } from './records';
import { chunkId } from './base';
import { IdIndexCollector, writeChunks, writeIdIndex } from './chunk-filters';
import { importedFeature } from './imported-base';
import { checkFeature } from './validation';
import { randomId } from './identity';
import type { NewFeature } from './change/inputs';
import { deleteGeneration, holdLiveness, stagingKey } from './staging-sweep';
import { HilbertBucketer, type BucketerOptions, type StagedChunk } from './staged-bucketer';

export { DEFAULT_STAGING_BUFFER, DEFAULT_STAGING_CELL_ORDER } from './staged-bucketer';
export { readImportStagings, removeAbandonedImports } from './staging-sweep';

/** Chunks per staging write transaction. */
export const STAGING_CHUNKS_PER_TRANSACTION = 8;
/** Chunks waiting to be written at most before the reader is held back. */
export const DEFAULT_MAX_QUEUED_CHUNKS = 24;

export interface StagingOptions extends BucketerOptions {
  chunksPerTransaction?: number;
  /** Chunks queued for writing before {@link StagedImport.settle} waits (default {@link DEFAULT_MAX_QUEUED_CHUNKS}). */
  maxQueuedChunks?: number;
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
  /** The features waiting for their chunk, in Hilbert buckets. */
  private readonly bucketer: HilbertBucketer;
  private readonly queue: FeatureChunkRecord[] = [];
  /** The ids' hashes of the chunks written so far (≈ 10 bytes per id): the generation's id index once all are. */
  private readonly index = new IdIndexCollector();
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
    this.bucketer = new HilbertBucketer(options, (chunk) => this.pushRecord(chunk));
    this.perTransaction = options.chunksPerTransaction ?? STAGING_CHUNKS_PER_TRANSACTION;
    this.maxQueued = options.maxQueuedChunks ?? DEFAULT_MAX_QUEUED_CHUNKS;
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
    return this.bucketer.bufferedFeatures;
  }

  /** Features waiting in memory (buckets and write queue). */
  get heldFeatures(): number {
    return this.bucketer.bufferedFeatures + this.queuedFeatures;
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
    this.bucketer.add(feature);
    this.notePeak();
    return { issues, id: feature.id };
  }

  /** A refused feature: the import will write nothing, so stop holding and writing features. */
  private refuse(): void {
    this.problems += 1;
    this.bucketer.clear();
    this.queue.length = 0;
    this.queuedFeatures = 0;
  }

  private notePeak(): void {
    const held = this.heldFeatures;
    if (held > this.peakHeld) this.peakHeld = held;
  }

  private pushRecord(chunk: StagedChunk): void {
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
    const writing = database.transaction('rw', database.featureChunks, database.featureFilters, () => writeChunks(database, records, 'add', this.index)).then(
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
    this.bucketer.finish();
    await this.settle(0);
    const database = this.database;
    // The index of a staged generation no base points at: invisible until the switch-over, deleted
    // with the chunks if the import is discarded or abandoned (deleteGeneration). Written here, in
    // the worker, so the switch-over's transaction stays small.
    await database.transaction('rw', database.featureFilters, () => writeIdIndex(database, this.index));
    return new StagedLayerBase(WITNESS, {
      layer: this.layer,
      time: this.time,
      generation: this.generation,
      token: this.token,
      chunkCount: this.chunksMade,
      featureCount: this.added,
      bbox: this.added === 0 ? null : [...this.bucketer.extent],
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
    this.bucketer.clear();
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
