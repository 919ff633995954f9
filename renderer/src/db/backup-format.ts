// The backup's format: one JSON-serialisable object (`OneMapBackup`, `format: "onemap-backup"`,
// `formatVersion: 1`). Blobs are base64 strings with their media type, so the object can cross
// IPC as it is (see backup.ts).
import type { LayerDefinition, Target, TargetSet } from '../../../shared/model';
import type {
  AttachmentRecord,
  FeatureChunkRecord,
  FeatureEditRecord,
  HubConflictRecord,
  HubFeatureRecord,
  HubPushRecord,
  LayerBaseRecord,
  LayerJournalRecord,
  MetaRecord,
  StoredJournalEntry,
  SyncConflictRecord,
  SyncHeadRecord,
  SyncVersionRecord,
} from './records';

export const BACKUP_FORMAT = 'onemap-backup';
export const BACKUP_FORMAT_VERSION = 1;

/** A Blob as text. */
export interface EncodedBlob {
  mediaType: string;
  base64: string;
}

export type BackupAttachment = Omit<AttachmentRecord, 'blob' | 'thumbnail'> & { blob: EncodedBlob; thumbnail: EncodedBlob | null };

export interface OneMapBackup {
  format: typeof BACKUP_FORMAT;
  formatVersion: typeof BACKUP_FORMAT_VERSION;
  /** The Dexie schema version of the store it was taken from. */
  schemaVersion: number;
  createdAt: string;
  layers: LayerDefinition[];
  targets: Target[];
  /** Target sets (schema 5+); absent before. */
  targetSets?: TargetSet[];
  layerBases: LayerBaseRecord[];
  /** Only the chunks of each layer's current base generation. */
  featureChunks: FeatureChunkRecord[];
  featureEdits: FeatureEditRecord[];
  journal: StoredJournalEntry[];
  attachments: BackupAttachment[];
  meta: MetaRecord[];
  /** Layers created by imports (schema 2+); absent in backups of schema 1. */
  layerJournal?: LayerJournalRecord[];
  /** Sync state (schema 3+): versions received from other devices, version heads, the review queue. */
  syncVersions?: SyncVersionRecord[];
  syncHeads?: SyncHeadRecord[];
  syncConflicts?: SyncConflictRecord[];
  /**
   * A hub workspace's sync state (schema 4+): the hub version of each feature (the base a push
   * names), the open hub conflicts, the hub's answers to pushed changes. Its sign-in token is
   * never in a backup.
   */
  hubFeatures?: HubFeatureRecord[];
  hubConflicts?: HubConflictRecord[];
  hubPushes?: HubPushRecord[];
}

// ---- base64 without Node's Buffer (the renderer has none) ----

const BASE64_CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += BASE64_CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(start, start + BASE64_CHUNK));
  }
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

export async function encodeBlob(blob: Blob): Promise<EncodedBlob> {
  return { mediaType: blob.type, base64: bytesToBase64(new Uint8Array(await blob.arrayBuffer())) };
}

export function decodeBlob(encoded: EncodedBlob): Blob {
  return new Blob([base64ToBytes(encoded.base64)], { type: encoded.mediaType });
}
