// Renaming and deleting a layer: each ONE change through `transact` (journaled in `layerJournal`,
// undoable and redoable like any edit, sent in edit packages by sync.ts).
//
// A delete journals a `delete` for every live feature of the layer that has versions (a journal
// entry here or a version received from another device: the features other devices may hold),
// then removes the layer (definition, base record, edit rows; chunks and photos stay, so undo
// brings everything back). Another device that edited one of those features meanwhile gets a
// deletion conflict in its review queue and keeps the layer until it is decided (sync.ts).
//
// A layer that a target measures, or that is seeded (the demo layers), is not deleted: the
// targets' progress would silently drop to nothing, and the seed would bring the layer back at the
// next start anyway. Hiding it (the layer panel's checkbox) is the way to take it off the map.
// Nor is a layer with features waiting in the sync review queue: decide those first.
import { Dexie } from 'dexie';
import type { LocalizedText } from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import { transact, transactTables, type CommittedChange, type FeatureOperation } from './transact';
import { readCurrentFeatures } from './base';
import { rethrowStorageError, StoreError } from './durability';

/** Why a layer cannot be deleted: targets measure it, or it is seeded (demo data). */
export type LayerDeletionRefusal = { reason: 'targets'; targetIds: string[] } | { reason: 'seeded' } | { reason: 'conflicts'; featureIds: string[] };

/** Null when the layer may be deleted. Runs in the caller's transaction, if any. */
export async function layerDeletionRefusal(database: OneMapDatabase, layerId: string): Promise<LayerDeletionRefusal | null> {
  const targetIds = (await database.targets.where('layerId').equals(layerId).primaryKeys()).sort();
  if (targetIds.length > 0) return { reason: 'targets', targetIds };
  const base = await database.layerBases.get(layerId);
  if (base !== undefined && base.seedVersion !== null) return { reason: 'seeded' };
  const waiting = await database.syncConflicts.where('[layerId+featureId]').between([layerId, Dexie.minKey], [layerId, Dexie.maxKey]).filter((record) => record.status === 'open').toArray();
  if (waiting.length > 0) return { reason: 'conflicts', featureIds: [...new Set(waiting.map((record) => record.featureId))].sort() };
  return null;
}

export class LayerDeletionRefusedError extends StoreError {
  readonly messages: LocalizedText;

  constructor(
    readonly layerId: string,
    readonly refusal: LayerDeletionRefusal,
  ) {
    const why = refusal.reason === 'targets' ? `targets ${refusal.targetIds.join(', ')} measure it` : refusal.reason === 'seeded' ? 'it is seeded (demo data)' : `features ${refusal.featureIds.join(', ')} wait in the review queue`;
    const code = refusal.reason === 'targets' ? 'store.layer-measured' : refusal.reason === 'seeded' ? 'store.layer-seeded' : 'store.layer-in-review';
    const count = refusal.reason === 'targets' ? refusal.targetIds.length : refusal.reason === 'conflicts' ? refusal.featureIds.length : 0;
    super(code, `layer "${layerId}" cannot be deleted: ${why}`, undefined, { layerId, count });
    this.name = 'LayerDeletionRefusedError';
    this.messages =
      refusal.reason === 'targets'
        ? { zh: `有 ${refusal.targetIds.length} 个目标按此图层统计进度，不能删除；可取消勾选以隐藏。`, en: `${refusal.targetIds.length} target(s) measure this layer: it cannot be deleted. Untick it to hide it.` }
        : refusal.reason === 'seeded'
          ? { zh: '这是内置的示例图层，不能删除；可取消勾选以隐藏。', en: 'This is a built-in demo layer: it cannot be deleted. Untick it to hide it.' }
          : { zh: `此图层有 ${refusal.featureIds.length} 个要素的同步冲突待处理，请先处理冲突。`, en: `${refusal.featureIds.length} feature(s) of this layer wait in the sync review queue: decide them first.` };
  }
}

export interface LayerChangeRequest {
  layerId: string;
  author: string;
  note?: string;
  time?: Date;
}

/** Gives a layer a new display name (zh and en): one journaled, undoable change. */
export function renameLayer(database: OneMapDatabase, request: LayerChangeRequest & { name: LocalizedText }): Promise<CommittedChange> {
  return transact(database, {
    author: request.author,
    operations: [{ kind: 'rename-layer', layerId: request.layerId, name: { zh: request.name.zh.trim(), en: request.name.en.trim() } }],
    ...(request.note === undefined ? {} : { note: request.note }),
    ...(request.time === undefined ? {} : { time: request.time }),
  });
}

/**
 * Deletes a layer (see the file comment): one change, undoable. Throws
 * {@link LayerDeletionRefusedError} (nothing written) for a layer targets measure or a seeded one.
 */
export function deleteLayer(database: OneMapDatabase, request: LayerChangeRequest): Promise<CommittedChange> {
  return database
    .transaction('rw', [...transactTables(database), database.targets, database.syncConflicts], async () => {
      const refusal = await layerDeletionRefusal(database, request.layerId);
      if (refusal !== null) throw new LayerDeletionRefusedError(request.layerId, refusal);
      // Every feature with versions has a heads row (sync-heads.ts, and the schema 3 upgrade).
      const versioned = (await database.syncHeads.where('[layerId+featureId]').between([request.layerId, Dexie.minKey], [request.layerId, Dexie.maxKey]).primaryKeys()).map(
        (key) => (key as unknown as [string, string])[1],
      );
      const { features } = await readCurrentFeatures(database, request.layerId, versioned);
      const operations: FeatureOperation[] = [];
      for (const featureId of versioned) if ((features.get(featureId) ?? null) !== null) operations.push({ kind: 'delete', layerId: request.layerId, featureId });
      operations.push({ kind: 'remove-layer', layerId: request.layerId });
      return transact(database, {
        author: request.author,
        operations,
        ...(request.note === undefined ? {} : { note: request.note }),
        ...(request.time === undefined ? {} : { time: request.time }),
      });
    })
    .catch(rethrowStorageError);
}
