// Evaluated in the app's page by feature-lookup.spec.ts (bundled by esbuild): the app's own store
// code over the store the app wrote in Chromium's IndexedDB. For every layer base: its chunks,
// their id filters and the generation's id index, and a first lookup by id on a new connection,
// counting the chunks and the `featureFilters` rows it reads.
import { OneMapDatabase } from '../../../renderer/src/db';
import { findBaseFeatures } from '../../../renderer/src/db/base';
import { idIndexRowId, isChunkFilterRecord, isIdIndexRecord } from '../../../renderer/src/db/chunk-filters';
import { BloomFilter, hashId, idIndexBucketCount, idIndexBucketOf, searchIdIndexBucket } from '../../../shared/lookup';

export interface LayerLookupReport {
  layerId: string;
  chunks: number;
  filters: number;
  filterTypes: string[];
  /** Index buckets of the generation, and how many it should have. */
  buckets: number;
  bucketsExpected: number;
  /** Types of the buckets' `hashes` and `chunks` (plain strings: the saved profiles are JSON). */
  bucketTypes: string[];
  /** Rows of the generation that are neither a chunk filter nor an index bucket (a version 6 pack). */
  otherRows: number;
  idsMissingFromFilters: number;
  idsMissingFromIndex: number;
  lookedUp: string;
  found: boolean;
  chunksRead: number;
  /** `featureFilters` rows the lookup read, and whether the one it read is the id's bucket. */
  filterRowsRead: number;
  readItsBucket: boolean;
}

async function check(databaseName: string): Promise<LayerLookupReport[]> {
  const store = new OneMapDatabase(databaseName);
  await store.open();
  const reports: LayerLookupReport[] = [];
  try {
    for (const base of await store.layerBases.toArray()) {
      const chunks = await store.featureChunks.where('[layerId+generation]').equals([base.layerId, base.generation]).toArray();
      const rows = await store.featureFilters.where('[layerId+generation]').equals([base.layerId, base.generation]).toArray();
      const filters = new Map(rows.filter(isChunkFilterRecord).map((row) => [row.id, row]));
      const buckets = new Map(rows.filter(isIdIndexRecord).map((row) => [row.id, row]));
      const bucketCount = idIndexBucketCount(base.chunkCount);
      let idsMissingFromFilters = 0;
      let idsMissingFromIndex = 0;
      for (const chunk of chunks) {
        const row = filters.get(chunk.id);
        const filter = row === undefined ? null : BloomFilter.deserialize(row.filter);
        for (const id of chunk.featureIds) {
          if (filter === null || !filter.has(id)) idsMissingFromFilters += 1;
          const hash = hashId(id);
          const bucket = buckets.get(idIndexRowId(base.layerId, base.generation, idIndexBucketOf(hash, bucketCount)));
          if (bucket === undefined || !searchIdIndexBucket(bucket, hash).includes(chunk.sequence)) idsMissingFromIndex += 1;
        }
      }
      const lookedUp = chunks.at(-1)?.featureIds.at(-1) ?? '';
      const fresh = new OneMapDatabase(databaseName);
      await fresh.open();
      let chunksRead = 0;
      fresh.featureChunks.hook('reading', (record) => {
        chunksRead += 1;
        return record;
      });
      const filterRowsRead: string[] = [];
      fresh.featureFilters.hook('reading', (record) => {
        filterRowsRead.push(record?.id ?? '(none)');
        return record;
      });
      const found = (await findBaseFeatures(fresh, base.layerId, [lookedUp])).get(lookedUp)?.id === lookedUp;
      fresh.close();
      reports.push({
        layerId: base.layerId,
        chunks: chunks.length,
        filters: filters.size,
        filterTypes: [...new Set([...filters.values()].map((row) => typeof row.filter))],
        buckets: buckets.size,
        bucketsExpected: bucketCount,
        bucketTypes: [...new Set([...buckets.values()].flatMap((row) => [typeof row.hashes, typeof row.chunks]))],
        otherRows: rows.length - filters.size - buckets.size,
        idsMissingFromFilters,
        idsMissingFromIndex,
        lookedUp,
        found,
        chunksRead,
        filterRowsRead: filterRowsRead.length,
        readItsBucket: filterRowsRead[0] === idIndexRowId(base.layerId, base.generation, idIndexBucketOf(hashId(lookedUp), bucketCount)),
      });
    }
  } finally {
    store.close();
  }
  return reports;
}

(window as unknown as { __featureLookup: { check: typeof check } }).__featureLookup = { check };
