// Import: the file is checked completely first (shared/sync decodeEditPackage: a refused file
// writes nothing). Then, in ONE transaction: the new versions are kept (`syncVersions`), every
// touched feature is merged over its version graph, what merged is applied through `transact`
// (journaled, author = the package's user, undoable as one step), each feature's heads are
// recorded, and every conflict goes to the review queue (`syncConflicts`) with both sides.
// Importing a package twice, or packages in any order, gives the same result.
import { contentFields, contentKey, decodeEditPackage, fieldValue, evaluateFeature, addInterval, planFeature, EditPackageError, type FeatureDisplay, type Interval } from '../../../../shared/sync';
import { validateFeatureAgainstLayer, type LayerDefinition } from '../../../../shared/model';
import type { OneMapDatabase } from '../schema';
import type { SyncArrival } from '../records';
import { transact, transactTables, type FeatureOperation } from '../transact';
import { ensureWorkspaceIdentity } from '../identity';
import { rethrowStorageError } from '../durability';
import { peerKey, readPeer, type SyncPeer } from './peers';
import { LAYER_CHANGE_PREFIX, planLayerChanges, type LayerChangesReport } from './layer-changes';
import { freshTargetChanges, planTargetChanges, TARGET_CHANGE_PREFIX, type TargetChangesReport } from './target-changes';
import { displaysOf, featureKey, versionsOf } from './versions';
import { invalidMergeConflict, writeConflicts, type StoredConflictDetail } from './conflicts';

export interface ImportEditPackageReport {
  packageId: string;
  source: { device: string; userName: string | null };
  /** Versions new to this device, and versions it already had. */
  versions: { received: number; duplicates: number };
  /** Features the import wrote to (their fields that merged), whether or not another field of theirs is in conflict. */
  applied: number;
  /** The fields it wrote, over all those features (one per property, core field, existence and photo). */
  fields: number;
  /** Of the features written, those edited here too, merged field by field. */
  merged: number;
  /** Features with a conflict now waiting in the review queue. */
  conflicts: number;
  /** Their conflicting fields (a deletion conflict counts one), kept as they are here until a person decides. */
  conflictFields: number;
  /** Features the versions touched whose value here did not change. */
  unchanged: number;
  /** Layers created from the package's definitions. */
  createdLayers: string[];
  /** Photos the package attached here. */
  photos: number;
  /**
   * Layer changes applied here: layers renamed, removed (deleted on the other device), restored;
   * and layers a received delete did not remove because features of theirs are kept here (edited
   * here meanwhile: each waits in the review queue as a deletion conflict).
   */
  layers: LayerChangesReport;
  /** Targets and target sets put or removed here, and those this store could not take. */
  targets: TargetChangesReport;
  /** The change that applied it (null when nothing changed): undo reverts it as one step. */
  changeId: string | null;
}

/** How many fields (as the merge counts them: existence, core fields, properties) differ between two contents. */
function changedFields(before: FeatureDisplay['feature'], after: FeatureDisplay['feature']): number {
  const left = contentFields(before);
  const right = contentFields(after);
  let count = 0;
  for (const field of new Set([...left.keys(), ...right.keys()])) if ((left.get(field) ?? fieldValue(undefined)).key !== (right.get(field) ?? fieldValue(undefined)).key) count += 1;
  return count;
}

/**
 * Imports an edit package (see the file comment). Throws {@link EditPackageError} — nothing
 * written — for a file that is truncated, damaged, altered (checksum), from a newer format, not
 * a package, or touching a layer this store neither has nor gets from the package.
 */
export async function importEditPackage(database: OneMapDatabase, bytes: Uint8Array, options: { time?: Date } = {}): Promise<ImportEditPackageReport> {
  const decoded = await decodeEditPackage(bytes);
  const time = options.time ?? new Date();
  const tables = [...transactTables(database), database.syncVersions, database.syncConflicts];
  return database
    .transaction('rw', tables, async () => {
      const identity = await ensureWorkspaceIdentity(database);
      const { manifest } = decoded;
      const journalPosition = ((await database.journal.orderBy(':id').lastKey()) as number | undefined) ?? 0;
      const ids = decoded.versions.map((version) => version.id);
      const known = new Set<string>([...((await database.syncVersions.where('id').anyOf(ids).keys()) as string[]), ...((await database.journal.where('id').anyOf(ids).keys()) as string[])]);
      const fresh = decoded.versions.filter((version) => !known.has(version.id));
      const layerChangeIds = (decoded.layerChanges ?? []).map((change) => change.id);
      const knownLayerChangeIds = new Set<string>([
        ...((await database.layerJournal.where('id').anyOf(layerChangeIds).toArray()).map((record) => record.id)),
        ...((await database.meta.where('key').anyOf(layerChangeIds.map((id) => `${LAYER_CHANGE_PREFIX}${id}`)).primaryKeys()) as string[]).map((key) => key.slice(LAYER_CHANGE_PREFIX.length)),
      ]);
      const freshLayerChanges = (decoded.layerChanges ?? []).filter((change) => !knownLayerChangeIds.has(change.id));
      const freshTargets = await freshTargetChanges(database, decoded.targetChanges ?? []);

      // Layers: every touched layer must exist here or come with the package.
      const layerIds = [...new Set(fresh.map((version) => version.layerId))].sort();
      const localLayers = new Map<string, LayerDefinition>();
      (await database.layers.bulkGet(layerIds)).forEach((layer) => void (layer !== undefined && localLayers.set(layer.id, layer)));
      const createLayers: FeatureOperation[] = [];
      for (const layerId of layerIds) {
        if (localLayers.has(layerId)) continue;
        const definition = decoded.layers.find((layer) => layer.id === layerId);
        if (definition === undefined) throw new EditPackageError('unknown-layer', { layerId, reason: `layer ${layerId} is neither here nor in the package` });
        localLayers.set(layerId, definition);
        createLayers.push({ kind: 'create-layer', layerId, layer: definition });
      }
      // A newer definition the package brings (`define`, layer-definitions.ts) is what its features are merged under.
      for (const { kind, layerId, layer } of freshLayerChanges) {
        const local = localLayers.get(layerId);
        if (kind === 'define' && layer !== undefined && local !== undefined && (layer.version ?? 1) > (local.version ?? 1)) localLayers.set(layerId, layer);
      }

      const keys = [...new Map(fresh.map((version) => [featureKey(version.layerId, version.featureId), [version.layerId, version.featureId] as [string, string]])).values()].sort();
      const grouped = await versionsOf(database, keys);
      const freshIds = new Map<string, string[]>();
      for (const version of fresh) {
        const key = featureKey(version.layerId, version.featureId);
        grouped.set(key, [...(grouped.get(key) ?? []), version]);
        freshIds.set(key, [...(freshIds.get(key) ?? []), version.id]);
      }
      const { displays, attachments } = await displaysOf(database, keys);
      const packagePhotos = new Map(decoded.photos.map((photo) => [photo.id, photo]));
      const previousHeads = await database.syncHeads.bulkGet(keys);

      const operations: FeatureOperation[] = [...createLayers];
      const heads: { layerId: string; featureId: string; heads: string[] }[] = [];
      const conflicts = new Map<string, StoredConflictDetail | null>();
      let applied = 0;
      let fields = 0;
      let merged = 0;
      let unchanged = 0;
      let photos = 0;
      keys.forEach(([layerId, featureId], index) => {
        const key = featureKey(layerId, featureId);
        const current = displays.get(key) as FeatureDisplay;
        const evaluation = evaluateFeature(grouped.get(key) ?? [], current.feature);
        const plan = planFeature(evaluation, current);
        heads.push({ layerId, featureId, heads: plan.heads });
        let conflict: StoredConflictDetail | null = plan.conflict;
        let target = plan.target;
        if (target.feature !== null && contentKey(target.feature) !== contentKey(current.feature)) {
          const layer = localLayers.get(layerId) as LayerDefinition;
          const issues = validateFeatureAgainstLayer(layer, { ...target.feature, id: featureId, layerId, updatedAt: time.toISOString(), revision: 1 });
          if (issues.length > 0) {
            conflict = invalidMergeConflict(plan, current, issues.map((issue) => `${issue.path}: ${issue.message}`));
            target = current;
          }
        }
        conflicts.set(key, conflict);
        const applies = freshIds.get(key) ?? [];
        const contentChanged = contentKey(target.feature) !== contentKey(current.feature);
        const operationsBefore = operations.length;
        if (contentChanged) {
          operations.push({ kind: 'restore', layerId, featureId, to: target.feature, applies });
          fields += changedFields(current.feature, target.feature);
        }
        if (target.feature !== null) {
          for (const [attachmentId, attached] of Object.entries(target.photos).sort()) {
            const now = current.feature !== null && current.photos[attachmentId] === true;
            if (attached === now) continue;
            if (!attached) operations.push({ kind: 'detach', layerId, featureId, attachmentId, applies });
            else if (attachments.has(attachmentId)) operations.push({ kind: 'reattach', layerId, featureId, attachmentId, applies });
            else {
              const photo = packagePhotos.get(attachmentId);
              if (photo === undefined) continue; // bytes purged on the exporter: the photo cannot come
              photos += 1;
              operations.push({
                kind: 'attach',
                layerId,
                featureId,
                applies,
                attachment: {
                  id: attachmentId,
                  blob: new Blob([photo.bytes as Uint8Array<ArrayBuffer>], { type: photo.mediaType }),
                  fileName: photo.fileName,
                  mediaType: photo.mediaType,
                  thumbnail: photo.thumbnail === null ? null : new Blob([photo.thumbnail.bytes as Uint8Array<ArrayBuffer>], { type: photo.thumbnail.mediaType }),
                  createdAt: photo.createdAt,
                },
              });
            }
          }
        }
        // Counted as written: a feature in conflict still gets its fields that merged.
        if (operations.length > operationsBefore) {
          applied += 1;
          fields += operations.length - operationsBefore - (contentChanged ? 1 : 0); // each photo attached or detached
          if ((previousHeads[index]?.heads.length ?? 0) > 0 && plan.heads.length > 1) merged += 1;
        } else if (conflict === null) unchanged += 1;
      });

      const layerReport = await planLayerChanges(database, freshLayerChanges, operations, createLayers, conflicts);
      const targetReport = await planTargetChanges(database, freshTargets, operations, localLayers);

      // Bookkeeping: what this device now holds of the exporter's logs, and what the exporter holds of ours.
      const source = manifest.source.device;
      let peerChanged = false;
      let peer: SyncPeer | null = null;
      if (source !== identity.deviceId) {
        const before = await readPeer(database, source);
        const covers = (from: number, to: number): Interval => (manifest.range.mode === 'since' ? [0, 0] : [manifest.range.mode === 'all' ? 0 : from, to]);
        const ack = manifest.acks[identity.deviceId] ?? { journal: 0, received: 0 };
        peer = {
          ...before,
          userName: manifest.source.userName ?? before.userName,
          covered: {
            journal: addInterval(before.covered.journal, covers(manifest.range.journalFrom, manifest.range.journalTo)),
            received: addInterval(before.covered.received, covers(manifest.range.receivedFrom, manifest.range.receivedTo)),
          },
          acked: { journal: Math.max(before.acked?.journal ?? 0, ack.journal), received: Math.max(before.acked?.received ?? 0, ack.received) },
        };
        peerChanged = JSON.stringify({ ...peer, lastImportAt: null }) !== JSON.stringify({ ...before, lastImportAt: null });
      }

      const report: ImportEditPackageReport = {
        packageId: manifest.packageId,
        source: { device: manifest.source.device, userName: manifest.source.userName },
        versions: { received: fresh.length, duplicates: decoded.versions.length - fresh.length },
        applied,
        fields,
        merged,
        conflicts: [...conflicts.values()].filter((conflict) => conflict !== null).length,
        conflictFields: [...conflicts.values()].reduce((sum, conflict) => sum + (conflict === null ? 0 : conflict.fields.length + (conflict.deletion === null ? 0 : 1)), 0),
        unchanged,
        createdLayers: createLayers.map((operation) => operation.layerId),
        photos,
        layers: layerReport,
        targets: targetReport,
        changeId: null,
      };
      // Nothing new: nothing is written at all (importing the same package twice changes nothing).
      if (fresh.length === 0 && freshLayerChanges.length === 0 && freshTargets.length === 0 && !peerChanged) return report;

      if (operations.length > 0) {
        const committed = await transact(database, {
          author: manifest.source.device,
          ...(manifest.source.userName === null ? {} : { authorName: manifest.source.userName }),
          operations,
          allowAnyStatusChange: true,
          note: `edit package ${manifest.packageId}`,
          time,
        });
        report.changeId = committed.changeId;
      }
      const arrival: SyncArrival = { packageId: manifest.packageId, time: time.toISOString(), fromDevice: manifest.source.device, fromName: manifest.source.userName, journalPosition };
      if (fresh.length > 0) await database.syncVersions.bulkAdd(fresh.map((version) => ({ ...version, arrival })));
      if (freshTargets.length > 0) await database.meta.bulkPut(freshTargets.map((change) => ({ key: `${TARGET_CHANGE_PREFIX}${change.id}`, value: change })));
      if (freshLayerChanges.length > 0) await database.meta.bulkPut(freshLayerChanges.map((change) => ({ key: `${LAYER_CHANGE_PREFIX}${change.id}`, value: change })));
      if (heads.length > 0) await database.syncHeads.bulkPut(heads);
      await writeConflicts(database, conflicts, manifest.packageId, time.toISOString());
      if (peer !== null && (peerChanged || fresh.length > 0)) await database.meta.put({ key: peerKey(source), value: { ...peer, lastImportAt: time.toISOString() } satisfies SyncPeer });
      return report;
    })
    .catch(rethrowStorageError);
}
