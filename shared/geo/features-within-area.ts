import { centroid } from '@turf/centroid';
import type { Geometry, Position } from '../model/geometry';
import { pointInPolygon } from './point-in-polygon';

/** Any GeoJSON (Multi)Polygon, e.g. one drawn on the map (plain number arrays, not the model's tuples). */
export type SelectionArea =
  | { type: 'Polygon'; coordinates: readonly (readonly (readonly number[])[])[] }
  | { type: 'MultiPolygon'; coordinates: readonly (readonly (readonly (readonly number[])[])[])[] };

/**
 * The point that decides whether a feature lies in an area: a point feature's own position, or
 * for lines and polygons the centroid of their vertices (turf's centroid).
 */
export function representativePoint(geometry: Geometry): Position {
  if (geometry.type === 'Point') return geometry.coordinates;
  return centroid(geometry as Parameters<typeof centroid>[0]).geometry.coordinates as Position;
}

/** The features whose representative point lies inside `area` (boundary included). Inputs are never modified. */
export function featuresWithinArea<F extends { geometry: Geometry }>(features: readonly F[], area: SelectionArea): F[] {
  const polygon = area as Parameters<typeof pointInPolygon>[1];
  return features.filter((feature) => pointInPolygon(representativePoint(feature.geometry), polygon));
}
