// The packed base of a layer: writing a new chunk generation, switching to it, reading it, and
// finding a base feature by id. Used by seed.ts, compaction.ts, transact.ts and repositories.ts.
import type { Feature } from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import type { FeatureChunkRecord, FeatureEditRecord, ImportStagingRecord, LayerBaseRecord } from './records';
import { META_KEYS } from './records';
import type { PackedLayer } from './spatial-packing';
import { candidateChunks, chunkId, deleteGenerationRange, IdIndexCollector, writeChunks, writeIdIndex } from './chunk-filters';

/** Chunks written per IndexedDB transaction while staging a generation (measured, see report). */
export const DEFAULT_CHUNKS_PER_TRANSACTION = 20;

export { chunkId } from './chunk-filters';

/** A packed chunk as stored in `featureChunks` under its layer and generation. */
export function chunkRecord(layerId: string, generation: number, chunk: PackedLayer['chunks'][number], userFeatureIds: string[] = []): FeatureChunkRecord {
  return {
    id: chunkId(layerId, generation, chunk.sequence),
    layerId,
    generation,
    sequence: chunk.sequence,
    bbox: chunk.bbox,
    hilbertFirst: chunk.hilbertFirst,
    hilbertLast: chunk.hilbertLast,
    featureIds: chunk.featureIds,
    features: chunk.features,
    userFeatureIds,
  };
}

/** A new store-wide generation number; never reused, even if the write it was for is abandoned. */
export async function allocateGeneration(database: OneMapDatabase): Promise<number> {
  return database.transaction('rw', database.meta, async () => {
    const last = await database.meta.get(META_KEYS.lastGeneration);
    const next = (typeof last?.value === 'number' ? last.value : 0) + 1;
    await database.meta.put({ key: META_KEYS.lastGeneration, value: next });
    return next;
  });
}

/**
 * Writes a packed layer as chunk records of a fresh generation, a few chunks per transaction so
 * a million features never sit in one transaction. The layer does not see them until
 * the caller puts a {@link layerBaseFor} record pointing at it; chunks of an abandoned write are removed
 * by {@link removeStaleChunks}.
 */
export async function stageGeneration(
  database: OneMapDatabase,
  layerId: string,
  packed: PackedLayer,
  options: { userFeatureIds?: ReadonlySet<string>; chunksPerTransaction?: number } = {},
): Promise<number> {
  const generation = await allocateGeneration(database);
  const perTransaction = options.chunksPerTransaction ?? DEFAULT_CHUNKS_PER_TRANSACTION;
  const userIds = options.userFeatureIds;
  const index = new IdIndexCollector();
  for (let start = 0; start < packed.chunks.length; start += perTransaction) {
    const records: FeatureChunkRecord[] = packed.chunks
      .slice(start, start + perTransaction)
      .map((chunk) => chunkRecord(layerId, generation, chunk, userIds === undefined || userIds.size === 0 ? [] : chunk.featureIds.filter((id) => userIds.has(id))));
    const last = start + perTransaction >= packed.chunks.length;
    await database.transaction('rw', database.featureChunks, database.featureFilters, async () => {
      await writeChunks(database, records, 'put', index);
      // The generation is complete with this write: its id index goes with it.
      if (last) await writeIdIndex(database, index);
    });
  }
  return generation;
}

/** The base record that points a layer at a staged generation. */
export function layerBaseFor(
  layerId: string,
  generation: number,
  packed: PackedLayer,
  provenance: { seedVersion: string | null; foldedDeletions: string[] },
): LayerBaseRecord {
  return {
    layerId,
    generation,
    chunkCount: packed.chunks.length,
    featureCount: packed.featureCount,
    bbox: packed.bbox,
    seedVersion: provenance.seedVersion,
    foldedDeletions: provenance.foldedDeletions,
  };
}

/**
 * Deletes the chunks of a layer that belong to no current generation (old or abandoned). The base
 * of an imported layer whose import was undone is kept while redo can bring it back (its
 * `layerJournal` record's last word is the `remove-layer` that kept it); so are the chunks an
 * import is staging (an `import-staging:` meta row names their generation — `removeAbandonedImports`
 * in staged-base.ts sweeps those of an import that is no longer running).
 */
export async function removeStaleChunks(database: OneMapDatabase, layerId: string): Promise<number> {
  return database.transaction('rw', [database.layerBases, database.featureChunks, database.featureFilters, database.layerJournal, database.meta], async () => {
    const base = await database.layerBases.get(layerId);
    const keep = new Set<number>();
    for (const row of await database.meta.where('key').startsWith(META_KEYS.importStagingPrefix).toArray()) {
      const staging = row.value as ImportStagingRecord;
      if (staging.layerId === layerId) keep.add(staging.generation);
    }
    if (base !== undefined) keep.add(base.generation);
    else {
      const last = await database.layerJournal.where('layerId').equals(layerId).last();
      if (last?.operation === 'remove-layer' && last.removed?.base) keep.add(last.removed.base.generation);
    }
    let removed = 0;
    let from = -Infinity;
    let includeFrom = true;
    for (const generation of [...keep].sort((left, right) => left - right)) {
      removed += await deleteGenerationRange(database, layerId, from, generation, includeFrom, false);
      from = generation;
      includeFrom = false;
    }
    removed += await deleteGenerationRange(database, layerId, from, Infinity, includeFrom, true);
    return removed;
  });
}

// An id → chunk directory per layer generation, built while a layer is read whole (readBaseChunks)
// and kept for the life of the database object: lookups then need no filter. Generations are
// immutable, so it never goes stale; a new generation simply gets a new directory.
const directories = new WeakMap<OneMapDatabase, Map<string, Map<string, string>>>();

function directoryKey(layerId: string, generation: number): string {
  return `${layerId}@${generation}`;
}

export function rememberChunkDirectory(database: OneMapDatabase, chunks: readonly FeatureChunkRecord[]): void {
  const first = chunks[0];
  if (first === undefined) return;
  let perDatabase = directories.get(database);
  if (perDatabase === undefined) {
    perDatabase = new Map();
    directories.set(database, perDatabase);
  }
  const key = directoryKey(first.layerId, first.generation);
  if (perDatabase.has(key)) return;
  const directory = new Map<string, string>();
  for (const chunk of chunks) for (const id of chunk.featureIds) directory.set(id, chunk.id);
  perDatabase.set(key, directory);
}

function locateInDirectory(directory: ReadonlyMap<string, string>, featureIds: readonly string[]): Map<string, string[]> {
  const idsByChunk = new Map<string, string[]>();
  for (const featureId of featureIds) {
    const chunk = directory.get(featureId);
    if (chunk === undefined) continue;
    const list = idsByChunk.get(chunk);
    if (list === undefined) idsByChunk.set(chunk, [featureId]);
    else list.push(featureId);
  }
  return idsByChunk;
}

/** Must run inside a transaction that includes `featureChunks` (or none). */
export async function readBaseChunks(database: OneMapDatabase, base: LayerBaseRecord | undefined): Promise<FeatureChunkRecord[]> {
  if (base === undefined) return [];
  // Equal index keys are ordered by primary key, and chunk ids carry the zero-padded sequence:
  // this is Hilbert order without a sort.
  const chunks = await database.featureChunks.where('[layerId+generation]').equals([base.layerId, base.generation]).toArray();
  rememberChunkDirectory(database, chunks);
  return chunks;
}

/**
 * Base features by id (those not in the base are absent from the result). Reads only the chunks
 * that may hold them: by the directory if the layer was read whole, else by the generation's id
 * index (one bucket row), or the chunks' id filters without it (chunk-filters.ts). Must run inside a transaction that includes `featureChunks`,
 * `featureFilters` and `layerBases`, or none.
 */
export async function findBaseFeatures(
  database: OneMapDatabase,
  layerId: string,
  featureIds: readonly string[],
): Promise<Map<string, Feature>> {
  const found = new Map<string, Feature>();
  const base = await database.layerBases.get(layerId);
  if (base === undefined || featureIds.length === 0) return found;
  const directory = directories.get(database)?.get(directoryKey(layerId, base.generation));
  const idsByChunk = directory === undefined ? await candidateChunks(database, base, featureIds) : locateInDirectory(directory, featureIds);
  const chunkIds = [...idsByChunk.keys()];
  const chunks = await database.featureChunks.bulkGet(chunkIds);
  chunks.forEach((chunk, index) => {
    if (chunk === undefined) return;
    for (const featureId of idsByChunk.get(chunkIds[index] as string) ?? []) {
      const position = chunk.featureIds.indexOf(featureId);
      const feature = chunk.features[position];
      if (position >= 0 && feature !== undefined) found.set(featureId, feature);
    }
  });
  return found;
}

/**
 * The current value (edit row over base) of features by id: `null` when deleted or unknown.
 * Also returns the edit rows found, so callers can continue a tombstone's revision.
 * Must run inside a transaction over `featureEdits`, `featureChunks`, `featureFilters` and
 * `layerBases`, or none.
 */
export async function readCurrentFeatures(
  database: OneMapDatabase,
  layerId: string,
  featureIds: readonly string[],
): Promise<{ features: Map<string, Feature | null>; edits: Map<string, FeatureEditRecord> }> {
  const editRows = await database.featureEdits.bulkGet(featureIds.map((featureId) => [layerId, featureId] as [string, string]));
  const features = new Map<string, Feature | null>();
  const edits = new Map<string, FeatureEditRecord>();
  const missing: string[] = [];
  featureIds.forEach((featureId, index) => {
    const edit = editRows[index];
    if (edit === undefined) missing.push(featureId);
    else {
      edits.set(featureId, edit);
      features.set(featureId, edit.feature);
    }
  });
  const fromBase = await findBaseFeatures(database, layerId, missing);
  for (const featureId of missing) features.set(featureId, fromBase.get(featureId) ?? null);
  return { features, edits };
}
