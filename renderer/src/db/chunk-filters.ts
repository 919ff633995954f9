// Finding a base feature by id without reading every chunk of its layer. Two structures, both in
// table `featureFilters` and both derived from the chunks (backups leave them out, a restore
// rebuilds them):
//
// - the generation's exact id index (schema version 7; shared/lookup/id-index.ts): buckets of
//   (hash, chunk) pairs under `${layerId}:${generation}#<bucket>`, ≈ 4,096 ids (≈ 32 KB) each.
//   A first lookup reads ONE bucket row and then the chunk(s) it names — not a row per chunk, not
//   one row with every chunk's filter (the version 6 pack: 2.4 MiB at 1,000,000 ids, ≈ 45 ms);
// - each chunk's Bloom filter of its ids (schema version 6), under the chunk's id: the fallback for
//   a generation whose index is missing or unreadable (a lookup then reads the generation's
//   filter rows and the chunks whose filter says "maybe"; ≈ 0.007 % false positives each).
//
// Every writer of chunks writes their filters in the same transaction (writeChunks) and collects
// their ids' hashes (IdIndexCollector, one hash per id serves both); once a generation is complete
// its writer writes the index (writeIdIndex). Every deleter deletes filters and index with the
// chunks (deleteChunks, deleteGenerationRange on the `[layerId+generation]` index). A chunk found
// without a filter (should not happen) is read on every fallback lookup: slower, still correct.
import { BloomFilter, BloomFilterFormatError, checkIdIndexBucket, hashId, IdIndexBuilder, idIndexBucketCount, idIndexBucketOf, IdIndexFormatError, searchIdIndexBucket, type IdHash } from '../../../shared/lookup';
import type { OneMapDatabase } from './schema';
import type { FeatureChunkRecord, FeatureFilterPackRecord, FeatureFilterRecord, FeatureIdIndexRecord, LayerBaseRecord } from './records';

/** What every chunk id of a layer generation starts with (layer ids are slugs: no ':' in them). */
export function chunkIdPrefix(layerId: string, generation: number): string {
  return `${layerId}:${generation}:`;
}

/** The id of a chunk: every writer names chunks so (transact, staged-base, stageGeneration, backup restore). */
export function chunkId(layerId: string, generation: number, sequence: number): string {
  return `${chunkIdPrefix(layerId, generation)}${String(sequence).padStart(7, '0')}`;
}

/** The key of one bucket of a generation's id index: outside its chunks' id range (':' vs '#'). */
export const idIndexRowId = (layerId: string, generation: number, bucket: number): string => `${layerId}:${generation}#${bucket}`;

export function isIdIndexRecord(row: FeatureFilterRecord | FeatureIdIndexRecord | FeatureFilterPackRecord): row is FeatureIdIndexRecord {
  return 'hashes' in row;
}

/** A per-chunk filter row (not an index bucket, not a version 6 pack). */
export function isChunkFilterRecord(row: FeatureFilterRecord | FeatureIdIndexRecord | FeatureFilterPackRecord): row is FeatureFilterRecord {
  return 'filter' in row && !('chunkIds' in row);
}

interface GenerationCollector {
  layerId: string;
  generation: number;
  builder: IdIndexBuilder;
  /** A chunk whose id is not `chunkId(layerId, generation, sequence)`: no index for this generation. */
  misnamed: string | null;
}

/**
 * The ids' hashes of the chunks written, by generation, to build each generation's id index once
 * all its chunks are written (≈ 10 bytes per id held).
 */
export class IdIndexCollector {
  private readonly generations = new Map<string, GenerationCollector>();

  add(chunk: Pick<FeatureChunkRecord, 'id' | 'layerId' | 'generation' | 'sequence'>, hashes: readonly IdHash[]): void {
    const key = `${chunk.layerId}\u0000${chunk.generation}`;
    let entry = this.generations.get(key);
    if (entry === undefined) {
      entry = { layerId: chunk.layerId, generation: chunk.generation, builder: new IdIndexBuilder(), misnamed: null };
      this.generations.set(key, entry);
    }
    if (chunk.id !== chunkId(chunk.layerId, chunk.generation, chunk.sequence)) entry.misnamed ??= chunk.id;
    else entry.builder.addChunk(chunk.sequence, hashes);
  }

  /** Every bucket of every complete generation collected. */
  records(): FeatureIdIndexRecord[] {
    const records: FeatureIdIndexRecord[] = [];
    for (const { layerId, generation, builder, misnamed } of this.generations.values()) {
      if (misnamed !== null) {
        console.warn(`[store] chunk ${misnamed} is not named by its sequence: generation ${generation} of layer ${layerId} gets no id index (lookups use the chunk filters)`);
        continue;
      }
      const chunkCount = builder.chunkCount;
      for (const bucket of builder.build(idIndexBucketCount(chunkCount))) records.push({ id: idIndexRowId(layerId, generation, bucket.bucket), layerId, generation, chunkCount, ...bucket });
    }
    return records;
  }
}

/** The filter row of a chunk; its ids' hashes also go to `index` if given (hashed once for both). */
export function filterRecordOf(chunk: Pick<FeatureChunkRecord, 'id' | 'layerId' | 'generation' | 'sequence' | 'featureIds'>, index?: IdIndexCollector): FeatureFilterRecord {
  const hashes = chunk.featureIds.map(hashId);
  const filter = BloomFilter.forCount(hashes.length);
  for (const hash of hashes) filter.addHash(hash);
  index?.add(chunk, hashes);
  return { id: chunk.id, layerId: chunk.layerId, generation: chunk.generation, filter: filter.toBinaryString() };
}

export const packId = (layerId: string, generation: number): string => `${layerId}:${generation}`;

/** Schema version 6's pack rows (its upgrade still writes them; version 7 deletes them). */
export function packsOf(filters: readonly FeatureFilterRecord[]): FeatureFilterPackRecord[] {
  const packs = new Map<string, FeatureFilterPackRecord>();
  for (const row of filters) {
    const id = packId(row.layerId, row.generation);
    let pack = packs.get(id);
    if (pack === undefined) {
      pack = { id, layerId: row.layerId, generation: row.generation, chunkIds: [], filters: [] };
      packs.set(id, pack);
    }
    pack.chunkIds.push(row.id);
    pack.filters.push(row.filter);
  }
  return [...packs.values()];
}

/**
 * Writes chunks and their filters, and adds their ids' hashes to `index`. Must run inside a
 * read-write transaction over `featureChunks` and `featureFilters` (the caller's, so both commit
 * or neither does).
 */
export async function writeChunks(database: OneMapDatabase, records: readonly FeatureChunkRecord[], mode: 'add' | 'put', index?: IdIndexCollector): Promise<void> {
  const filters = records.map((record) => filterRecordOf(record, index));
  if (mode === 'add') await Promise.all([database.featureChunks.bulkAdd(records), database.featureFilters.bulkAdd(filters)]);
  else await Promise.all([database.featureChunks.bulkPut(records), database.featureFilters.bulkPut(filters)]);
}

/**
 * Writes the id index of the generation(s) collected, all of whose chunks must be written. Inside
 * a transaction over `featureFilters` (the one that completes or switches to the generation), or none.
 */
export async function writeIdIndex(database: OneMapDatabase, index: IdIndexCollector): Promise<void> {
  const records = index.records();
  if (records.length > 0) await database.featureFilters.bulkPut(records);
}

/** Deletes chunks and their filters by chunk id. Same transaction rule as {@link writeChunks}. */
export async function deleteChunks(database: OneMapDatabase, chunkIds: string[]): Promise<void> {
  await Promise.all([database.featureChunks.bulkDelete(chunkIds), database.featureFilters.bulkDelete(chunkIds)]);
}

/**
 * Deletes the chunks and filters of a layer's generations between `from` and `to` (on the
 * `[layerId+generation]` index of both tables); returns the chunks deleted. Same transaction rule.
 */
export async function deleteGenerationRange(database: OneMapDatabase, layerId: string, from: number, to: number, includeFrom: boolean, includeTo: boolean): Promise<number> {
  const [removed] = await Promise.all([
    database.featureChunks.where('[layerId+generation]').between([layerId, from], [layerId, to], includeFrom, includeTo).delete(),
    database.featureFilters.where('[layerId+generation]').between([layerId, from], [layerId, to], includeFrom, includeTo).delete(),
  ]);
  return removed;
}

interface GenerationFilters {
  filters: { chunkId: string; filter: BloomFilter }[];
  /** Chunks of the generation that have no (readable) filter: always candidates. */
  unfiltered: string[];
}

interface GenerationLookup {
  generation: number;
  /** Index buckets read, by bucket number; null: missing or unreadable (its ids use the filters). */
  buckets: Map<number, FeatureIdIndexRecord | null>;
  /** The per-chunk filters, once a lookup needed them. */
  filters: GenerationFilters | null;
}

// Per database object and layer, what lookups read of the generation last looked up. Generations
// are immutable and never reused, so a cached one never goes stale; a new generation replaces it.
const cache = new WeakMap<OneMapDatabase, Map<string, GenerationLookup>>();

function generationLookup(database: OneMapDatabase, base: LayerBaseRecord): GenerationLookup {
  let perDatabase = cache.get(database);
  if (perDatabase === undefined) {
    perDatabase = new Map();
    cache.set(database, perDatabase);
  }
  let entry = perDatabase.get(base.layerId);
  if (entry?.generation !== base.generation) {
    entry = { generation: base.generation, buckets: new Map(), filters: null };
    perDatabase.set(base.layerId, entry);
  }
  return entry;
}

/** Reads the index buckets `wanted` of the base's generation into `entry` (one bulk read). */
async function readBuckets(database: OneMapDatabase, base: LayerBaseRecord, entry: GenerationLookup, wanted: readonly number[], bucketCount: number): Promise<void> {
  const rows = await database.featureFilters.bulkGet(wanted.map((bucket) => idIndexRowId(base.layerId, base.generation, bucket)));
  wanted.forEach((bucket, position) => {
    const row = rows[position];
    let usable: FeatureIdIndexRecord | null = null;
    try {
      if (row === undefined) throw new IdIndexFormatError('no row');
      if (!isIdIndexRecord(row)) throw new IdIndexFormatError('not an index row');
      checkIdIndexBucket(row);
      if (row.bucket !== bucket || row.bucketCount !== bucketCount || row.chunkCount !== base.chunkCount) throw new IdIndexFormatError(`bucket ${row.bucket} of ${row.bucketCount} for ${row.chunkCount} chunks, expected ${bucket} of ${bucketCount} for ${base.chunkCount}`);
      usable = row;
    } catch (error) {
      if (!(error instanceof IdIndexFormatError)) throw error;
      console.warn(`[store] ${idIndexRowId(base.layerId, base.generation, bucket)}: ${error.message}; its ids are looked up through the chunk filters`);
    }
    entry.buckets.set(bucket, usable);
  });
}

/** The per-chunk filters of a layer's base (one row per chunk). Inside a transaction over `featureFilters` and `featureChunks`, or none. */
async function generationFilters(database: OneMapDatabase, base: LayerBaseRecord): Promise<GenerationFilters> {
  // By primary key (the chunk ids' common prefix), not by the [layerId+generation] index: a
  // range of the table itself is read in key order; an index range costs one more lookup per row.
  // The index rows ('#' after the generation) are outside the range.
  const prefix = chunkIdPrefix(base.layerId, base.generation);
  const rows = (await database.featureFilters.where(':id').between(prefix, `${prefix}\uffff`, true, false).toArray()).filter(isChunkFilterRecord);
  const filters: GenerationFilters['filters'] = [];
  for (const row of rows) {
    try {
      filters.push({ chunkId: row.id, filter: BloomFilter.deserialize(row.filter) });
    } catch (error) {
      if (!(error instanceof BloomFilterFormatError)) throw error;
      console.warn(`[store] featureFilters ${row.id}: ${error.message}; its chunk is read instead`);
    }
  }
  let unfiltered: string[] = [];
  if (filters.length !== base.chunkCount) {
    const filtered = new Set(filters.map(({ chunkId: id }) => id));
    const chunkIds = await database.featureChunks.where('[layerId+generation]').equals([base.layerId, base.generation]).primaryKeys();
    unfiltered = chunkIds.filter((id) => !filtered.has(id));
    if (unfiltered.length > 0) console.warn(`[store] ${unfiltered.length} chunk(s) of layer ${base.layerId} have no id filter; lookups read them`);
  }
  return { filters, unfiltered };
}

/**
 * The chunks of the base that may hold each id: by the generation's id index (one bucket row per
 * distinct bucket of the ids, cached), else — for ids whose bucket is missing or unreadable — by
 * the per-chunk filters (those saying "maybe", and any chunk without a filter). The caller reads
 * them and confirms by `featureIds`. Inside a transaction over `featureFilters` and
 * `featureChunks`, or none.
 */
export async function candidateChunks(database: OneMapDatabase, base: LayerBaseRecord, featureIds: readonly string[]): Promise<Map<string, string[]>> {
  if (base.chunkCount === 0) return new Map();
  const entry = generationLookup(database, base);
  const bucketCount = idIndexBucketCount(base.chunkCount);
  const wanted = [...new Set(featureIds)].map((featureId) => {
    const hash = hashId(featureId);
    return { featureId, hash, bucket: idIndexBucketOf(hash, bucketCount) };
  });
  const unread = [...new Set(wanted.map(({ bucket }) => bucket).filter((bucket) => !entry.buckets.has(bucket)))];
  if (unread.length > 0) await readBuckets(database, base, entry, unread, bucketCount);
  const idsByChunk = new Map<string, string[]>();
  const note = (chunk: string, featureId: string): void => {
    const list = idsByChunk.get(chunk);
    if (list === undefined) idsByChunk.set(chunk, [featureId]);
    else list.push(featureId);
  };
  const unindexed: typeof wanted = [];
  for (const id of wanted) {
    const bucket = entry.buckets.get(id.bucket);
    if (bucket === null || bucket === undefined) unindexed.push(id);
    else for (const sequence of searchIdIndexBucket(bucket, id.hash)) note(chunkId(base.layerId, base.generation, sequence), id.featureId);
  }
  if (unindexed.length > 0) {
    entry.filters ??= await generationFilters(database, base);
    const { filters, unfiltered } = entry.filters;
    for (const { featureId, hash } of unindexed) {
      for (const { chunkId: id, filter } of filters) if (filter.hasHash(hash)) note(id, featureId);
      for (const id of unfiltered) note(id, featureId);
    }
  }
  return idsByChunk;
}
