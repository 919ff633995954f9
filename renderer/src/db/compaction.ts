// Compaction folds a layer's edit rows back into its packed base, so a layer that had many edits
// (e.g. an import through transact) loads from chunks again. The caller decides when to run it
// (idle time, after an import); the journal is not touched, so history and undo keep working.
import type { Feature } from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import type { FeatureEditRecord } from './records';
import { layerBaseFor, readBaseChunks, removeStaleChunks, stageGeneration } from './base';
import { mergeBaseWithEdits } from './merge';
import { DEFAULT_CHUNK_SIZE, packFeatures } from './spatial-packing';

export interface CompactionReport {
  layerId: string;
  /** Edit rows folded into the base and removed. */
  foldedEdits: number;
  featureCount: number;
  /** The new base generation, or null when there was nothing to fold. */
  generation: number | null;
}

export class CompactionConflictError extends Error {}

/**
 * Writes base + edits as a new chunk generation, then (in one transaction) switches the layer to
 * it and removes the edit rows it folded in. Edits committed while it runs have higher sequences
 * and stay as rows over the new base, so nothing is lost; if the base itself was re-packed
 * meanwhile, the compaction is abandoned with a {@link CompactionConflictError}.
 */
export async function compactLayer(
  database: OneMapDatabase,
  layerId: string,
  options: { chunkSize?: number; chunksPerTransaction?: number } = {},
): Promise<CompactionReport> {
  const snapshot = await database.transaction('r', database.layerBases, database.featureChunks, database.featureEdits, async () => {
    const base = await database.layerBases.get(layerId);
    const chunks = await readBaseChunks(database, base);
    const edits = await database.featureEdits
      .where('[layerId+sequence]')
      .between([layerId, -Infinity], [layerId, Infinity], true, true)
      .toArray();
    return { base, chunks, edits };
  });
  const { base, chunks, edits } = snapshot;
  if (edits.length === 0) return { layerId, foldedEdits: 0, featureCount: base?.featureCount ?? 0, generation: null };

  const foldedThrough = (edits[edits.length - 1] as FeatureEditRecord).sequence;
  const features: Feature[] = mergeBaseWithEdits(chunks, edits);
  const userFeatureIds = new Set<string>();
  for (const chunk of chunks) for (const id of chunk.userFeatureIds) userFeatureIds.add(id);
  const foldedDeletions = new Set(base?.foldedDeletions ?? []);
  for (const edit of edits) {
    if (edit.feature === null) {
      foldedDeletions.add(edit.featureId);
      userFeatureIds.delete(edit.featureId);
    } else {
      userFeatureIds.add(edit.featureId);
      foldedDeletions.delete(edit.featureId);
    }
  }

  const packed = packFeatures(features, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const generation = await stageGeneration(database, layerId, packed, {
    userFeatureIds,
    ...(options.chunksPerTransaction === undefined ? {} : { chunksPerTransaction: options.chunksPerTransaction }),
  });
  let folded = 0;
  await database
    .transaction('rw', database.layerBases, database.featureEdits, async () => {
      const now = await database.layerBases.get(layerId);
      if (now?.generation !== base?.generation) throw new CompactionConflictError(`layer "${layerId}" was re-packed while compacting`);
      await database.layerBases.put(
        layerBaseFor(layerId, generation, packed, { seedVersion: base?.seedVersion ?? null, foldedDeletions: [...foldedDeletions].sort() }),
      );
      folded = await database.featureEdits
        .where('[layerId+sequence]')
        .between([layerId, -Infinity], [layerId, foldedThrough], true, true)
        .delete();
    })
    .finally(() => removeStaleChunks(database, layerId));
  return { layerId, foldedEdits: folded, featureCount: packed.featureCount, generation };
}

/**
 * Removes chunks (and id filters) no layer base points at (left by a write interrupted by a
 * crash). Cheap when there are none; run once after opening the database.
 */
export async function removeAbandonedChunks(database: OneMapDatabase): Promise<number> {
  const layerIds = new Set<string>();
  for (const table of [database.featureChunks, database.featureFilters]) {
    await table.orderBy('[layerId+generation]').eachUniqueKey((key) => {
      layerIds.add((key as [string, number])[0]);
    });
  }
  let removed = 0;
  for (const layerId of layerIds) removed += await removeStaleChunks(database, layerId);
  return removed;
}
