// Per-feature history (who, when, on which device, what before and after) and "restore this
// version", which is an ordinary journaled, undoable change.
import type { LocalizedText } from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import type { StoredJournalEntry } from './records';
import { transact, transactTables, type CommittedChange } from './transact';
import { featureContent } from './undo';
import { rethrowStorageError, StoreError } from './durability';

/** Why an entry was written: an edit, an undo, a redo, or a restore of an earlier version. */
export type HistoryCause = 'edit' | 'undo' | 'redo' | 'restore';

/** One journal entry of a feature, with why it was written (for the history panel). */
export type FeatureHistoryEntry = StoredJournalEntry & { cause: HistoryCause };

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
  const entries = await database.journal.where('[layerId+featureId]').equals([layerId, featureId]).toArray();
  return entries.sort((left, right) => left.sequence - right.sequence).map((entry) => ({ ...entry, cause: causeOf(entry) }));
}

export class RestoreVersionError extends StoreError {
  readonly messages: LocalizedText;

  constructor(readonly reason: 'unknown-entry' | 'other-feature' | 'not-a-version', message: string) {
    super(message);
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
 * deletes the feature; restoring any entry of a deleted feature re-creates it. Photo entries are
 * not versions ({@link RestoreVersionError}). The restore is one change: journaled (its entries
 * carry `restores: journalEntryId`), and undoable like any edit. The status workflow is not
 * enforced (going back is the point), the field rules are.
 */
export function restoreVersion(database: OneMapDatabase, request: RestoreVersionRequest): Promise<CommittedChange> {
  return database
    .transaction('rw', transactTables(database), async () => {
      const entry = await database.journal.where('id').equals(request.journalEntryId).first();
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
