// The web shell's rolling backups: the same files and rotation as the desktop shell's
// user-data folder (shared/ipc/backups.ts), kept in this origin's private file system (OPFS,
// `navigator.storage.getDirectory()`). OPFS lives in the same site storage as IndexedDB: it
// survives a damaged or wiped database, a bad import or a bad edit, but not "clear site data",
// the browser profile's loss, or eviction of the site's storage — hence also "download".
import {
  backupEntryOf,
  backupFileName,
  backupIdOfFileName,
  backupReasonOfId,
  BACKUP_HEADER_READ_BYTES,
  BACKUP_JSON_PREFIX,
  BackupFileFormatError,
  BackupStoreError,
  backupsToRemove,
  compareNewestFirst,
  isBackupId,
  makeBackupId,
  MAX_BACKUP_FILE_BYTES,
  readBackupHeader,
  type BackupEntry,
  type BackupList,
  type DamagedBackup,
} from '../../../shared/ipc/backups';
import type { AppApi } from '../../../shared/ipc/app-api';

const FOLDER = 'backups';
const TEMPORARY_SUFFIX = '.tmp';

/** A file handle with the Chromium-only `move` (OPFS, Chromium 110+). */
type MovableFileHandle = FileSystemFileHandle & { move?: (name: string) => Promise<void> };

function hasOpfs(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function';
}

async function folder(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(FOLDER, { create: true });
}

function randomHex8(): string {
  return [...crypto.getRandomValues(new Uint8Array(4))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Decompresses the body as a stream (the gzip CRC and length are checked) and looks for a OneMap backup inside. */
export async function verifyBackupBody(body: Blob): Promise<string | null> {
  const reader = body.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  let prefix = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (prefix.length < BACKUP_JSON_PREFIX.length) {
        for (const byte of value.subarray(0, BACKUP_JSON_PREFIX.length - prefix.length)) prefix += String.fromCharCode(byte);
      }
    }
  } catch (error) {
    return `the compressed data is damaged (${describe(error)})`;
  }
  return prefix === BACKUP_JSON_PREFIX ? null : 'the file holds no OneMap backup';
}

let queue: Promise<unknown> = Promise.resolve();
function serially<T>(operation: () => Promise<T>): Promise<T> {
  const run = (): Promise<T> => (typeof navigator !== 'undefined' && navigator.locks ? (navigator.locks.request('onemap-backup-store', operation) as Promise<T>) : operation());
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}

/** Ids whose body was verified, with the size and time the file had then. */
const verified = new Map<string, string>();
let cleaned = false;

async function scan(directory: FileSystemDirectoryHandle): Promise<{ entries: BackupEntry[]; damaged: DamagedBackup[]; files: Map<string, File> }> {
  const entries: BackupEntry[] = [];
  const damaged: DamagedBackup[] = [];
  const files = new Map<string, File>();
  const stale: string[] = [];
  // (The DOM typings of this TypeScript version lack the folder's async iterator.)
  const listing = (directory as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries();
  for await (const [name, handle] of listing) {
    if (handle.kind !== 'file') continue;
    if (name.endsWith(TEMPORARY_SUFFIX)) {
      stale.push(name);
      continue;
    }
    const id = backupIdOfFileName(name);
    if (id === null) continue;
    let size = 0;
    try {
      const file = await (handle as FileSystemFileHandle).getFile();
      size = file.size;
      files.set(id, file);
      const header = readBackupHeader(new Uint8Array(await file.slice(0, BACKUP_HEADER_READ_BYTES).arrayBuffer()));
      if (header.reason !== backupReasonOfId(id)) throw new BackupFileFormatError(`the header says ${header.reason}, the name ${backupReasonOfId(id) ?? '?'}`);
      entries.push(backupEntryOf(id, header, size));
    } catch (error) {
      damaged.push({ id, sizeBytes: size, problem: error instanceof BackupFileFormatError ? error.problem : `unreadable (${describe(error)})` });
    }
  }
  // Left by a write that the tab's closing interrupted; never renamed, so never a backup.
  if (!cleaned) {
    cleaned = true;
    for (const name of stale) await directory.removeEntry(name).catch(() => undefined);
  }
  entries.sort(compareNewestFirst);
  return { entries, damaged, files };
}

async function rotate(directory: FileSystemDirectoryHandle): Promise<void> {
  const { entries, files } = await scan(directory);
  let keep: string | null = null;
  for (const entry of entries) {
    const file = files.get(entry.id);
    if (!file) continue;
    const stamp = `${file.size}:${file.lastModified}`;
    if (verified.get(entry.id) === stamp || (await verifyBackupBody(file)) === null) {
      verified.set(entry.id, stamp);
      keep = entry.id;
      break;
    }
  }
  for (const id of backupsToRemove(entries, keep)) {
    await directory.removeEntry(backupFileName(id)).catch(() => undefined);
    verified.delete(id);
  }
}

async function write(file: Uint8Array): Promise<BackupEntry> {
  if (file.length > MAX_BACKUP_FILE_BYTES) throw new BackupStoreError('backup-too-large', `a backup file is at most ${MAX_BACKUP_FILE_BYTES} bytes`);
  const header = readBackupHeader(file);
  const blob = new Blob([file as Uint8Array<ArrayBuffer>], { type: 'application/gzip' });
  const problem = await verifyBackupBody(blob);
  if (problem !== null) throw new BackupStoreError('backup-file-invalid', `the backup file was not stored: ${problem}`);
  const directory = await folder();
  const id = makeBackupId(header.reason, new Date(), randomHex8());
  const name = backupFileName(id);
  // Written under a temporary name and renamed when complete; `createWritable` itself writes to a
  // swap file that replaces the file only on close(), so no reader ever sees half a backup.
  const temporaryName = `${name}${TEMPORARY_SUFFIX}`;
  const canMove = typeof (FileSystemFileHandle.prototype as MovableFileHandle).move === 'function';
  const handle: MovableFileHandle = await directory.getFileHandle(canMove ? temporaryName : name, { create: true });
  try {
    const writable = await handle.createWritable();
    try {
      await writable.write(blob);
      await writable.close();
    } catch (error) {
      await writable.abort().catch(() => undefined);
      throw error;
    }
    if (handle.name === temporaryName) await handle.move!(name);
  } catch (error) {
    await directory.removeEntry(handle.name).catch(() => undefined);
    throw new BackupStoreError('backup-write-failed', `the backup could not be written (${describe(error)})`, { cause: error });
  }
  const stored = await (await directory.getFileHandle(name)).getFile();
  verified.set(id, `${stored.size}:${stored.lastModified}`);
  await rotate(directory);
  return backupEntryOf(id, header, file.length);
}

async function read(id: string): Promise<Uint8Array> {
  if (!isBackupId(id)) throw new BackupStoreError('backup-id-invalid', 'not a backup id');
  const directory = await folder();
  let file: File;
  try {
    file = await (await directory.getFileHandle(backupFileName(id))).getFile();
  } catch (error) {
    throw notFound(error) ? new BackupStoreError('backup-not-found', 'no such backup') : new BackupStoreError('backup-read-failed', `the backup cannot be read (${describe(error)})`);
  }
  if (file.size > MAX_BACKUP_FILE_BYTES) throw new BackupStoreError('backup-too-large', `the backup is ${file.size} bytes, more than ${MAX_BACKUP_FILE_BYTES}`);
  return new Uint8Array(await file.arrayBuffer());
}

async function remove(id: string): Promise<void> {
  if (!isBackupId(id)) throw new BackupStoreError('backup-id-invalid', 'not a backup id');
  const directory = await folder();
  try {
    await directory.removeEntry(backupFileName(id));
  } catch (error) {
    throw notFound(error) ? new BackupStoreError('backup-not-found', 'no such backup') : new BackupStoreError('backup-delete-failed', `the backup cannot be deleted (${describe(error)})`);
  }
  verified.delete(id);
}

const notFound = (error: unknown): boolean => error instanceof DOMException && error.name === 'NotFoundError';

const unavailable = (): Error => new BackupStoreError('backup-unavailable', 'this browser keeps no backup files (no origin private file system): download a backup file instead');

/** The backup methods of the web shell's AppApi. */
export const webBackups: Pick<AppApi, 'listBackups' | 'writeBackup' | 'readBackup' | 'deleteBackup'> = {
  async listBackups(): Promise<BackupList> {
    if (!hasOpfs()) return { location: 'unavailable', backups: [], damaged: [] };
    return serially(async () => {
      const { entries, damaged } = await scan(await folder());
      return { location: 'browser-storage', backups: entries, damaged };
    });
  },
  async writeBackup(file) {
    if (!hasOpfs()) throw unavailable();
    return serially(() => write(file));
  },
  async readBackup(id) {
    if (!hasOpfs()) throw unavailable();
    return serially(() => read(id));
  },
  async deleteBackup(id) {
    if (!hasOpfs()) throw unavailable();
    return serially(() => remove(id));
  },
};
