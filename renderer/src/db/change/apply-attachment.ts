// The photo operations (attach, re-attach, detach), and the soft detach of a deleted feature's
// photos. Pure: each takes the state read for the change and one operation, changes the state and
// drafts the journal entry, or returns the problems (then the change is refused as a whole).
import { attachmentReferenceSchema, type Feature, type ValidationIssue } from '../../../../shared/model';
import type { AttachmentRecord } from '../records';
import { activeAttachmentsOf, attachmentReference, journalDraft, type ApplyContext, type DraftSyncFields, type FeatureState } from './state';
import type { AttachmentOperation, NewAttachment } from './types';

function isBlob(value: unknown): value is Blob {
  return typeof Blob !== 'undefined' && value instanceof Blob;
}

export function newAttachmentIssues(attachment: NewAttachment): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isBlob(attachment.blob)) issues.push({ path: 'attachment.blob', message: 'the photo must be a Blob' });
  if (attachment.thumbnail !== undefined && attachment.thumbnail !== null && !isBlob(attachment.thumbnail)) {
    issues.push({ path: 'attachment.thumbnail', message: 'the thumbnail must be a Blob' });
  }
  if (attachment.id !== undefined && attachment.id.trim() === '') issues.push({ path: 'attachment.id', message: 'an attachment id cannot be empty' });
  return issues;
}

/**
 * Attaches a new photo, re-attaches a detached one or detaches one, on `featureId` (whose current
 * value is `before`). The feature itself does not change. Returns the problems; none when applied.
 */
export function applyAttachmentOperation(state: FeatureState, context: ApplyContext, operation: AttachmentOperation, featureId: string, before: Feature | null): ValidationIssue[] {
  if (operation.kind !== 'detach' && before === null) return [{ path: 'id', message: `no feature "${featureId}"` }];
  let record: AttachmentRecord;
  if (operation.kind === 'attach') {
    const issues = newAttachmentIssues(operation.attachment);
    if (issues.length > 0) return issues;
    const id = operation.attachment.id ?? context.newId();
    if (state.attachments.has(id)) return [{ path: 'attachment.id', message: `attachment "${id}" already exists` }];
    record = {
      id,
      layerId: operation.layerId,
      featureId,
      fileName: operation.attachment.fileName,
      mediaType: operation.attachment.mediaType,
      byteSize: operation.attachment.blob.size,
      blob: operation.attachment.blob,
      thumbnail: operation.attachment.thumbnail ?? null,
      createdAt: operation.attachment.createdAt ?? context.time,
      removedAt: null,
    };
    state.attachments.set(id, record);
    state.newAttachmentIds.add(id);
  } else {
    const found = state.attachments.get(operation.attachmentId);
    if (found === undefined || found.layerId !== operation.layerId || found.featureId !== featureId) {
      return [{ path: 'attachmentId', message: `feature "${featureId}" has no attachment "${operation.attachmentId}"` }];
    }
    if (operation.kind === 'detach' && found.removedAt !== null) return [{ path: 'attachmentId', message: `attachment "${found.id}" is already detached` }];
    if (operation.kind === 'reattach' && found.removedAt === null) return [{ path: 'attachmentId', message: `attachment "${found.id}" is attached` }];
    found.removedAt = operation.kind === 'detach' ? context.time : null;
    record = found;
  }
  const attachment = attachmentReference(record);
  if (!attachmentReferenceSchema.safeParse(attachment).success) return [{ path: 'attachment', message: 'file name and media type are required' }];
  state.changedAttachmentIds.add(record.id);
  state.drafts.push(journalDraft(context, operation, operation.layerId, featureId, operation.kind === 'detach' ? 'detach' : 'attach', { before: null, after: null, attachment }));
  return [];
}

/**
 * A deleted feature's photos go with it, softly, in the same change (undo brings them back): one
 * `detach` entry each, drafted before the feature's `delete` entry.
 */
export function detachAllPhotos(state: FeatureState, context: ApplyContext, syncFields: DraftSyncFields, layerId: string, featureId: string): void {
  for (const record of activeAttachmentsOf(state, layerId, featureId)) {
    record.removedAt = context.time;
    state.changedAttachmentIds.add(record.id);
    state.drafts.push(journalDraft(context, syncFields, layerId, featureId, 'detach', { before: null, after: null, attachment: attachmentReference(record) }));
  }
}
