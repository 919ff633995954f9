import { describe, expect, it } from 'vitest';
import { featuresWithinArea, representativePoint } from '../../../shared/geo';
import type { Geometry } from '../../../shared/model';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

// A 0.1° square around (115.7, 37.7) in 桃城区.
const area = deepFreeze({
  type: 'Polygon' as const,
  coordinates: [
    [
      [115.65, 37.65],
      [115.75, 37.65],
      [115.75, 37.75],
      [115.65, 37.75],
      [115.65, 37.65],
    ],
  ],
});

const feature = (id: string, geometry: Geometry) => deepFreeze({ id, geometry });

describe('featuresWithinArea', () => {
  const features = [
    feature('inside-point', { type: 'Point', coordinates: [115.7, 37.7] }),
    feature('outside-point', { type: 'Point', coordinates: [115.8, 37.7] }),
    feature('boundary-point', { type: 'Point', coordinates: [115.75, 37.7] }),
    // A polygon straddling the edge whose centroid (115.745, 37.7) is inside.
    feature('polygon-centroid-inside', {
      type: 'Polygon',
      coordinates: [
        [
          [115.73, 37.69],
          [115.76, 37.69],
          [115.76, 37.71],
          [115.73, 37.71],
          [115.73, 37.69],
        ],
      ],
    }),
    // A polygon straddling the edge whose centroid (115.76, 37.7) is outside.
    feature('polygon-centroid-outside', {
      type: 'Polygon',
      coordinates: [
        [
          [115.74, 37.69],
          [115.78, 37.69],
          [115.78, 37.71],
          [115.74, 37.71],
          [115.74, 37.69],
        ],
      ],
    }),
    feature('line-inside', { type: 'LineString', coordinates: [[115.66, 37.66], [115.7, 37.7]] }),
  ];

  it('selects by the representative point: points themselves, the centroid of lines and polygons', () => {
    expect(featuresWithinArea(features, area).map((f) => f.id)).toEqual(['inside-point', 'boundary-point', 'polygon-centroid-inside', 'line-inside']);
  });

  it("gives the centroid of a polygon's vertices", () => {
    const [lon, lat] = representativePoint(features[3]!.geometry);
    expect(lon).toBeCloseTo(115.745, 9);
    expect(lat).toBeCloseTo(37.7, 9);
  });

  it('returns nothing for an empty list and never modifies its inputs (they are frozen)', () => {
    expect(featuresWithinArea([], area)).toEqual([]);
  });
});
