/**
 * Rolling local backups: the file format both shells write, the ids the renderer sees, the
 * retention rule, and the zod schemas of the backup channels. Pure TypeScript (no Node, no DOM),
 * so Electron main, the web shell's OPFS store and the renderer share one definition.
 *
 * A backup file is the store's backup JSON (`renderer/src/db/backup.ts`), gzip-compressed, with
 * a small header carried in the gzip header's "extra field" (RFC 1952 §2.3.1.1, subfield `OM`):
 * the file stays a plain `.json.gz` that gunzip, any zip tool and `DecompressionStream` read as
 * it is, and a list of backups needs only the first few hundred bytes of each file.
 */
import { z } from 'zod';
import { OneMapError } from '../errors';

export const backupReasons = ['daily', 'before-import', 'manual'] as const;
export type BackupReason = (typeof backupReasons)[number];

/** How many of each kind are kept; manual backups stay until the user deletes them. */
export const backupRetention: Readonly<Record<BackupReason, number>> = { daily: 7, 'before-import': 5, manual: Number.POSITIVE_INFINITY };

/**
 * The largest backup file a shell writes or reads, in bytes. The backup is one JSON string
 * before compression, and V8 caps a string at 2^29 − 24 UTF-16 units (≈512 Mi): a compressed
 * file is always smaller than its JSON, so no real backup is refused by this cap, while it bounds
 * what a renderer can make main hold in memory through one IPC call.
 */
export const MAX_BACKUP_FILE_BYTES = 512 * 1024 * 1024;
/** The header is a few hundred bytes; anything near this is not ours. */
export const MAX_BACKUP_HEADER_BYTES = 4096;
/** Bytes to read from the start of a file to be sure to have its whole header. */
export const BACKUP_HEADER_READ_BYTES = 10 + 2 + 4 + MAX_BACKUP_HEADER_BYTES;
export const BACKUP_FILE_EXTENSION = '.json.gz';
/** What a backup's decompressed text starts with (`exportBackup` writes these keys first). */
export const BACKUP_JSON_PREFIX = '{"format":"onemap-backup",';

export const backupReasonSchema = z.enum(backupReasons);

export const backupCountsSchema = z.strictObject({
  /** Features in the store (base and edits merged; deleted ones not counted). */
  features: z.int().min(0),
  journalEntries: z.int().min(0),
  /** Photos attached to features (removed ones, kept for undo, not counted). */
  photos: z.int().min(0),
});
export type BackupCounts = z.output<typeof backupCountsSchema>;

export const backupFileHeaderSchema = z.strictObject({
  format: z.literal('onemap-backup-header'),
  version: z.literal(1),
  reason: backupReasonSchema,
  /** What the backup was taken for, e.g. the file about to be imported; null for none. */
  label: z.string().max(200).nullable(),
  /** When the snapshot was taken. */
  createdAt: z.iso.datetime({ offset: true }),
  counts: backupCountsSchema,
  appVersion: z.string().min(1).max(40),
});
export type BackupFileHeader = z.output<typeof backupFileHeaderSchema>;

// ---- ids: the only handle the renderer gets on a stored backup ----

const backupIdPattern = /^(daily|before-import|manual)-(\d{8}T\d{9}Z)-([0-9a-f]{8})$/;

/**
 * `<reason>-<UTC time, yyyyMMddTHHmmssSSSZ>-<8 hex digits>`: letters, digits and dashes only, so
 * an id can never name another folder (no dot, slash, backslash, colon or NUL can pass).
 */
export const backupIdSchema = z.string().max(64).regex(backupIdPattern, 'not a backup id');

export function isBackupId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 64 && backupIdPattern.test(value);
}

export function makeBackupId(reason: BackupReason, time: Date, randomHex8: string): string {
  if (!/^[0-9a-f]{8}$/.test(randomHex8)) throw new Error(`makeBackupId: ${JSON.stringify(randomHex8)} is not 8 hex digits`);
  const stamp = time.toISOString().replace(/[-:.]/g, '');
  const id = `${reason}-${stamp}-${randomHex8}`;
  if (!isBackupId(id)) throw new Error(`makeBackupId: could not make an id from ${time.toISOString()}`);
  return id;
}

export function backupReasonOfId(id: string): BackupReason | null {
  const match = backupIdPattern.exec(id);
  return match ? (match[1] as BackupReason) : null;
}

export function backupFileName(id: string): string {
  if (!isBackupId(id)) throw new Error(`not a backup id: ${JSON.stringify(id).slice(0, 80)}`);
  return `${id}${BACKUP_FILE_EXTENSION}`;
}

/** The id of a file name in a backups folder, or null for any other file. */
export function backupIdOfFileName(name: string): string | null {
  if (!name.endsWith(BACKUP_FILE_EXTENSION)) return null;
  const id = name.slice(0, -BACKUP_FILE_EXTENSION.length);
  return isBackupId(id) ? id : null;
}

// ---- what a list shows ----

export const backupEntrySchema = z.strictObject({
  id: backupIdSchema,
  reason: backupReasonSchema,
  label: z.string().max(200).nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  sizeBytes: z.int().min(0),
  counts: backupCountsSchema,
});
export type BackupEntry = z.output<typeof backupEntrySchema>;

/** A file in the backups folder whose header cannot be read: shown so the user can delete it. */
export const damagedBackupSchema = z.strictObject({
  id: backupIdSchema,
  sizeBytes: z.int().min(0),
  problem: z.string().max(300),
});
export type DamagedBackup = z.output<typeof damagedBackupSchema>;

export const backupListSchema = z.strictObject({
  /** Where the rolling backups live: the desktop's user-data folder, this browser's site storage, or nowhere. */
  location: z.enum(['user-data', 'browser-storage', 'unavailable']),
  /** Newest first. */
  backups: z.array(backupEntrySchema),
  damaged: z.array(damagedBackupSchema),
});
export type BackupList = z.output<typeof backupListSchema>;

export function backupEntryOf(id: string, header: BackupFileHeader, sizeBytes: number): BackupEntry {
  return { id, reason: header.reason, label: header.label, createdAt: header.createdAt, sizeBytes, counts: header.counts };
}

/** Newest first: by the time the snapshot was taken, then by id. */
export function compareNewestFirst(a: Pick<BackupEntry, 'createdAt' | 'id'>, b: Pick<BackupEntry, 'createdAt' | 'id'>): number {
  const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  return byTime !== 0 ? byTime : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * Which backups rotation removes: beyond the newest 7 daily and the newest 5 before-import ones
 * (manual ones are kept), except `keepId` — the newest backup known to be good — which is never
 * removed, whatever its kind or age.
 */
export function backupsToRemove(
  entries: readonly Pick<BackupEntry, 'id' | 'reason' | 'createdAt'>[],
  keepId: string | null,
  retention: Readonly<Record<BackupReason, number>> = backupRetention,
): string[] {
  const seen: Record<BackupReason, number> = { daily: 0, 'before-import': 0, manual: 0 };
  const remove: string[] = [];
  for (const entry of [...entries].sort(compareNewestFirst)) {
    seen[entry.reason] += 1;
    if (seen[entry.reason] > retention[entry.reason] && entry.id !== keepId) remove.push(entry.id);
  }
  return remove;
}

// ---- the gzip header's extra field ----

const GZIP_ID1 = 0x1f;
const GZIP_ID2 = 0x8b;
const GZIP_DEFLATE = 8;
const FLAG_TEXT = 0x01;
const FLAG_HEADER_CRC = 0x02;
const FLAG_EXTRA = 0x04;
const FLAG_NAME = 0x08;
const FLAG_COMMENT = 0x10;
const SUBFIELD_ID = [0x4f, 0x4d] as const; // "OM"

/** The file is not a backup file a shell can list (not gzip, no OneMap header, a bad header). */
export class BackupFileFormatError extends OneMapError {
  override name = 'BackupFileFormatError';
  constructor(readonly problem: string) {
    super('backup-file-invalid', { technical: problem });
    this.message = problem;
  }
}

/** Why a shell's backup store refused or failed (the desktop folder, the web shell's OPFS). */
export const backupStoreErrorCodes = [
  'backup-id-invalid',
  'backup-not-found',
  'backup-too-large',
  'backup-file-invalid',
  'backup-folder-unavailable',
  'backup-write-failed',
  'backup-read-failed',
  'backup-delete-failed',
  'backup-unavailable',
] as const;
export type BackupStoreErrorCode = (typeof backupStoreErrorCodes)[number];

/** A refusal or failure of a backup store the renderer may see: its message never contains a path. */
export class BackupStoreError extends OneMapError {
  override name = 'BackupStoreError';
  declare readonly code: BackupStoreErrorCode;
  constructor(code: BackupStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, { technical: message }, options);
    this.message = message;
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 18 && bytes[0] === GZIP_ID1 && bytes[1] === GZIP_ID2 && bytes[2] === GZIP_DEFLATE;
}

/** JSON with every character outside ASCII escaped, so the header is bytes 0–127 with no encoder needed. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Puts `header` into the extra field of a gzip member that has no optional header fields (what
 * `CompressionStream('gzip')` and Node's zlib write). The compressed data and its CRC are not
 * touched: the CRC covers only the uncompressed data.
 */
export function withBackupHeader(gzip: Uint8Array, header: BackupFileHeader): Uint8Array<ArrayBuffer> {
  if (!isGzip(gzip)) throw new BackupFileFormatError('not gzip data');
  if ((gzip[3]! & ~FLAG_TEXT) !== 0) throw new BackupFileFormatError('the gzip data already has optional header fields');
  const json = asciiJson(backupFileHeaderSchema.parse(header));
  if (json.length > MAX_BACKUP_HEADER_BYTES) throw new BackupFileFormatError(`the header is ${json.length} bytes, at most ${MAX_BACKUP_HEADER_BYTES}`);
  const extraLength = 4 + json.length;
  const out = new Uint8Array(gzip.length + 2 + extraLength);
  out.set(gzip.subarray(0, 10), 0);
  out[3] = gzip[3]! | FLAG_EXTRA;
  out[10] = extraLength & 0xff;
  out[11] = extraLength >> 8;
  out[12] = SUBFIELD_ID[0];
  out[13] = SUBFIELD_ID[1];
  out[14] = json.length & 0xff;
  out[15] = json.length >> 8;
  for (let index = 0; index < json.length; index += 1) out[16 + index] = json.charCodeAt(index);
  out.set(gzip.subarray(10), 12 + extraLength);
  return out;
}

/**
 * Reads the OneMap header from the start of a backup file (the first
 * {@link BACKUP_HEADER_READ_BYTES} bytes are enough). Throws {@link BackupFileFormatError}
 * naming what is wrong.
 */
export function readBackupHeader(bytes: Uint8Array): BackupFileHeader {
  if (!isGzip(bytes)) throw new BackupFileFormatError(bytes.length < 18 ? `only ${bytes.length} bytes: not a backup file` : 'not a gzip file');
  const flags = bytes[3]!;
  if ((flags & FLAG_EXTRA) === 0) throw new BackupFileFormatError('a gzip file without a OneMap header');
  if ((flags & ~(FLAG_TEXT | FLAG_HEADER_CRC | FLAG_EXTRA | FLAG_NAME | FLAG_COMMENT)) !== 0) throw new BackupFileFormatError('reserved gzip header flags are set');
  const extraLength = bytes[10]! | (bytes[11]! << 8);
  const extraEnd = 12 + extraLength;
  if (extraEnd > bytes.length) throw new BackupFileFormatError('the gzip header is cut off');
  for (let position = 12; position + 4 <= extraEnd; ) {
    const length = bytes[position + 2]! | (bytes[position + 3]! << 8);
    const start = position + 4;
    if (start + length > extraEnd) break;
    if (bytes[position] === SUBFIELD_ID[0] && bytes[position + 1] === SUBFIELD_ID[1]) {
      if (length > MAX_BACKUP_HEADER_BYTES) throw new BackupFileFormatError('the OneMap header is too long');
      let json = '';
      for (let index = start; index < start + length; index += 1) {
        const byte = bytes[index]!;
        if (byte > 0x7e || byte < 0x20) throw new BackupFileFormatError('the OneMap header is not ASCII JSON');
        json += String.fromCharCode(byte);
      }
      let value: unknown;
      try {
        value = JSON.parse(json);
      } catch {
        throw new BackupFileFormatError('the OneMap header is not JSON');
      }
      const header = backupFileHeaderSchema.safeParse(value);
      if (!header.success) {
        const issue = header.error.issues[0];
        throw new BackupFileFormatError(`the OneMap header is invalid: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
      }
      return header.data;
    }
    position = start + length;
  }
  throw new BackupFileFormatError('a gzip file without a OneMap header');
}

// ---- the backup channels' payloads ----

/** Bytes as IPC and the web shell carry them (any Uint8Array, Node's Buffer included). */
const bytesSchema = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'not a byte array');

const backupFileBytesSchema = bytesSchema
  .refine((bytes) => bytes.length <= MAX_BACKUP_FILE_BYTES, `a backup file is at most ${MAX_BACKUP_FILE_BYTES} bytes`)
  .superRefine((bytes, context) => {
    try {
      readBackupHeader(bytes);
    } catch (error) {
      context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  });

export const backupPayloadSchemas = {
  listBackups: { request: z.strictObject({}), response: backupListSchema },
  writeBackup: { request: z.strictObject({ file: backupFileBytesSchema }), response: backupEntrySchema },
  readBackup: {
    request: z.strictObject({ id: backupIdSchema }),
    response: bytesSchema.refine((bytes) => bytes.length <= MAX_BACKUP_FILE_BYTES, 'too large'),
  },
  deleteBackup: { request: z.strictObject({ id: backupIdSchema }), response: z.void() },
} as const;
