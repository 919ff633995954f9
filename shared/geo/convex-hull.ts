import type { Position } from '../model/geometry';

const cross = (o: Position, a: Position, b: Position) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/**
 * The convex hull of positions in the longitude/latitude plane (Andrew's monotone chain), as a
 * closed counter-clockwise ring — the edge model of the map and of {@link pointInPolygon}, fine
 * within a city. Null when the positions span no area (fewer than three, or all on one line).
 * Inputs are never modified.
 */
export function convexHull(positions: readonly Position[]): Position[] | null {
  const points = positions
    .filter((position) => Number.isFinite(position[0]) && Number.isFinite(position[1]))
    .map((position): Position => [position[0], position[1]])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (points.length < 3) return null;
  const lower: Position[] = [];
  for (const point of points) {
    while (lower.length >= 2 && cross(lower[lower.length - 2] as Position, lower[lower.length - 1] as Position, point) <= 0) lower.pop();
    lower.push(point);
  }
  const upper: Position[] = [];
  for (let index = points.length - 1; index >= 0; index--) {
    const point = points[index] as Position;
    while (upper.length >= 2 && cross(upper[upper.length - 2] as Position, upper[upper.length - 1] as Position, point) <= 0) upper.pop();
    upper.push(point);
  }
  const ring = [...lower.slice(0, -1), ...upper.slice(0, -1)];
  if (ring.length < 3) return null;
  ring.push(ring[0] as Position);
  return ring;
}
