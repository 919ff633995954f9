// The Dexie schema: EVERY version ever shipped stays in this file, unchanged.
//
// A shipped version is never edited. To change the schema, add `this.version(n + 1).stores({...})`
// (only the tables that change) with an `.upgrade(transaction => ...)` that rewrites old records,
// and a unit test that opens a database filled under version n and checks the upgrade.
// Seeding is not a migration: it lives in seed.ts and is an idempotent upsert.
import { Dexie, type Table } from 'dexie';
import type { LayerDefinition, Target } from '../../../shared/model';
import type {
  AttachmentRecord,
  FeatureChunkRecord,
  FeatureEditRecord,
  LayerBaseRecord,
  MetaRecord,
  StoredJournalEntry,
} from './records';

export const DEFAULT_DATABASE_NAME = 'onemap';

export class OneMapDatabase extends Dexie {
  /** Layer definitions, by layer id. */
  layers!: Table<LayerDefinition, string>;
  /** Yearly targets, by target id. */
  targets!: Table<Target, string>;
  /** Which chunk generation is each layer's base. */
  layerBases!: Table<LayerBaseRecord, string>;
  /** Packed base features, ~1,000 per record (see records.ts). */
  featureChunks!: Table<FeatureChunkRecord, string>;
  /** Per-feature user edits overriding the base; key `[layerId, featureId]`. */
  featureEdits!: Table<FeatureEditRecord, [string, string]>;
  /** Append-only journal; key is the auto-incremented `sequence`. */
  journal!: Table<StoredJournalEntry, number, Omit<StoredJournalEntry, 'sequence'>>;
  /** Photos and other files, as Blobs, by id; indexed by feature. */
  attachments!: Table<AttachmentRecord, string>;
  /** Workspace id, device id, seed versions, counters. */
  meta!: Table<MetaRecord, string>;

  constructor(name: string = DEFAULT_DATABASE_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);

    // Version 1 — shipped with the first store. Do not edit; add version 2 below it.
    this.version(1).stores({
      layers: 'id',
      targets: 'id, layerId',
      layerBases: 'layerId',
      featureChunks: 'id, [layerId+generation]',
      featureEdits: '[layerId+featureId], [layerId+sequence], sequence',
      journal: '++sequence, &id, changeId, [layerId+featureId], time',
      attachments: 'id, [layerId+featureId]',
      meta: 'key',
    });
  }
}

/** Opens (creating or upgrading as needed) the OneMap database. */
export async function openOneMapDatabase(name: string = DEFAULT_DATABASE_NAME): Promise<OneMapDatabase> {
  const database = new OneMapDatabase(name);
  await database.open();
  return database;
}
