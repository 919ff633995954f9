// A backup checked completely before a restore writes anything: its shape, every record, the
// references between them; its photos decoded.
import { z } from 'zod';
import { featureSchema, journalEntrySchema, layerDefinitionSchema, targetSchema, targetSetSchema, timestampSchema, type LocalizedText } from '../../../shared/model';
import type { AttachmentRecord } from './records';
import { chunkId } from './base';
import { StoreError } from './durability';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, decodeBlob, type OneMapBackup } from './backup-format';

/** The backup is not one this store can restore; nothing was written. */
export class BackupInvalidError extends StoreError {
  readonly messages: LocalizedText = {
    zh: '备份文件已损坏或不是 OneMap 备份，未做任何更改。',
    en: 'The backup is damaged or not a OneMap backup: nothing was changed.',
  };

  constructor(readonly problems: string[]) {
    super('backup.invalid', `invalid backup: ${problems.slice(0, 8).join('; ')}${problems.length > 8 ? ` and ${problems.length - 8} more` : ''}`, undefined, { count: problems.length });
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
  targetSets: z.array(targetSetSchema).optional(),
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
    .array(z.looseObject({ sequence: z.int().min(1), id: z.string().min(1), changeId: z.string().min(1), layerId: z.string().min(1), operation: z.enum(['create-layer', 'rename-layer', 'remove-layer', 'update-layer', 'put-target', 'remove-target', 'put-target-set', 'remove-target-set']), after: z.looseObject({ id: z.string().min(1) }).nullable() }))
    .optional(),
  syncVersions: z.array(z.looseObject({ receivedSequence: z.int().min(1), id: z.string().min(1), layerId: z.string().min(1), featureId: z.string().min(1), parents: z.array(z.string()) })).optional(),
  syncHeads: z.array(z.strictObject({ layerId: z.string().min(1), featureId: z.string().min(1), heads: z.array(z.string()) })).optional(),
  syncConflicts: z
    .array(z.looseObject({ id: z.string().min(1), layerId: z.string().min(1), featureId: z.string().min(1), status: z.enum(['open', 'resolved', 'superseded']) }))
    .optional(),
  hubFeatures: z
    .array(z.strictObject({ layerId: z.string().min(1), featureId: z.string().min(1), version: z.int().min(0), fieldVersions: z.record(z.string(), z.int()), county: z.int().nullable() }))
    .optional(),
  hubConflicts: z.array(z.looseObject({ id: z.int(), layerId: z.string().min(1), featureId: z.string().min(1), conflict: z.looseObject({}) })).optional(),
  hubPushes: z.array(z.looseObject({ changeId: z.string().min(1), firstSequence: z.int(), lastSequence: z.int(), status: z.string().min(1), features: z.array(z.string()) })).optional(),
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
