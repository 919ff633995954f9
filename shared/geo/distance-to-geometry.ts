import type { Geometry, Position } from '../model/geometry';
import { geodesicDistanceMeters } from './geodesic-distance';
import { pointInPolygon } from './point-in-polygon';
import { pointToSegmentDistanceMeters } from './point-to-segment-distance';

function distanceToPathMeters(point: Position, path: readonly Position[], best: number): number {
  let nearest = best;
  for (let index = 1; index < path.length; index++) {
    const distance = pointToSegmentDistanceMeters(point, path[index - 1] as Position, path[index] as Position);
    if (distance < nearest) nearest = distance;
  }
  if (path.length === 1) nearest = Math.min(nearest, geodesicDistanceMeters(point, path[0] as Position));
  return nearest;
}

/**
 * Geodesic distance in metres (WGS84) from a position to a geometry: to a point, to the nearest
 * point of a multipoint, to the nearest edge of a line, and for (Multi)Polygons 0 inside or on
 * the boundary (holes excluded, {@link pointInPolygon}) and otherwise the distance to the
 * nearest edge of any ring ({@link pointToSegmentDistanceMeters}). This is the one per-pair
 * distance of park coverage and candidate ranking: the indexed and the all-pairs computations
 * both call it, so they agree to the last bit. Inputs are never modified.
 */
export function distanceToGeometryMeters(point: Position, geometry: Geometry): number {
  switch (geometry.type) {
    case 'Point':
      return geodesicDistanceMeters(point, geometry.coordinates);
    case 'MultiPoint':
      return geometry.coordinates.reduce((best, position) => Math.min(best, geodesicDistanceMeters(point, position)), Infinity);
    case 'LineString':
      return distanceToPathMeters(point, geometry.coordinates, Infinity);
    case 'MultiLineString':
      return geometry.coordinates.reduce((best, path) => distanceToPathMeters(point, path, best), Infinity);
    case 'Polygon':
      if (pointInPolygon(point, geometry)) return 0;
      return geometry.coordinates.reduce((best, ring) => distanceToPathMeters(point, ring, best), Infinity);
    case 'MultiPolygon':
      if (pointInPolygon(point, geometry)) return 0;
      return geometry.coordinates.reduce((best, polygon) => polygon.reduce((inner, ring) => distanceToPathMeters(point, ring, inner), best), Infinity);
  }
}
