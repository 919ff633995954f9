import { kinks } from '@turf/kinks';
import type { Geometry, Position } from '../model/geometry';

/**
 * Why a drawn or edited geometry cannot be saved. The UI translates the code (zh-CN / en); the
 * location, when there is one, is where to point the user (the first crossing of a polygon).
 */
export type GeometryProblemCode = 'self-intersection' | 'too-few-points' | 'degenerate';

export interface GeometryProblem {
  code: GeometryProblemCode;
  location?: Position;
}

/** Relative tolerance for "zero area": an area this small against the ring's extent squared. */
const zeroAreaTolerance = 1e-12;

function samePosition(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** The positions without consecutive repeats (a double click places the same vertex twice). */
function withoutRepeats(positions: readonly Position[]): Position[] {
  const kept: Position[] = [];
  for (const position of positions) {
    const previous = kept[kept.length - 1];
    if (!previous || !samePosition(previous, position)) kept.push([position[0], position[1]]);
  }
  return kept;
}

/** A ring's vertices without its closing position and without repeats. */
function ringVertices(ring: readonly Position[]): Position[] {
  const vertices = withoutRepeats(ring);
  while (vertices.length > 1 && samePosition(vertices[0]!, vertices[vertices.length - 1]!)) vertices.pop();
  return vertices;
}

function distinctCount(positions: readonly Position[]): number {
  return new Set(positions.map((position) => `${position[0]},${position[1]}`)).size;
}

function hasZeroArea(vertices: readonly Position[]): boolean {
  let twiceArea = 0;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const origin = vertices[0]!;
  for (let index = 0; index < vertices.length; index++) {
    const current = vertices[index]!;
    const next = vertices[(index + 1) % vertices.length]!;
    // Relative to the first vertex, so large longitudes do not swamp the sum.
    twiceArea += (current[0] - origin[0]) * (next[1] - origin[1]) - (next[0] - origin[0]) * (current[1] - origin[1]);
    minX = Math.min(minX, current[0]);
    minY = Math.min(minY, current[1]);
    maxX = Math.max(maxX, current[0]);
    maxY = Math.max(maxY, current[1]);
  }
  const extent = Math.max(maxX - minX, maxY - minY);
  return Math.abs(twiceArea) / 2 <= zeroAreaTolerance * extent * extent || extent === 0;
}

function lineProblem(line: readonly Position[]): GeometryProblem | null {
  if (line.length < 2) return { code: 'too-few-points' };
  if (distinctCount(line) < 2) return { code: 'degenerate', location: [line[0]![0], line[0]![1]] };
  return null;
}

function polygonProblem(rings: readonly (readonly Position[])[]): GeometryProblem | null {
  const cleanedRings: Position[][] = [];
  for (const ring of rings) {
    const vertices = ringVertices(ring);
    if (vertices.length < 3 || distinctCount(vertices) < 3) {
      const first = ring[0];
      return first ? { code: 'too-few-points', location: [first[0], first[1]] } : { code: 'too-few-points' };
    }
    cleanedRings.push([...vertices, vertices[0]!]);
  }
  // Crossings first: a symmetric bow tie's signed area is zero too, and "crossing" is the
  // message that tells the user what to fix.
  const crossing = kinks({ type: 'Polygon', coordinates: cleanedRings }).features[0];
  if (crossing) return { code: 'self-intersection', location: [crossing.geometry.coordinates[0]!, crossing.geometry.coordinates[1]!] };
  for (const ring of cleanedRings) {
    if (hasZeroArea(ring.slice(0, -1))) return { code: 'degenerate', location: [ring[0]![0], ring[0]![1]] };
  }
  return null;
}

/**
 * The first reason a geometry cannot be saved, or null when it can: a line needs two distinct
 * positions (two identical ones have zero length: 'degenerate'); a polygon ring needs three
 * distinct vertices, a non-zero area and no crossing of its own edges or of another ring.
 * Repeated consecutive positions are ignored. Lines may cross themselves (a road can).
 * The input is never modified.
 */
export function geometryProblem(geometry: Geometry): GeometryProblem | null {
  switch (geometry.type) {
    case 'Point':
    case 'MultiPoint':
      return null;
    case 'LineString':
      return lineProblem(geometry.coordinates);
    case 'MultiLineString':
      for (const line of geometry.coordinates) {
        const problem = lineProblem(line);
        if (problem) return problem;
      }
      return null;
    case 'Polygon':
      return polygonProblem(geometry.coordinates);
    case 'MultiPolygon':
      for (const polygon of geometry.coordinates) {
        const problem = polygonProblem(polygon);
        if (problem) return problem;
      }
      return null;
  }
}
