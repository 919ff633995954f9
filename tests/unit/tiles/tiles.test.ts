import { describe, expect, it } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader as Pbf } from 'pbf';
import type { Feature } from '../../../shared/model';
import fc from 'fast-check';
import { geoJSONToTile, type GeoJSONVTFeature, type GeoJSONVTTile } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { mapProperties } from '../../../shared/tiles';
import { ancestorAt, boxIntersection, encodeTile, featuresInBox, thinningThreshold, tileBounds, tilesMeeting, tilesTouched, type TileId } from '../../../shared/tiles';

function well(id: string, lon: number, lat: number, status = 'planned', extra: Record<string, string> = {}): Feature {
  return {
    id,
    layerId: 'wells',
    geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: { name: `井 ${id}`, ...extra },
    status,
    county: 131102,
    demo: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    revision: 1,
  };
}

const key = (tile: TileId) => `${tile.z}/${tile.x}/${tile.y}`;

describe('tile maths', () => {
  it('gives the known extent of z1 tiles and of a Hengshui z10 tile', () => {
    expect(tileBounds({ z: 1, x: 0, y: 0 })).toEqual([-180, 0, 0, expect.closeTo(85.0511287798, 9)]);
    expect(tileBounds({ z: 1, x: 1, y: 1 })).toEqual([0, expect.closeTo(-85.0511287798, 9), 180, 0]);
    const [west, south, east, north] = tileBounds({ z: 10, x: 841, y: 395 });
    expect(west).toBeCloseTo(115.6640625, 9);
    expect(east).toBeCloseTo(116.015625, 9);
    expect(south).toBeLessThan(37.74);
    expect(north).toBeGreaterThan(37.74);
    const [bufferedWest, , bufferedEast] = tileBounds({ z: 10, x: 841, y: 395 }, 0.5);
    expect(bufferedEast - bufferedWest).toBeCloseTo(2 * (east - west), 9);
    expect(bufferedWest).toBeCloseTo(west - (east - west) / 2, 9);
  });

  it('finds a point in exactly one tile per zoom, and that tile contains it', () => {
    for (let z = 0; z <= 16; z++) {
      const tiles = tilesMeeting([115.67, 37.74, 115.67, 37.74], z);
      expect(tiles).toHaveLength(1);
      const [west, south, east, north] = tileBounds(tiles[0]!);
      expect(115.67).toBeGreaterThanOrEqual(west);
      expect(115.67).toBeLessThan(east);
      expect(37.74).toBeGreaterThan(south);
      expect(37.74).toBeLessThanOrEqual(north);
    }
  });

  it('includes the neighbours whose buffer a point near an edge falls in', () => {
    const [west, , , north] = tileBounds({ z: 12, x: 3364, y: 1564 });
    const nearCorner: [number, number, number, number] = [west + 1e-6, north - 1e-6, west + 1e-6, north - 1e-6];
    expect(tilesMeeting(nearCorner, 12).map(key)).toEqual(['12/3364/1564']);
    expect(tilesMeeting(nearCorner, 12, 1 / 64).map(key).sort()).toEqual(['12/3363/1563', '12/3363/1564', '12/3364/1563', '12/3364/1564']);
  });

  it('lists the tiles an edit touches: old and new place at every zoom, each once', () => {
    const old: [number, number, number, number] = [115.5, 37.5, 115.5, 37.5];
    const moved: [number, number, number, number] = [115.9, 37.9, 115.9, 37.9];
    const tiles = tilesTouched([old, moved], 0, 14);
    const keys = tiles.map(key);
    expect(new Set(keys).size).toBe(keys.length);
    for (let z = 0; z <= 14; z++) {
      for (const box of [old, moved]) expect(keys).toContain(key(tilesMeeting(box, z)[0]!));
    }
    // Low zooms hold both places in one tile; from some zoom on they are two.
    expect(tiles.filter((tile) => tile.z === 0)).toHaveLength(1);
    expect(tiles.filter((tile) => tile.z === 14)).toHaveLength(2);
  });
});

describe('ancestors and intersections', () => {
  it('finds the tile of a lower zoom that holds a deeper one', () => {
    const deep = tilesMeeting([115.67, 37.74, 115.67, 37.74], 17)[0]!;
    expect(ancestorAt(deep, 14)).toEqual(tilesMeeting([115.67, 37.74, 115.67, 37.74], 14)[0]);
    expect(ancestorAt(deep, 17)).toEqual(deep);
    expect(ancestorAt(deep, 0)).toEqual({ z: 0, x: 0, y: 0 });
  });

  it('intersects boxes, null when apart', () => {
    expect(boxIntersection([0, 0, 2, 2], [1, 1, 3, 3])).toEqual([1, 1, 2, 2]);
    expect(boxIntersection([0, 0, 1, 1], [2, 2, 3, 3])).toBeNull();
  });
});

describe('the edit rows laid over the chunks', () => {
  const chunks = [{ features: [well('a', 115.1, 37.1), well('b', 115.2, 37.2), well('c', 116.5, 38.5)] }];
  const box: [number, number, number, number] = [115, 37, 115.5, 37.5];

  it('takes the base features in the box', () => {
    expect(featuresInBox(chunks, new Map(), box).map((feature) => feature.id)).toEqual(['a', 'b']);
  });

  it('draws a changed feature as changed, drops a deleted one, adds a new one, and follows a move out of the box', () => {
    const edits = new Map<string, Feature | null>([
      ['a', well('a', 115.1, 37.1, 'done')],
      ['b', null],
      ['n', well('n', 115.4, 37.4)],
      ['c', well('c', 115.3, 37.3)],
    ]);
    const found = featuresInBox(chunks, edits, box);
    expect(found.map((feature) => `${feature.id}:${feature.status}`).sort()).toEqual(['a:done', 'c:planned', 'n:planned']);
    const movedOut = new Map<string, Feature | null>([['a', well('a', 117, 39)]]);
    expect(featuresInBox(chunks, movedOut, box).map((feature) => feature.id)).toEqual(['b']);
  });

  it('meets polygons by their extent', () => {
    const field: Feature = { ...well('p', 0, 0), geometry: { type: 'Polygon', coordinates: [[[114.9, 36.9], [115.05, 36.9], [115.05, 37.05], [114.9, 36.9]]] } };
    expect(featuresInBox([{ features: [field] }], new Map(), box).map((feature) => feature.id)).toEqual(['p']);
    expect(featuresInBox([{ features: [field] }], new Map(), [116, 38, 117, 39])).toEqual([]);
  });
});

function decode(bytes: Uint8Array) {
  const layer = new VectorTile(new Pbf(bytes)).layers.features;
  if (!layer) return [];
  return Array.from({ length: layer.length }, (_, index) => layer.feature(index));
}

describe('encodeTile', () => {
  const tile = tilesMeeting([115.67, 37.74, 115.67, 37.74], 12)[0]!;

  it('encodes the features with the properties the styles and filters read', () => {
    const features = decode(encodeTile([well('w1', 115.67, 37.74, 'done', { wellClass: '深井' })], tile, ['wellClass']));
    expect(features).toHaveLength(1);
    // Not the name: nothing on the map reads it.
    expect(features[0]!.properties).toEqual({ featureId: 'w1', layerId: 'wells', status: 'done', county: 131102, demo: false, 'field:wellClass': '深井' });
    const [[point]] = features[0]!.loadGeometry() as unknown as [[{ x: number; y: number }]];
    const [west, south, east, north] = tileBounds(tile);
    expect(point.x / 4096).toBeCloseTo((115.67 - west) / (east - west), 2);
    expect(point.y).toBeGreaterThan(0);
    expect(north).toBeGreaterThan(south);
  });

  it('encodes an empty tile when nothing falls in it', () => {
    expect(decode(encodeTile([], tile, []))).toEqual([]);
  });

  it('thins only beyond the threshold, keeping one point per 2×2 pixels and look', () => {
    const [west, south, east, north] = tileBounds(tile);
    const dense: Feature[] = [];
    // Places 2.5 px apart (each its own 2×2 px cell), every one twice: once planned, once done;
    // plus duplicates that must go.
    for (let index = 0; dense.length <= thinningThreshold + 10; index++) {
      const lon = west + ((index % 200) + 0.5) * ((east - west) / 200);
      const lat = south + (Math.floor(index / 200) + 0.5) * ((north - south) / 200);
      dense.push(well(`p${index}`, lon, lat, 'planned'), well(`q${index}`, lon, lat, 'done'), well(`r${index}`, lon, lat, 'done'));
    }
    const drawn = decode(encodeTile(dense, tile, []));
    expect(drawn.length).toBe((dense.length / 3) * 2);
    expect(new Set(drawn.map((feature) => feature.properties.status))).toEqual(new Set(['planned', 'done']));
    const few = dense.slice(0, 300);
    expect(decode(encodeTile(few, tile, []))).toHaveLength(300);
  });
});

// The cut as geojson-vt makes it for every geometry (what encodeTile did before its point path).
function referenceTile(features: readonly Feature[], tile: TileId, codedKeys: readonly string[]): Uint8Array {
  const properties = (feature: Feature) => Object.fromEntries(Object.entries(mapProperties(feature, codedKeys)).filter(([, value]) => value !== null));
  const collection = { type: 'FeatureCollection' as const, features: features.map((feature) => ({ type: 'Feature' as const, geometry: feature.geometry as never, properties: properties(feature) })) };
  const cut = geoJSONToTile(collection, tile.z, tile.x, tile.y, { extent: 4096, buffer: 64, clip: true });
  let kept: GeoJSONVTFeature[] = cut?.features ?? [];
  if (kept.length > thinningThreshold) {
    const seen = new Set<string>();
    kept = kept.filter((feature) => {
      const [x, y] = (feature.geometry as Array<[number, number]>)[0]!;
      const { featureId: _id, ...look } = feature.tags as Record<string, unknown>;
      const cell = `${Math.floor(x / 16)},${Math.floor(y / 16)},${JSON.stringify(look)}`;
      if (seen.has(cell)) return false;
      seen.add(cell);
      return true;
    });
  }
  return fromGeojsonVt({ features: { features: kept } as unknown as GeoJSONVTTile }, { version: 2, extent: 4096 });
}

const drawnFeatures = (bytes: Uint8Array) => decode(bytes).map((feature) => ({ properties: feature.properties, geometry: feature.loadGeometry() }));

describe('encodeTile’s point path', () => {
  const tile = tilesMeeting([115.67, 37.74, 115.67, 37.74], 9)[0]!;
  const [west, south, east, north] = tileBounds(tile, 0.05);
  const statuses = ['planned', 'done', 'sealed'];
  const pointAt = (index: number, [u, v]: [number, number], status: number, county: number | null, coded: string | null): Feature => ({
    ...well(`p${index}`, west + u * (east - west), south + v * (north - south), statuses[status], coded === null ? {} : { wellClass: coded }),
    county,
  });
  // Some exactly on the tile's (and its buffer's) edges, where clip and rounding decide.
  const along = fc.integer({ min: 0, max: 1_000_000 }).map((step) => step / 1_000_000);
  const position = fc.oneof(fc.tuple(along, along), fc.tuple(fc.constantFrom(0, 0.0238, 0.0244, 0.5, 0.9756, 0.9762, 1), along), fc.tuple(along, fc.constantFrom(0, 0.0238, 0.0244, 0.9756, 0.9762, 1)));
  const point = fc.tuple(position, fc.nat(2), fc.constantFrom(131102, 131121, null), fc.constantFrom('深井', '浅井', null));

  it('draws points exactly as geojson-vt cuts them, with polygons beside them', () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 60 }), (points) => {
        const features = points.map(([at, status, county, coded], index) => pointAt(index, at, status, county, coded));
        const byId = (a: { properties: Record<string, unknown> }, b: { properties: Record<string, unknown> }) => String(a.properties.featureId).localeCompare(String(b.properties.featureId));
        const field: Feature = { ...well('f1', 0, 0), geometry: { type: 'Polygon', coordinates: [[[west, south], [east, south], [east, north], [west, south]]] } };
        for (const input of [features, [...features, field]]) {
          expect(drawnFeatures(encodeTile(input, tile, ['wellClass'])).sort(byId)).toEqual(drawnFeatures(referenceTile(input, tile, ['wellClass'])).sort(byId));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps and drops the points on the buffer’s edges as geojson-vt does', () => {
    const buffer = 64 / 4096;
    const edgeLongitudes = [tile.x - buffer, tile.x + 1 + buffer].map((x) => (x / 2 ** tile.z - 0.5) * 360);
    const edgeLatitudes = [tile.y - buffer, tile.y + 1 + buffer].map((y) => (360 / Math.PI) * Math.atan(Math.exp((0.5 - y / 2 ** tile.z) * 2 * Math.PI)) - 90);
    const [centreLon, centreLat] = [(west + east) / 2, (south + north) / 2];
    const nudges = [-1e-9, -1e-12, 0, 1e-12, 1e-9];
    const features = [
      ...edgeLongitudes.flatMap((lon) => nudges.map((nudge) => [lon + nudge, centreLat])),
      ...edgeLatitudes.flatMap((lat) => nudges.map((nudge) => [centreLon, lat + nudge])),
    ].map(([lon, lat], index) => well(`e${index}`, lon!, lat!));
    const drawn = drawnFeatures(encodeTile(features, tile, []));
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn.length).toBeLessThan(features.length);
    expect(drawn).toEqual(drawnFeatures(referenceTile(features, tile, [])));
  });

  it('thins as geojson-vt’s cut thinned, above the threshold', () => {
    // Crowded into a corner so each pixel holds many points, of every look and of repeated looks.
    let state = 7;
    const next = () => (state = (state * 16807) % 2147483647) / 2147483647;
    const counties = [131102, 131121, null];
    const classes = ['深井', '浅井', null];
    const features = Array.from({ length: thinningThreshold + 2_000 }, (_, index) =>
      pointAt(index, [0.3 + next() * 0.02, 0.3 + next() * 0.02], index % 3, counties[Math.floor(index / 3) % 3]!, classes[Math.floor(index / 9) % 3]!),
    );
    const fast = drawnFeatures(encodeTile(features, tile, ['wellClass']));
    expect(fast.length).toBeLessThan(features.length / 2);
    expect(fast).toEqual(drawnFeatures(referenceTile(features, tile, ['wellClass'])));
  });
});
