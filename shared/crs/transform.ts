import proj4 from 'proj4';
import gcoord from 'gcoord';
import { CrsError } from './crs-error';
import { BD09, GCJ02, crsInfo, proj4Definition, type CrsInfo } from './registry';

/**
 * Coordinate transforms between the systems in `supportedCrs`.
 *
 * - Gauss-Krüger ⇄ geographic: proj4js's `tmerc` (the Poder/Engsager series PROJ also uses), on GRS80;
 *   agrees with PROJ 9.1's cs2cs to well under 1 mm (tests/unit/crs/transform-cs2cs.test.ts).
 * - WGS84 ⇄ CGCS2000: identity (see registry.ts).
 * - GCJ-02 / BD-09: gcoord. WGS84→GCJ-02 is the published closed formula; GCJ-02→WGS84 is gcoord's
 *   fixed-point iteration (≈0.1 m). Outside gcoord's China box (lon 72.004–137.8347, lat 0.8293–55.8271)
 *   GCJ-02 equals WGS84; BD-09's extra offset is applied everywhere, as gcoord does.
 *
 * Axis order: always [easting or longitude, northing or latitude]. A third value (elevation) is kept.
 */

export type XY = readonly [number, number];
export type XYZ = readonly [number, number, number];

// Geographic on the same ellipsoid as the Gauss-Krüger definitions, so proj4 applies no datum shift.
const GEOGRAPHIC_GRS80 = '+proj=longlat +ellps=GRS80 +no_defs';
const converters = new Map<string, proj4.Converter>();

function converterFor(info: CrsInfo): proj4.Converter {
  let converter = converters.get(info.code);
  if (!converter) {
    converter = proj4(GEOGRAPHIC_GRS80, proj4Definition(info));
    converters.set(info.code, converter);
  }
  return converter;
}

/** The largest distance from the central meridian, in metres, a Gauss-Krüger easting may have: the
 * zone prefix must stay intact (a prefixed easting's six lower digits are 0–999 999). */
const MAX_LOCAL_EASTING_METERS = 500_000;
/** A little more than the meridian arc from the equator to a pole. */
const MAX_NORTHING_METERS = 10_002_000;

function nonFinite(value: unknown, axis: number): CrsError {
  return new CrsError(
    'non-finite-coordinate',
    {
      zh: `坐标值不是有限数字（第 ${axis + 1} 个值为 ${String(value)}）。`,
      en: `A coordinate is not a finite number (value ${axis + 1} is ${String(value)}).`,
    },
    { value: String(value), axis },
  );
}

function outOfRange(zh: string, en: string, details: Record<string, unknown>): CrsError {
  return new CrsError('out-of-range', { zh, en }, details);
}

function checkFinite(position: readonly unknown[]): void {
  if (!Array.isArray(position) || position.length < 2) {
    throw new CrsError(
      'non-finite-coordinate',
      { zh: '坐标必须是至少两个数字的数组 [x, y]。', en: 'A position must be an array of at least two numbers [x, y].' },
      { value: String(position) },
    );
  }
  position.forEach((value, axis) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw nonFinite(value, axis);
  });
}

function checkLonLat(lon: number, lat: number, code: string): void {
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    throw outOfRange(
      `经纬度超出范围：经度 ${lon}、纬度 ${lat}（${code}，经度应在 −180…180，纬度在 −90…90；是否把投影坐标当成了经纬度，或经纬度顺序颠倒？）`,
      `Longitude/latitude out of range: ${lon}, ${lat} (${code} needs longitude −180…180 and latitude −90…90; projected metres given as degrees, or the axes swapped?)`,
      { crs: code, position: [lon, lat] },
    );
  }
}

function checkGaussKruger(easting: number, northing: number, info: CrsInfo, direction: 'input' | 'output'): void {
  const local = easting - info.falseEasting;
  if (Math.abs(local) >= MAX_LOCAL_EASTING_METERS || Math.abs(northing) > MAX_NORTHING_METERS) {
    const missingPrefix = info.zonePrefix && direction === 'input' && easting >= 0 && easting < 1_000_000;
    const zh = missingPrefix
      ? `东坐标 ${easting} 缺少带号前缀：${info.code} 的东坐标应以 ${info.zone} 开头（如 ${info.zone}500000）。请改选不带带号的坐标系（中央经线 ${info.centralMeridian}°E）。`
      : direction === 'input'
        ? `坐标 (${easting}, ${northing}) 不在 ${info.code}（${info.name.zh}）的范围内：东坐标应在 ${info.falseEasting - MAX_LOCAL_EASTING_METERS}…${info.falseEasting + MAX_LOCAL_EASTING_METERS} 之间。`
        : `该点离 ${info.code} 的中央经线 ${info.centralMeridian}°E 太远（${Math.round(Math.abs(local) / 1000)} km），不能用这个投影带表示。`;
    const en = missingPrefix
      ? `Easting ${easting} lacks the zone prefix: ${info.code} eastings start with ${info.zone} (e.g. ${info.zone}500000). Choose the code without the prefix (CM ${info.centralMeridian}E) instead.`
      : direction === 'input'
        ? `(${easting}, ${northing}) is outside ${info.code} (${info.name.en}): eastings run ${info.falseEasting - MAX_LOCAL_EASTING_METERS}…${info.falseEasting + MAX_LOCAL_EASTING_METERS}.`
        : `The point is too far (${Math.round(Math.abs(local) / 1000)} km) from ${info.code}'s central meridian ${info.centralMeridian}E for that zone.`;
    throw outOfRange(zh, en, { crs: info.code, position: [easting, northing], reason: missingPrefix ? 'missing-zone-prefix' : 'outside-zone' });
  }
}

/** Any supported system → CGCS2000/WGS84 longitude, latitude. */
function toLonLat(x: number, y: number, info: CrsInfo): [number, number] {
  switch (info.kind) {
    case 'geographic':
      checkLonLat(x, y, info.code);
      return [x, y];
    case 'offset': {
      checkLonLat(x, y, info.code);
      const [lon, lat] = gcoord.transform([x, y], info.code === GCJ02 ? gcoord.GCJ02 : gcoord.BD09, gcoord.WGS84);
      return [lon, lat];
    }
    case 'projected': {
      checkGaussKruger(x, y, info, 'input');
      const [lon, lat] = converterFor(info).inverse([x, y]);
      if (lon === undefined || lat === undefined || !Number.isFinite(lon) || !Number.isFinite(lat)) throw nonFinite(lon, 0);
      return [lon, lat];
    }
  }
}

/** CGCS2000/WGS84 longitude, latitude → any supported system. */
function fromLonLat(lon: number, lat: number, info: CrsInfo): [number, number] {
  switch (info.kind) {
    case 'geographic':
      return [lon, lat];
    case 'offset': {
      const [x, y] = gcoord.transform([lon, lat], gcoord.WGS84, info.code === GCJ02 ? gcoord.GCJ02 : gcoord.BD09);
      return [x, y];
    }
    case 'projected': {
      const [easting, northing] = converterFor(info).forward([lon, lat]);
      if (easting === undefined || northing === undefined || !Number.isFinite(easting) || !Number.isFinite(northing)) throw nonFinite(easting, 0);
      checkGaussKruger(easting, northing, info, 'output');
      return [easting, northing];
    }
  }
}

function transformXY(x: number, y: number, from: CrsInfo, to: CrsInfo): [number, number] {
  if (from.code === to.code) {
    // Still validate: a lon/lat of 500 000 is an error whichever way it goes.
    if (from.kind === 'projected') checkGaussKruger(x, y, from, 'input');
    else checkLonLat(x, y, from.code);
    return [x, y];
  }
  // GCJ-02 ⇄ BD-09 directly: going through WGS84 would add the GCJ-02 inverse's iteration error.
  if (from.kind === 'offset' && to.kind === 'offset') {
    checkLonLat(x, y, from.code);
    const [u, v] = gcoord.transform([x, y], from.code === GCJ02 ? gcoord.GCJ02 : gcoord.BD09, to.code === BD09 ? gcoord.BD09 : gcoord.GCJ02);
    return [u, v];
  }
  const [lon, lat] = toLonLat(x, y, from);
  return fromLonLat(lon, lat, to);
}

/**
 * Transform one position. `from` and `to` are any code `crsInfo` accepts (`EPSG:4527`, `GCJ-02`…).
 * Axis order is [easting or longitude, northing or latitude] on both sides; an elevation is kept.
 * Throws `CrsError` ('unsupported-crs', 'non-finite-coordinate', 'out-of-range').
 */
export function transform(position: XY, from: string, to: string): [number, number];
export function transform(position: XYZ, from: string, to: string): [number, number, number];
export function transform(position: readonly number[], from: string, to: string): number[];
export function transform(position: readonly number[], from: string, to: string): number[] {
  const fromInfo = crsInfo(from);
  const toInfo = crsInfo(to);
  checkFinite(position);
  const [x, y, ...rest] = position as [number, number, ...number[]];
  return [...transformXY(x, y, fromInfo, toInfo), ...rest];
}

/** GeoJSON geometries as OneMap stores them (positions in any supported system). */
export type CrsGeometry =
  | { type: 'Point'; coordinates: readonly number[] }
  | { type: 'MultiPoint' | 'LineString'; coordinates: readonly (readonly number[])[] }
  | { type: 'MultiLineString' | 'Polygon'; coordinates: readonly (readonly (readonly number[])[])[] }
  | { type: 'MultiPolygon'; coordinates: readonly (readonly (readonly (readonly number[])[])[])[] }
  | { type: 'GeometryCollection'; geometries: readonly CrsGeometry[] };

type NestedPositions = readonly number[] | readonly NestedPositions[];

function isGeometry(value: unknown): value is CrsGeometry {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * Transform many positions, or every position of a GeoJSON geometry (GeometryCollection included).
 * Returns new arrays/objects and never touches its input (a stale `bbox` member is dropped).
 * A `CrsError` carries the failing position's index path in `details.path`.
 */
export function transformMany(positions: readonly XY[], from: string, to: string): [number, number][];
export function transformMany(positions: readonly (readonly number[])[], from: string, to: string): number[][];
export function transformMany<G extends CrsGeometry>(geometry: G, from: string, to: string): G;
export function transformMany(input: readonly (readonly number[])[] | CrsGeometry, from: string, to: string): unknown {
  const fromInfo = crsInfo(from);
  const toInfo = crsInfo(to);

  const one = (position: readonly number[], path: readonly number[]): number[] => {
    try {
      checkFinite(position);
      const [x, y, ...rest] = position as [number, number, ...number[]];
      return [...transformXY(x, y, fromInfo, toInfo), ...rest];
    } catch (error) {
      if (error instanceof CrsError) throw new CrsError(error.code, { zh: error.zh, en: error.en }, { ...error.details, path });
      throw error;
    }
  };

  const nested = (value: NestedPositions, path: readonly number[]): unknown => {
    if (value.length > 0 && typeof value[0] !== 'object') return one(value as readonly number[], path);
    return (value as readonly NestedPositions[]).map((child, index) => nested(child, [...path, index]));
  };

  const geometry = (value: CrsGeometry, path: readonly number[]): CrsGeometry => {
    const { bbox: _staleBbox, ...members } = value as CrsGeometry & { bbox?: unknown };
    if (value.type === 'GeometryCollection') {
      return { ...members, type: 'GeometryCollection', geometries: value.geometries.map((child, index) => geometry(child, [...path, index])) };
    }
    if (value.type === 'Point') return { ...members, type: 'Point', coordinates: one(value.coordinates, path) } as CrsGeometry;
    return { ...members, coordinates: nested(value.coordinates as NestedPositions, path) } as CrsGeometry;
  };

  if (isGeometry(input)) return geometry(input, []);
  return input.map((position, index) => one(position, [index]));
}
