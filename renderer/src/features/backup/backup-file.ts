// A backup as a file and back: the store's backup JSON (db/backup.ts), gzip-compressed with the
// browser's own CompressionStream, with the OneMap header in the gzip extra field
// (shared/ipc/backups.ts). Reading accepts that file, a plain .json.gz and a plain .json, and
// refuses anything else with a cause a person can act on. Runs in the backup worker and in unit
// tests (Node has the same streams); no DOM, no store writes.
import {
  backupFileHeaderSchema,
  isGzip,
  MAX_BACKUP_FILE_BYTES,
  readBackupHeader,
  withBackupHeader,
  type BackupCounts,
  type BackupFileHeader,
  type BackupReason,
} from '../../../../shared/ipc/backups';
import { backupFromJson, backupToJson, BackupInvalidError, validateBackup, type OneMapBackup } from '../../db';

/** Why a file cannot be restored; each has a text in the locale files (backup.cause.*). */
export type BackupFileProblem = 'empty' | 'too-large' | 'damaged' | 'not-a-backup' | 'invalid';

/** A plain-data refusal (it crosses the worker boundary as it is). */
export interface BackupFileRefusal {
  fileName: string;
  problem: BackupFileProblem;
  /** The technical detail (English), e.g. the decompressor's message or the first invalid records. */
  detail: string;
}

export class BackupFileError extends Error {
  constructor(readonly refusal: BackupFileRefusal) {
    super(`${refusal.fileName}: ${refusal.problem}${refusal.detail ? ` (${refusal.detail})` : ''}`);
    this.name = 'BackupFileError';
  }
}

/** What a backup holds, for its header and the restore confirmation. */
export function summarizeBackup(backup: Pick<OneMapBackup, 'featureChunks' | 'featureEdits' | 'journal' | 'attachments' | 'layerBases'>): BackupCounts {
  const current = new Set(backup.layerBases.map((base) => `${base.layerId}@${base.generation}`));
  const features = new Set<string>();
  for (const chunk of backup.featureChunks) {
    if (!current.has(`${chunk.layerId}@${chunk.generation}`)) continue;
    for (const id of chunk.featureIds) features.add(`${chunk.layerId}\u0000${id}`);
  }
  for (const edit of backup.featureEdits) {
    const key = `${edit.layerId}\u0000${edit.featureId}`;
    if (edit.feature === null) features.delete(key);
    else features.add(key);
  }
  return {
    features: features.size,
    journalEntries: backup.journal.length,
    photos: backup.attachments.filter((attachment) => attachment.removedAt === null).length,
  };
}

async function pipeBytes(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array<ArrayBuffer>> {
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(transform).getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    length += value.length;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export interface EncodedBackupFile {
  bytes: Uint8Array<ArrayBuffer>;
  header: BackupFileHeader;
  /** Milliseconds spent on JSON and on compression; sizes before and after. */
  jsonMs: number;
  gzipMs: number;
  jsonBytes: number;
}

/** The backup as the bytes of a backup file. */
export async function encodeBackupFile(backup: OneMapBackup, meta: { reason: BackupReason; label: string | null; appVersion: string }): Promise<EncodedBackupFile> {
  const header = backupFileHeaderSchema.parse({
    format: 'onemap-backup-header',
    version: 1,
    reason: meta.reason,
    label: meta.label === null ? null : meta.label.slice(0, 200),
    createdAt: backup.createdAt,
    counts: summarizeBackup(backup),
    appVersion: meta.appVersion,
  });
  const jsonStart = performance.now();
  const json = new TextEncoder().encode(backupToJson(backup));
  const gzipStart = performance.now();
  const gzip = await pipeBytes(json, new CompressionStream('gzip'));
  const gzipEnd = performance.now();
  return { bytes: withBackupHeader(gzip, header), header, jsonMs: gzipStart - jsonStart, gzipMs: gzipEnd - gzipStart, jsonBytes: json.length };
}

function refuse(fileName: string, problem: BackupFileProblem, detail: string): never {
  throw new BackupFileError({ fileName, problem, detail });
}

function firstNonSpace(bytes: Uint8Array): number | undefined {
  let index = 0;
  // A UTF-8 byte order mark, then whitespace.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) index = 3;
  while (index < bytes.length && (bytes[index] === 0x20 || bytes[index] === 0x0a || bytes[index] === 0x0d || bytes[index] === 0x09)) index += 1;
  return bytes[index];
}

export interface DecodedBackupFile {
  /** The OneMap header when the file has one (files this app wrote do). */
  header: BackupFileHeader | null;
  /** The parsed backup, validated against this store's schema version. */
  backup: OneMapBackup;
  counts: BackupCounts;
}

/**
 * Reads a backup file completely and validates it (shape, every record, references, photo
 * bytes) — nothing is written. Throws {@link BackupFileError} naming the file and the cause.
 */
export async function decodeBackupFile(bytes: Uint8Array, fileName: string, schemaVersion: number): Promise<DecodedBackupFile> {
  if (bytes.length === 0) refuse(fileName, 'empty', '0 bytes');
  if (bytes.length > MAX_BACKUP_FILE_BYTES) refuse(fileName, 'too-large', `${bytes.length} bytes, at most ${MAX_BACKUP_FILE_BYTES}`);
  let header: BackupFileHeader | null = null;
  let text: string;
  if (isGzip(bytes)) {
    try {
      header = readBackupHeader(bytes);
    } catch {
      header = null; // a plain .json.gz: fine, the content decides.
    }
    let json: Uint8Array;
    try {
      json = await pipeBytes(bytes, new DecompressionStream('gzip'));
    } catch (error) {
      refuse(fileName, 'damaged', `the compressed data is cut off or corrupt: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(json);
    } catch {
      refuse(fileName, 'not-a-backup', 'the compressed content is not UTF-8 text');
    }
  } else if (firstNonSpace(bytes) === 0x7b) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      refuse(fileName, 'not-a-backup', 'not UTF-8 text');
    }
  } else {
    refuse(fileName, 'not-a-backup', 'neither a gzip file nor JSON');
  }

  let parsed: unknown;
  try {
    parsed = backupFromJson(text);
  } catch (error) {
    refuse(fileName, 'damaged', error instanceof BackupInvalidError ? error.problems.join('; ') : String(error));
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { format?: unknown }).format !== 'onemap-backup') {
    refuse(fileName, 'not-a-backup', 'JSON, but not a OneMap backup (no "format": "onemap-backup")');
  }
  try {
    const { backup } = validateBackup(parsed, schemaVersion);
    return { header, backup, counts: summarizeBackup(backup) };
  } catch (error) {
    if (error instanceof BackupInvalidError) refuse(fileName, 'invalid', error.problems.slice(0, 3).join('; ') + (error.problems.length > 3 ? ` (+${error.problems.length - 3})` : ''));
    throw error;
  }
}
