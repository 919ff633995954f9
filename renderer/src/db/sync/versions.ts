// The versions of a feature as sync sees them: this device's journal entries and the versions
// received from other devices, grouped per feature, with what each feature shows now; and its heads.
import type { FeatureDisplay, SyncVersion } from '../../../../shared/sync';
import type { Feature } from '../../../../shared/model';
import type { OneMapDatabase } from '../schema';
import type { AttachmentRecord, StoredJournalEntry, SyncVersionRecord } from '../records';
import { readCurrentFeatures } from '../base';
import { featureContent } from '../undo';

export const featureKey = (layerId: string, featureId: string): string => `${layerId}\u0000${featureId}`;

/** A journal entry as a version: entries written before sync name no parents — their parent is the feature's previous entry. */
export function journalVersions(entries: readonly StoredJournalEntry[]): SyncVersion[] {
  const versions: SyncVersion[] = [];
  const previous = new Map<string, string>();
  for (const entry of [...entries].sort((left, right) => left.sequence - right.sequence)) {
    if (entry.applies !== undefined) continue;
    const key = featureKey(entry.layerId, entry.featureId);
    const { sequence: _sequence, ...shared } = entry;
    const before = previous.get(key);
    versions.push({ ...shared, parents: entry.parents ?? (before === undefined ? [] : [before]) });
    previous.set(key, entry.id);
  }
  return versions;
}

export function receivedVersion(record: SyncVersionRecord): SyncVersion {
  const { receivedSequence: _receivedSequence, arrival: _arrival, ...version } = record;
  return version;
}

/** Every version (local and received) of the given features, grouped by feature. Runs in the caller's transaction. */
export async function versionsOf(database: OneMapDatabase, keys: readonly [string, string][]): Promise<Map<string, SyncVersion[]>> {
  const grouped = new Map<string, SyncVersion[]>();
  if (keys.length === 0) return grouped;
  const local = journalVersions(await database.journal.where('[layerId+featureId]').anyOf(keys).toArray());
  const received = (await database.syncVersions.where('[layerId+featureId]').anyOf(keys).toArray()).map(receivedVersion);
  for (const version of [...local, ...received]) {
    const key = featureKey(version.layerId, version.featureId);
    const list = grouped.get(key);
    if (list === undefined) grouped.set(key, [version]);
    else list.push(version);
  }
  // A parent this store no longer holds (its journal was replaced by a backup restore, which does
  // not carry the sync tables) is left out: the version becomes a root of what is known.
  for (const list of grouped.values()) {
    const known = new Set(list.map((version) => version.id));
    for (const version of list) if (version.parents.some((parent) => !known.has(parent))) version.parents = version.parents.filter((parent) => known.has(parent));
  }
  return grouped;
}

/** What this device shows of features: content and photo states. Runs in the caller's transaction. */
export async function displaysOf(database: OneMapDatabase, keys: readonly [string, string][]): Promise<{ displays: Map<string, FeatureDisplay>; features: Map<string, Feature | null>; attachments: Map<string, AttachmentRecord> }> {
  const displays = new Map<string, FeatureDisplay>();
  const features = new Map<string, Feature | null>();
  const byLayer = new Map<string, string[]>();
  for (const [layerId, featureId] of keys) byLayer.set(layerId, [...(byLayer.get(layerId) ?? []), featureId]);
  for (const [layerId, featureIds] of byLayer) {
    const current = await readCurrentFeatures(database, layerId, featureIds);
    for (const [featureId, feature] of current.features) features.set(featureKey(layerId, featureId), feature);
  }
  const attachments = new Map<string, AttachmentRecord>();
  for (const record of keys.length === 0 ? [] : await database.attachments.where('[layerId+featureId]').anyOf(keys).toArray()) attachments.set(record.id, record);
  for (const [layerId, featureId] of keys) {
    const key = featureKey(layerId, featureId);
    const feature = features.get(key) ?? null;
    const photos: Record<string, boolean> = {};
    for (const record of attachments.values()) if (record.layerId === layerId && record.featureId === featureId) photos[record.id] = record.removedAt === null;
    displays.set(key, { feature: feature === null ? null : featureContent(feature), photos });
  }
  return { displays, features, attachments };
}

/**
 * Recomputes every feature's heads from the journal and the received versions — for after a
 * backup restore replaced the journal (backup.ts does not carry the sync tables). Returns how
 * many features have heads.
 */
export async function rebuildSyncHeads(database: OneMapDatabase): Promise<number> {
  return database.transaction('rw', [database.journal, database.syncVersions, database.syncHeads], async () => {
    const grouped = new Map<string, SyncVersion[]>();
    const add = (version: SyncVersion): void => {
      const key = featureKey(version.layerId, version.featureId);
      grouped.set(key, [...(grouped.get(key) ?? []), version]);
    };
    journalVersions(await database.journal.toArray()).forEach(add);
    (await database.syncVersions.toArray()).map(receivedVersion).forEach(add);
    await database.syncHeads.clear();
    const rows = [...grouped.values()].map((versions) => {
      const known = new Set(versions.map((version) => version.id));
      const parents = new Set(versions.flatMap((version) => version.parents.filter((parent) => known.has(parent))));
      const first = versions[0] as SyncVersion;
      return { layerId: first.layerId, featureId: first.featureId, heads: versions.map((version) => version.id).filter((id) => !parents.has(id)).sort() };
    });
    await database.syncHeads.bulkPut(rows);
    return rows.length;
  });
}
