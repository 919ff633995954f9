/**
 * The desktop shell's rolling backups: files in `<userData>/backups/`, written atomically
 * (temporary file, fsync, rename, fsync of the folder) and rotated (the newest 7 daily and 5
 * before-import ones, manual ones until deleted, never the newest good one). The renderer hands
 * over finished backup files (gzip with the OneMap header, see shared/ipc/backups.ts) and sees
 * only ids: no path and no file-system error text with a path ever crosses IPC.
 *
 * No Electron import (the folder is passed in), so it is tested in plain Node on a temp folder.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as nodeFileSystem from 'node:fs/promises';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import {
  BACKUP_HEADER_READ_BYTES,
  BACKUP_JSON_PREFIX,
  BackupFileFormatError,
  BackupStoreError,
  backupEntryOf,
  backupFileName,
  backupIdOfFileName,
  backupReasonOfId,
  backupsToRemove,
  compareNewestFirst,
  isBackupId,
  makeBackupId,
  MAX_BACKUP_FILE_BYTES,
  readBackupHeader,
  type BackupEntry,
  type BackupList,
  type DamagedBackup,
} from '../../shared/ipc/backups';

/** The part of Electron's `app` this module needs (tests pass a stub). */
export interface UserDataSource {
  getPath(name: 'userData'): string;
}

export function backupsDirectory(app: UserDataSource): string {
  return path.join(app.getPath('userData'), 'backups');
}

/** The file-system calls the store makes; tests wrap them to fail at a chosen step. */
export type BackupFileSystem = Pick<typeof nodeFileSystem, 'mkdir' | 'readdir' | 'stat' | 'open' | 'rename' | 'unlink' | 'readFile'>;

export interface BackupStoreOptions {
  fileSystem?: BackupFileSystem;
  now?: () => Date;
  /** 8 hex digits for a new id. */
  randomHex?: () => string;
  platform?: NodeJS.Platform;
  log?: (message: string) => void;
}

export interface BackupStore {
  list(): Promise<BackupList>;
  write(file: Uint8Array): Promise<BackupEntry>;
  read(id: string): Promise<Uint8Array>;
  remove(id: string): Promise<void>;
}

export { BackupStoreError };

const TEMPORARY_SUFFIX = '.tmp';

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.name : 'unknown error';
}

/**
 * Decompresses a backup body as a stream (constant memory) and checks the gzip CRC and length
 * and that a OneMap backup is inside. Answers what is wrong, or null.
 */
export async function verifyBackupBody(source: Readable): Promise<string | null> {
  let prefix = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (prefix.length < BACKUP_JSON_PREFIX.length) prefix += chunk.subarray(0, BACKUP_JSON_PREFIX.length - prefix.length).toString('latin1');
      callback();
    },
  });
  try {
    await pipeline(source, createGunzip(), sink);
  } catch (error) {
    return `the compressed data is damaged (${error instanceof Error ? error.message : String(error)})`;
  }
  return prefix === BACKUP_JSON_PREFIX ? null : 'the file holds no OneMap backup';
}

export function createBackupStore(directory: string, options: BackupStoreOptions = {}): BackupStore {
  const root = path.resolve(directory);
  const fs = options.fileSystem ?? nodeFileSystem;
  const now = options.now ?? (() => new Date());
  const randomHex = options.randomHex ?? (() => randomBytes(4).toString('hex'));
  const platform = options.platform ?? process.platform;
  const log = options.log ?? ((message: string) => console.warn(message));
  /** Ids whose body was verified, with the size and time it had then. */
  const verified = new Map<string, string>();
  let prepared = false;
  let queue: Promise<unknown> = Promise.resolve();

  /** One operation at a time: a rotation never races a write or a delete. */
  function serially<T>(operation: () => Promise<T>): Promise<T> {
    const next = queue.then(operation, operation);
    queue = next.catch(() => undefined);
    return next;
  }

  /** The path of a backup id, refusing anything that is not an id or would leave the folder. */
  function pathOf(id: string): string {
    if (!isBackupId(id)) throw new BackupStoreError('backup-id-invalid', 'not a backup id');
    const file = path.join(root, backupFileName(id));
    if (path.dirname(file) !== root) throw new BackupStoreError('backup-id-invalid', 'not a backup id');
    return file;
  }

  async function prepare(): Promise<void> {
    try {
      await fs.mkdir(root, { recursive: true });
    } catch (error) {
      throw new BackupStoreError('backup-folder-unavailable', `the backups folder cannot be created (${errorCode(error)})`, { cause: error });
    }
    if (prepared) return;
    prepared = true;
    // This process is the only writer (single-instance lock): a temporary file left now is a
    // write that a crash or power cut interrupted. It was never renamed, so it was never a backup.
    for (const name of await fs.readdir(root)) {
      if (name.startsWith('.') && name.endsWith(TEMPORARY_SUFFIX)) {
        await fs.unlink(path.join(root, name)).catch((error: unknown) => log(`[backups] could not remove an unfinished backup (${errorCode(error)})`));
      }
    }
  }

  async function readHead(file: string, size: number): Promise<Uint8Array> {
    const handle = await fs.open(file, 'r');
    try {
      const head = new Uint8Array(Math.min(size, BACKUP_HEADER_READ_BYTES));
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      return head.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async function scan(): Promise<{ entries: BackupEntry[]; damaged: DamagedBackup[]; stamps: Map<string, string> }> {
    await prepare();
    const entries: BackupEntry[] = [];
    const damaged: DamagedBackup[] = [];
    const stamps = new Map<string, string>();
    for (const name of (await fs.readdir(root)).sort()) {
      const id = backupIdOfFileName(name);
      if (id === null) continue;
      const file = path.join(root, name);
      let size = 0;
      try {
        const stat = await fs.stat(file);
        if (!stat.isFile()) continue;
        size = stat.size;
        stamps.set(id, `${stat.size}:${stat.mtimeMs}`);
        const header = readBackupHeader(await readHead(file, size));
        if (header.reason !== backupReasonOfId(id)) throw new BackupFileFormatError(`the header says ${header.reason}, the name ${backupReasonOfId(id) ?? '?'}`);
        entries.push(backupEntryOf(id, header, size));
      } catch (error) {
        const problem = error instanceof BackupFileFormatError ? error.problem : `unreadable (${errorCode(error)})`;
        damaged.push({ id, sizeBytes: size, problem });
      }
    }
    entries.sort(compareNewestFirst);
    return { entries, damaged, stamps };
  }

  async function isGood(id: string, stamp: string | undefined): Promise<boolean> {
    if (stamp !== undefined && verified.get(id) === stamp) return true;
    const problem = await verifyBackupBody(createReadStream(pathOf(id))).catch((error: unknown) => `unreadable (${errorCode(error)})`);
    if (problem !== null) {
      log(`[backups] ${id} is damaged: ${problem}`);
      return false;
    }
    if (stamp !== undefined) verified.set(id, stamp);
    return true;
  }

  /** Removes what the retention rule says, never the newest backup whose body checks out. */
  async function rotate(): Promise<void> {
    const { entries, stamps } = await scan();
    let keep: string | null = null;
    for (const entry of entries) {
      if (await isGood(entry.id, stamps.get(entry.id))) {
        keep = entry.id;
        break;
      }
    }
    for (const id of backupsToRemove(entries, keep)) {
      await fs.unlink(pathOf(id)).catch((error: unknown) => log(`[backups] could not remove ${id} (${errorCode(error)})`));
      verified.delete(id);
    }
  }

  async function syncFolder(): Promise<void> {
    // A rename is durable once the folder's entry is on disk. Windows cannot open a folder for
    // fsync (NTFS journals the rename itself).
    if (platform === 'win32') return;
    const handle = await fs.open(root, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async function write(file: Uint8Array): Promise<BackupEntry> {
    if (file.length > MAX_BACKUP_FILE_BYTES) throw new BackupStoreError('backup-too-large', `a backup file is at most ${MAX_BACKUP_FILE_BYTES} bytes`);
    let header;
    try {
      header = readBackupHeader(file);
    } catch (error) {
      throw new BackupStoreError('backup-file-invalid', `not a backup file: ${error instanceof Error ? error.message : String(error)}`);
    }
    const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
    const problem = await verifyBackupBody(Readable.from([bytes]));
    if (problem !== null) throw new BackupStoreError('backup-file-invalid', `the backup file was not stored: ${problem}`);
    await prepare();

    const id = makeBackupId(header.reason, now(), randomHex());
    const target = pathOf(id);
    const temporary = path.join(root, `.${id}${TEMPORARY_SUFFIX}`);
    try {
      const handle = await fs.open(temporary, 'wx');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temporary, target);
      await syncFolder();
    } catch (error) {
      await fs.unlink(temporary).catch(() => undefined);
      throw new BackupStoreError('backup-write-failed', `the backup could not be written (${errorCode(error)})`, { cause: error });
    }
    const stat = await fs.stat(target);
    verified.set(id, `${stat.size}:${stat.mtimeMs}`);
    await rotate();
    return backupEntryOf(id, header, bytes.length);
  }

  async function read(id: string): Promise<Uint8Array> {
    const file = pathOf(id);
    try {
      const stat = await fs.stat(file);
      if (stat.size > MAX_BACKUP_FILE_BYTES) throw new BackupStoreError('backup-too-large', `the backup is ${stat.size} bytes, more than ${MAX_BACKUP_FILE_BYTES}`);
      return await fs.readFile(file);
    } catch (error) {
      if (error instanceof BackupStoreError) throw error;
      throw errorCode(error) === 'ENOENT' ? new BackupStoreError('backup-not-found', 'no such backup', { cause: error }) : new BackupStoreError('backup-read-failed', `the backup cannot be read (${errorCode(error)})`, { cause: error });
    }
  }

  async function remove(id: string): Promise<void> {
    const file = pathOf(id);
    try {
      await fs.unlink(file);
    } catch (error) {
      throw errorCode(error) === 'ENOENT' ? new BackupStoreError('backup-not-found', 'no such backup', { cause: error }) : new BackupStoreError('backup-delete-failed', `the backup cannot be deleted (${errorCode(error)})`, { cause: error });
    }
    verified.delete(id);
  }

  return {
    list: () =>
      serially(async () => {
        const { entries, damaged } = await scan();
        return { location: 'user-data', backups: entries, damaged };
      }),
    write: (file) => serially(() => write(file)),
    read: (id) => serially(() => read(id)),
    remove: (id) => serially(() => remove(id)),
  };
}
