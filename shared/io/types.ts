import type { WorkspaceBounds } from '../crs';
import type { Geometry } from '../model/geometry';
import type { PropertyValue } from '../model/feature';
import type { GeoJsonFeature } from '../model/geojson-feature';
import type { ImportLocation, LocalizedMessage } from './errors';
import type { AbortSignalLike } from './platform';

export type ImportFormat = 'geojson' | 'csv' | 'xlsx' | 'shapefile' | 'kml' | 'geopackage';
export type ExportFormat = ImportFormat;

/**
 * Mainland China with a margin, WGS84 degrees [west, south, east, north]: where data lands when
 * the caller names no workspace (a workspace's own extent tells a zone far better).
 */
export const CHINA_BOUNDS: WorkspaceBounds = [73, 17, 136, 54];

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: GeoJsonFeature[];
}

export type { GeoJsonFeature, Geometry, PropertyValue };

export type ImportPhase = 'read' | 'parse' | 'transform' | 'validate';

export interface ImportProgress {
  phase: ImportPhase;
  /** Features (or rows) done in this phase. */
  done: number;
  /** Total in this phase, when known. */
  total?: number;
}

export interface ImportLimits {
  /** Largest uncompressed size of one zip entry (default 512 MiB). */
  maxEntryBytes?: number;
  /** Largest uncompressed size of all the zip entries read (default 1 GiB). */
  maxTotalBytes?: number;
}

export type CoordinateColumns = { x: string; y: string } | { lon: string; lat: string };

export interface ImportOptions {
  /** The coordinate system, when the user knows better than the file: `EPSG:4527`, `GCJ-02`, `BD-09`… */
  crs?: string;
  /** Text encoding label (`utf-8`, `gbk`, `gb18030`…) for CSV, GeoJSON, KML and the Shapefile's .dbf. */
  encoding?: string;
  /** Excel: the sheet by name or 1-based position (default: the first). */
  sheet?: string | number;
  /** CSV/Excel: the coordinate columns by header text (default: found by name). */
  columns?: CoordinateColumns;
  /** CSV/Excel: the 1-based row holding the header (default: found — the row naming coordinate columns). */
  headerRow?: number;
  /** Where the data should land, WGS84 [west, south, east, north]: the open workspace's extent (default all of China). Drives CRS detection. */
  workspaceBounds?: WorkspaceBounds;
  onProgress?: (progress: ImportProgress) => void;
  /** Abort → the promise rejects with ImportError('cancelled'); nothing partial is returned. */
  signal?: AbortSignalLike;
  limits?: ImportLimits;
}

export type ImportWarningCode =
  // from shared/crs detection
  | 'axis-order-swapped'
  | 'zone-inferred-from-workspace'
  | 'zone-ambiguous'
  | 'outside-workspace'
  | 'prj-unrecognised'
  | 'declared-overrides-prj'
  | 'declared-crs-mismatch'
  | 'geographic-assumed-wgs84'
  // shared/io
  /** The file's own CRS (.prj, crs member, GeoPackage srs) does not fit its values; the one the values fit was used. */
  | 'file-crs-mismatch'
  /** The text encoding was inferred from the bytes (no BOM, .cpg or language driver said it). */
  | 'encoding-detected'
  /** A polygon ring whose last position differed from its first was closed. */
  | 'ring-unclosed'
  | 'self-intersection'
  /** Features of more than one geometry kind (a OneMap layer holds one). */
  | 'mixed-geometry'
  /** A later feature reused an id; its id was dropped so the store assigns a new one. */
  | 'duplicate-id'
  /** A feature with a null geometry, or a row without coordinates, was skipped. */
  | 'feature-without-geometry'
  /** A nested object/array property value was stored as JSON text. */
  | 'property-flattened'
  /** A column (Excel) or field of an unsupported type was left out. */
  | 'property-dropped'
  /** The file holds more layers/sheets than the one read. */
  | 'other-layers-ignored'
  | 'no-features'
  /** More warnings of this code were left out. */
  | 'more-warnings';

export interface ImportWarning extends LocalizedMessage, ImportLocation {
  code: ImportWarningCode;
  details?: Record<string, unknown>;
}

/** Where a table's header and data are (CSV, Excel): what was found, shown so that the user can correct it. */
export interface TableLayout {
  /** 1-based row of the header (its first row when it has two). */
  headerRow: number;
  /** 2 when a group title row stands over sub-headers (a merged 坐标 over X and Y). */
  headerRowCount: 1 | 2;
  /** Every column of the header, coordinate columns included, as named in `columns` options. */
  columns: string[];
  /** The coordinate columns read, in the file's order (which is the northing is left to CRS detection). */
  coordinateColumns: [string, string];
  /** Rows not imported: a title or note above the header, a total or signature line after the data. */
  skippedRows: { row: number; place: 'above-header' | 'below-data'; text: string }[];
  /** A 坐标系 line above the header, and the CRS it was read as (used unless the values contradict it). */
  crsNote?: { row: number; text: string; crs: string };
}

export interface ImportResult {
  format: ImportFormat;
  /** The CRS the file's coordinates were read in (`EPSG:4527`, `EPSG:4326`, `GCJ-02`…). */
  sourceCrs: string;
  /** Northing/latitude first in the file ('yx') or not. */
  sourceAxisOrder: 'xy' | 'yx';
  /** Text formats and the Shapefile's .dbf: the encoding the text was read with (`utf-8`, `gbk`…). */
  encoding?: string;
  /** The layer, sheet or file name the features came from. */
  layerName?: string;
  /** Property names in the file's column order. */
  fields: string[];
  /** CSV/Excel: where the header and the data were found. */
  table?: TableLayout;
  /** WGS84 longitude/latitude. */
  features: FeatureCollection;
  warnings: ImportWarning[];
}

export type ExportEncoding = 'utf-8' | 'gbk';

export interface ExportOptions {
  /** CSV, Excel, Shapefile: write coordinates in this CRS (default EPSG:4326). Others are always WGS84. */
  crs?: string;
  /** Shapefile .dbf and CSV: 'utf-8' (default; CSV with a BOM so Excel reads Chinese) or 'gbk'. */
  encoding?: ExportEncoding;
  /** Base of the file name and the layer/sheet name (default `onemap-export`). */
  name?: string;
  /** KML: the property written as each Placemark's name (default `name`). */
  nameProperty?: string;
}

export interface ExportWarning extends LocalizedMessage {
  code: 'field-renamed' | 'text-truncated' | 'character-not-encodable';
  details?: Record<string, unknown>;
}

export interface ExportResult {
  fileName: string;
  bytes: Uint8Array;
  /** What could not be kept exactly (a Shapefile field name cut to 10 bytes…). */
  warnings: ExportWarning[];
}

/** The column holding OneMap's feature ids in formats without a feature id of their own (CSV, Excel, Shapefile, GeoPackage). */
export const ID_COLUMN = 'onemap_id';
