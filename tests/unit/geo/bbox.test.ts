import { describe, expect, it } from 'vitest';
import { boundingBox } from '../../../shared/geo/bbox';
import type { Geometry } from '../../../shared/model/geometry';
import { deepFreeze } from './deep-freeze';

describe('boundingBox', () => {
  it('bounds one geometry', () => {
    const line = deepFreeze({ type: 'LineString', coordinates: [[115.5, 37.9], [116.1, 37.2], [115.8, 38.2]] } satisfies Geometry);
    expect(boundingBox(line)).toEqual([115.5, 37.2, 116.1, 38.2]);
  });

  it('bounds several geometries together', () => {
    const geometries = deepFreeze([
      { type: 'Point', coordinates: [115.2, 37.5] },
      { type: 'Polygon', coordinates: [[[115.6, 37.1], [115.9, 37.1], [115.9, 37.4], [115.6, 37.1]]] },
    ] satisfies Geometry[]);
    expect(boundingBox(geometries)).toEqual([115.2, 37.1, 115.9, 37.5]);
  });

  it('ignores a stale bbox member and returns null for nothing', () => {
    const stale = deepFreeze({ type: 'Point', coordinates: [115.2, 37.5], bbox: [0, 0, 1, 1] } as Geometry);
    expect(boundingBox(stale)).toEqual([115.2, 37.5, 115.2, 37.5]);
    expect(boundingBox([])).toBeNull();
  });
});
