// Backup files for the backup tests: real gzip (Node's zlib) of a small OneMap-backup-shaped JSON,
// with the OneMap header in the gzip extra field, made exactly as the renderer does.
import { gzipSync } from 'node:zlib';
import { withBackupHeader, type BackupFileHeader, type BackupReason } from '../../../shared/ipc/backups';

export function header(reason: BackupReason, createdAt: string, overrides: Partial<BackupFileHeader> = {}): BackupFileHeader {
  return {
    format: 'onemap-backup-header',
    version: 1,
    reason,
    label: null,
    createdAt,
    counts: { features: 12, journalEntries: 3, photos: 1 },
    appVersion: '0.1.0',
    ...overrides,
  };
}

export function backupJson(createdAt: string, padding = 0): string {
  return `{"format":"onemap-backup","formatVersion":1,"schemaVersion":1,"createdAt":"${createdAt}","layers":[],"pad":"${'x'.repeat(padding)}"}`;
}

/** A complete backup file: header + gzip body. */
export function backupFile(reason: BackupReason, createdAt: string, overrides: Partial<BackupFileHeader> = {}): Uint8Array {
  return withBackupHeader(gzipSync(Buffer.from(backupJson(createdAt, 2_000))), header(reason, createdAt, overrides));
}

/** Day `n` of August 2021 at noon, as ISO text. */
export const day = (n: number, hour = 12): string => new Date(Date.UTC(2021, 7, n, hour)).toISOString();
