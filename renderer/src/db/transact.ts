// transact(): the ONE write path for user edits. In a single read-write transaction it reads the
// current features, applies the operations, validates every result, writes the per-feature edit
// rows and appends one journal entry per feature operation — all of it or none of it. The
// promise resolves only after IndexedDB reports the transaction committed, so the UI shows
// "saved" only then. Layers: `create-layer` (optionally with an imported packed base — a staged
// generation the streamed import already wrote, checked complete and switched to here, or an
// `ImportedLayerBase` written as chunks in this same transaction — journaled by one `layerJournal`
// record instead of one entry per feature), `rename-layer`, and `remove-layer` (deleting a layer,
// or undoing the change that created it — possibly with the deletes of its features; redo is
// `create-layer` + `reinstate`).
import { Dexie } from 'dexie';
import { raiseStoreMarker } from './store-loss';
import {
  attachmentReferenceSchema,
  canTransition,
  featureSchema,
  journalEntrySchema,
  layerDefinitionSchema,
  makeFeatureCode,
  type AttachmentReference,
  type Feature,
  type Geometry,
  type JournalEntry,
  type LayerDefinition,
  type LocalizedText,
  type PropertyValue,
  type ValidationIssue,
} from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import type { AttachmentRecord, FeatureChunkRecord, FeatureEditRecord, LayerBaseRecord, LayerJournalRecord, StoredJournalEntry } from './records';
import { META_KEYS } from './records';
import { chunkRecord, readCurrentFeatures } from './base';
import { checkFeature, ImportedLayerBase } from './imported-base';
import { isStagedLayerBase, switchOverStagedBase, type StagedLayerBase } from './staged-base';
import { ensureWorkspaceIdentity, randomId } from './identity';
import { linkVersions } from './sync-heads';
import { rethrowStorageError, StoreError } from './durability';

/** A feature to create; the store fills in times and revision. */
export interface NewFeature {
  /** Stable id; a random UUID when absent. */
  id?: string;
  geometry: Geometry;
  properties: Record<string, PropertyValue>;
  /** Defaults to the layer's initial status. */
  status?: string;
  county?: number | null;
  demo?: boolean;
}

/** The values of a feature that a `restore` operation brings back (a journal snapshot fits). */
export type FeatureContent = Pick<Feature, 'geometry' | 'properties' | 'status' | 'county' | 'demo' | 'createdAt'>;

/** A photo (or other file) to attach; the store keeps the Blobs as they are, it never decodes them. */
export interface NewAttachment {
  /** Stable id; a random UUID when absent. */
  id?: string;
  blob: Blob;
  fileName: string;
  mediaType: string;
  /** A small preview made by the caller (e.g. drawn on a canvas). */
  thumbnail?: Blob | null;
  /** When the photo was first attached; the change's time when absent (sync keeps the original). */
  createdAt?: string;
}

export type FeatureOperation =
  | { kind: 'create'; layerId: string; feature: NewFeature }
  | {
      /** Properties and/or status (and county). */
      kind: 'update';
      layerId: string;
      featureId: string;
      /** Merged into the current properties; a key set to `undefined` is removed. */
      properties?: Record<string, PropertyValue | undefined>;
      status?: string;
      county?: number | null;
    }
  | { kind: 'update-geometry'; layerId: string; featureId: string; geometry: Geometry }
  /** Deletes the feature and detaches (softly) its photos, in the same change. */
  | { kind: 'delete'; layerId: string; featureId: string }
  /**
   * Makes the feature equal to `to` — re-creating it if it is deleted, deleting it (as `delete`
   * does) if `to` is null. Journaled as a create, update or delete. Used by undo, redo and
   * "restore this version"; the revision still only grows.
   */
  | ({ kind: 'restore'; layerId: string; featureId: string; to: FeatureContent | null } & SyncOperationFields & { decides?: readonly string[] })
  /** Attaches a new photo to an existing feature. */
  | ({ kind: 'attach'; layerId: string; featureId: string; attachment: NewAttachment } & SyncOperationFields)
  /** Attaches again a photo that was detached (its bytes were kept): undo of a detach, redo of an attach. */
  | ({ kind: 'reattach'; layerId: string; featureId: string; attachmentId: string } & SyncOperationFields)
  /** Detaches a photo softly (sets `removedAt`, keeps the bytes so undo can bring it back). */
  | ({ kind: 'detach'; layerId: string; featureId: string; attachmentId: string } & SyncOperationFields)
  /**
   * Adds a new layer definition (an import creating its layer); `layerId` is `layer.id`. Validated
   * with shared/model, refused if the id exists; journaled in `layerJournal` under the change's id.
   * Features of the same change may be created in it. With `base` (the bulk-load path of an
   * import), the layer's features are written as its packed base — chunks in Hilbert order, no
   * edit row and no journal entry per feature: the `layerJournal` record says the layer was
   * imported with N features (from `source`). A {@link StagedLayerBase} (the streamed import,
   * staged-base.ts) is already written as a staged generation: the change only checks it is all
   * there and points the layer at it. With `reinstate` (redo of an undone import), the base
   * and edit rows that the `remove-layer` kept are put back.
   */
  | ({
      kind: 'create-layer';
      layerId: string;
      layer: LayerDefinition;
      base?: ImportedLayerBase | StagedLayerBase;
      /** The file (or other source) an imported layer came from, for its journal record. */
      source?: string;
      reinstate?: RemovedLayerState;
    } & LayerSyncFields)
  /** Gives an existing layer a new display name (zh and en); journaled in `layerJournal` (before/after). */
  | ({ kind: 'rename-layer'; layerId: string; name: LocalizedText } & LayerSyncFields)
  /**
   * Takes a layer away (a deleted layer, or undo of the change that created it): its definition,
   * its base record and its edit rows — those this change writes included — go; its chunks stay,
   * so undo (a `create-layer` with `reinstate`) brings it all back. The `layerJournal` record keeps
   * what was removed. The change's other operations on that layer may only delete features.
   */
  | ({ kind: 'remove-layer'; layerId: string } & LayerSyncFields);

/** Sync (sync.ts): the layer changes received from other devices that a layer operation applies. */
export interface LayerSyncFields {
  applies?: readonly string[];
}

/** What a `remove-layer` took away (kept in its `layerJournal` record): enough to put it back. */
export interface RemovedLayerState {
  base: LayerBaseRecord | null;
  edits: FeatureEditRecord[];
}

/** Chunks per bulk write while a packed base is written inside the change's transaction. */
const BASE_CHUNKS_PER_WRITE = 16;

/**
 * Sync (sync.ts): `applies` — the operation applies versions received from other devices (their
 * ids): its entries are not versions and leave the heads to sync.ts. `decides` (restore only) —
 * field keys a conflict resolution decided, on the feature's entry (see shared/sync/fields.ts).
 */
export interface SyncOperationFields {
  applies?: readonly string[];
}

/** What a change answers to, copied onto each of its journal entries (see `JournalEntry`). */
export interface ChangeLinks {
  undoes?: string;
  redoes?: string;
  restores?: string;
}

export interface Change {
  /** Who makes the change (shown in history). */
  author: string;
  /** One operation, or many committed as one group (one `changeId`, undone together). */
  operations: readonly FeatureOperation[];
  note?: string;
  /**
   * Skip the status workflow's allowed transitions — for undo and "restore this version",
   * which move a feature back. Field and status values are still validated.
   */
  allowAnyStatusChange?: boolean;
  /** The change's time; now when absent (tests pin it). */
  time?: Date;
  /** Set by undo, redo and restore (undo.ts, history.ts) so the journal says what they answer to. */
  links?: ChangeLinks;
  /** Sync: the review-queue conflict this change resolves (on its feature entries). */
  resolves?: string;
  /** The author's user name on every entry; the installation's user name (meta) when absent. */
  authorName?: string;
  /**
   * Cancels the change (a cancelled import): seen before it is applied and before anything is
   * written, and an abort while it writes aborts its IndexedDB transaction. It then rejects with
   * {@link ChangeAbortedError} and nothing is written. An abort after the commit changes nothing.
   */
  signal?: ChangeSignal;
}

/** An AbortSignal, or anything that says whether it was aborted. */
export interface ChangeSignal {
  readonly aborted: boolean;
  addEventListener?(type: 'abort', listener: () => void): void;
  removeEventListener?(type: 'abort', listener: () => void): void;
}

/** The change's `signal` was aborted before it was written: nothing was written. */
export class ChangeAbortedError extends StoreError {
  readonly messages = { zh: '已取消，未写入任何数据。', en: 'Cancelled: nothing was written.' };

  constructor() {
    super('change aborted before it was written: nothing was written');
    this.name = 'ChangeAbortedError';
  }
}

export interface CommittedFeature {
  layerId: string;
  featureId: string;
  /** The feature after the change; null when deleted. */
  feature: Feature | null;
}

export interface CommittedChange {
  changeId: string;
  time: string;
  /** The journal entries appended, in order, with their journal sequence numbers. */
  entries: StoredJournalEntry[];
  /** The final value of every feature the change touched, once each. */
  features: CommittedFeature[];
  /** Every attachment the change attached or detached, once each, with its final state. */
  attachments: CommittedAttachment[];
  /** Ids of the layers the change created (`create-layer`). */
  createdLayers: string[];
  /** Ids of the layers the change removed (`remove-layer`). */
  removedLayers: string[];
  /** Ids of the layers the change renamed (`rename-layer`). */
  renamedLayers: string[];
  /** The `layerJournal` records the change appended. */
  layerEntries: LayerJournalRecord[];
}

export interface CommittedAttachment {
  id: string;
  layerId: string;
  featureId: string;
  /** False when the change left it detached. */
  attached: boolean;
}

export interface OperationProblem {
  operationIndex: number;
  layerId: string;
  featureId: string | null;
  issues: ValidationIssue[];
}

/** Thrown (and nothing written) when any operation of a change is invalid. */
export class ChangeRejectedError extends Error {
  constructor(readonly problems: OperationProblem[]) {
    const described = problems
      .slice(0, 5)
      .map((problem) => `#${problem.operationIndex} ${problem.layerId}/${problem.featureId ?? '(new)'}: ${problem.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
    if (problems.length > 5) described.push(`and ${problems.length - 5} more`);
    super(`change rejected: ${described.join(' | ')}`);
    this.name = 'ChangeRejectedError';
  }
}

function featureKey(layerId: string, featureId: string): string {
  return `${layerId}\u0000${featureId}`;
}

type LayerOperation = Extract<FeatureOperation, { kind: 'create-layer' | 'rename-layer' | 'remove-layer' }>;

const isLayerOperation = (operation: FeatureOperation): operation is LayerOperation =>
  operation.kind === 'create-layer' || operation.kind === 'rename-layer' || operation.kind === 'remove-layer';

function operationFeatureId(operation: FeatureOperation): string | undefined {
  return operation.kind === 'create' ? operation.feature.id : isLayerOperation(operation) ? undefined : operation.featureId;
}

/** A feature operation that deletes its feature or takes a photo off it: the only kinds a change removing their layer may hold. */
const deletesFeature = (operation: FeatureOperation): boolean => operation.kind === 'delete' || operation.kind === 'detach' || (operation.kind === 'restore' && operation.to === null);

export function attachmentReference(record: AttachmentRecord): AttachmentReference {
  return {
    id: record.id,
    fileName: record.fileName,
    mediaType: record.mediaType,
    byteSize: record.byteSize,
    hasThumbnail: record.thumbnail !== null,
    createdAt: record.createdAt,
  };
}

function isBlob(value: unknown): value is Blob {
  return typeof Blob !== 'undefined' && value instanceof Blob;
}

function newAttachmentIssues(attachment: NewAttachment): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isBlob(attachment.blob)) issues.push({ path: 'attachment.blob', message: 'the photo must be a Blob' });
  if (attachment.thumbnail !== undefined && attachment.thumbnail !== null && !isBlob(attachment.thumbnail)) {
    issues.push({ path: 'attachment.thumbnail', message: 'the thumbnail must be a Blob' });
  }
  if (attachment.id !== undefined && attachment.id.trim() === '') issues.push({ path: 'attachment.id', message: 'an attachment id cannot be empty' });
  return issues;
}

/** Operations that read or write the attachments of their feature. */
function touchesAttachments(operation: FeatureOperation): boolean {
  return operation.kind === 'delete' || operation.kind === 'restore' || operation.kind === 'attach' || operation.kind === 'reattach' || operation.kind === 'detach';
}

/** Field checks that need the before state: the workflow and the date of the new status. */
function statusChangeIssues(layer: LayerDefinition, before: Feature | null, after: Feature, allowAnyStatusChange: boolean): ValidationIssue[] {
  if (before !== null && before.status === after.status) return [];
  const issues: ValidationIssue[] = [];
  if (before !== null && !allowAnyStatusChange && !canTransition(layer, before.status, after.status)) {
    issues.push({ path: 'status', message: `"${before.status}" cannot move to "${after.status}"` });
  }
  const state = layer.status.states.find((candidate) => candidate.value === after.status);
  if (before !== null && state?.dateField !== undefined) {
    const date = after.properties[state.dateField];
    if (date === undefined || date === null) {
      issues.push({ path: state.dateField, message: `entering "${after.status}" needs ${state.dateField}` });
    }
  }
  return issues;
}

function schemaIssues(feature: Feature): ValidationIssue[] {
  const result = featureSchema.safeParse(feature);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ path: issue.path.join('.') || 'feature', message: issue.message }));
}

interface NewLayer {
  layer: LayerDefinition;
  base?: ImportedLayerBase | StagedLayerBase;
  reinstate?: RemovedLayerState;
  source?: string;
  applies?: readonly string[];
}

/**
 * Writes an imported layer's features as a new chunk generation and points the layer's base at
 * it, inside the caller's (transact's) transaction: a few chunks per bulk write, each write awaited
 * (IndexedDB work only, so the transaction stays open), the chunks' features let go of once
 * written, the signal checked between writes.
 */
async function writeImportedBase(database: OneMapDatabase, layerId: string, base: ImportedLayerBase, checkAborted: () => void): Promise<LayerBaseRecord> {
  const last = await database.meta.get(META_KEYS.lastGeneration);
  const generation = (typeof last?.value === 'number' ? last.value : 0) + 1;
  await database.meta.put({ key: META_KEYS.lastGeneration, value: generation });
  const packed = base.pack();
  const { chunks } = packed;
  for (let start = 0; start < chunks.length; start += BASE_CHUNKS_PER_WRITE) {
    checkAborted();
    const records: FeatureChunkRecord[] = [];
    for (let index = start; index < Math.min(start + BASE_CHUNKS_PER_WRITE, chunks.length); index += 1) records.push(chunkRecord(layerId, generation, chunks[index]!));
    await database.featureChunks.bulkAdd(records);
    // IndexedDB copied them: hold each feature once at most, not once more per written chunk.
    for (let index = start; index < Math.min(start + BASE_CHUNKS_PER_WRITE, chunks.length); index += 1) chunks[index] = { ...chunks[index]!, features: [], featureIds: [] };
    base.onWritten?.(Math.min(start + BASE_CHUNKS_PER_WRITE, chunks.length), chunks.length);
  }
  const record: LayerBaseRecord = {
    layerId,
    generation,
    chunkCount: chunks.length,
    featureCount: packed.featureCount,
    bbox: packed.bbox,
    seedVersion: null,
    foldedDeletions: [],
  };
  await database.layerBases.add(record);
  return record;
}

/** The tables `transact` writes in; a caller that wraps it in its own transaction must include them. */
export function transactTables(database: OneMapDatabase) {
  return [
    database.layers,
    database.layerBases,
    database.featureChunks,
    database.featureEdits,
    database.journal,
    database.attachments,
    database.meta,
    database.layerJournal,
    database.syncHeads,
  ];
}

/**
 * Applies a change. Resolves with what was committed once the transaction has committed;
 * rejects with {@link ChangeRejectedError} (nothing written) if any operation is invalid, with
 * `StorageFullError` (nothing written) when IndexedDB is out of space, or with the IndexedDB
 * error (nothing written) if the transaction fails otherwise.
 */
export async function transact(database: OneMapDatabase, change: Change): Promise<CommittedChange> {
  if (change.author.trim() === '') throw new ChangeRejectedError([{ operationIndex: -1, layerId: '', featureId: null, issues: [{ path: 'author', message: 'a change needs an author' }] }]);
  const time = (change.time ?? new Date()).toISOString();
  const changeId = randomId();
  const allowAnyStatusChange = change.allowAnyStatusChange === true;
  const links: ChangeLinks = {};
  if (change.links?.undoes !== undefined) links.undoes = change.links.undoes;
  if (change.links?.redoes !== undefined) links.redoes = change.links.redoes;
  if (change.links?.restores !== undefined) links.restores = change.links.restores;
  const checkAborted = (): void => {
    if (change.signal?.aborted === true) throw new ChangeAbortedError();
  };
  checkAborted();
  let openTransaction: { abort(): void } | null = null;
  const abortTransaction = (): void => {
    try {
      openTransaction?.abort();
    } catch {
      // Already committed or failed: nothing to abort.
    }
  };
  change.signal?.addEventListener?.('abort', abortTransaction);

  return database
    .transaction('rw', transactTables(database), async (transaction) => {
      openTransaction = transaction;
      const { deviceId, userName } = await ensureWorkspaceIdentity(database);
      const authorName = change.authorName ?? userName ?? undefined;

      // Read everything the change touches, once, before applying anything.
      const layerIds = [...new Set(change.operations.map((operation) => operation.layerId))];
      const layerRecords = await database.layers.bulkGet(layerIds);
      const layers = new Map<string, LayerDefinition>();
      layerRecords.forEach((layer) => {
        if (layer !== undefined) layers.set(layer.id, layer);
      });
      // New layers first, so that features of the same change can be created in them.
      const problems: OperationProblem[] = [];
      const newLayers: NewLayer[] = [];
      const removedLayers: { layer: LayerDefinition; applies?: readonly string[] }[] = [];
      const renamedLayers: { before: LayerDefinition; after: LayerDefinition; applies?: readonly string[] }[] = [];
      const featureLayerIds = new Set(change.operations.filter((operation) => !isLayerOperation(operation)).map((operation) => operation.layerId));
      const keptLayerIds = new Set(change.operations.filter((operation) => !isLayerOperation(operation) && !deletesFeature(operation)).map((operation) => operation.layerId));
      change.operations.forEach((operation, operationIndex) => {
        if (!isLayerOperation(operation)) return;
        const reject = (issues: ValidationIssue[]): void => {
          problems.push({ operationIndex, layerId: operation.layerId, featureId: null, issues });
        };
        const isNew = newLayers.some((candidate) => candidate.layer.id === operation.layerId);
        if (operation.kind === 'remove-layer' || operation.kind === 'rename-layer') {
          const layer = layers.get(operation.layerId);
          if (layer === undefined || isNew) return reject([{ path: 'layerId', message: `no layer "${operation.layerId}"` }]);
          if (removedLayers.some((removed) => removed.layer.id === layer.id)) return reject([{ path: 'layerId', message: `layer "${operation.layerId}" is removed in this change` }]);
          if (operation.kind === 'rename-layer') {
            if (renamedLayers.some((renamed) => renamed.before.id === layer.id)) return reject([{ path: 'layerId', message: `layer "${operation.layerId}" is renamed twice` }]);
            const parsed = layerDefinitionSchema.safeParse({ ...layer, name: operation.name });
            if (!parsed.success) return reject(parsed.error.issues.map((issue) => ({ path: `layer.${issue.path.join('.')}`, message: issue.message })));
            renamedLayers.push({ before: layer, after: parsed.data, ...(operation.applies === undefined ? {} : { applies: operation.applies }) });
            return;
          }
          // Its features may only be deleted with it (undo of a small import deletes them, then the layer).
          if (keptLayerIds.has(operation.layerId)) return reject([{ path: 'layerId', message: 'a layer can be removed only in a change that deletes the features it touches' }]);
          if (renamedLayers.some((renamed) => renamed.before.id === layer.id)) return reject([{ path: 'layerId', message: `layer "${operation.layerId}" is renamed in this change` }]);
          removedLayers.push({ layer, ...(operation.applies === undefined ? {} : { applies: operation.applies }) });
          return;
        }
        const parsed = layerDefinitionSchema.safeParse(operation.layer);
        if (!parsed.success) return reject(parsed.error.issues.map((issue) => ({ path: `layer.${issue.path.join('.')}`, message: issue.message })));
        if (parsed.data.id !== operation.layerId) return reject([{ path: 'layer.id', message: `the layer's id "${parsed.data.id}" is not "${operation.layerId}"` }]);
        if (layers.has(operation.layerId)) return reject([{ path: 'layer.id', message: `layer "${operation.layerId}" already exists` }]);
        const { base, reinstate } = operation;
        if (base !== undefined) {
          // Every feature of the base was validated against this very definition as it was added.
          const staged = isStagedLayerBase(base);
          if (!(base instanceof ImportedLayerBase) && !staged) return reject([{ path: 'base', message: 'a base must be an ImportedLayerBase or a StagedLayerBase made by the import' }]);
          if (base.layer !== operation.layer) return reject([{ path: 'base', message: 'the base was validated against another layer definition' }]);
          if (!staged && base.invalid) return reject([{ path: 'base', message: 'the base holds features that were refused' }]);
          if (base.time !== time) return reject([{ path: 'base', message: `the base's features were made at ${base.time}, not at the change's time ${time}` }]);
          if (reinstate !== undefined) return reject([{ path: 'reinstate', message: 'a new layer has a base or a reinstated base, not both' }]);
          if (featureLayerIds.has(operation.layerId)) return reject([{ path: 'base', message: 'a layer imported with a base has no other feature operations in its change' }]);
        }
        if (reinstate !== undefined && reinstate.base !== null && reinstate.base.layerId !== operation.layerId) return reject([{ path: 'reinstate', message: 'the reinstated base is of another layer' }]);
        layers.set(operation.layerId, parsed.data);
        newLayers.push({
          layer: parsed.data,
          ...(base === undefined ? {} : { base }),
          ...(reinstate === undefined ? {} : { reinstate }),
          ...(operation.source === undefined ? {} : { source: operation.source }),
          ...(operation.applies === undefined ? {} : { applies: operation.applies }),
        });
      });
      const current = new Map<string, Feature | null>();
      const tombstoneRevisions = new Map<string, number>();
      for (const layerId of layerIds) {
        const ids = [...new Set(change.operations.filter((operation) => operation.layerId === layerId).map(operationFeatureId).filter((id): id is string => id !== undefined))];
        const { features, edits } = await readCurrentFeatures(database, layerId, ids);
        for (const [featureId, feature] of features) current.set(featureKey(layerId, featureId), feature);
        for (const [featureId, edit] of edits) if (edit.feature === null) tombstoneRevisions.set(featureKey(layerId, featureId), edit.revision);
        // A deleted feature whose tombstone compaction folded away: its journal still knows the
        // last revision, so a re-create (or an undo of the delete) continues it.
        for (const [featureId, feature] of features) {
          const key = featureKey(layerId, featureId);
          if (feature !== null || tombstoneRevisions.has(key)) continue;
          const last = await database.journal.where('[layerId+featureId]').equals([layerId, featureId]).last();
          const revision = last?.after?.revision ?? (last?.before === null || last?.before === undefined ? undefined : last.before.revision + 1);
          if (revision !== undefined) tombstoneRevisions.set(key, revision);
        }
      }
      // The attachments of every feature whose photos the change may touch, and any named by id.
      const attachmentState = new Map<string, AttachmentRecord>();
      const attachmentOperations = change.operations.filter(touchesAttachments);
      if (attachmentOperations.length > 0) {
        const keys = [...new Map(attachmentOperations.map((operation) => [featureKey(operation.layerId, operationFeatureId(operation) ?? ''), [operation.layerId, operationFeatureId(operation) ?? '']])).values()];
        for (const record of await database.attachments.where('[layerId+featureId]').anyOf(keys).toArray()) attachmentState.set(record.id, { ...record });
        const namedIds = attachmentOperations.flatMap((operation) =>
          operation.kind === 'attach' ? (operation.attachment.id === undefined ? [] : [operation.attachment.id]) : operation.kind === 'reattach' || operation.kind === 'detach' ? [operation.attachmentId] : [],
        );
        for (const record of await database.attachments.bulkGet(namedIds)) if (record !== undefined) attachmentState.set(record.id, { ...record });
      }
      const newAttachmentIds = new Set<string>();
      const changedAttachmentIds = new Set<string>();
      // Readable codes (shared/model/feature-code.ts) for features created without an id: this
      // device's counter per layer, read and raised in this transaction.
      const codeLayerIds = [...new Set(change.operations.filter((operation) => operation.kind === 'create' && operation.feature.id === undefined && layers.get(operation.layerId)?.featureCode !== undefined).map((operation) => operation.layerId))];
      const codeCounters = new Map<string, number>();
      (await database.meta.bulkGet(codeLayerIds.map((layerId) => `${META_KEYS.featureCodePrefix}${layerId}`))).forEach((record, index) => codeCounters.set(codeLayerIds[index]!, typeof record?.value === 'number' ? record.value : 0));
      const codeCountersAtStart = new Map(codeCounters);
      checkAborted();

      const drafts: Omit<JournalEntry, 'id'>[] = [];
      let syncFields: SyncOperationFields & { decides?: readonly string[] } = {};
      const syncDraftFields = (operation: JournalEntry['operation']): Partial<JournalEntry> => ({
        ...(authorName === undefined ? {} : { authorName }),
        ...(syncFields.applies === undefined ? {} : { applies: [...syncFields.applies] }),
        ...(operation === 'attach' || operation === 'detach' || syncFields.decides === undefined ? {} : { decides: [...syncFields.decides] }),
        ...(operation === 'attach' || operation === 'detach' || change.resolves === undefined ? {} : { resolves: change.resolves }),
      });
      const journalDraft = (layerId: string, featureId: string, operation: JournalEntry['operation'], snapshots: { before: Feature | null; after: Feature | null; attachment?: AttachmentReference }): Omit<JournalEntry, 'id'> => ({
        ...syncDraftFields(operation),
        changeId,
        layerId,
        featureId,
        operation,
        before: snapshots.before,
        after: snapshots.after,
        ...(snapshots.attachment === undefined ? {} : { attachment: snapshots.attachment }),
        author: change.author,
        device: deviceId,
        time,
        ...(change.note === undefined ? {} : { note: change.note }),
        ...links,
      });
      const activeAttachmentsOf = (layerId: string, featureId: string): AttachmentRecord[] =>
        [...attachmentState.values()]
          .filter((record) => record.layerId === layerId && record.featureId === featureId && record.removedAt === null)
          .sort((left, right) => left.createdAt.localeCompare(right.createdAt) || left.id.localeCompare(right.id));

      change.operations.forEach((operation, operationIndex) => {
        if (isLayerOperation(operation)) return; // applied above
        syncFields = operation.kind === 'restore' || operation.kind === 'attach' || operation.kind === 'reattach' || operation.kind === 'detach' ? operation : {};
        const layer = layers.get(operation.layerId);
        const featureId = operation.kind === 'create' ? (operation.feature.id ?? randomId()) : operation.featureId;
        const reject = (issues: ValidationIssue[]): void => {
          problems.push({ operationIndex, layerId: operation.layerId, featureId, issues });
        };
        if (layer === undefined) return reject([{ path: 'layerId', message: `unknown layer "${operation.layerId}"` }]);
        const key = featureKey(operation.layerId, featureId);
        const before = current.get(key) ?? null;

        // Photos: attach, re-attach, detach. The feature itself does not change.
        if (operation.kind === 'attach' || operation.kind === 'reattach' || operation.kind === 'detach') {
          if (operation.kind !== 'detach' && before === null) return reject([{ path: 'id', message: `no feature "${featureId}"` }]);
          let record: AttachmentRecord;
          if (operation.kind === 'attach') {
            const issues = newAttachmentIssues(operation.attachment);
            if (issues.length > 0) return reject(issues);
            const id = operation.attachment.id ?? randomId();
            if (attachmentState.has(id)) return reject([{ path: 'attachment.id', message: `attachment "${id}" already exists` }]);
            record = {
              id,
              layerId: operation.layerId,
              featureId,
              fileName: operation.attachment.fileName,
              mediaType: operation.attachment.mediaType,
              byteSize: operation.attachment.blob.size,
              blob: operation.attachment.blob,
              thumbnail: operation.attachment.thumbnail ?? null,
              createdAt: operation.attachment.createdAt ?? time,
              removedAt: null,
            };
            attachmentState.set(id, record);
            newAttachmentIds.add(id);
          } else {
            const found = attachmentState.get(operation.attachmentId);
            if (found === undefined || found.layerId !== operation.layerId || found.featureId !== featureId) {
              return reject([{ path: 'attachmentId', message: `feature "${featureId}" has no attachment "${operation.attachmentId}"` }]);
            }
            if (operation.kind === 'detach' && found.removedAt !== null) return reject([{ path: 'attachmentId', message: `attachment "${found.id}" is already detached` }]);
            if (operation.kind === 'reattach' && found.removedAt === null) return reject([{ path: 'attachmentId', message: `attachment "${found.id}" is attached` }]);
            found.removedAt = operation.kind === 'detach' ? time : null;
            record = found;
          }
          const attachment = attachmentReference(record);
          if (!attachmentReferenceSchema.safeParse(attachment).success) return reject([{ path: 'attachment', message: 'file name and media type are required' }]);
          changedAttachmentIds.add(record.id);
          drafts.push(journalDraft(operation.layerId, featureId, operation.kind === 'detach' ? 'detach' : 'attach', { before: null, after: null, attachment }));
          return;
        }

        let after: Feature | null;
        switch (operation.kind) {
          case 'create': {
            if (before !== null) return reject([{ path: 'id', message: `feature "${featureId}" already exists` }]);
            const input = operation.feature;
            const properties = { ...input.properties };
            const code = input.id === undefined ? layer.featureCode : undefined;
            if (code !== undefined && properties[code.field] === undefined) {
              const sequence = (codeCounters.get(operation.layerId) ?? 0) + 1;
              codeCounters.set(operation.layerId, sequence);
              properties[code.field] = makeFeatureCode(code.prefix, deviceId, sequence);
            }
            after = {
              id: featureId,
              layerId: operation.layerId,
              geometry: input.geometry,
              properties,
              status: input.status ?? layer.status.initial,
              county: input.county ?? null,
              demo: input.demo ?? false,
              createdAt: time,
              updatedAt: time,
              revision: (tombstoneRevisions.get(key) ?? 0) + 1,
            };
            break;
          }
          case 'update': {
            if (before === null) return reject([{ path: 'id', message: `no feature "${featureId}"` }]);
            const properties: Record<string, PropertyValue> = { ...before.properties };
            for (const [field, value] of Object.entries(operation.properties ?? {})) {
              if (value === undefined) delete properties[field];
              else properties[field] = value;
            }
            after = {
              ...before,
              properties,
              status: operation.status ?? before.status,
              county: operation.county === undefined ? before.county : operation.county,
              updatedAt: time,
              revision: before.revision + 1,
            };
            break;
          }
          case 'update-geometry': {
            if (before === null) return reject([{ path: 'id', message: `no feature "${featureId}"` }]);
            after = { ...before, geometry: operation.geometry, updatedAt: time, revision: before.revision + 1 };
            break;
          }
          case 'delete': {
            if (before === null) return reject([{ path: 'id', message: `no feature "${featureId}"` }]);
            after = null;
            break;
          }
          case 'restore': {
            const to = operation.to;
            if (before === null && to === null) return reject([{ path: 'id', message: `feature "${featureId}" is already deleted` }]);
            after =
              to === null
                ? null
                : {
                    id: featureId,
                    layerId: operation.layerId,
                    geometry: to.geometry,
                    properties: { ...to.properties },
                    status: to.status,
                    county: to.county,
                    demo: to.demo,
                    createdAt: to.createdAt,
                    updatedAt: time,
                    revision: before === null ? (tombstoneRevisions.get(key) ?? 0) + 1 : before.revision + 1,
                  };
            break;
          }
        }

        if (after !== null) {
          // The store's schema, then (if it holds) the layer's rules and the status move. The fast
          // check gives the same issues as schema + layer checks (imported-base.ts), zod only when in doubt.
          const checked = checkFeature(layer, after);
          const issues =
            checked.length === 0 || schemaIssues(after).length === 0 ? [...checked, ...statusChangeIssues(layer, before, after, allowAnyStatusChange)] : checked;
          if (issues.length > 0) return reject(issues);
        }
        if (after === null && before !== null) {
          // A deleted feature's photos go with it, softly, in the same change: undo brings them back.
          for (const record of activeAttachmentsOf(operation.layerId, featureId)) {
            record.removedAt = time;
            changedAttachmentIds.add(record.id);
            drafts.push(journalDraft(operation.layerId, featureId, 'detach', { before: null, after: null, attachment: attachmentReference(record) }));
          }
        }
        drafts.push(journalDraft(operation.layerId, featureId, before === null ? 'create' : after === null ? 'delete' : 'update', { before, after }));
        current.set(key, after);
        if (after === null && before !== null) tombstoneRevisions.set(key, before.revision + 1);
      });

      const entries: JournalEntry[] = drafts.map((draft) => ({ id: randomId(), ...draft }));
      const syncHeadRows = await linkVersions(database, entries);
      entries.forEach((entry, index) => {
        const result = journalEntrySchema.safeParse(entry);
        if (!result.success) {
          problems.push({
            operationIndex: index,
            layerId: entry.layerId,
            featureId: entry.featureId,
            issues: result.error.issues.map((issue) => ({ path: `journal.${issue.path.join('.')}`, message: issue.message })),
          });
        }
      });
      // Throwing inside the transaction aborts it: nothing above has been written yet anyway.
      if (problems.length > 0) throw new ChangeRejectedError(problems);
      checkAborted();

      const layerEntries: LayerJournalRecord[] = [];
      const hasLayerOperations = newLayers.length > 0 || removedLayers.length > 0 || renamedLayers.length > 0;
      // A change with no feature entries is placed in the order of changes (undo.ts) right
      // after the journal's last entry.
      const journalPosition = hasLayerOperations && entries.length === 0 ? (((await database.journal.orderBy(':id').lastKey()) as number | undefined) ?? 0) : undefined;
      const layerRecord = (layerId: string, applies: readonly string[] | undefined): Omit<LayerJournalRecord, 'operation' | 'before' | 'after'> => ({
        id: randomId(),
        changeId,
        layerId,
        author: change.author,
        device: deviceId,
        time,
        ...(change.note === undefined ? {} : { note: change.note }),
        ...(authorName === undefined ? {} : { authorName }),
        ...(journalPosition === undefined ? {} : { journalPosition }),
        ...(links.undoes === undefined ? {} : { undoes: links.undoes }),
        ...(links.redoes === undefined ? {} : { redoes: links.redoes }),
        ...(applies === undefined ? {} : { applies: [...applies] }),
      });
      for (const { layer, base, reinstate, source, applies } of newLayers) {
        await database.layers.add(layer);
        const entry: LayerJournalRecord = { ...layerRecord(layer.id, applies), operation: 'create-layer', before: null, after: layer };
        if (base !== undefined && isStagedLayerBase(base)) {
          const written = await switchOverStagedBase(database, base);
          if (typeof written === 'string') throw new ChangeRejectedError([{ operationIndex: -1, layerId: layer.id, featureId: null, issues: [{ path: 'base', message: written }] }]);
          entry.imported = { featureCount: written.featureCount, ...(source === undefined ? {} : { source }) };
          entry.base = written;
        } else if (base !== undefined) {
          const written = await writeImportedBase(database, layer.id, base, checkAborted);
          entry.imported = { featureCount: written.featureCount, ...(source === undefined ? {} : { source }) };
          entry.base = written;
        } else if (reinstate !== undefined) {
          if (reinstate.base !== null) {
            const chunks = await database.featureChunks.where('[layerId+generation]').equals([layer.id, reinstate.base.generation]).count();
            if (chunks !== reinstate.base.chunkCount) {
              throw new ChangeRejectedError([{ operationIndex: -1, layerId: layer.id, featureId: null, issues: [{ path: 'reinstate', message: `the layer's base has ${chunks} of its ${reinstate.base.chunkCount} chunks left` }] }]);
            }
            await database.layerBases.put(reinstate.base);
            entry.base = reinstate.base;
          }
          // This change's own feature rows (written below) replace these where they overlap.
          if (reinstate.edits.length > 0) await database.featureEdits.bulkPut(reinstate.edits);
          entry.reinstated = true;
        }
        layerEntries.push(entry);
      }
      for (const { before, after, applies } of renamedLayers) {
        await database.layers.put(after);
        layerEntries.push({ ...layerRecord(after.id, applies), operation: 'rename-layer', before, after });
      }
      for (const [layerId, sequence] of codeCounters) {
        if (sequence !== codeCountersAtStart.get(layerId)) await database.meta.put({ key: `${META_KEYS.featureCodePrefix}${layerId}`, value: sequence });
      }
      const sequences = await database.journal.bulkAdd(entries, { allKeys: true });
      if (syncHeadRows.length > 0) await database.syncHeads.bulkPut(syncHeadRows);
      const stored: StoredJournalEntry[] = entries.map((entry, index) => ({ ...entry, sequence: sequences[index] as number }));

      // One edit row per feature: its last value in this change.
      const rows = new Map<string, FeatureEditRecord>();
      for (const entry of stored) {
        if (entry.operation === 'attach' || entry.operation === 'detach') continue;
        rows.set(featureKey(entry.layerId, entry.featureId), {
          layerId: entry.layerId,
          featureId: entry.featureId,
          feature: entry.after,
          revision: entry.after?.revision ?? (entry.before as Feature).revision + 1,
          sequence: entry.sequence,
          changeId,
        });
      }
      if (rows.size > 0) await database.featureEdits.bulkPut([...rows.values()]);

      // New photos are written whole; a detach or re-attach only rewrites `removedAt`.
      const changed = [...changedAttachmentIds].map((id) => attachmentState.get(id) as AttachmentRecord);
      const added = changed.filter((record) => newAttachmentIds.has(record.id));
      const updated = changed.filter((record) => !newAttachmentIds.has(record.id));
      if (added.length > 0) await database.attachments.bulkAdd(added);
      if (updated.length > 0) await database.attachments.bulkUpdate(updated.map((record) => ({ key: record.id, changes: { removedAt: record.removedAt } })));

      // Removed layers last: what they take away includes the rows this change wrote (the
      // tombstones of the features it deleted with the layer), so undo puts those back too.
      for (const { layer, applies } of removedLayers) {
        const base = (await database.layerBases.get(layer.id)) ?? null;
        const edits = await database.featureEdits.where('[layerId+featureId]').between([layer.id, Dexie.minKey], [layer.id, Dexie.maxKey]).toArray();
        await database.layers.delete(layer.id);
        if (base !== null) await database.layerBases.delete(layer.id);
        if (edits.length > 0) await database.featureEdits.bulkDelete(edits.map((edit) => [edit.layerId, edit.featureId] as [string, string]));
        layerEntries.push({ ...layerRecord(layer.id, applies), operation: 'remove-layer', before: layer, after: null, removed: { base, edits } });
      }
      if (layerEntries.length > 0) await database.layerJournal.bulkAdd(layerEntries);

      return {
        changeId,
        time,
        entries: stored,
        features: [...rows.values()].map((row) => ({ layerId: row.layerId, featureId: row.featureId, feature: row.feature })),
        attachments: changed.map((record) => ({ id: record.id, layerId: record.layerId, featureId: record.featureId, attached: record.removedAt === null })),
        createdLayers: newLayers.map(({ layer }) => layer.id),
        removedLayers: removedLayers.map(({ layer }) => layer.id),
        renamedLayers: renamedLayers.map(({ after }) => after.id),
        layerEntries,
      };
    })
    .then((committed) => {
      // Committed: the store-loss marker (outside IndexedDB) now vouches for this sequence, so a
      // store the browser empties later is noticed at the next start (store-loss.ts).
      raiseStoreMarker(database.name, committed.entries.at(-1)?.sequence ?? 0);
      return committed;
    })
    .catch((error: unknown) => {
      if (change.signal?.aborted === true && !(error instanceof ChangeRejectedError)) throw new ChangeAbortedError();
      return rethrowStorageError(error);
    })
    .finally(() => change.signal?.removeEventListener?.('abort', abortTransaction));
}
