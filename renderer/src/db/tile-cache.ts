// Planning tiles kept across starts (run in the tiles worker, beside tile-store.ts). A tile cut
// from many features (a large layer at a low zoom) costs seconds; kept, the next start reads its
// bytes instead, as a map reads pre-cut tiles. The cache is derived data: each layer's row says
// which generation, edit rows (journal sequence) and layer changes its tiles reflect; a later edit
// deletes the tiles its old and new extents meet, a new generation or layer change drops them all.
// Every operation may fail (quota, a closed connection) without failing a tile: it is then cut.
import type { BoundingBox } from '../../../shared/geo/bbox';
import { boxesMeet, tileBounds, tileBufferFraction, type TileId } from '../../../shared/tiles';
import type { OneMapDatabase } from './schema';
import type { TileCacheEntryRecord, TileCacheLayerRecord } from './records';

/** Tiles cut from fewer features than this are cut again when asked (fast enough, and many). */
export const tileCacheMinFeatures = 20_000;
/** Past this many bytes of tiles in a database, the least recently used go. */
export const tileCacheByteLimit = 512 * 1024 * 1024;
/** A hit refreshes a tile's `usedAt` at most this often. */
const touchIntervalMs = 60_000;

export const tileCacheKey = (layerId: string, tile: TileId) => `${layerId}/${tile.z}/${tile.x}/${tile.y}`;

function tileOfKey(key: string): TileId {
  const [z, x, y] = key.split('/').slice(-3).map(Number) as [number, number, number];
  return { z, x, y };
}

export class TileCache {
  private total: number | null = null;
  /**
   * Per layer, the keys of its kept tiles as this worker last saw them: a hint that spares a read
   * for every tile never kept (most are: few are cut from that many features). Another window's
   * worker may have kept or dropped one since; the hint then costs a cut or a read, never a stale tile.
   */
  private readonly known = new Map<string, Promise<Set<string>>>();

  constructor(
    private readonly db: () => OneMapDatabase,
    private readonly byteLimit = tileCacheByteLimit,
  ) {}

  private knownKeys(layerId: string): Promise<Set<string>> {
    let keys = this.known.get(layerId);
    if (keys === undefined) {
      keys = this.db()
        .tileCacheEntries.where('layerId')
        .equals(layerId)
        .primaryKeys()
        .then((found) => new Set(found));
      keys.catch(() => this.known.delete(layerId));
      this.known.set(layerId, keys);
    }
    return keys;
  }

  private forget(keys: readonly string[]): void {
    for (const known of this.known.values()) void known.then((set) => keys.forEach((key) => set.delete(key)), () => undefined);
  }

  /** What a layer's cached tiles reflect, if any are kept. */
  async layer(layerId: string): Promise<TileCacheLayerRecord | undefined> {
    return this.db().tileCacheLayers.get(layerId);
  }

  /** Drops every tile of a layer and starts its cache afresh at `state`. */
  async reset(state: TileCacheLayerRecord): Promise<void> {
    const database = this.db();
    await database.transaction('rw', database.tileCache, database.tileCacheEntries, database.tileCacheLayers, async () => {
      const keys = await database.tileCacheEntries.where('layerId').equals(state.layerId).primaryKeys();
      await Promise.all([database.tileCache.bulkDelete(keys), database.tileCacheEntries.bulkDelete(keys), database.tileCacheLayers.put(state)]);
    });
    this.known.set(state.layerId, Promise.resolve(new Set()));
    this.total = null;
  }

  /**
   * Drops a layer's tiles that show any of `boxes` (within their buffer), and records that the cache
   * reflects edit rows up to `cursor`.
   */
  async invalidate(layerId: string, boxes: readonly BoundingBox[], cursor: number): Promise<void> {
    const database = this.db();
    const dropped = await database.transaction('rw', database.tileCache, database.tileCacheEntries, database.tileCacheLayers, async () => {
      const state = await database.tileCacheLayers.get(layerId);
      if (state === undefined) return [];
      let touched: string[] = [];
      if (boxes.length > 0) {
        const keys = await database.tileCacheEntries.where('layerId').equals(layerId).primaryKeys();
        touched = keys.filter((key) => {
          const bounds = tileBounds(tileOfKey(key), tileBufferFraction);
          return boxes.some((box) => boxesMeet(box, bounds));
        });
        if (touched.length > 0) await Promise.all([database.tileCache.bulkDelete(touched), database.tileCacheEntries.bulkDelete(touched)]);
      }
      if (cursor > state.cursor) await database.tileCacheLayers.put({ ...state, cursor });
      return touched;
    });
    this.forget(dropped);
    this.total = null;
  }

  /** A kept tile of the layer's `generation` drawn as definition `version` shows it, or null. */
  async get(layerId: string, generation: number, version: number, tile: TileId): Promise<Uint8Array | null> {
    const database = this.db();
    const key = tileCacheKey(layerId, tile);
    if (!(await this.knownKeys(layerId)).has(key)) return null;
    const [entry, record] = await database.transaction('r', database.tileCache, database.tileCacheEntries, () => Promise.all([database.tileCacheEntries.get(key), database.tileCache.get(key)]));
    if (entry === undefined || record === undefined || entry.generation !== generation || entry.version !== version) return null;
    const now = Date.now();
    if (now - entry.usedAt > touchIntervalMs) void database.tileCacheEntries.update(key, { usedAt: now }).catch(() => undefined);
    return record.bytes;
  }

  /**
   * Keeps a tile cut from the layer's `generation` with its edit rows up to `cursor` — unless the
   * layer's cache has since moved on (a newer generation, or an edit this cut did not see).
   */
  async put(layerId: string, generation: number, version: number, cursor: number, tile: TileId, bytes: Uint8Array): Promise<void> {
    const database = this.db();
    const key = tileCacheKey(layerId, tile);
    const entry: TileCacheEntryRecord = { key, layerId, generation, version, size: bytes.byteLength, usedAt: Date.now() };
    const kept = await database.transaction('rw', database.tileCache, database.tileCacheEntries, database.tileCacheLayers, async () => {
      const state = await database.tileCacheLayers.get(layerId);
      if (state === undefined || state.generation !== generation || state.cursor > cursor) return false;
      await Promise.all([database.tileCache.put({ key, bytes }), database.tileCacheEntries.put(entry)]);
      return true;
    });
    if (!kept) return;
    void this.knownKeys(layerId).then((keys) => keys.add(key), () => undefined);
    if (this.total !== null) this.total += entry.size;
    await this.evict();
  }

  /** Drops the least recently used tiles while the cache holds more than its limit. */
  private async evict(): Promise<void> {
    const database = this.db();
    this.total ??= (await database.tileCacheEntries.toArray()).reduce((sum, entry) => sum + entry.size, 0);
    if (this.total <= this.byteLimit) return;
    const entries = await database.tileCacheEntries.orderBy('usedAt').toArray();
    let total = entries.reduce((sum, entry) => sum + entry.size, 0);
    const dropped: string[] = [];
    for (const entry of entries) {
      if (total <= this.byteLimit * 0.75) break;
      dropped.push(entry.key);
      total -= entry.size;
    }
    await database.transaction('rw', database.tileCache, database.tileCacheEntries, () => Promise.all([database.tileCache.bulkDelete(dropped), database.tileCacheEntries.bulkDelete(dropped)]));
    this.forget(dropped);
    this.total = total;
  }
}
