import { bbox as turfBbox } from '@turf/bbox';
import type { Geometry } from '../model/geometry';

/** `[west, south, east, north]` in degrees. */
export type BoundingBox = [number, number, number, number];

/**
 * Bounding box of one geometry or of several, or null when there is nothing to bound.
 * Always recomputed from the coordinates (a stale `bbox` member is ignored); inputs are never modified.
 */
export function boundingBox(geometries: Geometry | readonly Geometry[]): BoundingBox | null {
  const list: readonly Geometry[] = Array.isArray(geometries) ? geometries : [geometries as Geometry];
  if (list.length === 0) return null;
  const box = turfBbox({ type: 'GeometryCollection', geometries: list as Geometry[] }, { recompute: true });
  const [west, south, east, north] = box;
  if (![west, south, east, north].every((value) => Number.isFinite(value))) return null;
  return [west, south, east, north] as BoundingBox;
}
