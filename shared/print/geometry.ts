// GeoJSON geometries projected onto the page: rings in points, rounded to 0.1 pt, with vertices
// closer than the tolerance to the last kept one dropped (a county outline at A4 keeps a few
// hundred points, not thousands), and anything wholly outside the frame left out.
import type { Geometry, Position } from 'geojson';
import type { Rect } from './paper';
import type { Project } from './projection';
import type { Ring } from './surface';

export interface ProjectedShape {
  kind: 'points' | 'lines' | 'polygons';
  /** Points: one [x, y] ring per point; lines: one ring per line; polygons: every ring of every polygon. */
  rings: Ring[];
}

const round = (value: number) => Math.round(value * 10) / 10;

export function projectLine(positions: readonly Position[], project: Project, tolerance: number): Ring {
  const ring: Ring = [];
  let lastX = Number.NaN;
  let lastY = Number.NaN;
  positions.forEach((position, index) => {
    const [x, y] = project(position);
    const last = index === positions.length - 1;
    if (!last && Math.abs(x - lastX) < tolerance && Math.abs(y - lastY) < tolerance) return;
    if (last && ring.length >= 2 && ring[ring.length - 2] === round(x) && ring[ring.length - 1] === round(y)) return;
    ring.push(round(x), round(y));
    lastX = x;
    lastY = y;
  });
  return ring;
}

export function projectGeometry(geometry: Geometry, project: Project, tolerance: number): ProjectedShape | null {
  switch (geometry.type) {
    case 'Point':
      return { kind: 'points', rings: [projectLine([geometry.coordinates], project, 0)] };
    case 'MultiPoint':
      return { kind: 'points', rings: geometry.coordinates.map((position) => projectLine([position], project, 0)) };
    case 'LineString':
      return { kind: 'lines', rings: [projectLine(geometry.coordinates, project, tolerance)] };
    case 'MultiLineString':
      return { kind: 'lines', rings: geometry.coordinates.map((line) => projectLine(line, project, tolerance)) };
    case 'Polygon':
      return { kind: 'polygons', rings: geometry.coordinates.map((ring) => projectLine(ring, project, tolerance)).filter((ring) => ring.length >= 6) };
    case 'MultiPolygon':
      return { kind: 'polygons', rings: geometry.coordinates.flatMap((polygon) => polygon.map((ring) => projectLine(ring, project, tolerance))).filter((ring) => ring.length >= 6) };
    case 'GeometryCollection':
      return null;
  }
}

/** True when any point of the rings lies within `frame` grown by `margin`, or the rings' box spans it. */
export function touchesFrame(rings: readonly Ring[], frame: Rect, margin = 0): boolean {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const ring of rings) {
    for (let index = 0; index < ring.length; index += 2) {
      const x = ring[index]!;
      const y = ring[index + 1]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return maxX >= frame.x - margin && minX <= frame.x + frame.width + margin && maxY >= frame.y - margin && minY <= frame.y + frame.height + margin;
}

/** [west, south, east, north] of a geometry. */
export function geometryBounds(geometry: Geometry): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (value: unknown): void => {
    if (Array.isArray(value) && typeof value[0] === 'number') {
      const [x, y] = value as number[];
      box[0] = Math.min(box[0], x!);
      box[1] = Math.min(box[1], y!);
      box[2] = Math.max(box[2], x!);
      box[3] = Math.max(box[3], y!);
    } else if (Array.isArray(value)) value.forEach(visit);
  };
  if (geometry.type === 'GeometryCollection') {
    for (const part of geometry.geometries) {
      const inner = geometryBounds(part);
      visit([inner[0], inner[1]]);
      visit([inner[2], inner[3]]);
    }
  } else visit(geometry.coordinates);
  return box;
}
