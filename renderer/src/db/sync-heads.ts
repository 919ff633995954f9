// Each feature's version heads (sync): `transact` names them as the parents of a feature's next
// journal entry, so every entry records which versions its author saw — what a merge with edits
// from other devices needs (shared/sync/README.md). Entries that only apply versions received
// from other devices (`applies`) are not versions; sync.ts sets the heads they leave.
import type { JournalEntry } from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import type { SyncHeadRecord } from './records';

const key = (layerId: string, featureId: string): string => `${layerId}\u0000${featureId}`;

/**
 * Gives every version among `entries` (one change, in order) its parents — the feature's heads
 * for its first entry, the previous entry for the next ones — and returns the feature's new
 * heads. Runs in the caller's transaction, which must include `syncHeads`.
 */
export async function linkVersions(database: OneMapDatabase, entries: JournalEntry[]): Promise<SyncHeadRecord[]> {
  const versions = entries.filter((entry) => entry.applies === undefined);
  if (versions.length === 0) return [];
  const features = new Map<string, { layerId: string; featureId: string }>();
  for (const entry of versions) features.set(key(entry.layerId, entry.featureId), { layerId: entry.layerId, featureId: entry.featureId });
  const rows = await database.syncHeads.bulkGet([...features.values()].map(({ layerId, featureId }) => [layerId, featureId] as [string, string]));
  const heads = new Map<string, string[]>();
  [...features.keys()].forEach((featureKey, index) => heads.set(featureKey, rows[index]?.heads ?? []));
  for (const entry of versions) {
    const featureKey = key(entry.layerId, entry.featureId);
    entry.parents = [...(heads.get(featureKey) ?? [])];
    heads.set(featureKey, [entry.id]);
  }
  return [...features].map(([featureKey, { layerId, featureId }]) => ({ layerId, featureId, heads: heads.get(featureKey) ?? [] }));
}
