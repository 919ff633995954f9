// Per-feature history (who, when, on which device, what before and after) and "restore this
// version", which is an ordinary journaled, undoable change. A change made on another device
// shows as its author wrote it (name, device, time, note), with the package it arrived in.
import type { LocalizedText } from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import type { LayerJournalRecord, StoredJournalEntry, SyncVersionRecord } from './records';
import { findBaseFeatures } from './base';
import { transact, transactTables, type CommittedChange } from './transact';
import { featureContent } from './undo';
import { rethrowStorageError, StoreError } from './durability';

/**
 * Why an entry was written: an edit, an undo, a redo, a restore of an earlier version — or
 * `import`: the feature came with a layer imported as a packed base, which journals the layer
 * (one `layerJournal` record), not each feature; its history starts with that import, shown as a
 * create whose id is `import:<layerJournal record id>` and whose sequence is 0.
 */
export type HistoryCause = 'edit' | 'undo' | 'redo' | 'restore' | 'import';

const IMPORT_ENTRY_PREFIX = 'import:';

/** How a change made on another device came here. */
export interface HistoryArrival {
  /** The edit package; null for versions received before packages were recorded, when it cannot be told. */
  packageId: string | null;
  /** When it was imported here. */
  time: string;
  /** Whose package brought it (not necessarily the author's: packages relay). */
  fromDevice: string;
  fromName: string | null;
}

/**
 * One journal entry of a feature, with why it was written (for the history panel). A change
 * received from another device is the entry as its author's device wrote it (`sequence` 0: it
 * is not in this journal) with `arrival` set.
 */
export type FeatureHistoryEntry = StoredJournalEntry & { cause: HistoryCause; arrival?: HistoryArrival };

function causeOf(entry: StoredJournalEntry): HistoryCause {
  if (entry.undoes !== undefined) return 'undo';
  if (entry.redoes !== undefined) return 'redo';
  if (entry.restores !== undefined) return 'restore';
  return 'edit';
}

/**
 * Every journal entry of a feature, oldest first: creates, updates (properties, status,
 * geometry), deletes, and photos attached or detached — each with author, device, time, and
 * the whole feature before and after (null on the side where it did not exist; both null for
 * photo entries, which carry `attachment` instead).
 */
export async function featureHistory(database: OneMapDatabase, layerId: string, featureId: string): Promise<FeatureHistoryEntry[]> {
  const entries = (await database.journal.where('[layerId+featureId]').equals([layerId, featureId]).toArray()).sort((left, right) => left.sequence - right.sequence);
  const received = await database.syncVersions.where('[layerId+featureId]').equals([layerId, featureId]).toArray();
  const receivedIds = new Set(received.map((version) => version.id));
  // An entry that applied received versions is this device's bookkeeping of the import: the
  // versions it applied are shown instead, each as its author wrote it.
  const appliedBy = new Map<string, StoredJournalEntry>();
  for (const entry of entries) for (const id of entry.applies ?? []) if (!appliedBy.has(id)) appliedBy.set(id, entry);
  const positioned: { position: number; entry: FeatureHistoryEntry }[] = entries
    .filter((entry) => entry.applies === undefined || !entry.applies.some((id) => receivedIds.has(id)))
    .map((entry) => ({ position: entry.sequence, entry: { ...entry, cause: causeOf(entry) } }));
  for (const version of received) {
    const { position, arrival } = arrivalOf(version, appliedBy.get(version.id), entries);
    const { receivedSequence: _receivedSequence, arrival: _arrival, ...entry } = version;
    positioned.push({ position, entry: { ...entry, sequence: 0, cause: causeOf({ ...entry, sequence: 0 }), arrival } });
  }
  // This device's order (a received version where it arrived), then the authors' times.
  positioned.sort((left, right) => left.position - right.position || left.entry.time.localeCompare(right.entry.time) || left.entry.id.localeCompare(right.entry.id));
  const history = positioned.map(({ entry }) => entry);
  const imported = await importEntry(database, layerId, featureId, entries[0]);
  return imported === null ? history : [imported, ...history];
}

const PACKAGE_NOTE = /^edit package (\S+)$/;

/**
 * Where a received version arrived: as recorded at its import, or — received before that was
 * recorded — from the entry that applied it (its time, its package named in its note), or by
 * its own time among this device's entries.
 */
function arrivalOf(version: SyncVersionRecord, applied: StoredJournalEntry | undefined, entries: readonly StoredJournalEntry[]): { position: number; arrival: HistoryArrival } {
  if (version.arrival !== undefined) {
    const { journalPosition, ...arrival } = version.arrival;
    return { position: journalPosition + 0.5, arrival };
  }
  if (applied !== undefined) {
    const packageId = PACKAGE_NOTE.exec(applied.note ?? '')?.[1] ?? null;
    return { position: applied.sequence - 0.5, arrival: { packageId, time: applied.time, fromDevice: applied.author, fromName: applied.authorName ?? null } };
  }
  const before = entries.filter((entry) => entry.time <= version.time).at(-1);
  return { position: (before?.sequence ?? 0) + 0.5, arrival: { packageId: null, time: version.time, fromDevice: version.device, fromName: version.authorName ?? null } };
}

/** The import a feature came with (see {@link HistoryCause}), or null when it did not come with one. */
async function importEntry(database: OneMapDatabase, layerId: string, featureId: string, firstEntry: StoredJournalEntry | undefined): Promise<FeatureHistoryEntry | null> {
  if (firstEntry?.operation === 'create') return null; // created by an edit (or by a sync)
  const records = await database.layerJournal.where('layerId').equals(layerId).toArray();
  const record = records.filter((candidate): candidate is LayerJournalRecord & { imported: NonNullable<LayerJournalRecord['imported']> } => candidate.imported !== undefined).at(-1);
  if (record === undefined) return null;
  // As imported: what its first edit started from, or (never edited) the base's value.
  const value = firstEntry !== undefined ? firstEntry.before : ((await findBaseFeatures(database, layerId, [featureId])).get(featureId) ?? null);
  if (value === null) return null;
  const note = record.imported.source ?? record.note;
  return {
    id: `${IMPORT_ENTRY_PREFIX}${record.id}`,
    sequence: 0,
    changeId: record.changeId,
    layerId,
    featureId,
    operation: 'create',
    before: null,
    after: value,
    author: record.author,
    ...(record.authorName === undefined ? {} : { authorName: record.authorName }),
    device: record.device,
    time: record.time,
    ...(note === undefined ? {} : { note }),
    cause: 'import',
  };
}

export class RestoreVersionError extends StoreError {
  readonly messages: LocalizedText;

  constructor(readonly reason: 'unknown-entry' | 'other-feature' | 'not-a-version', message: string) {
    super(reason === 'not-a-version' ? 'store.not-a-version' : 'store.version-not-found', message);
    this.name = 'RestoreVersionError';
    this.messages =
      reason === 'not-a-version'
        ? { zh: '照片记录不是要素的版本，无法恢复。', en: 'A photo entry is not a version of the feature and cannot be restored.' }
        : { zh: '找不到该要素的这个历史版本。', en: 'This version of the feature was not found in its history.' };
  }
}

export interface RestoreVersionRequest {
  layerId: string;
  featureId: string;
  /** The history entry whose result to bring back. */
  journalEntryId: string;
  author: string;
  note?: string;
  time?: Date;
}

/**
 * Makes the feature equal again to the version that journal entry produced — its `after`:
 * geometry, properties, status, county, demo flag and creation time (the revision still grows by
 * one). The version an entry produced is what the history panel shows on that row, so "restore"
 * on a row means "back to how it was right after this". Restoring a delete entry (after = null)
 * deletes the feature; restoring any entry of a deleted feature re-creates it; a version received
 * from another device brings the feature back as its author saved it. Photo entries are
 * not versions ({@link RestoreVersionError}). The restore is one change: journaled (its entries
 * carry `restores: journalEntryId`), and undoable like any edit. The status workflow is not
 * enforced (going back is the point), the field rules are.
 */
export function restoreVersion(database: OneMapDatabase, request: RestoreVersionRequest): Promise<CommittedChange> {
  return database
    .transaction('rw', [...transactTables(database), database.syncVersions], async () => {
      // The synthetic import entry and versions received from other devices are only in the feature's history.
      const entry =
        (request.journalEntryId.startsWith(IMPORT_ENTRY_PREFIX) ? undefined : await database.journal.where('id').equals(request.journalEntryId).first()) ??
        (await featureHistory(database, request.layerId, request.featureId)).find((candidate) => candidate.id === request.journalEntryId);
      if (entry === undefined) throw new RestoreVersionError('unknown-entry', `no journal entry "${request.journalEntryId}"`);
      if (entry.layerId !== request.layerId || entry.featureId !== request.featureId) {
        throw new RestoreVersionError('other-feature', `journal entry "${entry.id}" is of ${entry.layerId}/${entry.featureId}`);
      }
      if (entry.operation === 'attach' || entry.operation === 'detach') {
        throw new RestoreVersionError('not-a-version', `journal entry "${entry.id}" is a photo ${entry.operation}`);
      }
      return transact(database, {
        author: request.author,
        operations: [{ kind: 'restore', layerId: entry.layerId, featureId: entry.featureId, to: entry.after === null ? null : featureContent(entry.after) }],
        allowAnyStatusChange: true,
        links: { restores: entry.id },
        ...(request.note === undefined ? {} : { note: request.note }),
        ...(request.time === undefined ? {} : { time: request.time }),
      });
    })
    .catch(rethrowStorageError);
}
