// Each feature chunk's Bloom filter of its ids (table `featureFilters`, keyed by the chunk id,
// schema version 6): a first lookup by id reads the layer's filters — 2.5 kB per chunk of 1,000,
// never deserialising a feature — and then only the chunks whose filter says "maybe" (≈ 0.007 %
// false positives each, so one chunk, rarely two), instead of every chunk.
//
// Every writer of chunks writes their filters in the same transaction (writeChunks), and every
// deleter deletes them with the chunks (deleteChunks, deleteGenerationRange), so a chunk and its
// filter exist together or not at all. Once a generation is complete its writer also writes the
// generation's pack (all its filters in one row, FeatureFilterPackRecord), which a first lookup
// reads instead of a row per chunk. A chunk found without a filter (should not happen) is read on
// every lookup: slower, still correct.
import { BloomFilter, BloomFilterFormatError, hashId } from '../../../shared/lookup';
import type { OneMapDatabase } from './schema';
import type { FeatureChunkRecord, FeatureFilterPackRecord, FeatureFilterRecord, LayerBaseRecord } from './records';

/** What every chunk id of a layer generation starts with (layer ids are slugs: no ':' in them). */
export function chunkIdPrefix(layerId: string, generation: number): string {
  return `${layerId}:${generation}:`;
}

export function filterRecordOf(chunk: Pick<FeatureChunkRecord, 'id' | 'layerId' | 'generation' | 'featureIds'>): FeatureFilterRecord {
  return { id: chunk.id, layerId: chunk.layerId, generation: chunk.generation, filter: BloomFilter.of(chunk.featureIds).toBinaryString() };
}

export function isFilterPack(row: FeatureFilterRecord | FeatureFilterPackRecord): row is FeatureFilterPackRecord {
  return 'chunkIds' in row;
}

export const packId = (layerId: string, generation: number): string => `${layerId}:${generation}`;

/** One pack per layer generation of `filters` (all of each generation's filters must be there). */
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
 * Writes chunks and their filters; returns the filters. Must run inside a read-write transaction
 * over `featureChunks` and `featureFilters` (the caller's, so both commit or neither does).
 */
export async function writeChunks(database: OneMapDatabase, records: readonly FeatureChunkRecord[], mode: 'add' | 'put'): Promise<FeatureFilterRecord[]> {
  const filters = records.map(filterRecordOf);
  if (mode === 'add') await Promise.all([database.featureChunks.bulkAdd(records), database.featureFilters.bulkAdd(filters)]);
  else await Promise.all([database.featureChunks.bulkPut(records), database.featureFilters.bulkPut(filters)]);
  return filters;
}

/** Writes the pack of a complete generation from all its filters. Inside a transaction over `featureFilters`, or none. */
export async function writePack(database: OneMapDatabase, filters: readonly FeatureFilterRecord[]): Promise<void> {
  const packs = packsOf(filters);
  if (packs.length > 1) throw new Error(`a filter pack is of one generation, got ${packs.map((pack) => pack.id).join(', ')}`);
  if (packs.length === 1) await database.featureFilters.put(packs[0]!);
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
  generation: number;
  filters: { chunkId: string; filter: BloomFilter }[];
  /** Chunks of the generation that have no (readable) filter: always candidates. */
  unfiltered: string[];
}

// Per database object and layer, the filters of the generation last looked up. Generations are
// immutable and never reused, so a cached one never goes stale; a new generation replaces it.
const cache = new WeakMap<OneMapDatabase, Map<string, GenerationFilters>>();

/** The filters of a layer's base: its pack (else its per-chunk rows), then cached. Inside a transaction over `featureFilters` and `featureChunks`, or none. */
async function generationFilters(database: OneMapDatabase, base: LayerBaseRecord): Promise<GenerationFilters> {
  let perDatabase = cache.get(database);
  const cached = perDatabase?.get(base.layerId);
  if (cached?.generation === base.generation) return cached;
  const pack = await database.featureFilters.get(packId(base.layerId, base.generation));
  let rows: { id: string; filter: string }[];
  if (pack !== undefined && isFilterPack(pack) && pack.chunkIds.length === base.chunkCount) rows = pack.chunkIds.map((id, index) => ({ id, filter: pack.filters[index] ?? '' }));
  else {
    // By primary key (the chunk ids' common prefix), not by the [layerId+generation] index: a
    // range of the table itself is read in key order; an index range costs one more lookup per row.
    const prefix = chunkIdPrefix(base.layerId, base.generation);
    rows = (await database.featureFilters.where(':id').between(prefix, `${prefix}\uffff`, true, false).toArray()).filter((row): row is FeatureFilterRecord => !isFilterPack(row));
  }
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
    const filtered = new Set(filters.map(({ chunkId }) => chunkId));
    const chunkIds = await database.featureChunks.where('[layerId+generation]').equals([base.layerId, base.generation]).primaryKeys();
    unfiltered = chunkIds.filter((chunkId) => !filtered.has(chunkId));
    if (unfiltered.length > 0) console.warn(`[store] ${unfiltered.length} chunk(s) of layer ${base.layerId} have no id filter; lookups read them`);
  }
  const entry: GenerationFilters = { generation: base.generation, filters, unfiltered };
  if (perDatabase === undefined) {
    perDatabase = new Map();
    cache.set(database, perDatabase);
  }
  perDatabase.set(base.layerId, entry);
  return entry;
}

/**
 * The chunks of the base that may hold each id: those whose filter says "maybe", and any chunk
 * without a filter. The caller reads them and confirms by `featureIds`.
 */
export async function candidateChunks(database: OneMapDatabase, base: LayerBaseRecord, featureIds: readonly string[]): Promise<Map<string, string[]>> {
  const { filters, unfiltered } = await generationFilters(database, base);
  const idsByChunk = new Map<string, string[]>();
  const note = (chunkId: string, featureId: string): void => {
    const list = idsByChunk.get(chunkId);
    if (list === undefined) idsByChunk.set(chunkId, [featureId]);
    else list.push(featureId);
  };
  for (const featureId of new Set(featureIds)) {
    const hash = hashId(featureId);
    for (const { chunkId, filter } of filters) if (filter.hasHash(hash)) note(chunkId, featureId);
    for (const chunkId of unfiltered) note(chunkId, featureId);
  }
  return idsByChunk;
}
