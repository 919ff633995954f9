// The backup's heavy work off the main thread: reading the whole store, JSON, gzip, and on
// restore decompressing, parsing and validating, then the one restore transaction. The worker
// opens the same IndexedDB database by name (its own connection, closed after each job); the
// window's live queries see a restore through Dexie's cross-context change notifications.
import * as Comlink from 'comlink';
import type { BackupCounts, BackupFileHeader, BackupReason } from '../../../../shared/ipc/backups';
import { exportBackup, openOneMapDatabase, restoreBackup, type OneMapBackup, type OneMapDatabase, type RestoreReport } from '../../db';
import { BackupFileError, decodeBackupFile, encodeBackupFile, summarizeBackup, type BackupFileRefusal } from './backup-file';

export interface CreatedBackupFile {
  bytes: Uint8Array<ArrayBuffer>;
  header: BackupFileHeader;
  timings: { exportMs: number; jsonMs: number; gzipMs: number; jsonBytes: number; fileBytes: number };
}

export type InspectOutcome =
  | { ok: true; token: number; header: BackupFileHeader | null; createdAt: string; counts: BackupCounts }
  | { ok: false; refusal: BackupFileRefusal };

async function withDatabase<T>(name: string, job: (database: OneMapDatabase) => Promise<T>): Promise<T> {
  const database = await openOneMapDatabase(name);
  try {
    return await job(database);
  } finally {
    database.close();
  }
}

/** Decoded and validated backups waiting for the user's confirmation, by token. */
const prepared = new Map<number, OneMapBackup>();
let nextToken = 1;

const api = {
  async createBackupFile(databaseName: string, reason: BackupReason, label: string | null, appVersion: string): Promise<CreatedBackupFile> {
    const start = performance.now();
    const backup = await withDatabase(databaseName, (database) => exportBackup(database));
    const exportMs = performance.now() - start;
    const file = await encodeBackupFile(backup, { reason, label, appVersion });
    const result: CreatedBackupFile = {
      bytes: file.bytes,
      header: file.header,
      timings: { exportMs, jsonMs: file.jsonMs, gzipMs: file.gzipMs, jsonBytes: file.jsonBytes, fileBytes: file.bytes.length },
    };
    return Comlink.transfer(result, [file.bytes.buffer]);
  },

  /** What the store holds now, counted like a backup's header (for the restore confirmation). */
  async summarizeStore(databaseName: string): Promise<BackupCounts> {
    return summarizeBackup(await withDatabase(databaseName, (database) => exportBackup(database)));
  },

  /** Reads and validates a backup file completely; keeps it for {@link restorePrepared}. Writes nothing. */
  async inspectFile(databaseName: string, bytes: Uint8Array, fileName: string): Promise<InspectOutcome> {
    const schemaVersion = await withDatabase(databaseName, async (database) => database.verno);
    try {
      const decoded = await decodeBackupFile(bytes, fileName, schemaVersion);
      const token = nextToken;
      nextToken += 1;
      prepared.set(token, decoded.backup);
      return { ok: true, token, header: decoded.header, createdAt: decoded.backup.createdAt, counts: decoded.counts };
    } catch (error) {
      if (error instanceof BackupFileError) return { ok: false, refusal: error.refusal };
      throw error;
    }
  },

  async restorePrepared(databaseName: string, token: number): Promise<RestoreReport> {
    const backup = prepared.get(token);
    if (!backup) throw new Error('the backup to restore is no longer prepared: choose it again');
    prepared.delete(token);
    return withDatabase(databaseName, (database) => restoreBackup(database, backup));
  },

  discard(token: number): void {
    prepared.delete(token);
  },
};

export type BackupWorkerApi = typeof api;

Comlink.expose(api);
