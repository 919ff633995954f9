// The review queue (`syncConflicts`): conflicts an import found, each with both sides; its
// feature keeps what this device shows until a person decides. Resolution: keep mine / keep
// theirs / an edited version, re-merged at the moment of deciding, journaled through `transact`
// (undoable; undoing it reopens the conflict).
import { contentFields, fieldValue, evaluateFeature, planFeature, planResolution, type ConflictDetail, type FeatureDisplay, type ResolutionChoice } from '../../../../shared/sync';
import type { LocalizedText } from '../../../../shared/model';
import type { OneMapDatabase } from '../schema';
import type { SyncConflictRecord } from '../records';
import { transact, transactTables, type CommittedChange, type FeatureOperation } from '../transact';
import { randomId } from '../identity';
import { rethrowStorageError, StoreError } from '../durability';
import { displaysOf, featureKey, versionsOf } from './versions';

/** A merged feature that does not fit its layer: kept as it is here, queued for a person. */
export interface InvalidMerge {
  issues: string[];
}

export type StoredConflictDetail = ConflictDetail & { invalid?: InvalidMerge };

export function invalidMergeConflict(plan: { heads: string[]; target: FeatureDisplay }, current: FeatureDisplay, issues: string[]): StoredConflictDetail {
  const mine = contentFields(current.feature);
  const merged = contentFields(plan.target.feature);
  const fields: ConflictDetail['fields'] = [];
  for (const field of [...new Set([...mine.keys(), ...merged.keys()])].sort()) {
    const left = mine.get(field) ?? fieldValue(undefined);
    const right = merged.get(field) ?? fieldValue(undefined);
    if (left.key === right.key) continue;
    fields.push({ field, candidates: [{ ...left, versions: [] }, { ...right, versions: [...plan.heads] }] });
  }
  return { heads: plan.heads, fields, deletion: null, mine: current, theirs: plan.target, invalid: { issues } };
}

/** Puts the import's conflicts in the review queue (null: nothing left to ask). Runs in the import's transaction. */
export async function writeConflicts(database: OneMapDatabase, conflicts: ReadonlyMap<string, StoredConflictDetail | null>, packageId: string, time: string): Promise<void> {
  const openByFeature = new Map<string, SyncConflictRecord[]>();
  for (const record of await database.syncConflicts.where('status').equals('open').toArray()) {
    const key = featureKey(record.layerId, record.featureId);
    openByFeature.set(key, [...(openByFeature.get(key) ?? []), record]);
  }
  for (const [key, detail] of conflicts) {
    const [layerId, featureId] = key.split('\u0000') as [string, string];
    const open = openByFeature.get(key) ?? [];
    if (detail === null) {
      // Decided elsewhere (a resolution arrived), or merged away: nothing left to ask.
      for (const record of open) await database.syncConflicts.put({ ...record, status: 'superseded' });
      continue;
    }
    const existing = open[0];
    await database.syncConflicts.put({
      id: existing?.id ?? randomId(),
      layerId,
      featureId,
      status: 'open',
      detectedAt: time,
      packageId,
      detail,
      resolution: null,
    });
  }
}

export interface SyncConflictView {
  id: string;
  layerId: string;
  featureId: string;
  detectedAt: string;
  packageId: string;
  detail: StoredConflictDetail;
  /** True when its resolution was undone: it waits again. */
  reopened: boolean;
}

/** Whether the change was undone (and not redone since). Runs in the caller's transaction. */
async function isUndone(database: OneMapDatabase, layerId: string, featureId: string, changeId: string): Promise<boolean> {
  const entries = await database.journal.where('[layerId+featureId]').equals([layerId, featureId]).toArray();
  let current = changeId;
  let undone = false;
  for (;;) {
    const next = entries.find((entry) => (undone ? entry.redoes === current : entry.undoes === current));
    if (next === undefined) return undone;
    current = next.changeId;
    undone = !undone;
  }
}

/** The conflicts waiting for a person: open ones, and resolved ones whose resolution was undone. */
export function listSyncConflicts(database: OneMapDatabase): Promise<SyncConflictView[]> {
  return database.transaction('r', [database.syncConflicts, database.journal], async () => {
    const records = await database.syncConflicts.where('status').anyOf('open', 'resolved').toArray();
    const views: SyncConflictView[] = [];
    for (const record of records) {
      const reopened = record.status === 'resolved' && record.resolution !== null && (await isUndone(database, record.layerId, record.featureId, record.resolution.changeId));
      if (record.status === 'open' || reopened) {
        views.push({ id: record.id, layerId: record.layerId, featureId: record.featureId, detectedAt: record.detectedAt, packageId: record.packageId, detail: record.detail as StoredConflictDetail, reopened });
      }
    }
    return views.sort((left, right) => left.detectedAt.localeCompare(right.detectedAt) || left.id.localeCompare(right.id));
  });
}

/** The conflict is not waiting (any more): resolved, superseded, or unknown. */
export class SyncConflictClosedError extends StoreError {
  readonly messages: LocalizedText = {
    zh: '该冲突已处理，无需再处理。',
    en: 'This conflict has already been dealt with.',
  };

  constructor(readonly conflictId: string) {
    super('sync.conflict-closed', `conflict ${conflictId} is not waiting`);
    this.name = 'SyncConflictClosedError';
  }
}

/**
 * The conflict as it stands now: the feature re-merged over every version this device holds,
 * with what it shows now as "mine". Null when nothing is left to decide. Runs in the caller's
 * transaction, if any.
 */
export async function currentConflict(database: OneMapDatabase, view: Pick<SyncConflictView, 'layerId' | 'featureId' | 'detail' | 'reopened'>): Promise<StoredConflictDetail | null> {
  const key: [string, string] = [view.layerId, view.featureId];
  const grouped = await versionsOf(database, [key]);
  const { displays } = await displaysOf(database, [key]);
  const current = displays.get(featureKey(...key)) as FeatureDisplay;
  const plan = planFeature(evaluateFeature(grouped.get(featureKey(...key)) ?? [], current.feature), current);
  if (plan.conflict !== null) return plan.conflict;
  const stored = view.detail;
  if (!view.reopened && stored.invalid === undefined) return null;
  // A reopened (undone) resolution, or a merge that did not fit the layer: the stored sides, over what is shown now.
  const theirs: FeatureDisplay = stored.theirs;
  return { ...stored, heads: plan.heads, mine: current, theirs };
}

export interface ResolveConflictRequest {
  conflictId: string;
  choice: ResolutionChoice;
  author: string;
  time?: Date;
  note?: string;
}

/**
 * Decides a conflict: keep mine, keep theirs, or an edited version. Re-merges first (versions
 * may have arrived since); writes the decision through `transact` — one change, journaled with
 * `resolves` and the fields it decides, undoable — and marks the conflict resolved. Resolves
 * with the change, or null when nothing was left to decide (the conflict is closed).
 */
export async function resolveConflict(database: OneMapDatabase, request: ResolveConflictRequest): Promise<CommittedChange | null> {
  const tables = [...transactTables(database), database.syncVersions, database.syncConflicts];
  return database
    .transaction('rw', tables, async () => {
      const record = await database.syncConflicts.get(request.conflictId);
      if (record === undefined) throw new SyncConflictClosedError(request.conflictId);
      const reopened = record.status === 'resolved' && record.resolution !== null && (await isUndone(database, record.layerId, record.featureId, record.resolution.changeId));
      if (record.status !== 'open' && !reopened) throw new SyncConflictClosedError(request.conflictId);
      const conflict = await currentConflict(database, { layerId: record.layerId, featureId: record.featureId, detail: record.detail as StoredConflictDetail, reopened });
      if (conflict === null) {
        await database.syncConflicts.put({ ...record, status: 'superseded' });
        return null;
      }
      const plan = planResolution(conflict, request.choice);
      const current = conflict.mine;
      const { layerId, featureId } = record;
      const operations: FeatureOperation[] = [];
      if (current.feature === null && plan.target.feature === null) {
        // Deleted here and the deletion is kept: the decision is journaled as re-create + delete.
        const seen = conflict.theirs.feature ?? conflict.mine.feature;
        if (seen !== null) operations.push({ kind: 'restore', layerId, featureId, to: seen });
        operations.push({ kind: 'restore', layerId, featureId, to: null, decides: plan.decides });
      } else {
        operations.push({ kind: 'restore', layerId, featureId, to: plan.target.feature, decides: plan.decides });
      }
      if (plan.target.feature !== null) {
        for (const [attachmentId, attached] of Object.entries(plan.target.photos).sort()) {
          const now = current.feature !== null && current.photos[attachmentId] === true;
          if (attached && !now) operations.push({ kind: 'reattach', layerId, featureId, attachmentId });
          if (!attached && now) operations.push({ kind: 'detach', layerId, featureId, attachmentId });
        }
      }
      const committed = await transact(database, {
        author: request.author,
        operations,
        allowAnyStatusChange: true,
        resolves: record.id,
        ...(request.note === undefined ? {} : { note: request.note }),
        ...(request.time === undefined ? {} : { time: request.time }),
      });
      await database.syncConflicts.put({
        ...record,
        status: 'resolved',
        resolution: { changeId: committed.changeId, choice: request.choice.kind, time: committed.time },
      });
      return committed;
    })
    .catch(rethrowStorageError);
}

/** `layerId/featureId` of every feature with a conflict waiting (for map flags and dashboards). */
export async function conflictedFeatureKeys(database: OneMapDatabase): Promise<Set<string>> {
  return new Set((await listSyncConflicts(database)).map((view) => `${view.layerId}/${view.featureId}`));
}
