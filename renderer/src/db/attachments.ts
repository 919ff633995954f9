// Photos attached to features. Attaching and removing are `transact` operations (`attach`,
// `detach`), so a photo commits atomically with the feature edit it belongs to when the caller
// puts both in one change, and is journaled and undoable like any edit. These helpers are the
// one-photo shortcuts and the reads.
//
// Removal is soft: `removedAt` is set and the bytes are kept, so undo (of a removal, or of a
// feature's deletion, which removes its photos in the same change) brings the photo back.
// `purgeRemovedAttachments` frees the space of photos removed long ago; undoing such a removal
// afterwards fails with `UndoConflictError` instead of restoring a photo without bytes.
import type { OneMapDatabase } from './schema';
import type { AttachmentRecord } from './records';
import { transact, type CommittedChange } from './transact';
import { randomId } from './identity';

export interface AttachPhotoRequest {
  layerId: string;
  featureId: string;
  blob: Blob;
  fileName: string;
  /** e.g. `image/jpeg`. */
  mimeType: string;
  author: string;
  /** A small preview the caller drew (canvas); the store does not decode images. */
  thumbnail?: Blob | null;
  /** Stable id; random when absent. */
  id?: string;
  note?: string;
  time?: Date;
}

/** Attaches one photo to an existing feature, as one change. */
export async function attachPhoto(database: OneMapDatabase, request: AttachPhotoRequest): Promise<{ attachmentId: string; committed: CommittedChange }> {
  const attachmentId = request.id ?? randomId();
  const committed = await transact(database, {
    author: request.author,
    operations: [
      {
        kind: 'attach',
        layerId: request.layerId,
        featureId: request.featureId,
        attachment: { id: attachmentId, blob: request.blob, fileName: request.fileName, mediaType: request.mimeType, thumbnail: request.thumbnail ?? null },
      },
    ],
    ...(request.note === undefined ? {} : { note: request.note }),
    ...(request.time === undefined ? {} : { time: request.time }),
  });
  return { attachmentId, committed };
}

export interface RemovePhotoRequest {
  layerId: string;
  featureId: string;
  attachmentId: string;
  author: string;
  note?: string;
  time?: Date;
}

/** Removes (softly) one photo from a feature, as one change. */
export function removePhoto(database: OneMapDatabase, request: RemovePhotoRequest): Promise<CommittedChange> {
  return transact(database, {
    author: request.author,
    operations: [{ kind: 'detach', layerId: request.layerId, featureId: request.featureId, attachmentId: request.attachmentId }],
    ...(request.note === undefined ? {} : { note: request.note }),
    ...(request.time === undefined ? {} : { time: request.time }),
  });
}

/** A feature's photos, oldest first; removed ones only when asked. */
export async function listPhotos(
  database: OneMapDatabase,
  layerId: string,
  featureId: string,
  options: { includeRemoved?: boolean } = {},
): Promise<AttachmentRecord[]> {
  const records = await database.attachments.where('[layerId+featureId]').equals([layerId, featureId]).toArray();
  return records
    .filter((record) => options.includeRemoved === true || record.removedAt === null)
    .sort((left, right) => left.createdAt.localeCompare(right.createdAt) || left.id.localeCompare(right.id));
}

/** One photo by id (also when removed: check `removedAt`), or null. */
export async function getPhoto(database: OneMapDatabase, attachmentId: string): Promise<AttachmentRecord | null> {
  return (await database.attachments.get(attachmentId)) ?? null;
}

/**
 * Deletes the rows (and bytes) of photos removed before `removedBefore`. Not undoable: an undo
 * that would bring such a photo back is refused. Returns how many were deleted.
 */
export function purgeRemovedAttachments(database: OneMapDatabase, removedBefore: Date): Promise<number> {
  const limit = removedBefore.toISOString();
  return database.transaction('rw', database.attachments, () =>
    database.attachments.filter((record) => record.removedAt !== null && record.removedAt < limit).delete(),
  );
}
