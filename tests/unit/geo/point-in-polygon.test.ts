import { describe, expect, it } from 'vitest';
import { pointInPolygon } from '../../../shared/geo/point-in-polygon';
import type { Geometry } from '../../../shared/model/geometry';
import { deepFreeze } from './deep-freeze';

const squareWithHole = deepFreeze({
  type: 'Polygon',
  coordinates: [
    [[115, 37], [116, 37], [116, 38], [115, 38], [115, 37]],
    [[115.4, 37.4], [115.4, 37.6], [115.6, 37.6], [115.6, 37.4], [115.4, 37.4]],
  ],
} satisfies Geometry);

describe('pointInPolygon', () => {
  it('is true inside, false outside and false in a hole', () => {
    expect(pointInPolygon(deepFreeze([115.2, 37.2]), squareWithHole)).toBe(true);
    expect(pointInPolygon(deepFreeze([116.2, 37.2]), squareWithHole)).toBe(false);
    expect(pointInPolygon(deepFreeze([115.5, 37.5]), squareWithHole)).toBe(false);
  });

  it('counts the boundary as inside unless told otherwise', () => {
    expect(pointInPolygon([115, 37.5], squareWithHole)).toBe(true);
    expect(pointInPolygon([115, 37.5], squareWithHole, { ignoreBoundary: true })).toBe(false);
  });

  it('handles MultiPolygons', () => {
    const multi = deepFreeze({
      type: 'MultiPolygon',
      coordinates: [
        [[[115, 37], [115.1, 37], [115.1, 37.1], [115, 37], [115, 37]]],
        [[[116, 38], [116.1, 38], [116.1, 38.1], [116, 38.1], [116, 38]]],
      ],
    } satisfies Geometry);
    expect(pointInPolygon([116.05, 38.05], multi)).toBe(true);
    expect(pointInPolygon([115.5, 37.5], multi)).toBe(false);
  });
});
