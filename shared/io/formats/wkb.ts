import type { Geometry } from '../types';

/**
 * Well-known binary, as GeoPackage stores it behind its own header. Reads ISO (1001, 2002…) and EWKB
 * (high flag bits) Z/M variants of the six simple types in either byte order, keeping x, y and z; writes
 * little-endian ISO WKB (Z types when a position has a third value).
 */

const TYPES = ['', 'Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon', 'GeometryCollection'] as const;

export class WkbError extends Error {}

export function readWkb(bytes: Uint8Array): Geometry | { type: 'GeometryCollection'; geometries: unknown[] } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  const need = (count: number): void => {
    if (offset + count > bytes.length) throw new WkbError('WKB ends early');
  };
  const read = (): { type: string; coordinates?: unknown; geometries?: unknown[] } | null => {
    need(5);
    const little = view.getUint8(offset) === 1;
    const rawType = view.getUint32(offset + 1, little);
    offset += 5;
    let hasZ = (rawType & 0x80000000) !== 0;
    let hasM = (rawType & 0x40000000) !== 0;
    if (rawType & 0x20000000) {
      need(4);
      offset += 4; // EWKB srid
    }
    let code = rawType & 0x0fffffff;
    if (code >= 3000) {
      hasZ = true;
      hasM = true;
      code -= 3000;
    } else if (code >= 2000) {
      hasM = true;
      code -= 2000;
    } else if (code >= 1000) {
      hasZ = true;
      code -= 1000;
    }
    const type = TYPES[code];
    if (!type) throw new WkbError(`unknown WKB geometry type ${rawType}`);
    const dimensions = 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0);
    const uint = (): number => {
      need(4);
      const value = view.getUint32(offset, little);
      offset += 4;
      return value;
    };
    const position = (): number[] => {
      need(8 * dimensions);
      const values: number[] = [];
      for (let axis = 0; axis < dimensions; axis += 1) values.push(view.getFloat64(offset + axis * 8, little));
      offset += 8 * dimensions;
      return hasZ ? values.slice(0, 3) : values.slice(0, 2);
    };
    const positions = (): number[][] => {
      const count = uint();
      if (count * 8 * dimensions > bytes.length - offset) throw new WkbError('WKB declares more positions than it holds');
      return Array.from({ length: count }, position);
    };
    const rings = (): number[][][] => Array.from({ length: uint() }, positions);
    switch (type) {
      case 'Point': {
        const point = position();
        return point.every(Number.isNaN) ? null : { type, coordinates: point };
      }
      case 'LineString':
        return { type, coordinates: positions() };
      case 'Polygon':
        return { type, coordinates: rings() };
      default: {
        const count = uint();
        const members = Array.from({ length: count }, read);
        if (type === 'GeometryCollection') return { type, geometries: members };
        return { type, coordinates: members.map((member) => member?.coordinates) };
      }
    }
  };
  return read() as Geometry | null;
}

export function writeWkb(geometry: Geometry): Uint8Array {
  const withZ = hasThirdValue(geometry);
  const dimensions = withZ ? 3 : 2;
  const chunks: number[] = [];
  const buffer = new ArrayBuffer(8);
  const view = new DataView(buffer);
  const pushUint = (value: number): void => {
    view.setUint32(0, value, true);
    for (let index = 0; index < 4; index += 1) chunks.push(view.getUint8(index));
  };
  const pushDouble = (value: number): void => {
    view.setFloat64(0, value, true);
    for (let index = 0; index < 8; index += 1) chunks.push(view.getUint8(index));
  };
  const header = (type: string): void => {
    chunks.push(1);
    pushUint(TYPES.indexOf(type as (typeof TYPES)[number]) + (withZ ? 1000 : 0));
  };
  const position = (value: readonly number[]): void => {
    for (let axis = 0; axis < dimensions; axis += 1) pushDouble(value[axis] ?? 0);
  };
  const positions = (values: readonly (readonly number[])[]): void => {
    pushUint(values.length);
    values.forEach(position);
  };
  const rings = (values: readonly (readonly (readonly number[])[])[]): void => {
    pushUint(values.length);
    values.forEach(positions);
  };
  header(geometry.type);
  switch (geometry.type) {
    case 'Point':
      position(geometry.coordinates);
      break;
    case 'LineString':
      positions(geometry.coordinates);
      break;
    case 'Polygon':
      rings(geometry.coordinates);
      break;
    case 'MultiPoint':
      pushUint(geometry.coordinates.length);
      for (const point of geometry.coordinates) {
        header('Point');
        position(point);
      }
      break;
    case 'MultiLineString':
      pushUint(geometry.coordinates.length);
      for (const line of geometry.coordinates) {
        header('LineString');
        positions(line);
      }
      break;
    case 'MultiPolygon':
      pushUint(geometry.coordinates.length);
      for (const polygon of geometry.coordinates) {
        header('Polygon');
        rings(polygon);
      }
      break;
  }
  return Uint8Array.from(chunks);
}

function hasThirdValue(geometry: Geometry): boolean {
  const first = (value: unknown): number[] => (Array.isArray(value) && typeof value[0] === 'number' ? (value as number[]) : first((value as unknown[])[0]));
  try {
    return first(geometry.coordinates).length > 2;
  } catch {
    return false;
  }
}
