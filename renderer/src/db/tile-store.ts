// The store side of the planning tiles (run in the tiles worker, which opens the same IndexedDB):
// per layer, the bboxes of its base chunks in a flatbush index and its edit rows in memory; a tile
// reads only the chunks that meet it (a small LRU cache of chunks) and lays the edit rows over
// them. It follows commits by the edit rows' journal sequence, and remembers the extents each
// change touched (old value from the overlay, or from the journal's `before`) until asked.
import type { Feature } from '../../../shared/model';
import type { BoundingBox } from '../../../shared/geo/bbox';
import { boxIndex, type BoxIndex } from '../../../shared/geo/box-index';
import { encodeTile, featureExtent, featuresInBox, tileBounds, tileBufferFraction, type TileId } from '../../../shared/tiles';
import { OneMapDatabase } from './schema';
import type { FeatureChunkRecord, FeatureEditRecord } from './records';

/** Chunks kept in memory (≈1,000 features each), for all layers of a database. */
export const chunkCacheSize = 64;

/** What changed in a layer since the last report: extents touched, or everything (a new base). */
export interface TileChanges {
  all: boolean;
  boxes: BoundingBox[];
}

interface LayerState {
  generation: number | null;
  chunkIds: string[];
  chunkBoxes: BoxIndex;
  edits: Map<string, Feature | null>;
  cursor: number;
  pending: TileChanges;
  codedKeys: string[];
  definitionVersion: number | null;
}

export class LayerTileStore {
  private database: OneMapDatabase;
  private readonly layers = new Map<string, LayerState>();
  private readonly chunks = new Map<string, FeatureChunkRecord>();
  // One catch-up at a time per layer: two would both read the same edit rows.
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly databaseName: string) {
    this.database = new OneMapDatabase(databaseName);
  }

  private db(): OneMapDatabase {
    // A newer window closed this connection (an upgrade): open the upgraded database.
    if (this.database.closedForUpgrade) this.database = new OneMapDatabase(this.databaseName);
    return this.database;
  }

  private serially<T>(layerId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(layerId) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.queues.set(layerId, next.catch(() => undefined));
    return next;
  }

  /** The layer brought up to the last commit. */
  private catchUp(layerId: string): Promise<LayerState> {
    return this.serially(layerId, async () => {
      const database = this.db();
      const base = await database.layerBases.get(layerId);
      const known = this.layers.get(layerId);
      if (known === undefined || known.generation !== (base?.generation ?? null)) return this.load(layerId, base?.generation ?? null, known !== undefined);
      const rows = await database.featureEdits.where('[layerId+sequence]').between([layerId, known.cursor], [layerId, Infinity], false, true).toArray();
      if (rows.length > 0) await this.applyRows(known, rows);
      return known;
    });
  }

  private async load(layerId: string, generation: number | null, reloaded: boolean): Promise<LayerState> {
    const database = this.db();
    const chunkIds: string[] = [];
    const boxes: BoundingBox[] = [];
    if (generation !== null) {
      for (const key of this.chunks.keys()) if (key.startsWith(`${layerId}:`)) this.chunks.delete(key);
      await database.featureChunks
        .where('[layerId+generation]')
        .equals([layerId, generation])
        .each((chunk) => {
          chunkIds.push(chunk.id);
          boxes.push(chunk.bbox);
        });
    }
    const rows = await database.featureEdits.where('[layerId+sequence]').between([layerId, -Infinity], [layerId, Infinity], true, true).toArray();
    const state: LayerState = {
      generation,
      chunkIds,
      chunkBoxes: boxIndex(boxes),
      edits: new Map(rows.map((row) => [row.featureId, row.feature])),
      cursor: rows.reduce((latest, row) => Math.max(latest, row.sequence), 0),
      pending: { all: reloaded, boxes: [] },
      codedKeys: [],
      definitionVersion: null,
    };
    this.layers.set(layerId, state);
    return state;
  }

  private async applyRows(state: LayerState, rows: readonly FeatureEditRecord[]): Promise<void> {
    const database = this.db();
    for (const row of rows) {
      let old: Feature | null | undefined = state.edits.get(row.featureId);
      if (!state.edits.has(row.featureId)) {
        // A base feature edited for the first time since the last catch-up: its base value is
        // the `before` of its first journal entry after the cursor.
        const entries = await database.journal.where('[layerId+featureId]').equals([row.layerId, row.featureId]).toArray();
        const first = entries.filter((entry) => entry.sequence > state.cursor).sort((a, b) => a.sequence - b.sequence)[0];
        if (first === undefined) state.pending.all = true;
        old = first?.before ?? null;
      }
      for (const feature of [old, row.feature]) {
        const extent = feature ? featureExtent(feature) : null;
        if (extent !== null) state.pending.boxes.push(extent);
      }
      state.edits.set(row.featureId, row.feature);
      state.cursor = Math.max(state.cursor, row.sequence);
    }
  }

  /** The extents changed since the last call (and forgets them). */
  async changes(layerId: string): Promise<TileChanges> {
    const state = await this.catchUp(layerId);
    const report = state.pending;
    state.pending = { all: false, boxes: [] };
    return report;
  }

  private async codedKeys(layerId: string, state: LayerState, version: number): Promise<string[]> {
    if (state.definitionVersion !== version) {
      const definition = await this.db().layers.get(layerId);
      state.codedKeys = (definition?.fields ?? []).filter((field) => field.type === 'enum').map((field) => field.key);
      state.definitionVersion = version;
    }
    return state.codedKeys;
  }

  /** The current features of a layer that meet `box` (base under edits). */
  async features(layerId: string, box: BoundingBox): Promise<Feature[]> {
    const state = await this.catchUp(layerId);
    const ids = state.chunkBoxes.search(box).map((index) => state.chunkIds[index] as string);
    const missing = ids.filter((id) => !this.chunks.has(id));
    const read = missing.length === 0 ? [] : await this.db().featureChunks.bulkGet(missing);
    const chunks: FeatureChunkRecord[] = [];
    for (const id of ids) {
      const chunk = this.chunks.get(id) ?? read[missing.indexOf(id)];
      if (chunk === undefined) continue;
      // Most recently used last: the first key is the one to drop.
      this.chunks.delete(id);
      this.chunks.set(id, chunk);
      chunks.push(chunk);
    }
    while (this.chunks.size > chunkCacheSize) this.chunks.delete(this.chunks.keys().next().value as string);
    return featuresInBox(chunks, state.edits, box);
  }

  /** One encoded tile of a layer as its definition `version` draws it. */
  async tile(layerId: string, version: number, tile: TileId): Promise<Uint8Array> {
    const features = await this.features(layerId, tileBounds(tile, tileBufferFraction));
    const state = await this.catchUp(layerId);
    return encodeTile(features, tile, await this.codedKeys(layerId, state, version));
  }
}
