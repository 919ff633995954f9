// The backups as the app uses them: make one (daily, before an import, on demand), restore one
// (a stored backup or a file the user picks), download one. The heavy work runs in the backup
// worker; the files go to the shell through AppApi (Electron: <userData>/backups, web: OPFS).
// One backup operation at a time, also across tabs of the web shell (Web Locks).
import * as Comlink from 'comlink';
import { MAX_BACKUP_FILE_BYTES, type BackupCounts, type BackupEntry, type BackupFileHeader, type BackupReason } from '../../../../shared/ipc/backups';
import { resetStoreMarker, type OneMapDatabase, type RestoreReport } from '../../db';
import { currentPlatform } from '../../platform';
import type { BackupFileRefusal } from './backup-file';
import { backupWorker } from './backup-worker-client';
import { DAY_MS, dailyBackupDueInMs } from './schedule';

const APP_VERSION = import.meta.env.VITE_ONEMAP_VERSION ?? '0.0.0';
const LOCK_NAME = 'onemap-backup';
const RESTORED_KEY = 'onemap.backup.restored';

// ---- change notifications, so an open backups panel refreshes after a background backup ----

const listeners = new Set<() => void>();

export function onBackupsChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notifyChanged(): void {
  for (const listener of listeners) listener();
}

let localQueue: Promise<unknown> = Promise.resolve();

/** Runs one backup operation at a time: across tabs with a Web Lock where there is one, else within this window. */
function exclusive<T>(job: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.locks) return navigator.locks.request(LOCK_NAME, job) as Promise<T>;
  const next = localQueue.then(job, job);
  localQueue = next.catch(() => undefined);
  return next;
}

async function writeBackupUnlocked(database: OneMapDatabase, reason: BackupReason, label: string | null): Promise<BackupEntry> {
  const start = performance.now();
  const created = await backupWorker().createBackupFile(database.name, reason, label, APP_VERSION);
  const created_ = performance.now();
  const entry = await currentPlatform().api.writeBackup(created.bytes);
  const end = performance.now();
  // For the e2e measurement and anyone profiling: the whole backup and its parts.
  performance.measure('onemap:backup', { start, end, detail: { ...created.timings, reason, createMs: created_ - start, storeMs: end - created_ } });
  notifyChanged();
  return entry;
}

/** Writes a backup of the whole store now, with its reason and an optional label. */
export function writeBackup(database: OneMapDatabase, reason: BackupReason, label: string | null = null): Promise<BackupEntry> {
  return exclusive(() => writeBackupUnlocked(database, reason, label));
}

/**
 * The backup an import makes before it commits: call it, await it, and commit the import only
 * if it resolved. It rejects (with the shell's reason) when the backup could not be stored —
 * e.g. the disk or the site's quota is full. Where the shell keeps no backups (a browser without
 * an origin private file system) it resolves without writing anything.
 */
export async function backupBeforeImport(database: OneMapDatabase, label: string): Promise<void> {
  await exclusive(async () => {
    if ((await currentPlatform().api.listBackups()).location === 'unavailable') return;
    await writeBackupUnlocked(database, 'before-import', label);
  });
}

/**
 * The daily check: writes a daily backup when the newest is 24 h old (or there is none).
 * Answers the milliseconds until the next is due, or null when the shell keeps no backups.
 */
export function dailyBackupCheck(database: OneMapDatabase, now: () => Date = () => new Date()): Promise<number | null> {
  return exclusive(async () => {
    const list = await currentPlatform().api.listBackups();
    if (list.location === 'unavailable') return null;
    const dueIn = dailyBackupDueInMs(list.backups, now());
    if (dueIn > 0) return dueIn;
    await writeBackupUnlocked(database, 'daily', null);
    return DAY_MS;
  });
}

// ---- restore ----

export type RestoreSource = { kind: 'stored'; entry: BackupEntry } | { kind: 'file'; file: File };

export interface PreparedRestore {
  token: number;
  fileName: string;
  header: BackupFileHeader | null;
  /** When the backup was taken, and what it holds. */
  createdAt: string;
  counts: BackupCounts;
  /** What the store holds now: what the restore replaces. */
  current: BackupCounts;
}

export type PrepareOutcome = { ok: true; prepared: PreparedRestore } | { ok: false; refusal: BackupFileRefusal };

/** The label of the backup a restore makes of what it replaces (the panel shows it in the UI language). */
export const RESTORE_LABEL_PREFIX = 'restore: ';

export function backupDownloadName(id: string): string {
  return `onemap-backup-${id}.json.gz`;
}

/** Reads and validates a backup completely, writing nothing; the restore waits for the user's confirmation. */
export async function prepareRestore(database: OneMapDatabase, source: RestoreSource): Promise<PrepareOutcome> {
  const fileName = source.kind === 'stored' ? backupDownloadName(source.entry.id) : source.file.name;
  let bytes: Uint8Array;
  if (source.kind === 'stored') {
    bytes = await currentPlatform().api.readBackup(source.entry.id);
  } else {
    if (source.file.size > MAX_BACKUP_FILE_BYTES) return { ok: false, refusal: { fileName, problem: 'too-large', detail: `${source.file.size} bytes` } };
    try {
      bytes = new Uint8Array(await source.file.arrayBuffer());
    } catch (error) {
      return { ok: false, refusal: { fileName, problem: 'damaged', detail: `the file cannot be read: ${error instanceof Error ? error.message : String(error)}` } };
    }
  }
  const worker = backupWorker();
  const outcome = await worker.inspectFile(database.name, Comlink.transfer(bytes, [bytes.buffer]), fileName);
  if (!outcome.ok) return outcome;
  const current = await worker.summarizeStore(database.name);
  return { ok: true, prepared: { token: outcome.token, fileName, header: outcome.header, createdAt: outcome.createdAt, counts: outcome.counts, current } };
}

export function discardRestore(prepared: PreparedRestore): void {
  void backupWorker().discard(prepared.token);
}

/**
 * Replaces the store with the prepared backup in one transaction, after keeping what it replaces
 * as a before-import backup (labelled `restore: <file>`); if that copy cannot be stored, nothing
 * is restored. The caller reloads the window afterwards (every view reads the new store).
 */
export function commitRestore(database: OneMapDatabase, prepared: PreparedRestore): Promise<RestoreReport> {
  return exclusive(async () => {
    if ((await currentPlatform().api.listBackups()).location !== 'unavailable') {
      await writeBackupUnlocked(database, 'before-import', `${RESTORE_LABEL_PREFIX}${prepared.fileName}`);
    }
    const report = await backupWorker().restorePrepared(database.name, prepared.token);
    // The store-loss marker vouched for the replaced journal; the next committed edit raises it again.
    resetStoreMarker(database.name, 0);
    try {
      sessionStorage.setItem(RESTORED_KEY, JSON.stringify({ fileName: prepared.fileName, createdAt: prepared.createdAt, counts: prepared.counts }));
    } catch {
      // No session storage: the notice after the reload is lost, nothing else.
    }
    notifyChanged();
    return report;
  });
}

export interface RestoredNotice {
  fileName: string;
  createdAt: string;
  counts: BackupCounts;
}

/** The restore this window just made before it reloaded, once. */
export function takeRestoredNotice(): RestoredNotice | null {
  try {
    const text = sessionStorage.getItem(RESTORED_KEY);
    if (text === null) return null;
    sessionStorage.removeItem(RESTORED_KEY);
    return JSON.parse(text) as RestoredNotice;
  } catch {
    return null;
  }
}

// ---- download ----

function saveFile(name: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/gzip' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference by now; the URL only has to outlive the click.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Saves a stored backup as a file where the user chooses (the browser's or Electron's download). */
export async function downloadStoredBackup(entry: BackupEntry): Promise<void> {
  saveFile(backupDownloadName(entry.id), await currentPlatform().api.readBackup(entry.id));
}

/** Saves the store as it is now as a backup file, without keeping a copy in the shell's backups. */
export async function downloadCurrentState(database: OneMapDatabase): Promise<void> {
  const created = await exclusive(() => backupWorker().createBackupFile(database.name, 'manual', null, APP_VERSION));
  const stamp = created.header.createdAt.replace(/[-:.]/g, '');
  saveFile(`onemap-backup-${stamp}.json.gz`, created.bytes);
}

export type { RestoreReport };
