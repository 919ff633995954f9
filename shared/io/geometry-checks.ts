import { ImportError, type ImportLocation } from './errors';
import type { Geometry } from './types';

/**
 * Structure checks for geometries as parsers hand them over (untrusted `unknown`), and the repairs and
 * warnings shared/io applies after transforming them to WGS84.
 */

export interface RawGeometry {
  type: string;
  coordinates?: unknown;
  geometries?: unknown;
}

type Kind = Geometry['type'];
const DEPTH: Record<Kind, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };
const MULTI_OF: Record<string, Kind> = { Point: 'MultiPoint', LineString: 'MultiLineString', Polygon: 'MultiPolygon' };

function invalid(message: string, messageZh: string, location: ImportLocation): ImportError {
  return new ImportError('invalid-geometry', { zh: `几何图形无效：${messageZh}`, en: `Invalid geometry: ${message}` }, location);
}

function checkPosition(value: unknown, location: ImportLocation): number[] {
  if (!Array.isArray(value) || value.length < 2) throw invalid('a position needs at least [x, y]', '坐标点至少需要 [x, y] 两个值', location);
  const position = value.slice(0, 3) as unknown[];
  position.forEach((coordinate, axis) => {
    if (typeof coordinate !== 'number' || !Number.isFinite(coordinate)) {
      throw new ImportError(
        'non-finite-coordinate',
        {
          zh: `坐标值不是有限数字（第 ${axis + 1} 个值为 ${String(coordinate)}）。`,
          en: `A coordinate is not a finite number (value ${axis + 1} is ${String(coordinate)}).`,
        },
        location,
        { value: String(coordinate), axis },
      );
    }
  });
  return position as number[];
}

function checkNested(value: unknown, depth: number, location: ImportLocation): unknown {
  if (depth === 0) return checkPosition(value, location);
  if (!Array.isArray(value)) throw invalid('coordinates must be nested arrays', '坐标必须是嵌套数组', location);
  return value.map((child) => checkNested(child, depth - 1, location));
}

/** A checked copy: known type, nested arrays of finite numbers (at most 3 per position). GeometryCollections of one kind become Multi*. */
export function checkGeometry(raw: unknown, location: ImportLocation): Geometry {
  if (typeof raw !== 'object' || raw === null) throw invalid('not a geometry object', '不是几何对象', location);
  const geometry = raw as RawGeometry;
  if (geometry.type === 'GeometryCollection') {
    const members = Array.isArray(geometry.geometries) ? geometry.geometries.map((member) => checkGeometry(member, location)) : [];
    const kinds = new Set(members.map((member) => MULTI_OF[member.type] ?? member.type));
    const kind = [...kinds][0];
    if (members.length === 0 || kinds.size !== 1 || !kind) {
      throw new ImportError(
        'unsupported-geometry',
        {
          zh: '几何集合（GeometryCollection）中混有不同类型的图形，图层只能容纳一种类型：请先拆分。',
          en: 'A GeometryCollection mixes geometry types, and a layer holds one kind: split it first.',
        },
        location,
        { kinds: [...kinds] },
      );
    }
    const coordinates = members.flatMap((member) => (member.type === kind ? (member.coordinates as unknown[]) : [member.coordinates]));
    return { type: kind, coordinates } as Geometry;
  }
  const depth = DEPTH[geometry.type as Kind];
  if (depth === undefined) {
    throw new ImportError(
      'unsupported-geometry',
      { zh: `不支持的几何类型“${String(geometry.type)}”。`, en: `Unsupported geometry type "${String(geometry.type)}".` },
      location,
      { type: geometry.type },
    );
  }
  return { type: geometry.type, coordinates: checkNested(geometry.coordinates, depth, location) } as Geometry;
}

/**
 * The common case of {@link checkGeometry} without its general walk: a Point of 2 or 3 finite
 * numbers gives the same checked copy; anything else gives null (then call checkGeometry).
 */
export function checkedPoint(raw: unknown): Geometry | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { type, coordinates } = raw as RawGeometry;
  if (type !== 'Point' || !Array.isArray(coordinates)) return null;
  const x: unknown = coordinates[0];
  const y: unknown = coordinates[1];
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) return null;
  if (coordinates.length === 2) return { type: 'Point', coordinates: [x, y] };
  const z: unknown = coordinates[2];
  if (coordinates.length === 3 && typeof z === 'number' && Number.isFinite(z)) return { type: 'Point', coordinates: [x, y, z] };
  return null;
}

/** Every position of a geometry, in order (the arrays themselves, not copies). */
export function positionsOf(geometry: Geometry): number[][] {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates as number[]];
    case 'MultiPoint':
    case 'LineString':
      return geometry.coordinates as number[][];
    case 'MultiLineString':
    case 'Polygon':
      return (geometry.coordinates as number[][][]).flat();
    case 'MultiPolygon':
      return (geometry.coordinates as number[][][][]).flat(2);
  }
}

/** The polygons' rings (outer first), for Polygon and MultiPolygon; [] otherwise. */
export function polygonsOf(geometry: Geometry): number[][][][] {
  if (geometry.type === 'Polygon') return [geometry.coordinates as number[][][]];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates as number[][][][];
  return [];
}

export function swapAxes(geometry: Geometry): Geometry {
  const swap = (value: unknown): unknown =>
    Array.isArray(value) && typeof value[0] === 'number' ? [value[1], value[0], ...value.slice(2)] : (value as unknown[]).map(swap);
  return { type: geometry.type, coordinates: swap(geometry.coordinates) } as Geometry;
}

export interface RingRepairs {
  closed: number;
}

/**
 * Closes rings whose last position differs from the first (in place); throws 'invalid-geometry' for a
 * ring with fewer than 4 positions once closed, or lines with fewer than 2.
 */
export function repairRings(geometry: Geometry, location: ImportLocation): RingRepairs {
  let closed = 0;
  for (const polygon of polygonsOf(geometry)) {
    if (polygon.length === 0) throw invalid('a polygon needs an outer ring', '多边形缺少外环', location);
    for (const ring of polygon) {
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (first && last && (first[0] !== last[0] || first[1] !== last[1])) {
        ring.push([...first]);
        closed += 1;
      }
      if (ring.length < 4) throw invalid('a polygon ring needs at least 3 distinct corners', '多边形的环至少需要 3 个不同的顶点', location);
    }
  }
  const lines = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.type === 'MultiLineString' ? geometry.coordinates : [];
  for (const line of lines) if (line.length < 2) throw invalid('a line needs at least 2 positions', '线至少需要 2 个点', location);
  if (geometry.type === 'MultiPoint' && geometry.coordinates.length === 0) throw invalid('an empty MultiPoint', '空的多点', location);
  return { closed };
}

const orientation = (a: number[], b: number[], c: number[]): number => {
  const value = ((b[0] as number) - (a[0] as number)) * ((c[1] as number) - (a[1] as number)) - ((b[1] as number) - (a[1] as number)) * ((c[0] as number) - (a[0] as number));
  return value > 0 ? 1 : value < 0 ? -1 : 0;
};
const onSegment = (a: number[], b: number[], p: number[]): boolean =>
  Math.min(a[0] as number, b[0] as number) <= (p[0] as number) &&
  (p[0] as number) <= Math.max(a[0] as number, b[0] as number) &&
  Math.min(a[1] as number, b[1] as number) <= (p[1] as number) &&
  (p[1] as number) <= Math.max(a[1] as number, b[1] as number);

function segmentsIntersect(a: number[], b: number[], c: number[], d: number[]): boolean {
  const o1 = orientation(a, b, c);
  const o2 = orientation(a, b, d);
  const o3 = orientation(c, d, a);
  const o4 = orientation(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && onSegment(a, b, c)) || (o2 === 0 && onSegment(a, b, d)) || (o3 === 0 && onSegment(c, d, a)) || (o4 === 0 && onSegment(c, d, b));
}

/** Rings longer than this are not checked (the pairwise test is quadratic). */
export const SELF_INTERSECTION_MAX_RING = 4000;

/** Where a closed ring crosses or touches itself (non-adjacent segments), as the first crossing's point; null if it does not. */
export function ringSelfIntersection(ring: number[][]): number[] | null {
  const segments = ring.length - 1;
  if (segments < 4 || ring.length > SELF_INTERSECTION_MAX_RING) return null;
  for (let i = 0; i < segments; i += 1) {
    const a = ring[i] as number[];
    const b = ring[i + 1] as number[];
    const minX = Math.min(a[0] as number, b[0] as number);
    const maxX = Math.max(a[0] as number, b[0] as number);
    const minY = Math.min(a[1] as number, b[1] as number);
    const maxY = Math.max(a[1] as number, b[1] as number);
    for (let j = i + 2; j < segments; j += 1) {
      if (i === 0 && j === segments - 1) continue; // the closing segment meets the first at the ring's start
      const c = ring[j] as number[];
      const d = ring[j + 1] as number[];
      if (Math.max(c[0] as number, d[0] as number) < minX || Math.min(c[0] as number, d[0] as number) > maxX) continue;
      if (Math.max(c[1] as number, d[1] as number) < minY || Math.min(c[1] as number, d[1] as number) > maxY) continue;
      if (segmentsIntersect(a, b, c, d)) return [((a[0] as number) + (b[0] as number)) / 2, ((a[1] as number) + (b[1] as number)) / 2];
    }
  }
  return null;
}

/** Signed area (shoelace): > 0 for counter-clockwise rings in x-right, y-up coordinates. */
export function ringSignedArea(ring: readonly (readonly number[])[]): number {
  let sum = 0;
  for (let index = 0; index + 1 < ring.length; index += 1) {
    const [x1, y1] = ring[index] as [number, number];
    const [x2, y2] = ring[index + 1] as [number, number];
    sum += x1 * y2 - x2 * y1;
  }
  return sum / 2;
}
