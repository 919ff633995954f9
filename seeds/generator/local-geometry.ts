import type { Position } from '../../shared/model/geometry';
import { WGS84_ECCENTRICITY_SQUARED, WGS84_SEMI_MAJOR_AXIS_METERS } from '../../shared/geo/wgs84';

export type LonLat = [number, number];

/** Metres per degree of latitude and of longitude at a latitude (ellipsoidal radii of curvature). */
export function metersPerDegree(latitude: number): { latitude: number; longitude: number } {
  const phi = (latitude * Math.PI) / 180;
  const w = 1 - WGS84_ECCENTRICITY_SQUARED * Math.sin(phi) ** 2;
  const meridian = (WGS84_SEMI_MAJOR_AXIS_METERS * (1 - WGS84_ECCENTRICITY_SQUARED)) / w ** 1.5;
  const primeVertical = WGS84_SEMI_MAJOR_AXIS_METERS / Math.sqrt(w);
  return { latitude: (meridian * Math.PI) / 180, longitude: (primeVertical * Math.cos(phi) * Math.PI) / 180 };
}

/** Moves a position by metres east and north (local tangent plane: fine within a few km). */
export function offsetMeters(origin: Position, east: number, north: number): LonLat {
  const scale = metersPerDegree(origin[1]);
  return [origin[0] + east / scale.longitude, origin[1] + north / scale.latitude];
}

/** Planar distance in metres in the local tangent plane: for spacing rules, not for measuring. */
export function approximateDistanceMeters(a: Position, b: Position): number {
  const scale = metersPerDegree((a[1] + b[1]) / 2);
  return Math.hypot((a[0] - b[0]) * scale.longitude, (a[1] - b[1]) * scale.latitude);
}

/** The 6-decimal (≈0.1 m) rounding every demo coordinate gets. */
export function roundCoordinate(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function roundPosition(position: Position): LonLat {
  return [roundCoordinate(position[0]), roundCoordinate(position[1])];
}

/** A closed ring from local (east, north) metre offsets around a centre, rotated by `angleDegrees`. */
export function ringFromLocalOffsets(center: Position, offsets: readonly [number, number][], angleDegrees: number): LonLat[] {
  const angle = (angleDegrees * Math.PI) / 180;
  const ring = offsets.map(([east, north]) =>
    roundPosition(offsetMeters(center, east * Math.cos(angle) - north * Math.sin(angle), east * Math.sin(angle) + north * Math.cos(angle))),
  );
  ring.push(ring[0] as LonLat);
  return ring;
}

/** Offsets of a width × height rectangle centred on the origin, counter-clockwise. */
export function rectangleOffsets(width: number, height: number): [number, number][] {
  return [
    [-width / 2, -height / 2],
    [width / 2, -height / 2],
    [width / 2, height / 2],
    [-width / 2, height / 2],
  ];
}
