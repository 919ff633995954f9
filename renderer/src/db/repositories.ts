// Reads: layers, targets, a layer's current features (base chunks merged with edit rows),
// features by id, a feature's journal, attachments — and the change feed the map uses to update
// its sources incrementally.
import { liveQuery } from 'dexie';
import type { Feature, LayerDefinition, Target } from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import type { AttachmentRecord, FeatureEditRecord, LayerBaseRecord, StoredJournalEntry } from './records';
import { readBaseChunks, readCurrentFeatures } from './base';
import { mergeBaseWithEdits } from './merge';

export function listLayers(database: OneMapDatabase): Promise<LayerDefinition[]> {
  return database.layers.toArray();
}

export async function getLayer(database: OneMapDatabase, layerId: string): Promise<LayerDefinition | null> {
  return (await database.layers.get(layerId)) ?? null;
}

/** All targets, or those measuring one layer. */
export function listTargets(database: OneMapDatabase, layerId?: string): Promise<Target[]> {
  return layerId === undefined ? database.targets.toArray() : database.targets.where('layerId').equals(layerId).toArray();
}

export function getLayerBase(database: OneMapDatabase, layerId: string): Promise<LayerBaseRecord | undefined> {
  return database.layerBases.get(layerId);
}

/**
 * A consistent view of a layer. `generation` and `cursor` let a consumer ask later for only
 * what changed ({@link readLayerChangesSince}).
 */
export interface LayerSnapshot {
  layerId: string;
  /** The base chunk generation, null when the layer has no packed base. */
  generation: number | null;
  /** The highest journal sequence among the layer's edit rows (0 when none). */
  cursor: number;
  features: Feature[];
  /** The ids of the packed base in base order (deleted ones too), chunk by chunk. */
  baseIds: readonly (readonly string[])[];
}

function editsOfLayer(database: OneMapDatabase, layerId: string, afterSequence = -Infinity): Promise<FeatureEditRecord[]> {
  return database.featureEdits
    .where('[layerId+sequence]')
    .between([layerId, afterSequence], [layerId, Infinity], false, true)
    .toArray();
}

async function readLayerInTransaction(database: OneMapDatabase, layerId: string): Promise<LayerSnapshot> {
  const base = await database.layerBases.get(layerId);
  const chunks = await readBaseChunks(database, base);
  const edits = await editsOfLayer(database, layerId);
  return {
    layerId,
    generation: base?.generation ?? null,
    cursor: edits.length === 0 ? 0 : (edits[edits.length - 1] as FeatureEditRecord).sequence,
    features: mergeBaseWithEdits(chunks, edits),
    baseIds: chunks.map((chunk) => chunk.featureIds),
  };
}

/** The layer's current features (base merged with edits) in one read transaction. */
export function readLayer(database: OneMapDatabase, layerId: string): Promise<LayerSnapshot> {
  return database.transaction('r', database.layerBases, database.featureChunks, database.featureFilters, database.featureEdits, () =>
    readLayerInTransaction(database, layerId),
  );
}

export async function readLayerFeatures(database: OneMapDatabase, layerId: string): Promise<Feature[]> {
  return (await readLayer(database, layerId)).features;
}

/** Current features by id; a deleted or unknown id maps to null. */
export function getFeatures(database: OneMapDatabase, layerId: string, featureIds: readonly string[]): Promise<Map<string, Feature | null>> {
  return database.transaction('r', database.layerBases, database.featureChunks, database.featureFilters, database.featureEdits, async () => {
    const { features } = await readCurrentFeatures(database, layerId, featureIds);
    return features;
  });
}

export async function getFeature(database: OneMapDatabase, layerId: string, featureId: string): Promise<Feature | null> {
  return (await getFeatures(database, layerId, [featureId])).get(featureId) ?? null;
}

/**
 * One feature read with no explicit transaction, for a live query (the side panel): there a
 * transaction over the lookup's several reads — a large layer's id filters, then its chunk — can
 * commit early (Dexie PrematureCommitError, as undoState met); the query re-runs after any write.
 */
export async function getFeatureLive(database: OneMapDatabase, layerId: string, featureId: string): Promise<Feature | null> {
  return (await readCurrentFeatures(database, layerId, [featureId])).features.get(featureId) ?? null;
}

/** Every journal entry of a feature, oldest first. */
export async function featureJournal(database: OneMapDatabase, layerId: string, featureId: string): Promise<StoredJournalEntry[]> {
  const entries = await database.journal.where('[layerId+featureId]').equals([layerId, featureId]).toArray();
  return entries.sort((left, right) => left.sequence - right.sequence);
}

/** The entries of one change (one `transact` call), in order. */
export async function changeJournal(database: OneMapDatabase, changeId: string): Promise<StoredJournalEntry[]> {
  const entries = await database.journal.where('changeId').equals(changeId).toArray();
  return entries.sort((left, right) => left.sequence - right.sequence);
}

/** The latest journal entries, newest first. */
export function recentJournal(database: OneMapDatabase, limit: number): Promise<StoredJournalEntry[]> {
  return database.journal.orderBy('sequence').reverse().limit(limit).toArray();
}

export function listAttachments(database: OneMapDatabase, layerId: string, featureId: string): Promise<AttachmentRecord[]> {
  return database.attachments.where('[layerId+featureId]').equals([layerId, featureId]).toArray();
}

/** What changed in a layer after a cursor. */
export type LayerChanges =
  | {
      kind: 'changes';
      layerId: string;
      generation: number | null;
      /** Pass this as the next call's cursor. */
      cursor: number;
      /** Features created or changed since the cursor (their current value). */
      upserted: Feature[];
      /** Ids deleted since the cursor. */
      removed: string[];
    }
  /** The base was re-packed (re-seed or compaction): read the whole layer again. */
  | { kind: 'reset'; snapshot: LayerSnapshot };

/**
 * A reset of a layer known to hold more than a size without reading it (for a consumer that reads
 * only parts of large layers, e.g. the map's tiles): where the feed stands and that lower bound.
 */
export interface LargeLayerReset {
  kind: 'large-reset';
  layerId: string;
  generation: number;
  cursor: number;
  /** At least this many features: the packed base's count less one per edit row. */
  atLeast: number;
}

export interface WatchLayerOptions {
  /** A layer sure to hold more features than this is not read: the reset is a {@link LargeLayerReset}. */
  skipReadAbove?: number;
}

/** In a read transaction: a large-layer reset when the layer surely holds more than `above`, else null. */
async function largeLayerResetInTransaction(database: OneMapDatabase, layerId: string, above: number | undefined): Promise<LargeLayerReset | null> {
  if (above === undefined) return null;
  const base = await database.layerBases.get(layerId);
  if (!base) return null;
  const rows = database.featureEdits.where('[layerId+sequence]').between([layerId, -Infinity], [layerId, Infinity], true, true);
  const atLeast = base.featureCount - (await rows.count());
  if (atLeast <= above) return null;
  const last = await rows.last();
  return { kind: 'large-reset', layerId, generation: base.generation, cursor: last?.sequence ?? 0, atLeast };
}

function changesFromRows(layerId: string, generation: number | null, cursor: number, rows: readonly FeatureEditRecord[]): LayerChanges {
  const upserted: Feature[] = [];
  const removed: string[] = [];
  let latest = cursor;
  for (const row of rows) {
    if (row.sequence <= cursor) continue;
    if (row.feature === null) removed.push(row.featureId);
    else upserted.push(row.feature);
    if (row.sequence > latest) latest = row.sequence;
  }
  return { kind: 'changes', layerId, generation, cursor: latest, upserted, removed };
}

/**
 * The features changed after `cursor` in base generation `generation` (both from a snapshot or
 * an earlier call), or a full snapshot when the base has since been re-packed.
 */
export function readLayerChangesSince(database: OneMapDatabase, layerId: string, generation: number | null, cursor: number): Promise<LayerChanges>;
export function readLayerChangesSince(
  database: OneMapDatabase,
  layerId: string,
  generation: number | null,
  cursor: number,
  options: WatchLayerOptions,
): Promise<LayerChanges | LargeLayerReset>;
export function readLayerChangesSince(
  database: OneMapDatabase,
  layerId: string,
  generation: number | null,
  cursor: number,
  options: WatchLayerOptions = {},
): Promise<LayerChanges | LargeLayerReset> {
  return database.transaction('r', database.layerBases, database.featureChunks, database.featureFilters, database.featureEdits, async () => {
    const base = await database.layerBases.get(layerId);
    if ((base?.generation ?? null) !== generation) {
      return (await largeLayerResetInTransaction(database, layerId, options.skipReadAbove)) ?? ({ kind: 'reset', snapshot: await readLayerInTransaction(database, layerId) } as const);
    }
    return changesFromRows(layerId, generation, cursor, await editsOfLayer(database, layerId, cursor));
  });
}

/**
 * Follows a layer for the map: first a `reset` with the whole layer, then after every committed
 * change only the features that changed (for `GeoJSONSource.updateData` with `promoteId`), or a
 * new `reset` when the base is re-packed. Works across windows/tabs (Dexie's liveQuery).
 * Returns the function that stops it.
 */
export function watchLayer(database: OneMapDatabase, layerId: string, listener: (changes: LayerChanges) => void, onError?: (error: unknown) => void): () => void;
export function watchLayer(
  database: OneMapDatabase,
  layerId: string,
  listener: (changes: LayerChanges | LargeLayerReset) => void,
  onError: ((error: unknown) => void) | undefined,
  options: WatchLayerOptions,
): () => void;
export function watchLayer(
  database: OneMapDatabase,
  layerId: string,
  listener: ((changes: LayerChanges) => void) | ((changes: LayerChanges | LargeLayerReset) => void),
  onError: (error: unknown) => void = (error) => console.error('watchLayer', layerId, error),
  options: WatchLayerOptions = {},
): () => void {
  // A large-layer reset is produced only with `skipReadAbove`, i.e. for the second overload's listener.
  const watcher: Watcher = { emit: listener as (changes: LayerChanges | LargeLayerReset) => void, onError };
  const starting = startingWatches.get(database) ?? new Map<string, SharedWatch>();
  startingWatches.set(database, starting);
  const key = `${layerId}\u0000${options.skipReadAbove ?? ''}`;
  let shared = starting.get(key);
  if (!shared) {
    const created = followLayer(database, layerId, options, () => {
      if (starting.get(key) === created) starting.delete(key);
    });
    starting.set(key, created);
    shared = created;
  }
  const joined = shared;
  joined.watchers.add(watcher);
  return () => {
    joined.watchers.delete(watcher);
    if (joined.watchers.size > 0) return;
    joined.stop();
    if (starting.get(key) === joined) starting.delete(key);
  };
}

interface Watcher {
  emit: (changes: LayerChanges | LargeLayerReset) => void;
  onError: (error: unknown) => void;
}

interface SharedWatch {
  watchers: Set<Watcher>;
  stop: () => void;
}

/**
 * Watches of one layer (same options) that start before its first read has come back share that
 * read and the feed after it: at launch the map and the workbench's panels follow every layer from
 * the same render, and each read is a whole layer. A watch started later reads on its own (it needs
 * a reset of its own).
 */
const startingWatches = new WeakMap<OneMapDatabase, Map<string, SharedWatch>>();

function followLayer(database: OneMapDatabase, layerId: string, options: WatchLayerOptions, started: () => void): SharedWatch {
  const watchers = new Set<Watcher>();
  let position: { generation: number | null; cursor: number } | null = null;
  const observable = liveQuery((): Promise<LayerChanges | LargeLayerReset> => {
    const known = position;
    if (known === null) {
      return database.transaction('r', database.layerBases, database.featureChunks, database.featureFilters, database.featureEdits, async () => {
        const large = await largeLayerResetInTransaction(database, layerId, options.skipReadAbove);
        return large ?? ({ kind: 'reset', snapshot: await readLayerInTransaction(database, layerId) } as const);
      });
    }
    return readLayerChangesSince(database, layerId, known.generation, known.cursor, options);
  });
  const emit = (changes: LayerChanges | LargeLayerReset) => {
    started();
    for (const watcher of [...watchers]) watcher.emit(changes);
  };
  const subscription = observable.subscribe({
    next: (changes) => {
      if (changes.kind === 'reset' || changes.kind === 'large-reset') {
        position = changes.kind === 'reset' ? { generation: changes.snapshot.generation, cursor: changes.snapshot.cursor } : { generation: changes.generation, cursor: changes.cursor };
        emit(changes);
        return;
      }
      // liveQuery may re-run for changes this listener has already seen: pass on only new rows.
      if (position === null || changes.generation !== position.generation || changes.cursor <= position.cursor) return;
      position = { generation: changes.generation, cursor: changes.cursor };
      emit(changes);
    },
    error: (error: unknown) => {
      started();
      for (const watcher of [...watchers]) watcher.onError(error);
    },
  });
  return { watchers, stop: () => subscription.unsubscribe() };
}
