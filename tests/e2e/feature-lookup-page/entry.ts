// Evaluated in the app's page by feature-lookup.spec.ts (bundled by esbuild): the app's own store
// code over the store the app wrote in Chromium's IndexedDB. For every layer base: its chunks and
// their id filters, and a first lookup by id on a new connection, counting the chunks it reads.
import { OneMapDatabase } from '../../../renderer/src/db';
import { findBaseFeatures } from '../../../renderer/src/db/base';
import { isFilterPack } from '../../../renderer/src/db/chunk-filters';
import type { FeatureFilterRecord } from '../../../renderer/src/db/records';
import { BloomFilter } from '../../../shared/lookup';

export interface LayerLookupReport {
  layerId: string;
  chunks: number;
  filters: number;
  filterTypes: string[];
  /** The generation's pack holds exactly its chunks' filters. */
  packMatches: boolean;
  idsMissingFromFilters: number;
  lookedUp: string;
  found: boolean;
  chunksRead: number;
}

async function check(databaseName: string): Promise<LayerLookupReport[]> {
  const store = new OneMapDatabase(databaseName);
  await store.open();
  const reports: LayerLookupReport[] = [];
  try {
    for (const base of await store.layerBases.toArray()) {
      const chunks = await store.featureChunks.where('[layerId+generation]').equals([base.layerId, base.generation]).toArray();
      const rows = await store.featureFilters.where('[layerId+generation]').equals([base.layerId, base.generation]).toArray();
      const filters = new Map(rows.filter((row): row is FeatureFilterRecord => !isFilterPack(row)).map((row) => [row.id, row]));
      const pack = rows.find(isFilterPack);
      const packMatches = pack !== undefined && pack.chunkIds.length === chunks.length && pack.chunkIds.every((chunkId, index) => filters.get(chunkId)?.filter === pack.filters[index]);
      let idsMissingFromFilters = 0;
      for (const chunk of chunks) {
        const row = filters.get(chunk.id);
        const filter = row === undefined ? null : BloomFilter.deserialize(row.filter);
        for (const id of chunk.featureIds) if (filter === null || !filter.has(id)) idsMissingFromFilters += 1;
      }
      const lookedUp = chunks.at(-1)?.featureIds.at(-1) ?? '';
      const fresh = new OneMapDatabase(databaseName);
      await fresh.open();
      let chunksRead = 0;
      fresh.featureChunks.hook('reading', (record) => {
        chunksRead += 1;
        return record;
      });
      const found = (await findBaseFeatures(fresh, base.layerId, [lookedUp])).get(lookedUp)?.id === lookedUp;
      fresh.close();
      reports.push({ layerId: base.layerId, chunks: chunks.length, filters: filters.size, filterTypes: [...new Set([...filters.values()].map((row) => typeof row.filter))], packMatches, idsMissingFromFilters, lookedUp, found, chunksRead });
    }
  } finally {
    store.close();
  }
  return reports;
}

(window as unknown as { __featureLookup: { check: typeof check } }).__featureLookup = { check };
