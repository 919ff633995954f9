// Snapping to features that live outside the editor (the layer's other features): their vertices
// and edges go into two flatbush indexes in longitude/latitude, queried with the pixel box around
// the pointer; distances are measured on screen, so "within N pixels" means what the user sees.
import Flatbush from 'flatbush';
import type { Feature, Geometry as GeoJsonGeometry, Position } from 'geojson';

export interface ScreenPoint {
  x: number;
  y: number;
}

export interface ScreenProjection {
  project(position: Position): ScreenPoint;
  unproject(point: ScreenPoint): Position;
}

export interface SnapIndex {
  /** The nearest vertex within `radius` pixels of `point`, else the nearest point on an edge, else null. */
  snap(point: ScreenPoint, radius: number, projection: ScreenProjection): Position | null;
}

export type SnapSource = Feature | GeoJsonGeometry;

function collectLines(geometry: GeoJsonGeometry | null, vertices: Position[], lines: Position[][]): void {
  if (!geometry) return;
  switch (geometry.type) {
    case 'Point':
      vertices.push(geometry.coordinates);
      return;
    case 'MultiPoint':
      vertices.push(...geometry.coordinates);
      return;
    case 'LineString':
      lines.push(geometry.coordinates);
      return;
    case 'MultiLineString':
    case 'Polygon':
      lines.push(...geometry.coordinates);
      return;
    case 'MultiPolygon':
      for (const polygon of geometry.coordinates) lines.push(...polygon);
      return;
    case 'GeometryCollection':
      for (const member of geometry.geometries) collectLines(member, vertices, lines);
  }
}

function closestOnSegment(point: ScreenPoint, start: ScreenPoint, end: ScreenPoint): ScreenPoint {
  const dx = end.x - start.x;
  const dy = end.y - start.y;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((point.x - start.x) * dx + (point.y - start.y) * dy) / lengthSquared));
  return { x: start.x + t * dx, y: start.y + t * dy };
}

function pixelDistance(a: ScreenPoint, b: ScreenPoint): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

export function createSnapIndex(sources: readonly SnapSource[]): SnapIndex {
  const vertices: Position[] = [];
  const lines: Position[][] = [];
  for (const source of sources) collectLines(source.type === 'Feature' ? source.geometry : source, vertices, lines);
  const segments: [Position, Position][] = [];
  for (const line of lines) {
    vertices.push(...line);
    for (let index = 1; index < line.length; index++) segments.push([line[index - 1]!, line[index]!]);
  }

  let vertexIndex: Flatbush | null = null;
  if (vertices.length > 0) {
    vertexIndex = new Flatbush(vertices.length);
    for (const [x, y] of vertices) vertexIndex.add(x!, y!, x!, y!);
    vertexIndex.finish();
  }
  let segmentIndex: Flatbush | null = null;
  if (segments.length > 0) {
    segmentIndex = new Flatbush(segments.length);
    for (const [[x0, y0], [x1, y1]] of segments) segmentIndex.add(Math.min(x0!, x1!), Math.min(y0!, y1!), Math.max(x0!, x1!), Math.max(y0!, y1!));
    segmentIndex.finish();
  }

  return {
    snap(point, radius, projection) {
      if (!vertexIndex && !segmentIndex) return null;
      // The pixel box around the pointer, as a longitude/latitude box (the map may be rotated).
      const corners = [
        projection.unproject({ x: point.x - radius, y: point.y - radius }),
        projection.unproject({ x: point.x + radius, y: point.y - radius }),
        projection.unproject({ x: point.x - radius, y: point.y + radius }),
        projection.unproject({ x: point.x + radius, y: point.y + radius }),
      ];
      const minX = Math.min(...corners.map((corner) => corner[0]!));
      const minY = Math.min(...corners.map((corner) => corner[1]!));
      const maxX = Math.max(...corners.map((corner) => corner[0]!));
      const maxY = Math.max(...corners.map((corner) => corner[1]!));

      // A vertex wins over an edge: corners shared by neighbouring parcels must meet exactly.
      let best: Position | null = null;
      let bestDistance = radius;
      for (const found of vertexIndex?.search(minX, minY, maxX, maxY) ?? []) {
        const vertex = vertices[found]!;
        const distance = pixelDistance(point, projection.project(vertex));
        if (distance <= bestDistance) {
          best = [vertex[0]!, vertex[1]!];
          bestDistance = distance;
        }
      }
      if (best) return best;

      let bestOnEdge: ScreenPoint | null = null;
      for (const found of segmentIndex?.search(minX, minY, maxX, maxY) ?? []) {
        const [start, end] = segments[found]!;
        const closest = closestOnSegment(point, projection.project(start), projection.project(end));
        const distance = pixelDistance(point, closest);
        if (distance <= bestDistance) {
          bestOnEdge = closest;
          bestDistance = distance;
        }
      }
      return bestOnEdge ? projection.unproject(bestOnEdge) : null;
    },
  };
}
