import type { BoundingBox } from './bbox';
import { WGS84_ECCENTRICITY_SQUARED, WGS84_SEMI_MAJOR_AXIS_METERS, WGS84_SEMI_MINOR_AXIS_METERS } from './wgs84';

const toRadians = Math.PI / 180;
/** The smallest meridian arc per degree of latitude on WGS84 (at the equator, ≈ 110,574 m). */
const MIN_METERS_PER_DEGREE_LATITUDE = WGS84_SEMI_MAJOR_AXIS_METERS * (1 - WGS84_ECCENTRICITY_SQUARED) * toRadians;
/** Slack on top of the bounds below, for the rounding of the distance formulas (a few mm at most). */
const SAFETY_FACTOR = 1.01;
const SAFETY_DEGREES = 1e-6;

/**
 * A box certain to hold every position within `radiusMeters` (geodesic, WGS84) of any point of
 * `box`, for pruning with a spatial index before an exact distance check: a position outside
 * it is farther than the radius. Null when no such box exists in plain longitude/latitude (it
 * would reach a pole or wrap around the antimeridian): then nothing may be pruned.
 *
 * Why it is safe: any path of length r changes latitude by at most r / M_min (M_min, the
 * smallest meridian radius, at the equator) and, staying within the expanded latitude band,
 * longitude by at most r / (b · cos φ_max), since the parallel radius N·cos φ ≥ b·cos φ_max
 * there (b the semi-minor axis). 1 % and about 0.1 m are added on top.
 */
export function radiusSearchBox(box: BoundingBox, radiusMeters: number): BoundingBox | null {
  if (!(radiusMeters >= 0) || !Number.isFinite(radiusMeters)) return null;
  const [west, south, east, north] = box;
  const latitudeMargin = (radiusMeters / MIN_METERS_PER_DEGREE_LATITUDE) * SAFETY_FACTOR + SAFETY_DEGREES;
  const poleward = Math.max(Math.abs(south), Math.abs(north)) + latitudeMargin;
  if (poleward >= 89) return null;
  const longitudeMargin = (radiusMeters / (WGS84_SEMI_MINOR_AXIS_METERS * Math.cos(poleward * toRadians) * toRadians)) * SAFETY_FACTOR + SAFETY_DEGREES;
  if (west - longitudeMargin < -180 || east + longitudeMargin > 180) return null;
  return [west - longitudeMargin, south - latitudeMargin, east + longitudeMargin, north + latitudeMargin];
}
