// Whether an edit changed a geometry. The editor hands back a copy with positions rounded to
// 9 decimals (≈0.1 mm) and polygon rings wound by the right-hand rule, so an untouched feature can
// come back with its rings reversed or started elsewhere: that is the same shape, and saving it
// would only add a revision and an undo step that do nothing.
import type { Geometry, Position } from '../../../../shared/model';

const scale = 1e9;
const key = (position: Position) => `${Math.round(position[0] * scale)},${Math.round(position[1] * scale)}`;

/** The same closed ring, whatever its start and direction. */
function sameRing(a: readonly Position[], b: readonly Position[]): boolean {
  if (a.length !== b.length) return false;
  const left = a.slice(0, -1).map(key);
  const right = b.slice(0, -1).map(key);
  if (left.length === 0) return true;
  for (const candidate of [right, [...right].reverse()]) {
    const start = candidate.indexOf(left[0]!);
    if (start < 0) continue;
    if (left.every((vertex, index) => vertex === candidate[(start + index) % candidate.length])) return true;
  }
  return false;
}

const samePositions = (a: readonly Position[], b: readonly Position[]) => a.length === b.length && a.every((position, index) => key(position) === key(b[index]!));

export function sameShape(a: Geometry, b: Geometry): boolean {
  if (a.type !== b.type) return false;
  switch (a.type) {
    case 'Point':
      return key(a.coordinates) === key((b as typeof a).coordinates);
    case 'MultiPoint':
    case 'LineString':
      return samePositions(a.coordinates, (b as typeof a).coordinates);
    case 'MultiLineString': {
      const other = (b as typeof a).coordinates;
      return a.coordinates.length === other.length && a.coordinates.every((line, index) => samePositions(line, other[index]!));
    }
    case 'Polygon': {
      const other = (b as typeof a).coordinates;
      return a.coordinates.length === other.length && a.coordinates.every((ring, index) => sameRing(ring, other[index]!));
    }
    case 'MultiPolygon': {
      const other = (b as typeof a).coordinates;
      return (
        a.coordinates.length === other.length &&
        a.coordinates.every((polygon, index) => polygon.length === other[index]!.length && polygon.every((ring, at) => sameRing(ring, other[index]![at]!)))
      );
    }
  }
}
