// A whole-store backup: layers, targets, the packed features and the edit rows over them, the
// journal, the photos (also removed ones, so undo keeps working after a restore) and the meta
// rows — and its restore, which is checked completely first and then replaces the store's
// content in ONE transaction: all of it or nothing.
//
// Format: one JSON-serialisable object (`OneMapBackup`, `format: "onemap-backup"`,
// `formatVersion: 1`). Blobs are base64 strings with their media type, so the object can cross
// IPC as it is and `backupToJson` / `backupFromJson` turn it into the text an Electron main
// process writes to a file and reads back. The store's own layout (chunks, edit rows, journal
// sequences) is kept as it is, so a round trip is lossless and the change feed, history and
// undo continue where they were. (JSON with base64 costs 4/3 of the photo bytes and one string
// must fit in memory — fine for a survey's photos; a zip with separate photo files would be the
// next step if workspaces grow past a few hundred MB of photos.)
import { z } from 'zod';
import {
  featureSchema,
  journalEntrySchema,
  layerDefinitionSchema,
  targetSchema,
  timestampSchema,
  type LayerDefinition,
  type LocalizedText,
  type Target,
} from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import {
  META_KEYS,
  type AttachmentRecord,
  type FeatureChunkRecord,
  type FeatureEditRecord,
  type LayerBaseRecord,
  type LayerJournalRecord,
  type MetaRecord,
  type StoredJournalEntry,
  type SyncConflictRecord,
  type SyncHeadRecord,
  type SyncVersionRecord,
} from './records';
import { chunkId } from './base';
import { rethrowStorageError, StoreError } from './durability';

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

async function encodeBlob(blob: Blob): Promise<EncodedBlob> {
  return { mediaType: blob.type, base64: bytesToBase64(new Uint8Array(await blob.arrayBuffer())) };
}

function decodeBlob(encoded: EncodedBlob): Blob {
  return new Blob([base64ToBytes(encoded.base64)], { type: encoded.mediaType });
}

// ---- export ----

/** Every table of the store: a backup holds them all, a restore replaces them all. */
function storeTables(database: OneMapDatabase) {
  return [
    database.layers,
    database.targets,
    database.layerBases,
    database.featureChunks,
    database.featureEdits,
    database.journal,
    database.attachments,
    database.meta,
    database.layerJournal,
    database.syncVersions,
    database.syncHeads,
    database.syncConflicts,
  ];
}

/**
 * Reads the whole store in one read transaction (a consistent snapshot, also while other edits
 * are being made) and returns it as a JSON-serialisable object.
 */
export async function exportBackup(database: OneMapDatabase, options: { time?: Date } = {}): Promise<OneMapBackup> {
  const snapshot = await database.transaction(
    'r',
    storeTables(database),
    async () => {
      const layerBases = await database.layerBases.toArray();
      const featureChunks: FeatureChunkRecord[] = [];
      for (const base of layerBases) {
        featureChunks.push(...(await database.featureChunks.where('[layerId+generation]').equals([base.layerId, base.generation]).toArray()));
      }
      return {
        layers: await database.layers.toArray(),
        targets: await database.targets.toArray(),
        layerBases,
        featureChunks,
        featureEdits: await database.featureEdits.toArray(),
        journal: await database.journal.toArray(),
        attachments: await database.attachments.toArray(),
        // An import's staging (its chunks are not in a base, so not here either) is not data.
        meta: (await database.meta.toArray()).filter((row) => !row.key.startsWith(META_KEYS.importStagingPrefix)),
        layerJournal: await database.layerJournal.toArray(),
        syncVersions: await database.syncVersions.toArray(),
        syncHeads: await database.syncHeads.toArray(),
        syncConflicts: await database.syncConflicts.toArray(),
      };
    },
  );
  // Blob bytes are read after the transaction: a read that is not IndexedDB's would end it early.
  const attachments: BackupAttachment[] = [];
  for (const record of snapshot.attachments) {
    attachments.push({ ...record, blob: await encodeBlob(record.blob), thumbnail: record.thumbnail === null ? null : await encodeBlob(record.thumbnail) });
  }
  return {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    schemaVersion: database.verno,
    createdAt: (options.time ?? new Date()).toISOString(),
    ...snapshot,
    attachments,
  };
}

export function backupToJson(backup: OneMapBackup): string {
  return JSON.stringify(backup);
}

/** Parses backup text; throws {@link BackupInvalidError} when it is not JSON. Validation is `restoreBackup`'s. */
export function backupFromJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BackupInvalidError([`not JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

// ---- validation ----

/** The backup is not one this store can restore; nothing was written. */
export class BackupInvalidError extends StoreError {
  readonly messages: LocalizedText = {
    zh: '备份文件已损坏或不是 OneMap 备份，未做任何更改。',
    en: 'The backup is damaged or not a OneMap backup: nothing was changed.',
  };

  constructor(readonly problems: string[]) {
    super(`invalid backup: ${problems.slice(0, 8).join('; ')}${problems.length > 8 ? ` and ${problems.length - 8} more` : ''}`);
    this.name = 'BackupInvalidError';
  }
}

const bboxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);
const encodedBlobSchema = z.strictObject({ mediaType: z.string(), base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64') });
const backupShapeSchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  schemaVersion: z.number().positive(),
  createdAt: timestampSchema,
  layers: z.array(z.unknown()),
  targets: z.array(z.unknown()),
  layerBases: z.array(
    z.strictObject({
      layerId: z.string().min(1),
      generation: z.int(),
      chunkCount: z.int().min(0),
      featureCount: z.int().min(0),
      bbox: bboxSchema.nullable(),
      seedVersion: z.string().nullable(),
      foldedDeletions: z.array(z.string()),
    }),
  ),
  featureChunks: z.array(
    z.strictObject({
      id: z.string().min(1),
      layerId: z.string().min(1),
      generation: z.int(),
      sequence: z.int().min(0),
      bbox: bboxSchema,
      hilbertFirst: z.number(),
      hilbertLast: z.number(),
      featureIds: z.array(z.string()),
      features: z.array(z.unknown()),
      userFeatureIds: z.array(z.string()),
    }),
  ),
  featureEdits: z.array(
    z.strictObject({
      layerId: z.string().min(1),
      featureId: z.string().min(1),
      feature: z.unknown(),
      revision: z.int().min(1),
      sequence: z.int().min(1),
      changeId: z.string().min(1),
    }),
  ),
  journal: z.array(z.looseObject({ sequence: z.int().min(1) })),
  attachments: z.array(
    z.strictObject({
      id: z.string().min(1),
      layerId: z.string().min(1),
      featureId: z.string().min(1),
      fileName: z.string(),
      mediaType: z.string(),
      byteSize: z.int().min(0),
      blob: encodedBlobSchema,
      thumbnail: encodedBlobSchema.nullable(),
      createdAt: timestampSchema,
      removedAt: timestampSchema.nullable(),
    }),
  ),
  meta: z.array(z.strictObject({ key: z.string().min(1), value: z.unknown() })),
  layerJournal: z
    .array(z.looseObject({ sequence: z.int().min(1), id: z.string().min(1), changeId: z.string().min(1), layerId: z.string().min(1), operation: z.enum(['create-layer', 'rename-layer', 'remove-layer']), after: z.looseObject({ id: z.string().min(1) }).nullable() }))
    .optional(),
  syncVersions: z.array(z.looseObject({ receivedSequence: z.int().min(1), id: z.string().min(1), layerId: z.string().min(1), featureId: z.string().min(1), parents: z.array(z.string()) })).optional(),
  syncHeads: z.array(z.strictObject({ layerId: z.string().min(1), featureId: z.string().min(1), heads: z.array(z.string()) })).optional(),
  syncConflicts: z
    .array(z.looseObject({ id: z.string().min(1), layerId: z.string().min(1), featureId: z.string().min(1), status: z.enum(['open', 'resolved', 'superseded']) }))
    .optional(),
});

const MAX_PROBLEMS = 50;

interface ValidatedBackup {
  backup: OneMapBackup;
  attachments: AttachmentRecord[];
}

/** Checks a backup completely (shape, every record, the references between them) and decodes its photos. */
export function validateBackup(input: unknown, schemaVersion: number): ValidatedBackup {
  const problems: string[] = [];
  const add = (problem: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };
  const shape = backupShapeSchema.safeParse(input);
  if (!shape.success) {
    throw new BackupInvalidError(shape.error.issues.slice(0, MAX_PROBLEMS).map((issue) => `${issue.path.join('.') || 'backup'}: ${issue.message}`));
  }
  const backup = input as OneMapBackup;
  if (backup.schemaVersion > schemaVersion) add(`made by a newer OneMap (schema ${backup.schemaVersion}, this one reads up to ${schemaVersion})`);

  const unique = (table: string, keys: readonly string[]): void => {
    const seen = new Set<string>();
    for (const key of keys) {
      if (seen.has(key)) add(`${table}: duplicate key ${key}`);
      seen.add(key);
    }
  };

  backup.layers.forEach((layer, index) => {
    const result = layerDefinitionSchema.safeParse(layer);
    if (!result.success) add(`layers.${index}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  });
  backup.targets.forEach((target, index) => {
    const result = targetSchema.safeParse(target);
    if (!result.success) add(`targets.${index}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  });
  unique('layers', backup.layers.map((layer) => layer.id));
  unique('targets', backup.targets.map((target) => target.id));
  const layerIds = new Set(backup.layers.map((layer) => layer.id));

  unique('layerBases', backup.layerBases.map((base) => base.layerId));
  const chunkCounts = new Map<string, number>();
  for (const base of backup.layerBases) {
    if (!layerIds.has(base.layerId)) add(`layerBases: unknown layer ${base.layerId}`);
    chunkCounts.set(`${base.layerId}@${base.generation}`, 0);
  }
  const checkFeature = (where: string, feature: unknown, layerId: string, featureId: string): void => {
    const result = featureSchema.safeParse(feature);
    if (!result.success) add(`${where}: ${result.error.issues[0]?.path.join('.') ?? ''} ${result.error.issues[0]?.message ?? 'invalid'}`);
    else if (result.data.id !== featureId || result.data.layerId !== layerId) add(`${where}: feature is ${result.data.layerId}/${result.data.id}`);
  };
  unique('featureChunks', backup.featureChunks.map((chunk) => chunk.id));
  for (const chunk of backup.featureChunks) {
    const key = `${chunk.layerId}@${chunk.generation}`;
    const count = chunkCounts.get(key);
    if (count === undefined) add(`featureChunks: ${chunk.id} belongs to no layer base`);
    else chunkCounts.set(key, count + 1);
    if (chunk.id !== chunkId(chunk.layerId, chunk.generation, chunk.sequence)) add(`featureChunks: id ${chunk.id} does not match its layer, generation and sequence`);
    if (chunk.featureIds.length !== chunk.features.length) add(`featureChunks: ${chunk.id} has ${chunk.featureIds.length} ids for ${chunk.features.length} features`);
    chunk.features.forEach((feature, index) => checkFeature(`featureChunks.${chunk.id}.features.${index}`, feature, chunk.layerId, chunk.featureIds[index] ?? ''));
  }
  for (const base of backup.layerBases) {
    const count = chunkCounts.get(`${base.layerId}@${base.generation}`) ?? 0;
    if (count !== base.chunkCount) add(`layerBases: ${base.layerId} expects ${base.chunkCount} chunks, the backup has ${count}`);
  }

  const journalSequences = new Set<number>();
  unique('journal', backup.journal.map((entry) => String(entry.sequence)));
  unique('journal ids', backup.journal.map((entry) => String(entry.id)));
  backup.journal.forEach((entry, index) => {
    const { sequence, ...shared } = entry;
    journalSequences.add(sequence);
    const result = journalEntrySchema.safeParse(shared);
    if (!result.success) add(`journal.${index}: ${result.error.issues[0]?.path.join('.') ?? ''} ${result.error.issues[0]?.message ?? 'invalid'}`);
  });

  unique('featureEdits', backup.featureEdits.map((edit) => `${edit.layerId}\u0000${edit.featureId}`));
  backup.featureEdits.forEach((edit, index) => {
    if (!layerIds.has(edit.layerId)) add(`featureEdits.${index}: unknown layer ${edit.layerId}`);
    if (edit.feature !== null) checkFeature(`featureEdits.${index}.feature`, edit.feature, edit.layerId, edit.featureId);
    if (!journalSequences.has(edit.sequence)) add(`featureEdits.${index}: journal entry ${edit.sequence} is missing`);
  });

  unique('attachments', backup.attachments.map((attachment) => attachment.id));
  unique('meta', backup.meta.map((row) => row.key));
  const attachments: AttachmentRecord[] = [];
  backup.attachments.forEach((attachment, index) => {
    try {
      const blob = decodeBlob(attachment.blob);
      if (blob.size !== attachment.byteSize) add(`attachments.${index}: ${blob.size} bytes, expected ${attachment.byteSize}`);
      attachments.push({ ...attachment, blob, thumbnail: attachment.thumbnail === null ? null : decodeBlob(attachment.thumbnail) });
    } catch {
      add(`attachments.${index}: the photo bytes are not valid base64`);
    }
  });

  if (problems.length > 0) throw new BackupInvalidError(problems);
  return { backup, attachments };
}

// ---- restore ----

function headsFromJournal(journal: readonly StoredJournalEntry[]): SyncHeadRecord[] {
  const heads = new Map<string, SyncHeadRecord>();
  for (const entry of journal) heads.set(`${entry.layerId}\u0000${entry.featureId}`, { layerId: entry.layerId, featureId: entry.featureId, heads: [entry.id] });
  return [...heads.values()];
}

export interface RestoreReport {
  layers: number;
  features: number;
  journalEntries: number;
  attachments: number;
}

/**
 * Replaces the whole content of the store with a backup, in one transaction: if anything fails
 * (a bad backup — {@link BackupInvalidError}, checked before anything is written — or the disk
 * filling up — `StorageFullError`), the store is left exactly as it was.
 *
 * Two things are not taken from the backup: this device's id (kept when the store has one, so
 * two machines never share one), and — when the store has been used — the chunk generation
 * numbers, which are renumbered above every number this store has used (a generation is never
 * reused; in-memory lookups rely on it). Open windows should reload after a restore.
 */
export async function restoreBackup(database: OneMapDatabase, input: unknown): Promise<RestoreReport> {
  const { backup, attachments } = validateBackup(input, database.verno);
  const tables = storeTables(database);
  return database
    .transaction('rw', tables, async () => {
      const [lastGeneration, deviceId] = await database.meta.bulkGet([META_KEYS.lastGeneration, META_KEYS.deviceId]);
      const usedUpTo = typeof lastGeneration?.value === 'number' ? lastGeneration.value : 0;
      const renumbered = new Map<string, number>();
      let next = usedUpTo;
      if (usedUpTo > 0) for (const base of backup.layerBases) renumbered.set(`${base.layerId}@${base.generation}`, (next += 1));
      const generationOf = (layerId: string, generation: number): number => renumbered.get(`${layerId}@${generation}`) ?? generation;
      const layerBases = backup.layerBases.map((base) => ({ ...base, generation: generationOf(base.layerId, base.generation) }));
      const featureChunks = backup.featureChunks.map((chunk) => {
        const generation = generationOf(chunk.layerId, chunk.generation);
        return { ...chunk, generation, id: chunkId(chunk.layerId, generation, chunk.sequence) };
      });
      const backupLast = backup.meta.find((row) => row.key === META_KEYS.lastGeneration)?.value;
      const highest = Math.max(next, typeof backupLast === 'number' ? backupLast : 0, ...layerBases.map((base) => base.generation));
      const meta = backup.meta.filter(
        (row) => row.key !== META_KEYS.lastGeneration && !row.key.startsWith(META_KEYS.importStagingPrefix) && !(row.key === META_KEYS.deviceId && deviceId !== undefined),
      );
      if (highest > 0) meta.push({ key: META_KEYS.lastGeneration, value: highest });
      if (deviceId !== undefined) meta.push(deviceId);

      for (const table of tables) await table.clear();
      await database.layers.bulkAdd(backup.layers);
      await database.targets.bulkAdd(backup.targets);
      await database.layerBases.bulkAdd(layerBases);
      await database.featureChunks.bulkAdd(featureChunks);
      await database.featureEdits.bulkAdd(backup.featureEdits);
      await database.journal.bulkAdd(backup.journal);
      await database.attachments.bulkAdd(attachments);
      await database.meta.bulkAdd(meta);
      await database.layerJournal.bulkAdd(backup.layerJournal ?? []);
      await database.syncVersions.bulkAdd(backup.syncVersions ?? []);
      await database.syncConflicts.bulkAdd(backup.syncConflicts ?? []);
      // A backup from before sync (schema < 3) has no heads: every journaled feature's last entry is its head.
      await database.syncHeads.bulkAdd(backup.syncHeads ?? headsFromJournal(backup.journal));
      const features = layerBases.reduce((sum, base) => sum + base.featureCount, 0);
      return { layers: backup.layers.length, features, journalEntries: backup.journal.length, attachments: attachments.length };
    })
    .catch(rethrowStorageError);
}
