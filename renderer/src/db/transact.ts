// transact(): the ONE write path for user edits. In a single read-write transaction it reads what
// the change touches, applies the operations (the pure steps in change/: apply-layer, then
// apply-feature and apply-attachment through one `applyFeatureOperations`, each validating its
// result), writes the per-feature edit rows and appends one journal entry per feature operation —
// all of it or none of it. The promise resolves only after IndexedDB reports the transaction
// committed, so the UI shows "saved" only then. Layers: `create-layer` (optionally with an
// imported packed base — a staged generation the streamed import already wrote, checked complete
// and switched to here, or an `ImportedLayerBase` written as chunks in this same transaction —
// journaled by one `layerJournal` record instead of one entry per feature), `rename-layer`, and
// `remove-layer` (deleting a layer, or undoing the change that created it — possibly with the
// deletes of its features; redo is `create-layer` + `reinstate`).
import { Dexie } from 'dexie';
import { raiseStoreMarker } from './store-loss';
import { journalEntrySchema, type Feature, type JournalEntry, type LayerDefinition } from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import type { AttachmentRecord, FeatureChunkRecord, FeatureEditRecord, LayerBaseRecord, LayerJournalRecord, StoredJournalEntry } from './records';
import { META_KEYS } from './records';
import { chunkRecord, readCurrentFeatures } from './base';
import { IdIndexCollector, writeChunks, writeIdIndex } from './chunk-filters';
import type { ImportedLayerBase } from './imported-base';
import { isStagedLayerBase, switchOverStagedBase } from './staged-base';
import { ensureWorkspaceIdentity, randomId } from './identity';
import { linkVersions } from './sync-heads';
import { rethrowStorageError } from './durability';
import { applyLayerOperations } from './change/apply-layer';
import { applyFeatureOperations } from './change/apply';
import { updatedLayerFeatureIssues } from './change/apply-layer-definition';
import { readLayer } from './repositories';
import { featureKey, isTargetOperation, operationFeatureId, touchesAttachments, type ApplyContext, type FeatureState } from './change/state';
import { applyTargetOperations } from './change/apply-target';
import { readTargetState, writeTargetChanges } from './targets';
import { ChangeAbortedError, ChangeRejectedError } from './change/errors';
import type { Change, ChangeLinks, CommittedChange, FeatureOperation } from './change/types';

export { ChangeAbortedError, ChangeRejectedError } from './change/errors';
export type * from './change/types';

/** Chunks per bulk write while a packed base is written inside the change's transaction. */
const BASE_CHUNKS_PER_WRITE = 16;

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
  const index = new IdIndexCollector();
  for (let start = 0; start < chunks.length; start += BASE_CHUNKS_PER_WRITE) {
    checkAborted();
    const records: FeatureChunkRecord[] = [];
    for (let index = start; index < Math.min(start + BASE_CHUNKS_PER_WRITE, chunks.length); index += 1) records.push(chunkRecord(layerId, generation, chunks[index]!));
    await writeChunks(database, records, 'add', index);
    // IndexedDB copied them: hold each feature once at most, not once more per written chunk.
    for (let index = start; index < Math.min(start + BASE_CHUNKS_PER_WRITE, chunks.length); index += 1) chunks[index] = { ...chunks[index]!, features: [], featureIds: [] };
    base.onWritten?.(Math.min(start + BASE_CHUNKS_PER_WRITE, chunks.length), chunks.length);
  }
  await writeIdIndex(database, index);
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
    database.featureFilters,
    database.featureEdits,
    database.journal,
    database.attachments,
    database.meta,
    database.layerJournal,
    database.syncHeads,
    database.targets,
    database.targetSets,
  ];
}

/**
 * Reads the features the change's feature operations name (with the revision a deleted one
 * reached), the attachments of those whose photos it may touch and this device's feature-code
 * counters: the state the apply steps start from.
 */
async function readFeatureState(database: OneMapDatabase, operations: readonly FeatureOperation[], layerIds: readonly string[], layers: Map<string, LayerDefinition>): Promise<FeatureState> {
  const current = new Map<string, Feature | null>();
  const tombstoneRevisions = new Map<string, number>();
  for (const layerId of layerIds) {
    const ids = [...new Set(operations.filter((operation) => operation.layerId === layerId).map(operationFeatureId).filter((id): id is string => id !== undefined))];
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
  const attachments = new Map<string, AttachmentRecord>();
  const attachmentOperations = operations.filter(touchesAttachments);
  if (attachmentOperations.length > 0) {
    const keys = [...new Map(attachmentOperations.map((operation) => [featureKey(operation.layerId, operationFeatureId(operation) ?? ''), [operation.layerId, operationFeatureId(operation) ?? '']])).values()];
    for (const record of await database.attachments.where('[layerId+featureId]').anyOf(keys).toArray()) attachments.set(record.id, { ...record });
    const namedIds = attachmentOperations.flatMap((operation) =>
      operation.kind === 'attach' ? (operation.attachment.id === undefined ? [] : [operation.attachment.id]) : operation.kind === 'reattach' || operation.kind === 'detach' ? [operation.attachmentId] : [],
    );
    for (const record of await database.attachments.bulkGet(namedIds)) if (record !== undefined) attachments.set(record.id, { ...record });
  }
  // Readable codes (shared/model/feature-code.ts) for features created without an id: this
  // device's counter per layer, read and raised in this transaction.
  const codeLayerIds = [...new Set(operations.filter((operation) => operation.kind === 'create' && operation.feature.id === undefined && layers.get(operation.layerId)?.featureCode !== undefined).map((operation) => operation.layerId))];
  const codeCounters = new Map<string, number>();
  (await database.meta.bulkGet(codeLayerIds.map((layerId) => `${META_KEYS.featureCodePrefix}${layerId}`))).forEach((record, index) => codeCounters.set(codeLayerIds[index]!, typeof record?.value === 'number' ? record.value : 0));
  return { layers, current, tombstoneRevisions, attachments, codeCounters, drafts: [], newAttachmentIds: new Set(), changedAttachmentIds: new Set() };
}

/**
 * Applies a change. Resolves with what was committed once the transaction has committed;
 * rejects with {@link ChangeRejectedError} (nothing written) if any operation is invalid, with
 * `StorageFullError` (nothing written) when IndexedDB is out of space, or with the IndexedDB
 * error (nothing written) if the transaction fails otherwise.
 */
export async function transact(database: OneMapDatabase, change: Change): Promise<CommittedChange> {
  if (change.author.trim() === '') throw new ChangeRejectedError([{ operationIndex: -1, layerId: '', featureId: null, issues: [{ path: 'author', message: 'a change needs an author' }] }]);
  if (change.device !== undefined && !change.operations.every((operation) => 'applies' in operation && operation.applies !== undefined)) {
    throw new ChangeRejectedError([{ operationIndex: -1, layerId: '', featureId: null, issues: [{ path: 'device', message: 'only a change that applies received versions names another device' }] }]);
  }
  const time = (change.time ?? new Date()).toISOString();
  const changeId = randomId();
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
      const layerIds = [...new Set(change.operations.filter((operation) => !isTargetOperation(operation)).map((operation) => operation.layerId))];
      const layerRecords = await database.layers.bulkGet(layerIds);
      const readLayers = new Map<string, LayerDefinition>();
      layerRecords.forEach((layer) => {
        if (layer !== undefined) readLayers.set(layer.id, layer);
      });
      // New layers first, so that features of the same change can be created in them.
      const { plan, problems } = applyLayerOperations(readLayers, change.operations, time);
      const { newLayers, removedLayers, renamedLayers, updatedLayers } = plan;
      const state = await readFeatureState(database, change.operations, layerIds, plan.layers);
      const { codeCounters, attachments: attachmentState, newAttachmentIds, changedAttachmentIds } = state;
      const codeCountersAtStart = new Map(codeCounters);
      checkAborted();

      const context: ApplyContext = {
        changeId,
        time,
        author: change.author,
        deviceId: change.device ?? deviceId,
        authorName,
        note: change.note,
        links,
        resolves: change.resolves,
        allowAnyStatusChange: change.allowAnyStatusChange === true,
        newId: randomId,
      };
      problems.push(...applyFeatureOperations(state, context, change.operations));
      const targetState = await readTargetState(database, change.operations, plan.layers);
      const targetChanges = targetState === null ? null : applyTargetOperations(targetState, change.operations);
      if (targetChanges !== null) problems.push(...targetChanges.problems);
      // A new definition holds for every live feature of its layer, as this change leaves them.
      for (const { after } of updatedLayers) {
        const features = new Map((await readLayer(database, after.id)).features.map((feature) => [feature.id, feature as Feature | null]));
        for (const [key, feature] of state.current) if (key.startsWith(featureKey(after.id, ''))) features.set(key.slice(after.id.length + 1), feature);
        const issues = updatedLayerFeatureIssues(after, [...features.values()].filter((feature): feature is Feature => feature !== null));
        if (issues.length > 0) problems.push({ operationIndex: -1, layerId: after.id, featureId: null, issues });
      }
      const drafts = state.drafts;

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
      const hasLayerOperations = newLayers.length > 0 || removedLayers.length > 0 || renamedLayers.length > 0 || updatedLayers.length > 0 || targetState !== null;
      // A change with no feature entries is placed in the order of changes (undo.ts) right
      // after the journal's last entry.
      const journalPosition = hasLayerOperations && entries.length === 0 ? (((await database.journal.orderBy(':id').lastKey()) as number | undefined) ?? 0) : undefined;
      const layerRecord = (layerId: string, applies: readonly string[] | undefined): Omit<LayerJournalRecord, 'operation' | 'before' | 'after'> => ({
        id: randomId(),
        changeId,
        layerId,
        author: change.author,
        device: change.device ?? deviceId,
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
      for (const { before, after, applies } of updatedLayers) {
        await database.layers.put(after);
        layerEntries.push({ ...layerRecord(after.id, applies), operation: 'update-layer', before, after });
      }
      if (targetChanges !== null) layerEntries.push(...(await writeTargetChanges(database, targetChanges.changes, (applies) => layerRecord('', applies))));
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
        updatedLayers: updatedLayers.map(({ after }) => after.id),
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
