import { distance as greatCircleDistance } from '@turf/distance';
import type { Position } from '../model/geometry';
import { WGS84_FLATTENING, WGS84_SEMI_MAJOR_AXIS_METERS, WGS84_SEMI_MINOR_AXIS_METERS } from './wgs84';

const a = WGS84_SEMI_MAJOR_AXIS_METERS;
const b = WGS84_SEMI_MINOR_AXIS_METERS;
const f = WGS84_FLATTENING;
const toRadians = Math.PI / 180;

/**
 * Shortest distance between two positions on the WGS84 ellipsoid, in metres (Vincenty's
 * inverse formula, 1975: sub-millimetre at planning distances). For nearly antipodal points,
 * where the iteration does not converge, falls back to @turf/distance on a sphere — never the
 * case for features within one city.
 */
export function geodesicDistanceMeters(from: Position, to: Position): number {
  const L = (to[0] - from[0]) * toRadians;
  const U1 = Math.atan((1 - f) * Math.tan(from[1] * toRadians));
  const U2 = Math.atan((1 - f) * Math.tan(to[1] * toRadians));
  const sinU1 = Math.sin(U1);
  const cosU1 = Math.cos(U1);
  const sinU2 = Math.sin(U2);
  const cosU2 = Math.cos(U2);
  let lambda = L;
  for (let iteration = 0; iteration < 200; iteration++) {
    const sinLambda = Math.sin(lambda);
    const cosLambda = Math.cos(lambda);
    const sinSigma = Math.sqrt((cosU2 * sinLambda) ** 2 + (cosU1 * sinU2 - sinU1 * cosU2 * cosLambda) ** 2);
    if (sinSigma === 0) return 0;
    const cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
    const sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinLambda) / sinSigma;
    const cosSquaredAlpha = 1 - sinAlpha * sinAlpha;
    const cos2SigmaM = cosSquaredAlpha === 0 ? 0 : cosSigma - (2 * sinU1 * sinU2) / cosSquaredAlpha;
    const C = (f / 16) * cosSquaredAlpha * (4 + f * (4 - 3 * cosSquaredAlpha));
    const previousLambda = lambda;
    lambda = L + (1 - C) * f * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM ** 2)));
    if (Math.abs(lambda - previousLambda) < 1e-12) {
      const uSquared = (cosSquaredAlpha * (a * a - b * b)) / (b * b);
      const A = 1 + (uSquared / 16384) * (4096 + uSquared * (-768 + uSquared * (320 - 175 * uSquared)));
      const B = (uSquared / 1024) * (256 + uSquared * (-128 + uSquared * (74 - 47 * uSquared)));
      const deltaSigma =
        B *
        sinSigma *
        (cos2SigmaM +
          (B / 4) *
            (cosSigma * (-1 + 2 * cos2SigmaM ** 2) - (B / 6) * cos2SigmaM * (-3 + 4 * sinSigma ** 2) * (-3 + 4 * cos2SigmaM ** 2)));
      return b * A * (sigma - deltaSigma);
    }
  }
  return greatCircleDistance([from[0], from[1]], [to[0], to[1]], { units: 'meters' });
}
