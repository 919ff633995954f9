// Keeping the store alive: persistent storage, how much room is left, and the typed errors the
// UI shows when the disk is full or another OneMap window holds an older database version open.
import type { LocalizedText } from '../../../shared/model';
import { OneMapError, type OneMapErrorDetails } from '../../../shared/errors';

/**
 * A store error that can reach a person: a stable `code` (its sentence is `errors.<code>` in
 * features/errors/locales; codes start with `store.`, `sync.` or `backup.`), `details` (the values
 * the sentence names, and `technical`: the message below) and a message for the user in both UI
 * languages. `message` stays the technical English sentence it always was.
 */
export abstract class StoreError extends OneMapError {
  abstract readonly messages: LocalizedText;

  constructor(code: string, message: string, options?: { cause?: unknown }, details: OneMapErrorDetails = {}) {
    super(code, { ...details, technical: message }, options);
    this.message = message;
  }
}

/**
 * IndexedDB refused a write for lack of space. The transaction was aborted as a whole: nothing
 * of the change was written.
 */
export class StorageFullError extends StoreError {
  readonly messages: LocalizedText = {
    zh: '存储空间已满，本次修改未保存。请释放磁盘空间后重试。',
    en: 'Storage is full: this change was not saved. Free some disk space and try again.',
  };

  constructor(cause: unknown) {
    super('store.storage-full', 'storage is full: the change was not saved (QuotaExceededError)', { cause });
    this.name = 'StorageFullError';
  }
}

/**
 * Opening the database needs a newer version, and another window (an older OneMap) keeps the
 * old version open without letting go.
 */
export class DatabaseBlockedError extends StoreError {
  readonly messages: LocalizedText = {
    zh: '另一个 OneMap 窗口正在使用旧版本的数据，请关闭其他 OneMap 窗口后重新打开。',
    en: 'Another OneMap window holds an older version of the data open. Close the other OneMap window and reopen this one.',
  };

  constructor(readonly databaseName: string) {
    super('store.database-blocked', `opening "${databaseName}" is blocked by another window holding an older version open`);
    this.name = 'DatabaseBlockedError';
  }
}

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string' ? error.name : undefined;
}

/**
 * True for a quota error however it arrives: the DOMException itself, Dexie's wrapper
 * (`Dexie.QuotaExceededError`), or an abort/bulk error whose `inner` or `failures` hold it.
 */
export function isQuotaExceededError(error: unknown, depth = 0): boolean {
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  if (errorName(error) === 'QuotaExceededError') return true;
  const { inner, failures } = error as { inner?: unknown; failures?: unknown };
  if (isQuotaExceededError(inner, depth + 1)) return true;
  if (Array.isArray(failures)) return failures.some((failure) => isQuotaExceededError(failure, depth + 1));
  if (typeof failures === 'object' && failures !== null) return Object.values(failures).some((failure) => isQuotaExceededError(failure, depth + 1));
  return false;
}

/** Rethrows a quota error as {@link StorageFullError}, anything else as it is. */
export function rethrowStorageError(error: unknown): never {
  if (error instanceof StorageFullError || !isQuotaExceededError(error)) throw error;
  throw new StorageFullError(error);
}

/** The part of `navigator.storage` these helpers use (tests pass their own). */
export interface StorageManagerLike {
  persist?: () => Promise<boolean>;
  persisted?: () => Promise<boolean>;
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
}

function defaultStorageManager(): StorageManagerLike | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator.storage as StorageManagerLike | undefined);
}

export type PersistentStorageState = 'granted' | 'denied' | 'unsupported';

/**
 * Asks the browser not to evict the store under storage pressure (`navigator.storage.persist()`).
 * Chromium decides without a prompt (granted for installed apps and Electron); the answer is
 * worth showing, because "denied" means the browser may clear the data.
 */
export async function requestPersistentStorage(storage: StorageManagerLike | undefined = defaultStorageManager()): Promise<PersistentStorageState> {
  if (storage?.persist === undefined) return 'unsupported';
  try {
    if (storage.persisted !== undefined && (await storage.persisted())) return 'granted';
    return (await storage.persist()) ? 'granted' : 'denied';
  } catch {
    return 'denied';
  }
}

/** Whether storage is already persistent, without asking for it. */
export async function persistentStorageState(storage: StorageManagerLike | undefined = defaultStorageManager()): Promise<PersistentStorageState> {
  if (storage?.persisted === undefined) return 'unsupported';
  try {
    return (await storage.persisted()) ? 'granted' : 'denied';
  } catch {
    return 'denied';
  }
}

export interface StorageEstimate {
  /** Bytes used by this origin. */
  usage: number;
  /** Bytes this origin may use. */
  quota: number;
  /** `usage / quota`, 0 when the quota is unknown. */
  usedFraction: number;
}

/** How much the origin uses and may use (`navigator.storage.estimate()`); null where unsupported. */
export async function storageEstimate(storage: StorageManagerLike | undefined = defaultStorageManager()): Promise<StorageEstimate | null> {
  if (storage?.estimate === undefined) return null;
  try {
    const { usage = 0, quota = 0 } = await storage.estimate();
    return { usage, quota, usedFraction: quota > 0 ? usage / quota : 0 };
  } catch {
    return null;
  }
}
