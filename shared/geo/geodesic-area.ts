import { area as sphericalArea } from '@turf/area';
import { earthRadius as turfEarthRadius } from '@turf/helpers';
import type { Geometry, Position } from '../model/geometry';
import { WGS84_ECCENTRICITY_SQUARED, WGS84_SEMI_MAJOR_AXIS_METERS } from './wgs84';
import { squareMetersToMu } from './area-units';

const eccentricity = Math.sqrt(WGS84_ECCENTRICITY_SQUARED);

/** Snyder's q(φ): the authalic-latitude function of the ellipsoid. */
function authalicQ(sinLatitude: number): number {
  const eSin = eccentricity * sinLatitude;
  return (
    (1 - WGS84_ECCENTRICITY_SQUARED) *
    (sinLatitude / (1 - eSin * eSin) - (1 / (2 * eccentricity)) * Math.log((1 - eSin) / (1 + eSin)))
  );
}

const qAtPole = authalicQ(1);
/** Radius of the sphere with the same surface area as the WGS84 ellipsoid (≈ 6,371,007.2 m). */
const AUTHALIC_RADIUS_METERS = WGS84_SEMI_MAJOR_AXIS_METERS * Math.sqrt(qAtPole / 2);
const SPHERE_SCALE = (AUTHALIC_RADIUS_METERS / turfEarthRadius) ** 2;

function toAuthalic(position: Position): [number, number] {
  const sinAuthalicLatitude = authalicQ(Math.sin((position[1] * Math.PI) / 180)) / qAtPole;
  return [position[0], (Math.asin(Math.max(-1, Math.min(1, sinAuthalicLatitude))) * 180) / Math.PI];
}

/**
 * Area of a (Multi)Polygon on the WGS84 ellipsoid, in m². Other geometries have no area (0).
 *
 * @turf/area works on a sphere with geodetic latitudes, which at Hengshui's latitude is off by
 * about 0.05 %. Mapping latitudes to authalic latitudes (an equal-area map of the ellipsoid
 * onto a sphere, Snyder 1987 §3) and measuring on the authalic sphere gives the ellipsoidal
 * area exactly for the formula's own edge model, at the cost of one `asin` per vertex.
 * The input is never modified.
 */
export function geodesicAreaSquareMeters(geometry: Geometry): number {
  switch (geometry.type) {
    case 'Polygon':
      return sphericalArea({ type: 'Polygon', coordinates: geometry.coordinates.map((ring) => ring.map(toAuthalic)) }) * SPHERE_SCALE;
    case 'MultiPolygon':
      return (
        sphericalArea({
          type: 'MultiPolygon',
          coordinates: geometry.coordinates.map((polygon) => polygon.map((ring) => ring.map(toAuthalic))),
        }) * SPHERE_SCALE
      );
    default:
      return 0;
  }
}

/** Geodesic area in mu (亩). */
export function geodesicAreaMu(geometry: Geometry): number {
  return squareMetersToMu(geodesicAreaSquareMeters(geometry));
}
