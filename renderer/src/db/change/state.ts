// What the apply steps share: the change's context (who, when, which ids), the state read for
// its features (and updated as each operation applies), and the journal entry each step drafts.
// Pure: no Dexie — `transact` reads the state before and writes what it becomes after.
import type { AttachmentReference, Feature, JournalEntry, LayerDefinition } from '../../../../shared/model';
import type { AttachmentRecord } from '../records';
import type { ChangeLinks, FeatureOperation, LayerOperation, SyncOperationFields, TargetOperation } from './types';

/** The change as every one of its operations sees it. */
export interface ApplyContext {
  changeId: string;
  /** The change's time, ISO. */
  time: string;
  author: string;
  deviceId: string;
  authorName: string | undefined;
  note: string | undefined;
  links: ChangeLinks;
  resolves: string | undefined;
  allowAnyStatusChange: boolean;
  /** A new random id (a feature or photo created without one). */
  newId: () => string;
}

/** The features and photos the change touches, as read and then as its operations leave them. */
export interface FeatureState {
  /** Every layer the change names (the new ones included), by id. */
  layers: ReadonlyMap<string, LayerDefinition>;
  /** By {@link featureKey}: the feature now, null when absent or deleted. */
  current: Map<string, Feature | null>;
  /** By {@link featureKey}: the revision a deleted feature reached (a re-create continues it). */
  tombstoneRevisions: Map<string, number>;
  /** By id: the attachment records of the touched features (copies, changed in place). */
  attachments: Map<string, AttachmentRecord>;
  /** This device's feature-code counter per layer (shared/model/feature-code.ts). */
  codeCounters: Map<string, number>;
  /** The journal entries drafted, in order (ids given when written). */
  drafts: Omit<JournalEntry, 'id'>[];
  /** Attachments created by this change (written whole). */
  newAttachmentIds: Set<string>;
  /** Attachments attached or detached by this change, created ones included. */
  changedAttachmentIds: Set<string>;
}

export function featureKey(layerId: string, featureId: string): string {
  return `${layerId}\u0000${featureId}`;
}

export const isLayerOperation = (operation: FeatureOperation): operation is LayerOperation =>
  operation.kind === 'create-layer' || operation.kind === 'rename-layer' || operation.kind === 'remove-layer' || operation.kind === 'update-layer';

/** The operations on targets and target sets (apply-target.ts): no feature is read or written for them. */
export const isTargetOperation = (operation: FeatureOperation): operation is TargetOperation =>
  operation.kind === 'put-target' || operation.kind === 'remove-target' || operation.kind === 'put-target-set' || operation.kind === 'remove-target-set';

export function operationFeatureId(operation: FeatureOperation): string | undefined {
  return operation.kind === 'create' ? operation.feature.id : isLayerOperation(operation) || isTargetOperation(operation) ? undefined : operation.featureId;
}

/** A feature operation that deletes its feature or takes a photo off it: the only kinds a change removing their layer may hold. */
export const deletesFeature = (operation: FeatureOperation): boolean => operation.kind === 'delete' || operation.kind === 'detach' || (operation.kind === 'restore' && operation.to === null);

/** Operations that read or write the attachments of their feature. */
export function touchesAttachments(operation: FeatureOperation): boolean {
  return operation.kind === 'delete' || operation.kind === 'restore' || operation.kind === 'attach' || operation.kind === 'reattach' || operation.kind === 'detach';
}

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

/** The sync fields an operation carries onto its entries (restore and the photo operations have them). */
export type DraftSyncFields = SyncOperationFields & { decides?: readonly string[] };

/** One journal entry of the change, without its id. */
export function journalDraft(
  context: ApplyContext,
  syncFields: DraftSyncFields,
  layerId: string,
  featureId: string,
  operation: JournalEntry['operation'],
  snapshots: { before: Feature | null; after: Feature | null; attachment?: AttachmentReference },
): Omit<JournalEntry, 'id'> {
  const { authorName, resolves, note } = context;
  return {
    ...(authorName === undefined ? {} : { authorName }),
    ...(syncFields.applies === undefined ? {} : { applies: [...syncFields.applies] }),
    ...(operation === 'attach' || operation === 'detach' || syncFields.decides === undefined ? {} : { decides: [...syncFields.decides] }),
    ...(operation === 'attach' || operation === 'detach' || resolves === undefined ? {} : { resolves }),
    changeId: context.changeId,
    layerId,
    featureId,
    operation,
    before: snapshots.before,
    after: snapshots.after,
    ...(snapshots.attachment === undefined ? {} : { attachment: snapshots.attachment }),
    author: context.author,
    device: context.deviceId,
    time: context.time,
    ...(note === undefined ? {} : { note }),
    ...context.links,
  };
}

/** The feature's photos that are attached, oldest first. */
export function activeAttachmentsOf(state: FeatureState, layerId: string, featureId: string): AttachmentRecord[] {
  return [...state.attachments.values()]
    .filter((record) => record.layerId === layerId && record.featureId === featureId && record.removedAt === null)
    .sort((left, right) => left.createdAt.localeCompare(right.createdAt) || left.id.localeCompare(right.id));
}
