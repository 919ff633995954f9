import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { seed, transact, type OneMapDatabase } from '../../../renderer/src/db';
import { LayerTileStore } from '../../../renderer/src/db/tile-store';
import { tilesMeeting, tilesTouched, type TileId } from '../../../shared/tiles';
import { freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

let database: OneMapDatabase;
const wells = generatedWells(1_200);
const positionOf = (id: string) => wells.find((well) => well.id === id)!.geometry.coordinates as [number, number];

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
