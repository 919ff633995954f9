// The store side of the planning tiles (run in the tiles worker, which opens the same IndexedDB):
// per layer, the bboxes of its base chunks in a flatbush index and its edit rows in memory; a tile
// reads only the chunks that meet it (a small LRU cache of chunks) and lays the edit rows over
// them. It follows commits by the edit rows' journal sequence, and remembers the extents each
// change touched (old value from the overlay, or from the journal's `before`) until asked. Tiles
// cut from many features are kept across starts (tile-cache.ts), and so are the chunks' boxes.
import type { Feature } from '../../../shared/model';
import type { BoundingBox } from '../../../shared/geo/bbox';
import { boxIndex, type BoxIndex } from '../../../shared/geo/box-index';
import { encodeTile, featureExtent, featuresInBox, tileBounds, tileBufferFraction, tileFormat, type TileId } from '../../../shared/tiles';
import { OneMapDatabase } from './schema';
import type { FeatureChunkRecord, FeatureEditRecord } from './records';
import { TileCache, tileCacheMinFeatures } from './tile-cache';

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
  boxes: BoundingBox[];
  chunkBoxes: BoxIndex;
  edits: Map<string, Feature | null>;
  cursor: number;
  /** The layer journal's last sequence for this layer when loaded: a layer change reloads it. */
  layerCursor: number;
  /** False when the layer has no base, or its tile cache failed this session: tiles are only cut. */
  cached: boolean;
  pending: TileChanges;
  codedKeys: string[];
  definitionVersion: number | null;
}

/** Tiles to keep are written once the map has asked for no tile this long. */
const keepAfterQuietMs = 1_000;
/** Tiles waiting to be kept hold at most this many bytes. */
const maxQueuedBytes = 128 * 1024 * 1024;

export class LayerTileStore {
  private database: OneMapDatabase;
  private readonly layers = new Map<string, LayerState>();
  private readonly chunks = new Map<string, FeatureChunkRecord>();
  // One catch-up at a time per layer: two would both read the same edit rows.
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly cache: TileCache;
  private readonly cacheMinFeatures: number;
  // Tiles to keep wait until the map has asked for none for a moment: writing them while it pans
  // would take CPU from drawing. Past a bound the oldest are not kept.
  private readonly queued: Array<{ size: number; write: () => Promise<void> }> = [];
  private queuedBytes = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly databaseName: string,
    options: { cacheMinFeatures?: number; cacheByteLimit?: number } = {},
  ) {
    this.database = new OneMapDatabase(databaseName);
    this.cache = new TileCache(() => this.db(), options.cacheByteLimit);
    this.cacheMinFeatures = options.cacheMinFeatures ?? tileCacheMinFeatures;
  }

  /** Writes the tiles waiting to be kept now; resolves when they are written. */
  async settled(): Promise<void> {
    this.flush();
    await this.flushing;
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = this.queued.length === 0 ? null : setTimeout(() => this.flush(), keepAfterQuietMs);
  }

  private flush(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const writes = this.queued.splice(0);
    this.queuedBytes = 0;
    this.flushing = this.flushing.then(async () => {
      for (const { write } of writes) await write();
    });
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
      const [base, lastLayerChange] = await Promise.all([database.layerBases.get(layerId), database.layerJournal.where('layerId').equals(layerId).last()]);
      const generation = base?.generation ?? null;
      const layerCursor = lastLayerChange?.sequence ?? 0;
      const known = this.layers.get(layerId);
      if (known === undefined || known.generation !== generation || known.layerCursor !== layerCursor) return this.load(layerId, generation, layerCursor, known);
      const rows = await database.featureEdits.where('[layerId+sequence]').between([layerId, known.cursor], [layerId, Infinity], false, true).toArray();
      if (rows.length > 0) await this.applyRows(known, rows);
      return known;
    });
  }

  /**
   * Reads a layer's state: its chunks' boxes (from the tile cache's row when it has this
   * generation, else from the chunks) and its edit rows. Edit rows the cached tiles do not reflect
   * yet are applied as changes, which drops the tiles they touch.
   */
  private async load(layerId: string, generation: number | null, layerCursor: number, known: LayerState | undefined): Promise<LayerState> {
    const database = this.db();
    const kept = generation === null ? undefined : await this.cache.layer(layerId).catch(() => undefined);
    const valid = kept !== undefined && kept.format === tileFormat && kept.generation === generation && kept.layerCursor === layerCursor;
    let chunkIds: string[] = [];
    let boxes: BoundingBox[] = [];
    if (generation !== null && known?.generation === generation) {
      ({ chunkIds, boxes } = known);
    } else if (valid) {
      ({ chunkIds, chunkBoxes: boxes } = kept);
    } else if (generation !== null) {
      await database.featureChunks
        .where('[layerId+generation]')
        .equals([layerId, generation])
        .each((chunk) => {
          chunkIds.push(chunk.id);
          boxes.push(chunk.bbox);
        });
    }
    if (known !== undefined && known.generation !== generation) for (const key of this.chunks.keys()) if (key.startsWith(`${layerId}:`)) this.chunks.delete(key);
    const rows = await database.featureEdits.where('[layerId+sequence]').between([layerId, -Infinity], [layerId, Infinity], true, true).toArray();
    const cursor = valid ? kept.cursor : rows.reduce((latest, row) => Math.max(latest, row.sequence), 0);
    const state: LayerState = {
      generation,
      chunkIds,
      boxes,
      chunkBoxes: boxIndex(boxes),
      edits: new Map(rows.filter((row) => row.sequence <= cursor).map((row) => [row.featureId, row.feature])),
      cursor,
      layerCursor,
      cached: generation !== null,
      pending: { all: known !== undefined, boxes: [] },
      codedKeys: [],
      definitionVersion: null,
    };
    if (generation !== null && !valid) {
      state.cached = await this.cache.reset({ layerId, format: tileFormat, generation, cursor, layerCursor, chunkIds, chunkBoxes: boxes }).then(
        () => true,
        () => false,
      );
    }
    this.layers.set(layerId, state);
    const later = rows.filter((row) => row.sequence > cursor);
    if (later.length > 0) await this.applyRows(state, later);
    return state;
  }

  private async applyRows(state: LayerState, rows: readonly FeatureEditRecord[]): Promise<void> {
    const database = this.db();
    const touched: BoundingBox[] = [];
    let unknown = false;
    for (const row of rows) {
      let old: Feature | null | undefined = state.edits.get(row.featureId);
      if (!state.edits.has(row.featureId)) {
        // A base feature edited for the first time since the last catch-up: its base value is
        // the `before` of its first journal entry after the cursor.
        const entries = await database.journal.where('[layerId+featureId]').equals([row.layerId, row.featureId]).toArray();
        const first = entries.filter((entry) => entry.sequence > state.cursor).sort((a, b) => a.sequence - b.sequence)[0];
        if (first === undefined) unknown = true;
        old = first?.before ?? null;
      }
      for (const feature of [old, row.feature]) {
        const extent = feature ? featureExtent(feature) : null;
        if (extent !== null) touched.push(extent);
      }
      state.edits.set(row.featureId, row.feature);
      state.cursor = Math.max(state.cursor, row.sequence);
    }
    if (unknown) state.pending.all = true;
    state.pending.boxes.push(...touched);
    if (!state.cached || state.generation === null) return;
    const layerId = rows[0]!.layerId;
    // Awaited: a tile asked for after this catch-up must not come from the cache before its drop.
    const dropped = unknown
      ? this.cache.reset({ layerId, format: tileFormat, generation: state.generation, cursor: state.cursor, layerCursor: state.layerCursor, chunkIds: state.chunkIds, chunkBoxes: state.boxes })
      : this.cache.invalidate(layerId, touched, state.cursor);
    state.cached = await dropped.then(
      () => true,
      () => false,
    );
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

  /**
   * One encoded tile of a layer as its definition `version` draws it: the kept one, or cut (and
   * kept when cut from many features).
   */
  async tile(layerId: string, version: number, tile: TileId): Promise<Uint8Array> {
    this.scheduleFlush();
    const state = await this.catchUp(layerId);
    const { generation, cursor, cached } = state;
    if (cached && generation !== null) {
      const kept = await this.cache.get(layerId, generation, version, tile).catch(() => null);
      if (kept !== null) return kept;
    }
    const features = await this.features(layerId, tileBounds(tile, tileBufferFraction));
    const bytes = encodeTile(features, tile, await this.codedKeys(layerId, state, version));
    if (cached && generation !== null && features.length >= this.cacheMinFeatures) {
      // A copy: the caller transfers `bytes` away before the write clones them. The cache holds
      // only what was cut up to `cursor`; its row says whether a later edit got there first.
      const copy = bytes.slice();
      this.queued.push({ size: copy.byteLength, write: () => this.cache.put(layerId, generation, version, cursor, tile, copy).catch((error: unknown) => console.warn('tile cache', layerId, error)) });
      this.queuedBytes += copy.byteLength;
      while (this.queuedBytes > maxQueuedBytes && this.queued.length > 1) this.queuedBytes -= this.queued.shift()!.size;
    }
    this.scheduleFlush();
    return bytes;
  }
}
