import initSqlJs, { type Database, type SqlJsConfig, type SqlJsStatic, type SqlValue } from 'sql.js';
import { canonicalCrsCode } from '../../crs';
import { ImportError } from '../errors';
import { positionsOf } from '../geometry-checks';
import { checkAborted, type ParsedLayer, type RawFeature } from '../normalize';
import { ID_COLUMN, type GeoJsonFeature, type Geometry, type ImportOptions, type ImportWarning, type PropertyValue } from '../types';
import { readWkb, writeWkb } from './wkb';

/**
 * OGC GeoPackage 1.2 through sql.js (SQLite compiled to WebAssembly). In Node sql.js finds its .wasm
 * by itself; a browser or Electron renderer must call `configureSqlJs` first, e.g. with
 * `{ locateFile: () => sqlWasmUrl }` from `import sqlWasmUrl from 'sql.js/dist/sql-wasm.wasm?url'`,
 * and its CSP must allow 'wasm-unsafe-eval'.
 */

let sqlJsConfig: SqlJsConfig | undefined;
let sqlJs: Promise<SqlJsStatic> | null = null;

export function configureSqlJs(config: SqlJsConfig): void {
  sqlJsConfig = config;
  sqlJs = null;
}

function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= initSqlJs(sqlJsConfig);
  return sqlJs;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function rows(db: Database, sql: string, params: SqlValue[] = []): Record<string, SqlValue>[] {
  const statement = db.prepare(sql, params);
  const result: Record<string, SqlValue>[] = [];
  try {
    const columns = statement.getColumnNames();
    while (statement.step()) {
      const values = statement.get();
      result.push(Object.fromEntries(columns.map((column, index) => [column, values[index] ?? null])));
    }
  } finally {
    statement.free();
  }
  return result;
}

function invalid(reason: string, cause?: unknown): ImportError {
  return new ImportError('invalid-geopackage', { zh: `无法读取 GeoPackage（${reason}）。`, en: `Cannot read the GeoPackage (${reason}).` }, {}, { reason }, cause ? { cause } : undefined);
}

/** The geometry inside a GeoPackage blob: "GP", version, flags, srs_id, envelope, then WKB. */
function readGeoPackageGeometry(blob: Uint8Array): unknown {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error('not a GeoPackage geometry blob');
  const flags = blob[3] as number;
  if (flags & 0x10) return null; // empty geometry
  const envelopeBytes = [0, 32, 48, 48, 64][(flags >> 1) & 0x07];
  if (envelopeBytes === undefined) throw new Error('bad envelope flag');
  return readWkb(blob.subarray(8 + envelopeBytes));
}

export async function parseGeoPackage(bytes: Uint8Array, options: ImportOptions): Promise<ParsedLayer> {
  const header = String.fromCharCode(...bytes.subarray(0, 15));
  if (header !== 'SQLite format 3') throw invalid('not an SQLite database');
  const SQL = await loadSqlJs();
  let db: Database;
  try {
    db = new SQL.Database(bytes);
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : String(error), error);
  }
  try {
    let layers: Record<string, SqlValue>[];
    try {
      layers = rows(
        db,
        `SELECT c.table_name AS table_name, g.column_name AS column_name, g.srs_id AS srs_id
           FROM gpkg_contents c JOIN gpkg_geometry_columns g ON c.table_name = g.table_name
          WHERE c.data_type = 'features' ORDER BY c.table_name`,
      );
    } catch (error) {
      throw invalid(`no GeoPackage feature tables: ${error instanceof Error ? error.message : String(error)}`, error);
    }
    const layer = layers[0];
    if (!layer) throw invalid('no feature table');
    const table = String(layer.table_name);
    const geometryColumn = String(layer.column_name);
    const warnings: ImportWarning[] = [];
    if (layers.length > 1) {
      warnings.push({
        code: 'other-layers-ignored',
        zh: `GeoPackage 中有 ${layers.length} 个图层，只读取了“${table}”。`,
        en: `The GeoPackage holds ${layers.length} layers; only "${table}" was read.`,
        details: { layers: layers.map((candidate) => String(candidate.table_name)) },
      });
    }
    let fileCrs: string | undefined;
    let prjWkt: string | undefined;
    const srs = rows(db, 'SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?', [layer.srs_id ?? null])[0];
    if (srs && Number(layer.srs_id) > 0) {
      if (String(srs.organization).toUpperCase() === 'EPSG') {
        fileCrs = canonicalCrsCode(`EPSG:${String(srs.organization_coordsys_id)}`) ?? `EPSG:${String(srs.organization_coordsys_id)}`;
      } else if (typeof srs.definition === 'string' && srs.definition !== 'undefined') {
        prjWkt = srs.definition;
      }
    }
    const columns = rows(db, `PRAGMA table_info(${quote(table)})`);
    const primaryKey = columns.find((column) => Number(column.pk) === 1)?.name;
    const booleanColumns = new Set(columns.filter((column) => String(column.type).toUpperCase() === 'BOOLEAN').map((column) => String(column.name)));
    const fields = columns
      .map((column) => String(column.name))
      .filter((name) => name !== primaryKey && name !== geometryColumn && name !== ID_COLUMN);
    const features: RawFeature[] = [];
    const dropped = new Set<string>();
    const records = rows(db, `SELECT * FROM ${quote(table)}${primaryKey ? ` ORDER BY ${quote(String(primaryKey))}` : ''}`);
    records.forEach((record, featureIndex) => {
      if (featureIndex % 1000 === 0) {
        options.onProgress?.({ phase: 'parse', done: featureIndex, total: records.length });
        checkAborted(options.signal);
      }
      const properties: Record<string, PropertyValue> = {};
      for (const field of fields) {
        const value = record[field] ?? null;
        if (value instanceof Uint8Array) {
          dropped.add(field);
          continue;
        }
        properties[field] = booleanColumns.has(field) && typeof value === 'number' ? value !== 0 : value;
      }
      const blob = record[geometryColumn];
      let geometry: unknown = null;
      if (blob instanceof Uint8Array) {
        try {
          geometry = readGeoPackageGeometry(blob);
        } catch (error) {
          throw new ImportError(
            'invalid-geometry',
            { zh: `几何数据已损坏（${error instanceof Error ? error.message : String(error)}）。`, en: `Damaged geometry (${error instanceof Error ? error.message : String(error)}).` },
            { featureIndex },
          );
        }
      }
      const ownId = record[ID_COLUMN];
      const id = typeof ownId === 'string' || typeof ownId === 'number' ? ownId : primaryKey ? record[String(primaryKey)] : undefined;
      features.push({ ...(typeof id === 'string' || typeof id === 'number' ? { id } : {}), properties, geometry });
    });
    for (const field of dropped) {
      warnings.push({ code: 'property-dropped', zh: `二进制字段“${field}”未导入。`, en: `The binary field "${field}" was not imported.`, details: { field } });
    }
    return {
      format: 'geopackage',
      features,
      fields: fields.filter((field) => !dropped.has(field)),
      ...(fileCrs ? { fileCrs } : {}),
      ...(prjWkt ? { prjWkt } : {}),
      layerName: table,
      warnings,
    };
  } finally {
    db.close();
  }
}

const WGS84_WKT =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]';

const GEOMETRY_TYPE_NAMES: Record<string, string> = {
  Point: 'POINT',
  LineString: 'LINESTRING',
  Polygon: 'POLYGON',
  MultiPoint: 'MULTIPOINT',
  MultiLineString: 'MULTILINESTRING',
  MultiPolygon: 'MULTIPOLYGON',
};

type ColumnType = 'INTEGER' | 'REAL' | 'TEXT' | 'BOOLEAN';

function columnType(values: PropertyValue[]): ColumnType {
  const present = values.filter((value) => value !== null);
  if (present.length === 0) return 'TEXT';
  if (present.every((value) => typeof value === 'boolean')) return 'BOOLEAN';
  if (present.every((value) => typeof value === 'number')) return present.every((value) => Number.isSafeInteger(value)) ? 'INTEGER' : 'REAL';
  return 'TEXT';
}

function boundsOf(geometry: Geometry): [number, number, number, number] {
  const bounds: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (value: unknown): void => {
    if (Array.isArray(value) && typeof value[0] === 'number') {
      bounds[0] = Math.min(bounds[0], value[0] as number);
      bounds[1] = Math.min(bounds[1], value[1] as number);
      bounds[2] = Math.max(bounds[2], value[0] as number);
      bounds[3] = Math.max(bounds[3], value[1] as number);
    } else if (Array.isArray(value)) value.forEach(visit);
  };
  visit(geometry.coordinates);
  return bounds;
}

function geoPackageGeometry(geometry: Geometry): Uint8Array {
  const wkb = writeWkb(geometry);
  const withEnvelope = geometry.type !== 'Point';
  const blob = new Uint8Array(8 + (withEnvelope ? 32 : 0) + wkb.length);
  const view = new DataView(blob.buffer);
  blob[0] = 0x47;
  blob[1] = 0x50;
  blob[2] = 0;
  blob[3] = withEnvelope ? 0x03 : 0x01; // little-endian header; envelope [minx, maxx, miny, maxy] or none
  view.setInt32(4, 4326, true);
  if (withEnvelope) {
    const [minX, minY, maxX, maxY] = boundsOf(geometry);
    [minX, maxX, minY, maxY].forEach((value, index) => view.setFloat64(8 + index * 8, value, true));
  }
  blob.set(wkb, 8 + (withEnvelope ? 32 : 0));
  return blob;
}

/** One feature table in EPSG:4326, properties as typed columns, OneMap ids (if any) in `onemap_id`. */
export async function writeGeoPackage(features: readonly GeoJsonFeature[], layerName: string): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    const keys: string[] = [];
    for (const feature of features) for (const key of Object.keys(feature.properties ?? {})) if (!keys.includes(key)) keys.push(key);
    const withIds = features.some((feature) => feature.id !== undefined);
    const reserved = new Set(['fid', 'geom', ...(withIds ? [ID_COLUMN] : [])]);
    const columns = keys.map((key) => {
      let name = key;
      for (let suffix = 1; reserved.has(name.toLowerCase()); suffix += 1) name = `${key}_${suffix}`;
      reserved.add(name.toLowerCase());
      return { key, name, type: columnType(features.map((feature) => feature.properties?.[key] ?? null)) };
    });
    const kinds = new Set(features.map((feature) => feature.geometry.type));
    const geometryTypeName = kinds.size === 1 ? (GEOMETRY_TYPE_NAMES[[...kinds][0] as string] ?? 'GEOMETRY') : 'GEOMETRY';
    const hasZ = features.some((feature) => positionsOf(feature.geometry).some((position) => position.length > 2));
    const extent = features.reduce<[number, number, number, number]>(
      (bounds, feature) => {
        const [minX, minY, maxX, maxY] = boundsOf(feature.geometry);
        return [Math.min(bounds[0], minX), Math.min(bounds[1], minY), Math.max(bounds[2], maxX), Math.max(bounds[3], maxY)];
      },
      [Infinity, Infinity, -Infinity, -Infinity],
    );
    const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

    db.run('PRAGMA application_id = 1196444487'); // 'GPKG'
    db.run('PRAGMA user_version = 10200'); // GeoPackage 1.2.0
    db.run('BEGIN');
    db.run(`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
      organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`);
    db.run('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)', ['Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system']);
    db.run('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)', ['Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system']);
    db.run('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)', ['WGS 84 geodetic', 4326, 'EPSG', 4326, WGS84_WKT, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid']);
    db.run(`CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
      last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
      CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`);
    db.run(`CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
      z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
      CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`);
    const columnSql = [
      'fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL',
      `geom ${geometryTypeName}`,
      ...(withIds ? [`${quote(ID_COLUMN)} TEXT`] : []),
      ...columns.map((column) => `${quote(column.name)} ${column.type}`),
    ];
    db.run(`CREATE TABLE ${quote(layerName)} (${columnSql.join(', ')})`);
    db.run('INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      layerName,
      'features',
      layerName,
      finiteOrNull(extent[0]),
      finiteOrNull(extent[1]),
      finiteOrNull(extent[2]),
      finiteOrNull(extent[3]),
      4326,
    ]);
    db.run('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, ?, ?)', [layerName, 'geom', geometryTypeName, 4326, hasZ ? 2 : 0, 0]);
    const names = ['geom', ...(withIds ? [ID_COLUMN] : []), ...columns.map((column) => column.name)];
    const insert = db.prepare(`INSERT INTO ${quote(layerName)} (${names.map(quote).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
    try {
      for (const feature of features) {
        const values: SqlValue[] = [geoPackageGeometry(feature.geometry)];
        if (withIds) values.push(feature.id === undefined ? null : String(feature.id));
        for (const column of columns) {
          const value = feature.properties?.[column.key] ?? null;
          values.push(typeof value === 'boolean' ? (value ? 1 : 0) : column.type === 'TEXT' && value !== null ? String(value) : value);
        }
        insert.run(values);
      }
    } finally {
      insert.free();
    }
    db.run('COMMIT');
    return db.export();
  } finally {
    db.close();
  }
}
