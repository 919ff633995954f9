import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Geometry, Position } from '../model/geometry';

type Area = Extract<Geometry, { type: 'Polygon' | 'MultiPolygon' }>;

/**
 * Whether a position lies inside a (Multi)Polygon, holes excluded. A point on the boundary
 * counts as inside unless `ignoreBoundary` is set. The inputs are never modified.
 */
export function pointInPolygon(point: Position, polygon: Area, options: { ignoreBoundary?: boolean } = {}): boolean {
  return booleanPointInPolygon([point[0], point[1]], polygon, { ignoreBoundary: options.ignoreBoundary ?? false });
}
