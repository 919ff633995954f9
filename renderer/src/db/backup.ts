// A whole-store backup: layers, targets, the packed features and the edit rows over them, the
// journal, the photos (also removed ones, so undo keeps working after a restore), the meta rows
// and a hub workspace's sync state — and its restore, which is checked completely first and then
// replaces the store's content in ONE transaction: all of it or nothing.
//
// Format: one JSON-serialisable object (`OneMapBackup`, `format: "onemap-backup"`,
// `formatVersion: 1`). Blobs are base64 strings with their media type, so the object can cross
// IPC as it is and `backupToJson` / `backupFromJson` turn it into the text an Electron main
// process writes to a file and reads back. The store's own layout (chunks, edit rows, journal
// sequences) is kept as it is, so a round trip is lossless and the change feed, history and
// undo continue where they were. (JSON with base64 costs 4/3 of the photo bytes and one string
// must fit in memory — fine for a survey's photos; a zip with separate photo files would be the
// next step if workspaces grow past a few hundred MB of photos.)
import type { OneMapDatabase } from './schema';
import { META_KEYS, type FeatureChunkRecord, type HubConflictRecord, type HubPushRecord, type StoredJournalEntry, type SyncHeadRecord } from './records';
import { chunkId } from './base';
import { IdIndexCollector, writeChunks, writeIdIndex } from './chunk-filters';
import { rethrowStorageError } from './durability';
import { encodeBlob, BACKUP_FORMAT, BACKUP_FORMAT_VERSION, type BackupAttachment, type OneMapBackup } from './backup-format';
import { BackupInvalidError, validateBackup } from './backup-validation';

export { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, bytesToBase64, base64ToBytes, type BackupAttachment, type EncodedBlob, type OneMapBackup } from './backup-format';
export { BackupInvalidError, validateBackup } from './backup-validation';

// ---- export ----

/**
 * Every table of the store: a restore replaces them all, a backup holds them all but
 * `featureFilters` (the chunk filters and the id index, derived from the chunks: a restore rebuilds
 * both with the chunks it writes).
 */
function storeTables(database: OneMapDatabase) {
  return [
    database.layers,
    database.targets,
    database.layerBases,
    database.featureChunks,
    database.featureFilters,
    database.featureEdits,
    database.journal,
    database.attachments,
    database.meta,
    database.layerJournal,
    database.syncVersions,
    database.syncHeads,
    database.syncConflicts,
    database.hubFeatures,
    database.hubConflicts,
    database.hubPushes,
    database.targetSets,
  ];
}

/** Meta rows a backup never holds: an import's staging (not data) and the hub sign-in token (a secret). */
const notBackedUp = (key: string): boolean => key.startsWith(META_KEYS.importStagingPrefix) || key === META_KEYS.hubToken;

/**
 * Reads the whole store in one read transaction (a consistent snapshot, also while other edits
 * are being made) and returns it as a JSON-serialisable object.
 */
export async function exportBackup(database: OneMapDatabase, options: { time?: Date } = {}): Promise<OneMapBackup> {
  const snapshot = await database.transaction(
    'r',
    storeTables(database),
    async () => {
      const layerBases = await database.layerBases.toArray();
      const featureChunks: FeatureChunkRecord[] = [];
      for (const base of layerBases) {
        featureChunks.push(...(await database.featureChunks.where('[layerId+generation]').equals([base.layerId, base.generation]).toArray()));
      }
      return {
        layers: await database.layers.toArray(),
        targets: await database.targets.toArray(),
        targetSets: await database.targetSets.toArray(),
        layerBases,
        featureChunks,
        featureEdits: await database.featureEdits.toArray(),
        journal: await database.journal.toArray(),
        attachments: await database.attachments.toArray(),
        // An import's staging has its chunks outside every base, so they are not here either.
        meta: (await database.meta.toArray()).filter((row) => !notBackedUp(row.key)),
        layerJournal: await database.layerJournal.toArray(),
        syncVersions: await database.syncVersions.toArray(),
        syncHeads: await database.syncHeads.toArray(),
        syncConflicts: await database.syncConflicts.toArray(),
        hubFeatures: await database.hubFeatures.toArray(),
        hubConflicts: await database.hubConflicts.toArray(),
        hubPushes: await database.hubPushes.toArray(),
      };
    },
  );
  // Blob bytes are read after the transaction: a read that is not IndexedDB's would end it early.
  const attachments: BackupAttachment[] = [];
  for (const record of snapshot.attachments) {
    attachments.push({ ...record, blob: await encodeBlob(record.blob), thumbnail: record.thumbnail === null ? null : await encodeBlob(record.thumbnail) });
  }
  return {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    schemaVersion: database.verno,
    createdAt: (options.time ?? new Date()).toISOString(),
    ...snapshot,
    attachments,
  };
}

export function backupToJson(backup: OneMapBackup): string {
  return JSON.stringify(backup);
}

/** Parses backup text; throws {@link BackupInvalidError} when it is not JSON. Validation is `restoreBackup`'s. */
export function backupFromJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BackupInvalidError([`not JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

// ---- restore ----

function headsFromJournal(journal: readonly StoredJournalEntry[]): SyncHeadRecord[] {
  const heads = new Map<string, SyncHeadRecord>();
  for (const entry of journal) heads.set(`${entry.layerId}\u0000${entry.featureId}`, { layerId: entry.layerId, featureId: entry.featureId, heads: [entry.id] });
  return [...heads.values()];
}

export interface RestoreReport {
  layers: number;
  features: number;
  journalEntries: number;
  attachments: number;
}

/**
 * Replaces the whole content of the store with a backup, in one transaction: if anything fails
 * (a bad backup — {@link BackupInvalidError}, checked before anything is written — or the disk
 * filling up — `StorageFullError`), the store is left exactly as it was.
 *
 * Two things are not taken from the backup: this device's id (kept when the store has one, so
 * two machines never share one), and — when the store has been used — the chunk generation
 * numbers, which are renumbered above every number this store has used (a generation is never
 * reused; in-memory lookups rely on it). The kept planning tiles are dropped. Open windows should
 * reload after a restore.
 */
export async function restoreBackup(database: OneMapDatabase, input: unknown): Promise<RestoreReport> {
  const { backup, attachments } = validateBackup(input, database.verno);
  // The tile cache is derived from what is replaced: it goes too (the backup does not hold it).
  const tables = [...storeTables(database), database.tileCache, database.tileCacheEntries, database.tileCacheLayers];
  return database
    .transaction('rw', tables, async () => {
      const [lastGeneration, deviceId, hubToken] = await database.meta.bulkGet([META_KEYS.lastGeneration, META_KEYS.deviceId, META_KEYS.hubToken]);
      const usedUpTo = typeof lastGeneration?.value === 'number' ? lastGeneration.value : 0;
      const renumbered = new Map<string, number>();
      let next = usedUpTo;
      if (usedUpTo > 0) for (const base of backup.layerBases) renumbered.set(`${base.layerId}@${base.generation}`, (next += 1));
      const generationOf = (layerId: string, generation: number): number => renumbered.get(`${layerId}@${generation}`) ?? generation;
      const layerBases = backup.layerBases.map((base) => ({ ...base, generation: generationOf(base.layerId, base.generation) }));
      const featureChunks = backup.featureChunks.map((chunk) => {
        const generation = generationOf(chunk.layerId, chunk.generation);
        return { ...chunk, generation, id: chunkId(chunk.layerId, generation, chunk.sequence) };
      });
      const backupLast = backup.meta.find((row) => row.key === META_KEYS.lastGeneration)?.value;
      const highest = Math.max(next, typeof backupLast === 'number' ? backupLast : 0, ...layerBases.map((base) => base.generation));
      const meta = backup.meta.filter(
        (row) => row.key !== META_KEYS.lastGeneration && !notBackedUp(row.key) && !(row.key === META_KEYS.deviceId && deviceId !== undefined),
      );
      if (highest > 0) meta.push({ key: META_KEYS.lastGeneration, value: highest });
      if (deviceId !== undefined) meta.push(deviceId);
      // Still signed in after a restore: the token is this machine's, not the backup's.
      if (hubToken !== undefined) meta.push(hubToken);

      for (const table of tables) await table.clear();
      await database.layers.bulkAdd(backup.layers);
      await database.targets.bulkAdd(backup.targets);
      await database.targetSets.bulkAdd(backup.targetSets ?? []);
      await database.layerBases.bulkAdd(layerBases);
      const index = new IdIndexCollector();
      await writeChunks(database, featureChunks, 'add', index);
      await writeIdIndex(database, index);
      await database.featureEdits.bulkAdd(backup.featureEdits);
      await database.journal.bulkAdd(backup.journal);
      await database.attachments.bulkAdd(attachments);
      await database.meta.bulkAdd(meta);
      await database.layerJournal.bulkAdd(backup.layerJournal ?? []);
      await database.syncVersions.bulkAdd(backup.syncVersions ?? []);
      await database.syncConflicts.bulkAdd(backup.syncConflicts ?? []);
      // A backup from before sync (schema < 3) has no heads: every journaled feature's last entry is its head.
      await database.syncHeads.bulkAdd(backup.syncHeads ?? headsFromJournal(backup.journal));
      await database.hubFeatures.bulkAdd(backup.hubFeatures ?? []);
      await database.hubConflicts.bulkAdd((backup.hubConflicts ?? []) as HubConflictRecord[]);
      await database.hubPushes.bulkAdd((backup.hubPushes ?? []) as HubPushRecord[]);
      const features = layerBases.reduce((sum, base) => sum + base.featureCount, 0);
      return { layers: backup.layers.length, features, journalEntries: backup.journal.length, attachments: attachments.length };
    })
    .catch(rethrowStorageError);
}
