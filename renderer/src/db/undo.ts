// Undo and redo, derived from the journal in IndexedDB — never from memory — so they survive a
// restart and agree across windows.
//
// Every change (one `transact` call, one `changeId`) is one step. An ordinary edit (including a
// "restore this version") pushes itself on the undo stack and clears the redo stack; an undo
// pops the undo stack and pushes itself on the redo stack; a redo pops the redo stack and
// pushes itself on the undo stack. The journal says which kind each change is (`undoes` /
// `redoes` on its entries), so the stacks can be rebuilt at any time by matching pushes and pops
// walking back from the newest change — like brackets — without reading the whole journal: the
// walk stops at the first unmatched step, usually the newest change.
//
// A change that wrote no feature journal entry — an import into a new layer written as its packed
// base, a layer renamed, and the undo and redo of those — is known by its `layerJournal` records
// instead, which carry `journalPosition` (the journal's last sequence when it committed): it takes
// its place among the journal's changes right after that entry. A change may have both (a small
// import: `create-layer` + a create per feature; a deleted layer: a delete per versioned feature +
// `remove-layer`): its undo inverts both in one change. Undo of a layer's creation removes the
// layer (definition, base record, edit rows; its chunks stay), redo puts it all back (transact
// `remove-layer` / `create-layer` with `reinstate`); a rename is undone by the rename back.
//
// Undo of change C is a new change that inverts C's entries in reverse order: a feature goes
// back to its `before` snapshot (re-created if C deleted it, deleted if C created it), an
// attached photo is detached and a detached one attached again (its bytes were kept). Redo of
// an undo U inverts U the same way. Both go through `transact` with `allowAnyStatusChange`, so
// they are validated and journaled like any edit, and are themselves undoable.
import type { Feature, JournalEntry, JournalOperation, LocalizedText } from '../../../shared/model';
import { contentKey } from '../../../shared/sync/fields';
import type { OneMapDatabase } from './schema';
import type { LayerJournalRecord, StoredJournalEntry } from './records';
import { transact, transactTables, type CommittedChange, type FeatureContent, type FeatureOperation } from './transact';
import { readCurrentFeatures } from './base';
import { inverseDefinitionChange } from './change/apply-layer-definition';
import { rethrowStorageError, StoreError } from './durability';
import { inverseTargetRecord, isTargetRecord, targetRecordName } from './change/apply-target';

/** What a change did to the stacks: an ordinary edit, an undo or a redo. */
export type ChangeKind = 'edit' | 'undo' | 'redo';

export function changeKindOf(entry: Pick<JournalEntry, 'undoes' | 'redoes'>): ChangeKind {
  if (entry.undoes !== undefined) return 'undo';
  if (entry.redoes !== undefined) return 'redo';
  return 'edit';
}

/** A change pulled from the team hub (db/hub/pull.ts) applies hub versions. */
const isHubApplied = (entry: { applies?: readonly string[] }): boolean => entry.applies?.[0]?.startsWith('hub:') === true;

/** Where a change lies in the order of changes: `[sequence, 0, 0]` for a journal change (its first entry), `[journalPosition, 1, layer sequence]` for a layer-only change. */
type ChangeOrder = readonly [number, number, number];

function before(left: ChangeOrder, right: ChangeOrder): boolean {
  return left[0] !== right[0] ? left[0] < right[0] : left[1] !== right[1] ? left[1] < right[1] : left[2] < right[2];
}

type ChangeHead =
  | {
      changeId: string;
      kind: ChangeKind;
      order: ChangeOrder;
      /** The change's first journal entry (lowest sequence). */
      first: StoredJournalEntry;
      layerRecords?: undefined;
    }
  | {
      changeId: string;
      kind: ChangeKind;
      order: ChangeOrder;
      first?: undefined;
      /** A change with no journal entry: its `layerJournal` records, in order. */
      layerRecords: LayerJournalRecord[];
    };

const linksOf = (head: ChangeHead): { undoes?: string; redoes?: string } => head.first ?? head.layerRecords[0] ?? {};

/** The layer-only changes (see the file comment), newest first. Runs in the caller's transaction. */
async function layerOnlyChanges(database: OneMapDatabase): Promise<ChangeHead[]> {
  const byChange = new Map<string, LayerJournalRecord[]>();
  await database.layerJournal.each((record) => {
    if (record.journalPosition === undefined || isHubApplied(record)) return;
    const list = byChange.get(record.changeId);
    if (list === undefined) byChange.set(record.changeId, [record]);
    else list.push(record);
  });
  const heads: ChangeHead[] = [...byChange].map(([changeId, records]) => {
    records.sort((left, right) => (left.sequence ?? 0) - (right.sequence ?? 0));
    const first = records[0] as LayerJournalRecord;
    return { changeId, kind: changeKindOf(first), order: [first.journalPosition as number, 1, first.sequence ?? 0], layerRecords: records };
  });
  return heads.sort((left, right) => (before(left.order, right.order) ? 1 : -1));
}

const OWN_ENTRY_PAGE = 256; // pages: after a first pull the hub's entries can be thousands

/** The newest journal entry below `bound` (a sequence) that is not applied from the hub. */
async function lastOwnEntryBelow(database: OneMapDatabase, bound: number): Promise<StoredJournalEntry | undefined> {
  for (let below = bound; ; ) {
    const page = await database.journal.where(':id').below(below).reverse().limit(OWN_ENTRY_PAGE).toArray();
    const own = page.find((entry) => !isHubApplied(entry));
    if (own !== undefined || page.length < OWN_ENTRY_PAGE) return own;
    below = page[page.length - 1]!.sequence;
  }
}

/** The newest change that lies before `cursor`. Runs in the caller's transaction, if any. */
async function changeBelow(database: OneMapDatabase, cursor: ChangeOrder, layerChanges: readonly ChangeHead[]): Promise<ChangeHead | null> {
  // Journal entries up to journalPosition lie before a layer-only change placed there.
  // Changes applied from the team hub are not the user's steps: undo passes over them.
  const last = await lastOwnEntryBelow(database, cursor[1] === 0 ? cursor[0] : cursor[0] + 1);
  let journalHead: ChangeHead | null = null;
  if (last !== undefined) {
    // Equal index keys are ordered by primary key: `first()` is the change's lowest sequence.
    const first = (await database.journal.where('changeId').equals(last.changeId).first()) ?? last;
    journalHead = { changeId: last.changeId, kind: changeKindOf(first), order: [first.sequence, 0, 0], first };
  }
  const layerHead = layerChanges.find((head) => before(head.order, cursor)) ?? null;
  if (journalHead === null) return layerHead;
  if (layerHead === null) return journalHead;
  return before(journalHead.order, layerHead.order) ? layerHead : journalHead;
}

async function changeHead(database: OneMapDatabase, changeId: string): Promise<ChangeHead | null> {
  const first = await database.journal.where('changeId').equals(changeId).first();
  if (first !== undefined) return { changeId, kind: changeKindOf(first), order: [first.sequence, 0, 0], first };
  const records = await database.layerJournal.where('changeId').equals(changeId).sortBy('sequence');
  const record = records[0];
  if (record === undefined) return null;
  return { changeId, kind: changeKindOf(record), order: [record.journalPosition ?? 0, 1, record.sequence ?? 0], layerRecords: records };
}

/** The changes an undo and a redo would invert now (null when there is none). */
async function stackTops(database: OneMapDatabase): Promise<{ undo: ChangeHead | null; redo: ChangeHead | null }> {
  let undoTop: ChangeHead | null = null;
  let redoTop: ChangeHead | null = null;
  let undoSearching = true;
  let redoSearching = true;
  let unmatchedUndos = 0;
  let unmatchedRedos = 0;
  let cursor: ChangeOrder = [Infinity, 0, 0];
  const layerChanges = await layerOnlyChanges(database);
  while (undoSearching || redoSearching) {
    const change = await changeBelow(database, cursor, layerChanges);
    if (change === null) break;
    cursor = change.order;
    if (undoSearching) {
      // Pushes: edits and redos. Pops: undos.
      if (change.kind === 'undo') unmatchedUndos += 1;
      else if (unmatchedUndos > 0) unmatchedUndos -= 1;
      else {
        undoTop = change;
        undoSearching = false;
      }
    }
    if (redoSearching) {
      // Pushes: undos. Pops: redos. An edit cleared everything older.
      if (change.kind === 'edit') redoSearching = false;
      else if (change.kind === 'redo') unmatchedRedos += 1;
      else if (unmatchedRedos > 0) unmatchedRedos -= 1;
      else {
        redoTop = change;
        redoSearching = false;
      }
    }
  }
  return { undo: undoTop, redo: redoTop };
}

/** A change as the UI describes it: "undo: 张工 sealed 500 wells at 10:32". */
export interface ChangeSummary {
  /** The change that undo/redo would invert now. */
  changeId: string;
  /** The ordinary edit behind it (an undo's or a redo's chain followed back to its origin). */
  originalChangeId: string;
  author: string;
  device: string;
  /** When the original edit was made. */
  time: string;
  note?: string;
  /** Journal entries of the original edit (a bulk update of 500 wells: 500). */
  entryCount: number;
  /** The kinds of operation in it, e.g. `['update']` (looked at over its first 1,000 entries). */
  operations: JournalOperation[];
  /** The layers it touched (over its first 1,000 entries). */
  layerIds: string[];
  /** The first feature it touched, for "undo: move well W-00012"; `properties` (of the version after, else before) name it. */
  firstFeature: { layerId: string; featureId: string; properties?: Feature['properties'] };
  /** True when the original edit was itself a "restore this version". */
  isRestore: boolean;
  /** A layer imported as a packed base (and the undo/redo of that): the layer and its feature count. */
  layer?: { layerId: string; operation: LayerJournalRecord['operation']; featureCount: number; source?: string };
}

export interface UndoState {
  canUndo: boolean;
  canRedo: boolean;
  /** What undo would revert. */
  undo: ChangeSummary | null;
  /** What redo would re-apply. */
  redo: ChangeSummary | null;
}

const SUMMARY_SAMPLE = 1_000;

async function originalOf(database: OneMapDatabase, head: ChangeHead): Promise<ChangeHead> {
  let current = head;
  // undo → the change it undid; redo → the undo it reverted → …; at most one hop per step taken.
  for (let hops = 0; current.kind !== 'edit' && hops < 100_000; hops += 1) {
    const links = linksOf(current);
    const target = current.kind === 'undo' ? links.undoes : links.redoes;
    const next = target === undefined ? null : await changeHead(database, target);
    if (next === null) break;
    current = next;
  }
  return current;
}

async function summarize(database: OneMapDatabase, head: ChangeHead): Promise<ChangeSummary> {
  const original = await originalOf(database, head);
  if (original.layerRecords !== undefined) {
    const record = original.layerRecords[0] as LayerJournalRecord;
    const featureCount = record.imported?.featureCount ?? record.base?.featureCount ?? (isTargetRecord(record) ? original.layerRecords.length : 0);
    const source = targetRecordName(record) ?? record.imported?.source;
    return {
      changeId: head.changeId,
      originalChangeId: original.changeId,
      author: record.author,
      device: record.device,
      time: record.time,
      ...(record.note === undefined ? {} : { note: record.note }),
      entryCount: Math.max(featureCount, 1), // a rename or a definition change is one change
      operations: [record.operation === 'create-layer' ? 'create' : record.operation === 'remove-layer' ? 'delete' : 'update'],
      layerIds: original.layerRecords.map((candidate) => candidate.layerId),
      firstFeature: { layerId: record.layerId, featureId: '' },
      isRestore: false,
      layer: { layerId: record.target?.after?.layerId ?? record.target?.before?.layerId ?? record.layerId, operation: record.operation, featureCount, ...(source === undefined ? {} : { source }) },
    };
  }
  const collection = database.journal.where('changeId').equals(original.changeId);
  const [entryCount, sample] = await Promise.all([collection.count(), database.journal.where('changeId').equals(original.changeId).limit(SUMMARY_SAMPLE).toArray()]);
  const { first } = original;
  const snapshot = first.after ?? first.before;
  return {
    changeId: head.changeId,
    originalChangeId: original.changeId,
    author: first.author,
    device: first.device,
    time: first.time,
    ...(first.note === undefined ? {} : { note: first.note }),
    entryCount,
    operations: [...new Set(sample.map((entry) => entry.operation))],
    layerIds: [...new Set(sample.map((entry) => entry.layerId))],
    firstFeature: { layerId: first.layerId, featureId: first.featureId, ...(snapshot === null ? {} : { properties: snapshot.properties }) },
    isRestore: first.restores !== undefined,
  };
}

// No explicit transaction: in its live query one committed early in a hub workspace (Dexie
// PrematureCommitError); the query re-runs after writes, and undo re-reads in its own.
/** Whether undo/redo are possible and what they would do. */
export async function undoState(database: OneMapDatabase): Promise<UndoState> {
  const tops = await stackTops(database);
  const undo = tops.undo === null ? null : await summarize(database, tops.undo);
  const redo = tops.redo === null ? null : await summarize(database, tops.redo);
  return { canUndo: undo !== null, canRedo: redo !== null, undo, redo };
}

/**
 * The features or photos of the change to invert are no longer as that change left them (only
 * possible when something wrote outside `transact`, e.g. removed photos were purged).
 */
export class UndoConflictError extends StoreError {
  readonly messages: LocalizedText = {
    zh: '该操作涉及的要素或照片已被其他方式修改，无法撤销或重做。',
    en: 'The features or photos of this step were changed in another way: it cannot be undone or redone.',
  };

  constructor(readonly changeId: string, readonly conflicts: string[]) {
    super('store.undo-conflict', `change ${changeId} cannot be inverted: ${conflicts.slice(0, 5).join('; ')}`);
    this.name = 'UndoConflictError';
  }
}

export function featureContent(feature: Feature): FeatureContent {
  return { geometry: feature.geometry, properties: feature.properties, status: feature.status, county: feature.county, demo: feature.demo, createdAt: feature.createdAt };
}

/** The operations that undo `entries` (one change), newest entry first. */
export function inverseOperations(entries: readonly JournalEntry[]): FeatureOperation[] {
  const operations: FeatureOperation[] = [];
  for (let index = entries.length - 1; index >= 0; index -= 1) {
    const entry = entries[index] as JournalEntry;
    const { layerId, featureId } = entry;
    if (entry.operation === 'attach') operations.push({ kind: 'detach', layerId, featureId, attachmentId: (entry.attachment as { id: string }).id });
    else if (entry.operation === 'detach') operations.push({ kind: 'reattach', layerId, featureId, attachmentId: (entry.attachment as { id: string }).id });
    else operations.push({ kind: 'restore', layerId, featureId, to: entry.before === null ? null : featureContent(entry.before) });
  }
  return operations;
}

/** The operations that undo a layer-only change (its `layerJournal` records), newest first. */
export function inverseLayerOperations(records: readonly LayerJournalRecord[]): FeatureOperation[] {
  const operations: FeatureOperation[] = [];
  for (let index = records.length - 1; index >= 0; index -= 1) {
    const record = records[index] as LayerJournalRecord;
    const targetInverse = isTargetRecord(record) ? inverseTargetRecord(record) : undefined;
    if (targetInverse !== undefined) operations.push(...(targetInverse === null ? [] : [targetInverse]));
    else if (record.operation === 'create-layer') operations.push({ kind: 'remove-layer', layerId: record.layerId });
    else if (record.operation === 'rename-layer') {
      if (record.before !== null) operations.push({ kind: 'rename-layer', layerId: record.layerId, name: record.before.name });
    } else if (record.operation === 'update-layer') operations.push(...inverseDefinitionChange(record));
    else if (record.before !== null) {
      operations.push({ kind: 'create-layer', layerId: record.layerId, layer: record.before, reinstate: record.removed ?? { base: null, edits: [] } });
    }
  }
  return operations;
}

/** Checks that the store is still as `entries` left it; throws {@link UndoConflictError} if not. */
async function assertStillAsLeft(database: OneMapDatabase, changeId: string, entries: readonly StoredJournalEntry[]): Promise<void> {
  const lastFeatureValue = new Map<string, { layerId: string; featureId: string; after: Feature | null }>();
  const lastAttachmentState = new Map<string, boolean>();
  for (const entry of entries) {
    if (entry.attachment !== undefined) lastAttachmentState.set(entry.attachment.id, entry.operation === 'attach');
    else lastFeatureValue.set(`${entry.layerId}\u0000${entry.featureId}`, { layerId: entry.layerId, featureId: entry.featureId, after: entry.after });
  }
  const problems: string[] = [];
  const byLayer = new Map<string, { featureId: string; after: Feature | null }[]>();
  for (const value of lastFeatureValue.values()) {
    const list = byLayer.get(value.layerId) ?? [];
    list.push(value);
    byLayer.set(value.layerId, list);
  }
  for (const [layerId, values] of byLayer) {
    const { features } = await readCurrentFeatures(database, layerId, values.map((value) => value.featureId));
    for (const value of values) {
      if (contentKey(features.get(value.featureId) ?? null) !== contentKey(value.after)) problems.push(`${layerId}/${value.featureId} changed since`);
    }
  }
  const attachmentIds = [...lastAttachmentState.keys()];
  const records = await database.attachments.bulkGet(attachmentIds);
  records.forEach((record, index) => {
    const id = attachmentIds[index] as string;
    if (record === undefined) problems.push(`photo ${id} was purged`);
    else if ((record.removedAt === null) !== lastAttachmentState.get(id)) problems.push(`photo ${id} changed since`);
  });
  if (problems.length > 0) throw new UndoConflictError(changeId, problems);
}

export interface UndoOptions {
  /** Who undoes (the journal records it like any edit). */
  author: string;
  /** Now when absent (tests pin it). */
  time?: Date;
  note?: string;
}

async function invertTop(database: OneMapDatabase, which: 'undo' | 'redo', options: UndoOptions): Promise<CommittedChange | null> {
  return database
    .transaction('rw', transactTables(database), async () => {
      const top = (await stackTops(database))[which];
      if (top === null) return null;
      const links = which === 'undo' ? { undoes: top.changeId } : { redoes: top.changeId };
      if (top.layerRecords !== undefined) {
        return transact(database, {
          author: options.author,
          operations: inverseLayerOperations(top.layerRecords),
          links,
          ...(options.time === undefined ? {} : { time: options.time }),
          ...(options.note === undefined ? {} : { note: options.note }),
        });
      }
      const entries = await database.journal.where('changeId').equals(top.changeId).sortBy('sequence');
      await assertStillAsLeft(database, top.changeId, entries);
      // The layers the change created, renamed or removed along with its feature entries.
      const layerRecords = await database.layerJournal.where('changeId').equals(top.changeId).sortBy('sequence');
      return transact(database, {
        author: options.author,
        operations: [...inverseOperations(entries), ...inverseLayerOperations(layerRecords)],
        allowAnyStatusChange: true,
        links,
        ...(options.time === undefined ? {} : { time: options.time }),
        ...(options.note === undefined ? {} : { note: options.note }),
      });
    })
    .catch(rethrowStorageError);
}

/** Reverts the newest change not yet undone, all of it (500 wells in one bulk update: one step); null when there is none. */
export function undo(database: OneMapDatabase, options: UndoOptions): Promise<CommittedChange | null> {
  return invertTop(database, 'undo', options);
}

/** Re-applies the most recently undone change; null when there is nothing to redo. */
export function redo(database: OneMapDatabase, options: UndoOptions): Promise<CommittedChange | null> {
  return invertTop(database, 'redo', options);
}
