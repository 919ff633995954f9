import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { seed, transact, type OneMapDatabase } from '../../../renderer/src/db';
import { LayerTileStore } from '../../../renderer/src/db/tile-store';
import { TileCache } from '../../../renderer/src/db/tile-cache';
import { tileFormat, tilesMeeting, tilesTouched, type TileId } from '../../../shared/tiles';
import { freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

let database: OneMapDatabase;
const wells = generatedWells(1_200);
const positionOf = (id: string) => wells.find((well) => well.id === id)!.geometry.coordinates as [number, number];
const idOf = (well: (typeof wells)[number]) => String(well.id);

beforeEach(async () => {
  database = await freshDatabase();
  await seed(database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: wells }], time: SEED_TIME });
});

afterEach(async () => {
  database.close();
  await database.delete();
});

async function drawn(store: LayerTileStore, tile: TileId): Promise<Map<string, { status: string; x: number; y: number }>> {
  const layer = new VectorTile(new PbfReader(await store.tile('test-wells', 1, tile))).layers.features;
  const found = new Map<string, { status: string; x: number; y: number }>();
  for (let index = 0; index < (layer?.length ?? 0); index++) {
    const feature = layer!.feature(index);
    const [[point]] = feature.loadGeometry() as unknown as [[{ x: number; y: number }]];
    found.set(String(feature.properties.featureId), { status: String(feature.properties.status), x: point.x, y: point.y });
  }
  return found;
}

const tileOf = (position: [number, number], z = 11) => tilesMeeting([...position, ...position], z)[0]!;
const key = (tile: TileId) => `${tile.z}/${tile.x}/${tile.y}`;

describe('LayerTileStore (the tiles worker over the store)', () => {
  it('cuts a tile from the chunks that meet it, and draws a committed status edit and a move in the next cut', async () => {
    const store = new LayerTileStore(database.name);
    const here = tileOf(positionOf('W-00001'));
    const before = await drawn(store, here);
    expect(before.get('W-00001')?.status).toBe('scheduled');
    expect(before.size).toBeGreaterThan(1);
    expect(await store.changes('test-wells')).toEqual({ all: false, boxes: [] });

    await transact(database, { author: 'a', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00001', status: 'sealed', properties: { sealedDate: '2021-06-30' } }] });
    const moved: [number, number] = [positionOf('W-00002')[0] + 0.3, positionOf('W-00002')[1] + 0.3];
    await transact(database, { author: 'a', operations: [{ kind: 'update-geometry', layerId: 'test-wells', featureId: 'W-00002', geometry: { type: 'Point', coordinates: moved } }] });

    const after = await drawn(store, here);
    expect(after.get('W-00001')?.status).toBe('sealed');
    expect(after.has('W-00002')).toBe(false);
    expect(after.size).toBe(before.size - 1);
    expect((await drawn(store, tileOf(moved))).has('W-00002')).toBe(true);

    // The tiles those commits touched: the old and the new place of each.
    const changes = await store.changes('test-wells');
    expect(changes.all).toBe(false);
    const touched = new Set(tilesTouched(changes.boxes, 0, 14).map(key));
    for (const position of [positionOf('W-00001'), positionOf('W-00002'), moved]) expect(touched).toContain(key(tileOf(position)));
    expect(await store.changes('test-wells')).toEqual({ all: false, boxes: [] });
  });

  it('reports the place of a deleted feature and leaves it out of the tile', async () => {
    const store = new LayerTileStore(database.name);
    const here = tileOf(positionOf('W-00003'));
    expect((await drawn(store, here)).has('W-00003')).toBe(true);
    await transact(database, { author: 'a', operations: [{ kind: 'delete', layerId: 'test-wells', featureId: 'W-00003' }] });
    const changes = await store.changes('test-wells');
    expect(tilesTouched(changes.boxes, 11, 11).map(key)).toContain(key(here));
    expect((await drawn(store, here)).has('W-00003')).toBe(false);
  });
});

describe('kept tiles (tile-cache.ts)', () => {
  // Every tile counts as costly here, so the small test layer's tiles are kept.
  const options = { cacheMinFeatures: 1 };
  const keptKeys = async () => (await database.tileCacheEntries.toCollection().primaryKeys()).sort();

  it('keeps a cut tile and the chunks’ boxes: a later start draws it without reading a chunk', async () => {
    const here = tileOf(positionOf('W-00001'));
    const first = new LayerTileStore(database.name, options);
    const cut = await drawn(first, here);
    await first.settled();
    expect(await keptKeys()).toEqual([`test-wells/${key(here)}`]);

    // A later start: with the chunks gone, only the kept tile and boxes can draw it.
    await database.featureChunks.clear();
    const later = new LayerTileStore(database.name, options);
    expect(await drawn(later, here)).toEqual(cut);
  });

  it('writes the tiles to keep once the map has asked for none for a second', async () => {
    const here = tileOf(positionOf('W-00001'));
    const store = new LayerTileStore(database.name, options);
    await drawn(store, here);
    await new Promise((resolve) => setTimeout(resolve, 600));
    // Another tile asked for: the wait starts again.
    await drawn(store, tileOf(positionOf('W-00001'), 12));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await keptKeys()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await keptKeys()).toHaveLength(2);
  });

  it('drops the kept tiles an edit touched while nothing ran, at the next start', async () => {
    const here = tileOf(positionOf('W-00001'));
    const elsewhere = tileOf(positionOf(idOf(wells.find((well) => key(tileOf(positionOf(idOf(well)))) !== key(here))!)));
    const first = new LayerTileStore(database.name, options);
    await drawn(first, here);
    await drawn(first, elsewhere);
    await first.settled();
    expect(await keptKeys()).toHaveLength(2);

    const moved: [number, number] = [positionOf('W-00001')[0] + 0.3, positionOf('W-00001')[1] + 0.3];
    await transact(database, { author: 'a', operations: [{ kind: 'update-geometry', layerId: 'test-wells', featureId: 'W-00001', geometry: { type: 'Point', coordinates: moved } }] });

    const later = new LayerTileStore(database.name, options);
    expect((await drawn(later, here)).has('W-00001')).toBe(false);
    await later.settled();
    expect((await drawn(later, tileOf(moved))).has('W-00001')).toBe(true);
    // The untouched tile is still the kept one; the touched one was cut again.
    expect(await keptKeys()).toEqual(expect.arrayContaining([`test-wells/${key(elsewhere)}`, `test-wells/${key(here)}`]));
  });

  it('drops a kept tile when an edit touches it during the session, before it is asked for again', async () => {
    const here = tileOf(positionOf('W-00001'));
    const store = new LayerTileStore(database.name, options);
    expect((await drawn(store, here)).get('W-00001')?.status).toBe('scheduled');
    await store.settled();
    await transact(database, { author: 'a', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00001', status: 'sealed', properties: { sealedDate: '2021-06-30' } }] });
    expect((await drawn(store, here)).get('W-00001')?.status).toBe('sealed');
    await store.settled();
    // And a later start finds the re-cut tile, not the first one.
    expect((await drawn(new LayerTileStore(database.name, options), here)).get('W-00001')?.status).toBe('sealed');
  });

  it('drops the tiles an older tile format kept', async () => {
    const here = tileOf(positionOf('W-00001'));
    const store = new LayerTileStore(database.name, options);
    await drawn(store, here);
    await store.settled();
    await database.tileCacheLayers.update('test-wells', { format: tileFormat - 1 });
    await new LayerTileStore(database.name, options).changes('test-wells');
    expect(await keptKeys()).toEqual([]);
  });

  it('drops every kept tile of a layer after a layer change', async () => {
    const here = tileOf(positionOf('W-00001'));
    const store = new LayerTileStore(database.name, options);
    await drawn(store, here);
    await store.settled();
    expect(await keptKeys()).toHaveLength(1);
    await transact(database, { author: 'a', operations: [{ kind: 'rename-layer', layerId: 'test-wells', name: { zh: '改名的井', en: 'Renamed wells' } }] });
    await new LayerTileStore(database.name, options).changes('test-wells');
    expect(await keptKeys()).toEqual([]);
  });

  it('does not keep a tile cut before an edit the cache has already seen', async () => {
    const cache = new TileCache(() => database);
    await cache.reset({ layerId: 'test-wells', format: tileFormat, generation: 1, cursor: 5, layerCursor: 0, chunkIds: [], chunkBoxes: [] });
    await cache.put('test-wells', 1, 1, 4, { z: 3, x: 1, y: 1 }, new Uint8Array([1]));
    await cache.put('test-wells', 2, 1, 9, { z: 3, x: 1, y: 2 }, new Uint8Array([2]));
    expect(await keptKeys()).toEqual([]);
    await cache.put('test-wells', 1, 1, 5, { z: 3, x: 1, y: 3 }, new Uint8Array([3]));
    expect(await keptKeys()).toEqual(['test-wells/3/1/3']);
    expect(await cache.get('test-wells', 1, 2, { z: 3, x: 1, y: 3 })).toBeNull();
    expect(Array.from((await cache.get('test-wells', 1, 1, { z: 3, x: 1, y: 3 }))!)).toEqual([3]);
  });

  it('drops the least recently used tiles past its size limit', async () => {
    const cache = new TileCache(() => database, 250);
    await cache.reset({ layerId: 'test-wells', format: tileFormat, generation: 1, cursor: 0, layerCursor: 0, chunkIds: [], chunkBoxes: [] });
    for (const y of [1, 2, 3]) {
      await cache.put('test-wells', 1, 1, 0, { z: 3, x: 1, y }, new Uint8Array(100));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await keptKeys()).toEqual(['test-wells/3/1/3']);
  });
});
