// The point that decides which county a new or reshaped feature belongs to: a point ON the
// geometry, so a concave polygon (an L-shaped park) or a curved road is never given the county of
// a centroid that lies outside it.
import type { Geometry, Position } from '../../../../shared/model';
import { pointInPolygon } from '../../../../shared/geo';

type Ring = readonly Position[];

/** A point inside a polygon (holes respected): its vertex centroid if that is inside, else the
 * middle of the widest inside stretch of the horizontal line through it. */
function pointInsidePolygon(rings: readonly Ring[]): Position {
  const outer = rings[0]!;
  const vertices = outer.slice(0, -1);
  const centre: Position = [vertices.reduce((sum, p) => sum + p[0], 0) / vertices.length, vertices.reduce((sum, p) => sum + p[1], 0) / vertices.length];
  const polygon = { type: 'Polygon' as const, coordinates: rings as Position[][] };
  if (pointInPolygon(centre, polygon, { ignoreBoundary: true })) return centre;
  // The scan line must not pass exactly through a vertex: nudge it off any vertex latitude.
  let y = centre[1];
  const latitudes = new Set(rings.flatMap((ring) => ring.map((p) => p[1])));
  while (latitudes.has(y)) y += 1e-9;
  const crossings: number[] = [];
  for (const ring of rings) {
    for (let index = 1; index < ring.length; index += 1) {
      const [x0, y0] = ring[index - 1]!;
      const [x1, y1] = ring[index]!;
      if (y0 > y !== y1 > y) crossings.push(x0 + ((y - y0) * (x1 - x0)) / (y1 - y0));
    }
  }
  crossings.sort((a, b) => a - b);
  let best: Position = outer[0]!;
  let widest = -1;
  for (let index = 0; index + 1 < crossings.length; index += 2) {
    const width = crossings[index + 1]! - crossings[index]!;
    if (width > widest) {
      widest = width;
      best = [(crossings[index]! + crossings[index + 1]!) / 2, y];
    }
  }
  return best;
}

/** A point on a line: the middle of its middle segment. */
function pointOnLine(line: readonly Position[]): Position {
  if (line.length === 1) return line[0]!;
  const index = Math.floor((line.length - 1) / 2);
  const a = line[index]!;
  const b = line[index + 1]!;
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}

/** A point that lies on the geometry (inside a polygon, on a line, the point itself); the first part of a Multi*. */
export function anchorPoint(geometry: Geometry): Position {
  switch (geometry.type) {
    case 'Point':
      return geometry.coordinates;
    case 'MultiPoint':
      return geometry.coordinates[0]!;
    case 'LineString':
      return pointOnLine(geometry.coordinates);
    case 'MultiLineString':
      return pointOnLine(geometry.coordinates[0]!);
    case 'Polygon':
      return pointInsidePolygon(geometry.coordinates);
    case 'MultiPolygon':
      return pointInsidePolygon(geometry.coordinates[0]!);
  }
}
