import type { Geometry, Position } from '../model/geometry';
import { geodesicDistanceMeters } from './geodesic-distance';

function pathLengthMeters(path: readonly Position[]): number {
  let total = 0;
  for (let index = 1; index < path.length; index++) {
    total += geodesicDistanceMeters(path[index - 1] as Position, path[index] as Position);
  }
  return total;
}

/**
 * Geodesic length of a (Multi)LineString on the WGS84 ellipsoid, in km; for polygons, the
 * length of their rings (perimeter). Points have no length (0). The input is never modified.
 */
export function geodesicLengthKilometers(geometry: Geometry): number {
  let meters = 0;
  switch (geometry.type) {
    case 'LineString':
      meters = pathLengthMeters(geometry.coordinates);
      break;
    case 'MultiLineString':
    case 'Polygon':
      for (const path of geometry.coordinates) meters += pathLengthMeters(path);
      break;
    case 'MultiPolygon':
      for (const polygon of geometry.coordinates) for (const ring of polygon) meters += pathLengthMeters(ring);
      break;
    default:
      meters = 0;
  }
  return meters / 1000;
}
