// The shapes the editor hands terra-draw and back: simple geometries (terra-draw edits one Point,
// LineString or Polygon), rounded copies, the vertices a user can pick, and the result as the model
// wants it (RFC 7946 winding, a single-part Multi* wrapped again).
import type { LineString, Point, Polygon, Position } from 'geojson';
import { geometryProblem, type GeometryProblem } from '../../../../shared/geo/geometry-validity';
import type { Geometry } from '../../../../shared/model/geometry';
import { withRightHandRule } from './ring-orientation';

export type SimpleGeometry = Point | LineString | Polygon;

/** terra-draw's GeoJSON positions are number[]; the model's are tuples of two or three numbers. */
export function problemOf(geometry: SimpleGeometry): GeometryProblem | null {
  return geometryProblem(geometry as unknown as Geometry);
}

/** terra-draw keeps 9 decimals (≈0.1 mm) and refuses more: a copy with the positions rounded to them. */
export const coordinatePrecision = 9;
export function cloneGeometry<T>(geometry: T): T {
  const scale = 10 ** coordinatePrecision;
  return JSON.parse(JSON.stringify(geometry), (_key, value: unknown) => (typeof value === 'number' ? Math.round(value * scale) / scale : value)) as T;
}

/** The vertices a user can pick: a line's positions, a polygon's outer ring without its closing one. */
export function editableVertices(geometry: SimpleGeometry): Position[] {
  if (geometry.type === 'LineString') return geometry.coordinates;
  if (geometry.type === 'Polygon') return geometry.coordinates[0]!.slice(0, -1);
  return [];
}

export function withoutVertex(geometry: LineString | Polygon, index: number): LineString | Polygon {
  if (geometry.type === 'LineString') return { type: 'LineString', coordinates: geometry.coordinates.filter((_, at) => at !== index) };
  const ring = geometry.coordinates[0]!.slice(0, -1).filter((_, at) => at !== index);
  return { type: 'Polygon', coordinates: [[...ring, ring[0]!], ...geometry.coordinates.slice(1)] };
}

/** The edited shape as the caller gets it: rounded, RFC 7946-wound, a single-part Multi* again if it was one. */
export function resultGeometry(geometry: SimpleGeometry, wrapAsMulti: boolean | undefined): Geometry {
  const copy = (geometry.type === 'Polygon' ? withRightHandRule(cloneGeometry(geometry)) : cloneGeometry(geometry)) as Geometry;
  if (!wrapAsMulti) return copy;
  if (copy.type === 'Point') return { type: 'MultiPoint', coordinates: [copy.coordinates] };
  if (copy.type === 'LineString') return { type: 'MultiLineString', coordinates: [copy.coordinates] };
  if (copy.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [copy.coordinates] };
  return copy;
}

/** The shape terra-draw edits for `geometry`, or null for a Multi* of several parts (not one shape). */
export function simpleShapeOf(geometry: Geometry): { simple: SimpleGeometry; wrapAsMulti: boolean } | null {
  if (geometry.type === 'Point' || geometry.type === 'LineString' || geometry.type === 'Polygon') {
    return { simple: cloneGeometry(geometry) as SimpleGeometry, wrapAsMulti: false };
  } else if (geometry.coordinates.length === 1) {
    const type = geometry.type === 'MultiPoint' ? 'Point' : geometry.type === 'MultiLineString' ? 'LineString' : 'Polygon';
    return { simple: { type, coordinates: cloneGeometry(geometry.coordinates[0]) } as SimpleGeometry, wrapAsMulti: true };
  }
  return null;
}
