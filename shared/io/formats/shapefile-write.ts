import { zipSync } from 'fflate';
import { ImportError } from '../errors';
import { ringSignedArea } from '../geometry-checks';
import { encodeUtf8 } from '../platform';
import { encodeGbk } from '../text';
import { ID_COLUMN, type ExportEncoding, type ExportWarning, type GeoJsonFeature, type Geometry, type PropertyValue } from '../types';

/**
 * Shapefile (ESRI 1998 technical description) + dBASE III table, zipped. Written here because the
 * JavaScript writers on npm neither write GBK nor a .prj other than WGS84's. 2D only (a Z value is
 * dropped); outer rings clockwise, holes counter-clockwise, as the format requires.
 */

type ShapeType = 1 | 3 | 5 | 8;

function shapeTypeOf(features: readonly GeoJsonFeature[]): ShapeType {
  const kinds = new Set(features.map((feature) => feature.geometry.type));
  const only = (...allowed: Geometry['type'][]): boolean => [...kinds].every((kind) => allowed.includes(kind));
  if (kinds.size === 0 || only('Point')) return 1;
  if (only('Point', 'MultiPoint')) return 8;
  if (only('LineString', 'MultiLineString')) return 3;
  if (only('Polygon', 'MultiPolygon')) return 5;
  throw new ImportError(
    'export-unsupported-geometry',
    {
      zh: `Shapefile 只能保存一种几何类型，而这些要素混有 ${[...kinds].join('、')}：请按类型分别导出。`,
      en: `A Shapefile holds one geometry kind, and these features mix ${[...kinds].join(', ')}: export each kind on its own.`,
    },
    {},
    { kinds: [...kinds] },
  );
}

interface ShapeRecord {
  content: Uint8Array;
  bounds: [number, number, number, number] | null;
}

function shapeRecord(geometry: Geometry, shapeType: ShapeType): ShapeRecord {
  let parts: number[][][];
  if (shapeType === 1) {
    const [x, y] = geometry.coordinates as number[];
    const content = new DataView(new ArrayBuffer(20));
    content.setInt32(0, 1, true);
    content.setFloat64(4, x as number, true);
    content.setFloat64(12, y as number, true);
    return { content: new Uint8Array(content.buffer), bounds: [x as number, y as number, x as number, y as number] };
  }
  if (shapeType === 8) {
    const points = geometry.type === 'Point' ? [geometry.coordinates as number[]] : (geometry.coordinates as number[][]);
    parts = [points];
  } else if (shapeType === 3) {
    parts = geometry.type === 'LineString' ? [geometry.coordinates as number[][]] : (geometry.coordinates as number[][][]);
  } else {
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates as number[][][]] : (geometry.coordinates as number[][][][]);
    parts = polygons.flatMap((polygon) =>
      polygon.map((ring, index) => {
        const clockwise = ringSignedArea(ring) < 0;
        // outer ring clockwise, holes counter-clockwise
        return (index === 0) === clockwise ? ring : [...ring].reverse();
      }),
    );
  }
  const points = parts.flat();
  const bounds: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points as [number, number][]) {
    bounds[0] = Math.min(bounds[0], x);
    bounds[1] = Math.min(bounds[1], y);
    bounds[2] = Math.max(bounds[2], x);
    bounds[3] = Math.max(bounds[3], y);
  }
  const multipoint = shapeType === 8;
  const size = multipoint ? 40 + 16 * points.length : 44 + 4 * parts.length + 16 * points.length;
  const view = new DataView(new ArrayBuffer(size));
  view.setInt32(0, shapeType, true);
  bounds.forEach((value, index) => view.setFloat64(4 + index * 8, value, true));
  let offset: number;
  if (multipoint) {
    view.setInt32(36, points.length, true);
    offset = 40;
  } else {
    view.setInt32(36, parts.length, true);
    view.setInt32(40, points.length, true);
    let start = 0;
    parts.forEach((part, index) => {
      view.setInt32(44 + index * 4, start, true);
      start += part.length;
    });
    offset = 44 + 4 * parts.length;
  }
  for (const [x, y] of points as [number, number][]) {
    view.setFloat64(offset, x, true);
    view.setFloat64(offset + 8, y, true);
    offset += 16;
  }
  return { content: new Uint8Array(view.buffer), bounds };
}

function writeShpAndShx(records: ShapeRecord[], shapeType: ShapeType): { shp: Uint8Array; shx: Uint8Array } {
  const shpLength = 100 + records.reduce((sum, record) => sum + 8 + record.content.length, 0);
  const shxLength = 100 + 8 * records.length;
  const shp = new Uint8Array(shpLength);
  const shx = new Uint8Array(shxLength);
  const shpView = new DataView(shp.buffer);
  const shxView = new DataView(shx.buffer);
  const bounds = records.reduce<[number, number, number, number]>(
    (all, record) => (record.bounds ? [Math.min(all[0], record.bounds[0]), Math.min(all[1], record.bounds[1]), Math.max(all[2], record.bounds[2]), Math.max(all[3], record.bounds[3])] : all),
    [Infinity, Infinity, -Infinity, -Infinity],
  );
  for (const [view, length] of [
    [shpView, shpLength],
    [shxView, shxLength],
  ] as const) {
    view.setInt32(0, 9994, false);
    view.setInt32(24, length / 2, false);
    view.setInt32(28, 1000, true);
    view.setInt32(32, shapeType, true);
    bounds.forEach((value, index) => view.setFloat64(36 + index * 8, Number.isFinite(value) ? value : 0, true));
  }
  let offset = 100;
  records.forEach((record, index) => {
    shxView.setInt32(100 + index * 8, offset / 2, false);
    shxView.setInt32(104 + index * 8, record.content.length / 2, false);
    shpView.setInt32(offset, index + 1, false);
    shpView.setInt32(offset + 4, record.content.length / 2, false);
    shp.set(record.content, offset + 8);
    offset += 8 + record.content.length;
  });
  return { shp, shx };
}

interface DbfColumn {
  key: string;
  nameBytes: Uint8Array;
  type: 'C' | 'N' | 'L';
  length: number;
  decimals: number;
}

const MAX_CHARACTER_BYTES = 254;

/** The longest prefix of `text`'s characters whose encoding fits in `maxBytes`. */
function fitBytes(text: string, maxBytes: number, encode: (text: string) => Uint8Array): Uint8Array {
  let bytes = encode(text);
  if (bytes.length <= maxBytes) return bytes;
  const characters = [...text];
  while (characters.length > 0 && bytes.length > maxBytes) {
    characters.pop();
    bytes = encode(characters.join(''));
  }
  return bytes;
}

function fractionDigits(value: number): number {
  const text = String(value);
  if (/e/i.test(text)) return 15;
  return text.includes('.') ? Math.min(15, (text.split('.')[1] as string).length) : 0;
}

function writeDbf(
  features: readonly GeoJsonFeature[],
  encoding: ExportEncoding,
  warnings: ExportWarning[],
): Uint8Array {
  let unencodable = 0;
  const encode = (text: string): Uint8Array => {
    if (encoding === 'utf-8') return encodeUtf8(text);
    const result = encodeGbk(text);
    unencodable += result.unencodable;
    return result.bytes;
  };
  const keys: string[] = [];
  for (const feature of features) for (const key of Object.keys(feature.properties ?? {})) if (!keys.includes(key)) keys.push(key);
  const withIds = features.some((feature) => feature.id !== undefined);
  const valuesOf = (key: string): PropertyValue[] => features.map((feature) => (key === ID_COLUMN && withIds ? (feature.id ?? null) : (feature.properties?.[key] ?? null)));
  const allKeys = withIds ? [ID_COLUMN, ...keys.filter((key) => key !== ID_COLUMN)] : keys;
  const usedNames = new Set<string>();
  const columns: DbfColumn[] = allKeys.map((key) => {
    let nameBytes = fitBytes(key, 10, encode);
    let name = key;
    for (let suffix = 1; usedNames.has(byteKey(nameBytes)) || nameBytes.length === 0; suffix += 1) {
      const tail = `_${suffix}`;
      nameBytes = Uint8Array.from([...fitBytes(key, 10 - tail.length, encode), ...encodeUtf8(tail)]);
      name = `${key}${tail}`;
    }
    usedNames.add(byteKey(nameBytes));
    if (nameBytes.length !== encode(key).length || name !== key) {
      warnings.push({ code: 'field-renamed', zh: `字段名“${key}”超过 Shapefile 的 10 字节上限，已缩短。`, en: `The field name "${key}" exceeds the Shapefile's 10-byte limit and was shortened.`, details: { field: key } });
    }
    const present = valuesOf(key).filter((value) => value !== null);
    if (present.length > 0 && present.every((value) => typeof value === 'boolean')) return { key, nameBytes, type: 'L', length: 1, decimals: 0 };
    if (present.length > 0 && present.every((value) => typeof value === 'number' && Number.isFinite(value))) {
      const numbers = present as number[];
      const decimals = Math.max(0, ...numbers.map(fractionDigits));
      const length = Math.max(1, ...numbers.map((value) => value.toFixed(decimals).length));
      if (length <= MAX_CHARACTER_BYTES) return { key, nameBytes, type: 'N', length, decimals };
    }
    const length = Math.min(MAX_CHARACTER_BYTES, Math.max(1, ...present.map((value) => encode(String(value)).length)));
    return { key, nameBytes, type: 'C', length, decimals: 0 };
  });

  const headerLength = 32 + 32 * columns.length + 1;
  const recordLength = 1 + columns.reduce((sum, column) => sum + column.length, 0);
  const bytes = new Uint8Array(headerLength + recordLength * features.length + 1);
  const view = new DataView(bytes.buffer);
  const today = new Date();
  bytes[0] = 0x03;
  bytes[1] = today.getUTCFullYear() - 1900;
  bytes[2] = today.getUTCMonth() + 1;
  bytes[3] = today.getUTCDate();
  view.setUint32(4, features.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  bytes[29] = encoding === 'gbk' ? 0x4d : 0x00;
  columns.forEach((column, index) => {
    const offset = 32 + index * 32;
    bytes.set(column.nameBytes, offset);
    bytes[offset + 11] = column.type.charCodeAt(0);
    bytes[offset + 16] = column.length;
    bytes[offset + 17] = column.decimals;
  });
  bytes[headerLength - 1] = 0x0d;
  let truncated = 0;
  features.forEach((feature, featureIndex) => {
    let offset = headerLength + featureIndex * recordLength;
    bytes[offset] = 0x20;
    offset += 1;
    for (const column of columns) {
      const value = column.key === ID_COLUMN && withIds ? (feature.id ?? null) : (feature.properties?.[column.key] ?? null);
      bytes.fill(0x20, offset, offset + column.length);
      if (value !== null) {
        if (column.type === 'L') bytes[offset] = value ? 0x54 : 0x46;
        else if (column.type === 'N') bytes.set(encodeUtf8((value as number).toFixed(column.decimals).padStart(column.length, ' ')), offset);
        else {
          const full = encode(String(value));
          const fitted = full.length > column.length ? fitBytes(String(value), column.length, encode) : full;
          if (fitted.length < full.length) truncated += 1;
          bytes.set(fitted, offset);
        }
      }
      offset += column.length;
    }
  });
  bytes[bytes.length - 1] = 0x1a;
  if (truncated > 0) {
    warnings.push({ code: 'text-truncated', zh: `${truncated} 个文本值超过 254 字节，已截断。`, en: `${truncated} text values exceed 254 bytes and were cut.`, details: { count: truncated } });
  }
  if (unencodable > 0) {
    warnings.push({
      code: 'character-not-encodable',
      zh: `${unencodable} 个字符无法用 GBK 表示，已写为“?”：请改用 UTF-8 导出。`,
      en: `${unencodable} characters have no GBK code and were written as "?": export as UTF-8 instead.`,
      details: { count: unencodable },
    });
  }
  return bytes;
}

/** Byte strings as set keys. */
const byteKey = (bytes: Uint8Array): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

/** The zip of `<name>.shp/.shx/.dbf/.prj/.cpg`. `features` are already in the CRS `prj` describes. */
export function writeShapefileZip(features: readonly GeoJsonFeature[], options: { name: string; prj: string; encoding: ExportEncoding }): { bytes: Uint8Array; warnings: ExportWarning[] } {
  const warnings: ExportWarning[] = [];
  const shapeType = shapeTypeOf(features);
  const records = features.map((feature) => shapeRecord(feature.geometry, shapeType));
  const { shp, shx } = writeShpAndShx(records, shapeType);
  const dbf = writeDbf(features, options.encoding, warnings);
  const name = options.name;
  const bytes = zipSync({
    [`${name}.shp`]: shp,
    [`${name}.shx`]: shx,
    [`${name}.dbf`]: dbf,
    [`${name}.prj`]: encodeUtf8(options.prj),
    [`${name}.cpg`]: encodeUtf8(options.encoding === 'gbk' ? 'GBK' : 'UTF-8'),
  });
  return { bytes, warnings };
}
