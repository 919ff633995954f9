/**
 * Offline basemap packages (PMTiles and MBTiles): what the app remembers about one, and the pure
 * parsing both shells share — MBTiles metadata rows and PMTiles headers to one `BasemapPackageInfo`,
 * the TMS row flip of MBTiles, gzip and image sniffing. No I/O here: Electron main reads files with
 * node:sqlite / node:fs, the web shell through the File API in a worker; both call these functions.
 */
import { z } from 'zod';
import { OneMapError } from '../errors';

export const basemapPackageKinds = ['pmtiles', 'mbtiles'] as const;
export type BasemapPackageKind = (typeof basemapPackageKinds)[number];

/** `mvt` = Mapbox Vector Tiles; the others are raster image formats. */
export const basemapTileTypes = ['mvt', 'png', 'jpg', 'webp', 'avif'] as const;
export type BasemapTileType = (typeof basemapTileTypes)[number];

export const vectorGeometryKinds = ['Polygon', 'LineString', 'Point'] as const;
export type VectorGeometryKind = (typeof vectorGeometryKinds)[number];

/** Package ids: made by the shell that registered the package, checked wherever one arrives. */
export const basemapPackageIdPattern = /^bp-[0-9a-z]{8,32}$/u;
export const basemapPackageIdSchema = z.string().regex(basemapPackageIdPattern);

const longitude = z.number().min(-180).max(180);
const latitude = z.number().min(-90).max(90);
const zoom = z.number().int().min(0).max(30);

export const vectorLayerInfoSchema = z.strictObject({
  id: z.string().min(1).max(200),
  /** From the metadata's tilestats when present; null = unknown, the style draws every geometry type. */
  geometry: z.enum(vectorGeometryKinds).nullable(),
  fields: z.array(z.string().max(200)).max(500),
});
export type VectorLayerInfo = z.infer<typeof vectorLayerInfoSchema>;

export const basemapPackageInfoSchema = z.strictObject({
  id: basemapPackageIdSchema,
  /** The file's name as picked (no directory: the renderer never sees a path). */
  fileName: z.string().min(1).max(500),
  /** Bytes, to recognise the same file when it is picked again. */
  size: z.number().int().min(0),
  kind: z.enum(basemapPackageKinds),
  tileType: z.enum(basemapTileTypes),
  /** The package's own name from its metadata, else null. */
  title: z.string().max(500).nullable(),
  attribution: z.string().max(2000).nullable(),
  minZoom: zoom,
  maxZoom: zoom,
  /** [west, south, east, north] in degrees. */
  bounds: z.tuple([longitude, latitude, longitude, latitude]),
  /** [lon, lat, zoom] or null. */
  center: z.tuple([longitude, latitude, z.number().min(0).max(30)]).nullable(),
  vectorLayers: z.array(vectorLayerInfoSchema).max(500),
});
export type BasemapPackageInfo = z.infer<typeof basemapPackageInfoSchema>;

/**
 * Why a package cannot be used. The UI says it from its locale files (`errors.<code>`), naming the
 * file; the English `reason` is the technical detail behind 详情.
 */
export const basemapPackageErrorCodes = [
  /** Neither .pmtiles nor .mbtiles. */
  'basemap-not-a-package',
  /** The file could not be read at all. */
  'basemap-unreadable',
  /** Not a PMTiles archive (too short, no valid header or directory). */
  'basemap-not-pmtiles',
  /** Not an SQLite database (what every MBTiles file is). */
  'basemap-not-sqlite',
  /** An SQLite database without a readable metadata or tiles table. */
  'basemap-not-mbtiles',
  /** No tiles. */
  'basemap-empty',
  /** Metadata or header values that make no sense (bounds, zoom range, the metadata JSON). */
  'basemap-bad-metadata',
  /** A version or tile format OneMap cannot draw. */
  'basemap-unsupported',
] as const;
export type BasemapPackageErrorCode = (typeof basemapPackageErrorCodes)[number];

/** A package that cannot be used: its code, the file, and the raw cause (`reason`). */
export class BasemapPackageError extends OneMapError {
  override name = 'BasemapPackageError';
  declare readonly code: BasemapPackageErrorCode;
  constructor(
    readonly fileName: string,
    code: BasemapPackageErrorCode,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(code, { file: fileName, technical: reason }, options);
    this.message = `${fileName}: ${reason}`;
  }
}

/** The kind by file extension, or null for anything else. */
export function basemapPackageKindOf(fileName: string): BasemapPackageKind | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.pmtiles')) return 'pmtiles';
  if (lower.endsWith('.mbtiles')) return 'mbtiles';
  return null;
}

/** MBTiles stores rows from the south (TMS); MapLibre asks for XYZ rows from the north. */
export function tmsRow(z: number, y: number): number {
  return 2 ** z - 1 - y;
}

export function isValidTileAddress(z: number, x: number, y: number): boolean {
  return Number.isInteger(z) && Number.isInteger(x) && Number.isInteger(y) && z >= 0 && z <= 30 && x >= 0 && y >= 0 && x < 2 ** z && y < 2 ** z;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The image format of a raster tile from its first bytes, or null when it is not one. */
export function sniffImageType(bytes: Uint8Array): Exclude<BasemapTileType, 'mvt'> | null {
  const at = (index: number) => bytes[index] ?? -1;
  if (at(0) === 0x89 && at(1) === 0x50 && at(2) === 0x4e && at(3) === 0x47) return 'png';
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'jpg';
  if (at(0) === 0x52 && at(1) === 0x49 && at(2) === 0x46 && at(3) === 0x46 && at(8) === 0x57 && at(9) === 0x45 && at(10) === 0x42 && at(11) === 0x50) return 'webp';
  if (at(4) === 0x66 && at(5) === 0x74 && at(6) === 0x79 && at(7) === 0x70 && at(8) === 0x61 && at(9) === 0x76 && at(10) === 0x69 && at(11) === 0x66) return 'avif';
  return null;
}

export const tileContentTypes: Readonly<Record<BasemapTileType, string>> = {
  mvt: 'application/vnd.mapbox-vector-tile',
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
};

const worldBounds: [number, number, number, number] = [-180, -85.051129, 180, 85.051129];

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Bounds from a "w,s,e,n" string or numbers; null when absent; an error when malformed. */
function parseBounds(fileName: string, value: unknown): [number, number, number, number] | null {
  if (value === undefined || value === null || value === '') return null;
  const numbers = (Array.isArray(value) ? value : String(value).split(',')).map((part) => Number(part));
  if (numbers.length !== 4 || numbers.some((number) => !Number.isFinite(number))) {
    throw new BasemapPackageError(fileName, 'basemap-bad-metadata', `malformed bounds ${JSON.stringify(value)}`);
  }
  const [west, south, east, north] = numbers as [number, number, number, number];
  if (west >= east || south >= north) throw new BasemapPackageError(fileName, 'basemap-bad-metadata', `empty bounds ${JSON.stringify(value)}`);
  return [clamp(west, -180, 180), clamp(south, -85.051129, 85.051129), clamp(east, -180, 180), clamp(north, -85.051129, 85.051129)];
}

function parseCenter(value: unknown, minZoom: number, maxZoom: number): [number, number, number] | null {
  if (value === undefined || value === null || value === '') return null;
  const numbers = (Array.isArray(value) ? value : String(value).split(',')).map((part) => Number(part));
  if (numbers.length < 2 || numbers.slice(0, 2).some((number) => !Number.isFinite(number))) return null;
  const [lon, lat, z] = numbers as [number, number, number | undefined];
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) return null;
  return [lon, lat, clamp(Number.isFinite(z) ? (z as number) : minZoom, minZoom, maxZoom)];
}

function text(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed.slice(0, max);
}

/**
 * `vector_layers` (TileJSON) plus, where present, each layer's geometry from `tilestats` (written
 * by GDAL and tippecanoe). Anything malformed is skipped, not trusted.
 */
export function vectorLayersFromMetadata(metadata: unknown): VectorLayerInfo[] {
  if (typeof metadata !== 'object' || metadata === null) return [];
  const record = metadata as Record<string, unknown>;
  const geometries = new Map<string, VectorGeometryKind>();
  const stats = record.tilestats;
  if (typeof stats === 'object' && stats !== null && Array.isArray((stats as Record<string, unknown>).layers)) {
    for (const layer of (stats as { layers: unknown[] }).layers) {
      if (typeof layer !== 'object' || layer === null) continue;
      const { layer: name, geometry } = layer as Record<string, unknown>;
      if (typeof name !== 'string') continue;
      const normalized = typeof geometry === 'string' ? geometry.replace(/^Multi/u, '') : '';
      if ((vectorGeometryKinds as readonly string[]).includes(normalized)) geometries.set(name, normalized as VectorGeometryKind);
    }
  }
  const layers: VectorLayerInfo[] = [];
  const seen = new Set<string>();
  const declared = Array.isArray(record.vector_layers) ? record.vector_layers : [];
  for (const layer of declared.slice(0, 500)) {
    if (typeof layer !== 'object' || layer === null) continue;
    const { id, fields } = layer as Record<string, unknown>;
    if (typeof id !== 'string' || id === '' || id.length > 200 || seen.has(id)) continue;
    seen.add(id);
    const fieldNames = typeof fields === 'object' && fields !== null ? Object.keys(fields).filter((name) => name.length <= 200).slice(0, 500) : [];
    layers.push({ id, geometry: geometries.get(id) ?? null, fields: fieldNames });
  }
  return layers;
}

function tileTypeOfFormat(format: string | null): BasemapTileType | null {
  switch (format?.toLowerCase()) {
    case 'pbf':
    case 'mvt':
      return 'mvt';
    case 'png':
      return 'png';
    case 'jpg':
    case 'jpeg':
      return 'jpg';
    case 'webp':
      return 'webp';
    case 'avif':
      return 'avif';
    default:
      return null;
  }
}

export interface MbtilesFacts {
  readonly id: string;
  readonly fileName: string;
  readonly size: number;
  /** The `metadata` table as name → value. */
  readonly metadata: Readonly<Record<string, string>>;
  /** min/max zoom_level actually in `tiles`, or null when the table is empty. */
  readonly zoomRange: { readonly min: number; readonly max: number } | null;
  /** The first bytes of one stored tile, to tell the format when `metadata.format` is missing. */
  readonly sampleTile: Uint8Array | null;
}

/** One MBTiles file's facts (read by the shell) to the package info; throws BasemapPackageError. */
export function mbtilesPackageInfo(facts: MbtilesFacts): BasemapPackageInfo {
  const { fileName, metadata } = facts;
  if (facts.zoomRange === null) throw new BasemapPackageError(fileName, 'basemap-empty', 'the tiles table is empty');
  let tileType = tileTypeOfFormat(text(metadata.format, 20));
  if (tileType === null && facts.sampleTile) {
    const sample = facts.sampleTile;
    tileType = sniffImageType(sample) ?? (isGzip(sample) ? 'mvt' : null);
  }
  if (tileType === null) throw new BasemapPackageError(fileName, 'basemap-unsupported', `unsupported tile format ${JSON.stringify(metadata.format ?? null)}`);

  const metaMin = Number(metadata.minzoom);
  const metaMax = Number(metadata.maxzoom);
  const minZoom = clamp(Number.isInteger(metaMin) ? Math.max(metaMin, facts.zoomRange.min) : facts.zoomRange.min, 0, 30);
  const maxZoom = clamp(Number.isInteger(metaMax) ? Math.min(metaMax, facts.zoomRange.max) : facts.zoomRange.max, 0, 30);
  if (minZoom > maxZoom) throw new BasemapPackageError(fileName, 'basemap-bad-metadata', `minzoom ${minZoom} is above maxzoom ${maxZoom}`);

  let json: unknown = null;
  if (metadata.json) {
    try {
      json = JSON.parse(metadata.json);
    } catch {
      throw new BasemapPackageError(fileName, 'basemap-bad-metadata', 'the metadata "json" value is not JSON');
    }
  }
  const vectorLayers = tileType === 'mvt' ? vectorLayersFromMetadata(json) : [];
  return basemapPackageInfoSchema.parse({
    id: facts.id,
    fileName,
    size: facts.size,
    kind: 'mbtiles',
    tileType,
    title: text(metadata.name, 500),
    attribution: text(metadata.attribution, 2000),
    minZoom,
    maxZoom,
    bounds: parseBounds(fileName, metadata.bounds) ?? worldBounds,
    center: parseCenter(metadata.center, minZoom, maxZoom),
    vectorLayers,
  });
}

/** The fields of a PMTiles v3 header this app uses (as the `pmtiles` library returns them). */
export interface PmtilesHeaderFacts {
  readonly specVersion: number;
  readonly tileType: number;
  readonly minZoom: number;
  readonly maxZoom: number;
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
  readonly centerZoom: number;
  readonly centerLon: number;
  readonly centerLat: number;
}

/** PMTiles tile-type codes (spec v3): 1 mvt, 2 png, 3 jpeg, 4 webp, 5 avif. */
const pmtilesTileTypes: Readonly<Record<number, BasemapTileType>> = { 1: 'mvt', 2: 'png', 3: 'jpg', 4: 'webp', 5: 'avif' };

export function pmtilesPackageInfo(facts: {
  readonly id: string;
  readonly fileName: string;
  readonly size: number;
  readonly header: PmtilesHeaderFacts;
  readonly metadata: unknown;
}): BasemapPackageInfo {
  const { fileName, header } = facts;
  if (header.specVersion !== 3) throw new BasemapPackageError(fileName, 'basemap-unsupported', `PMTiles version ${header.specVersion} is not supported (only v3)`);
  const tileType = pmtilesTileTypes[header.tileType];
  if (!tileType) throw new BasemapPackageError(fileName, 'basemap-unsupported', `unsupported PMTiles tile type ${header.tileType}`);
  if (header.minZoom > header.maxZoom) throw new BasemapPackageError(fileName, 'basemap-bad-metadata', `minzoom ${header.minZoom} is above maxzoom ${header.maxZoom}`);
  const metadata = typeof facts.metadata === 'object' && facts.metadata !== null ? (facts.metadata as Record<string, unknown>) : {};
  const bounds = parseBounds(fileName, [header.minLon, header.minLat, header.maxLon, header.maxLat]) ?? worldBounds;
  const minZoom = clamp(header.minZoom, 0, 30);
  const maxZoom = clamp(header.maxZoom, 0, 30);
  return basemapPackageInfoSchema.parse({
    id: facts.id,
    fileName,
    size: facts.size,
    kind: 'pmtiles',
    tileType,
    title: text(metadata.name, 500),
    attribution: text(metadata.attribution, 2000),
    minZoom,
    maxZoom,
    bounds,
    center: parseCenter([header.centerLon, header.centerLat, header.centerZoom], minZoom, maxZoom),
    vectorLayers: tileType === 'mvt' ? vectorLayersFromMetadata(metadata) : [],
  });
}

/** A package id from random bytes (the caller passes crypto.getRandomValues(new Uint8Array(12))). */
export function basemapPackageIdFrom(randomBytes: Uint8Array): string {
  if (randomBytes.length < 8) throw new Error('a package id needs at least 8 random bytes');
  return `bp-${[...randomBytes].map((byte) => byte.toString(36).padStart(2, '0')).join('').slice(0, 24)}`;
}
