import { describe, expect, it } from 'vitest';
import type { Feature } from '../../../shared/model';
import { contentHash, hilbertIndex, packFeatures } from '../../../renderer/src/db/spatial-packing';
import { mergeBaseWithEdits } from '../../../renderer/src/db/merge';
import type { FeatureEditRecord } from '../../../renderer/src/db/records';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function point(id: string, longitude: number, latitude: number): Feature {
  return {
    id,
    layerId: 'test-wells',
    geometry: { type: 'Point', coordinates: [longitude, latitude] },
    properties: {},
    status: 'registered',
    county: null,
    demo: false,
    createdAt: '2021-01-01T00:00:00.000Z',
    updatedAt: '2021-01-01T00:00:00.000Z',
    revision: 1,
  };
}

/** A pseudo-random but fixed scatter of points. */
function scatter(count: number): Feature[] {
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, (_, index) => point(`P-${index}`, 115 + next(), 37 + next()));
}

describe('hilbertIndex', () => {
  it('numbers every cell of an 8×8 grid once, and consecutive indices are neighbouring cells', () => {
    const order = 3;
    const side = 2 ** order;
    const cellByIndex = new Map<number, [number, number]>();
    for (let x = 0; x < side; x += 1) for (let y = 0; y < side; y += 1) cellByIndex.set(hilbertIndex(x, y, order), [x, y]);
    expect([...cellByIndex.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: side * side }, (_, index) => index));
    for (let index = 1; index < side * side; index += 1) {
      const [x0, y0] = cellByIndex.get(index - 1)!;
      const [x1, y1] = cellByIndex.get(index)!;
      expect(Math.abs(x1 - x0) + Math.abs(y1 - y0)).toBe(1);
    }
  });

  it('uses the full 32-bit range at order 16 and stays positive', () => {
    const max = 2 ** 16 - 1;
    const corners = [hilbertIndex(0, 0), hilbertIndex(max, 0), hilbertIndex(0, max), hilbertIndex(max, max)];
    expect(Math.min(...corners)).toBe(0);
    expect(Math.max(...corners)).toBe(2 ** 32 - 1);
  });
});

describe('packFeatures', () => {
  it('puts every feature in exactly one chunk of at most chunkSize, without touching the input', () => {
    const features = deepFreeze(scatter(2_345));
    const packed = packFeatures(features, 500);
    expect(packed.featureCount).toBe(2_345);
    expect(packed.chunks.map((chunk) => chunk.features.length)).toEqual([500, 500, 500, 500, 345]);
    const ids = packed.chunks.flatMap((chunk) => chunk.featureIds);
    expect(new Set(ids).size).toBe(2_345);
    for (const chunk of packed.chunks) expect(chunk.features.map((feature) => feature.id)).toEqual(chunk.featureIds);
  });

  it('keeps each chunk bbox around its features and the layer extent around everything', () => {
    const packed = packFeatures(scatter(3_000), 1_000);
    for (const chunk of packed.chunks) {
      for (const feature of chunk.features) {
        const [longitude, latitude] = feature.geometry.coordinates as [number, number];
        expect(longitude).toBeGreaterThanOrEqual(chunk.bbox[0]);
        expect(latitude).toBeGreaterThanOrEqual(chunk.bbox[1]);
        expect(longitude).toBeLessThanOrEqual(chunk.bbox[2]);
        expect(latitude).toBeLessThanOrEqual(chunk.bbox[3]);
      }
      expect(chunk.hilbertFirst).toBeLessThanOrEqual(chunk.hilbertLast);
    }
    expect(packed.bbox![0]).toBeLessThanOrEqual(Math.min(...packed.chunks.map((chunk) => chunk.bbox[0])));
    expect(packed.bbox![3]).toBeGreaterThanOrEqual(Math.max(...packed.chunks.map((chunk) => chunk.bbox[3])));
  });

  it('orders spatially: chunk boxes cover far less area than chunks cut in input order', () => {
    const features = scatter(8_000);
    const area = (box: number[]) => (box[2]! - box[0]!) * (box[3]! - box[1]!);
    const hilbertArea = packFeatures(features, 500).chunks.reduce((sum, chunk) => sum + area(chunk.bbox), 0);
    // The same chunks cut without sorting: each spans nearly the whole extent.
    const unsortedArea = Array.from({ length: 16 }, (_, chunk) => {
      const slice = features.slice(chunk * 500, chunk * 500 + 500).map((feature) => feature.geometry.coordinates as number[]);
      const longitudes = slice.map((position) => position[0]!);
      const latitudes = slice.map((position) => position[1]!);
      return area([Math.min(...longitudes), Math.min(...latitudes), Math.max(...longitudes), Math.max(...latitudes)]);
    }).reduce((sum, value) => sum + value, 0);
    expect(hilbertArea).toBeLessThan(unsortedArea / 5);
  });

  it('is deterministic: the same features in another input order give the same chunks', () => {
    const features = scatter(1_500);
    const shuffled = [...features].reverse();
    expect(packFeatures(shuffled, 400).chunks.map((chunk) => chunk.featureIds)).toEqual(packFeatures(features, 400).chunks.map((chunk) => chunk.featureIds));
  });

  it('breaks ties between features at the same place by id', () => {
    const packed = packFeatures([point('b', 115, 37), point('a', 115, 37), point('c', 116, 38)], 10);
    const ids = packed.chunks[0]!.featureIds;
    expect(ids.indexOf('a')).toBeLessThan(ids.indexOf('b'));
  });

  it('orders polygons by their bbox centre and keeps their full extent in the chunk bbox', () => {
    const square = (id: string, west: number, south: number): Feature => ({
      ...point(id, 0, 0),
      geometry: { type: 'Polygon', coordinates: [[[west, south], [west + 0.1, south], [west + 0.1, south + 0.1], [west, south + 0.1], [west, south]]] },
    });
    const packed = packFeatures([square('s1', 115, 37), square('s2', 116, 38)], 10);
    expect(packed.chunks[0]!.bbox).toEqual([115, 37, 116.1, 38.1]);
  });

  it('packs an empty layer as no chunks', () => {
    expect(packFeatures([])).toEqual({ chunks: [], bbox: null, featureCount: 0 });
  });
});

describe('contentHash', () => {
  it('is stable, and changes with content and with where the parts split', () => {
    expect(contentHash(['a', 'b'])).toBe(contentHash(['a', 'b']));
    expect(contentHash(['a', 'b'])).not.toBe(contentHash(['a', 'c']));
    expect(contentHash(['ab', 'c'])).not.toBe(contentHash(['a', 'bc']));
    expect(contentHash([])).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('mergeBaseWithEdits', () => {
  const edit = (feature: Feature | null, featureId: string, sequence: number): FeatureEditRecord => ({
    layerId: 'test-wells',
    featureId,
    feature,
    revision: feature?.revision ?? 2,
    sequence,
    changeId: `change-${sequence}`,
  });

  it('overrides base features with edit rows, drops tombstones, appends created features by sequence', () => {
    const base = deepFreeze([{ features: [point('a', 115, 37), point('b', 115.1, 37)] }, { features: [point('c', 116, 38)] }]);
    const changedB = { ...point('b', 115.5, 37.5), revision: 2 };
    const edits = deepFreeze([
      edit(point('new-2', 117, 38), 'new-2', 9),
      edit(changedB, 'b', 5),
      edit(null, 'c', 6),
      edit(point('new-1', 117, 38), 'new-1', 7),
      edit(null, 'created-then-deleted', 8),
    ]);
    const merged = mergeBaseWithEdits(base, edits);
    expect(merged.map((feature) => feature.id)).toEqual(['a', 'b', 'new-1', 'new-2']);
    expect(merged[1]).toBe(changedB);
  });

  it('returns the base features themselves (not copies) when there are no edits', () => {
    const base = [{ features: [point('a', 115, 37), point('b', 115, 37)] }];
    const merged = mergeBaseWithEdits(base, []);
    expect(merged).toEqual(base[0]!.features);
    expect(merged[0]).toBe(base[0]!.features[0]);
  });
});
