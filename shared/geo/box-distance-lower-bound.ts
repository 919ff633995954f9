import type { BoundingBox } from './bbox';
import { WGS84_ECCENTRICITY_SQUARED, WGS84_SEMI_MAJOR_AXIS_METERS, WGS84_SEMI_MINOR_AXIS_METERS } from './wgs84';

const toRadians = Math.PI / 180;
/** The smallest meridian radius of WGS84 (at the equator), in metres. */
const MIN_MERIDIAN_RADIUS = WGS84_SEMI_MAJOR_AXIS_METERS * (1 - WGS84_ECCENTRICITY_SQUARED);
/** Vincenty's rounding is well under a millimetre; a centimetre off the bound covers it. */
const SLACK_METERS = 0.01;

/**
 * A cheap lower bound (metres) of the geodesic distance from `point` to any point of `box`,
 * valid whenever that distance is at most `radiusMeters`: so a bound above the radius proves
 * the distance is above it too, and a bound at or above a distance already found proves the box
 * cannot hold anything nearer. Used to skip exact checks, never to decide one.
 *
 * Why: a path of length ≤ r stays within r / M_min of its ends' latitudes, and there its
 * length is at least the straight-line length in the plane of (M_min·φ, b·cos φ_max·λ), because
 * M ≥ M_min and N·cos φ ≥ b·cos φ_max (the argument of {@link radiusSearchBox}). 1 cm is taken off.
 */
export function boxDistanceLowerBoundMeters(point: readonly number[], box: BoundingBox, radiusMeters: number): number {
  const longitude = point[0] as number;
  const latitude = point[1] as number;
  const [west, south, east, north] = box;
  const latitudeGap = latitude < south ? south - latitude : latitude > north ? latitude - north : 0;
  const longitudeGap = longitude < west ? west - longitude : longitude > east ? longitude - east : 0;
  if (latitudeGap === 0 && longitudeGap === 0) return 0;
  const poleward = Math.max(Math.abs(latitude), Math.abs(south), Math.abs(north)) + (radiusMeters / MIN_MERIDIAN_RADIUS) / toRadians;
  if (!(poleward < 90)) return 0;
  const northSouth = MIN_MERIDIAN_RADIUS * latitudeGap * toRadians;
  const eastWest = WGS84_SEMI_MINOR_AXIS_METERS * Math.cos(poleward * toRadians) * longitudeGap * toRadians;
  return Math.max(0, Math.sqrt(northSouth * northSouth + eastWest * eastWest) - SLACK_METERS);
}
