import { CrsError, WGS84, crsInfo, transformMany } from '../crs';
import { OneMapError } from '../errors';
import { ImportError, fromCrsError } from './errors';
import { writeGeoPackage } from './formats/geopackage';
import { writeKml } from './formats/kml-write';
import { esriPrj } from './formats/prj';
import { writeShapefileZip } from './formats/shapefile-write';
import { featuresToTable, writeCsv, writeXlsx } from './formats/table-write';
import { encodeUtf8 } from './platform';
import type { ExportFormat, ExportOptions, ExportResult, ExportWarning, FeatureCollection, GeoJsonFeature, Geometry } from './types';

const EXTENSIONS: Record<ExportFormat, string> = {
  geojson: 'geojson',
  csv: 'csv',
  xlsx: 'xlsx',
  shapefile: 'zip',
  kml: 'kml',
  geopackage: 'gpkg',
};

/** Formats whose coordinates are WGS84 by definition (RFC 7946, KML 2.2) or by OneMap's choice (GeoPackage). */
const WGS84_ONLY: ReadonlySet<ExportFormat> = new Set(['geojson', 'kml', 'geopackage']);

function optionError(zh: string, en: string, details: Record<string, unknown>): ImportError {
  return new ImportError('export-unsupported-option', { zh, en }, {}, details);
}

/** A file name without characters Windows refuses. */
const safeName = (name: string): string =>
  [...name].map((character) => (character.charCodeAt(0) < 0x20 || '<>:"/\\|?*'.includes(character) ? '_' : character)).join('').trim() || 'onemap-export';

function reproject(features: readonly GeoJsonFeature[], crs: string): GeoJsonFeature[] {
  if (crs === WGS84) return [...features];
  return features.map((feature, featureIndex) => {
    try {
      return { ...feature, geometry: transformMany(feature.geometry, WGS84, crs) as Geometry };
    } catch (error) {
      if (error instanceof CrsError) throw fromCrsError(error, { featureIndex });
      throw error;
    }
  });
}

/**
 * Write WGS84 features as a file. GeoJSON, KML and GeoPackage are WGS84; CSV, Excel and Shapefile may
 * be written in any supported CRS (`options.crs`; a Shapefile not in GCJ-02/BD-09, which a .prj cannot
 * name). Throws ImportError ('export-unsupported-geometry', 'export-unsupported-option', CRS codes),
 * OneMapError 'export.unknownFormat' for a format it does not write.
 */
export async function exportFeatures(
  features: FeatureCollection | readonly GeoJsonFeature[],
  format: ExportFormat,
  options: ExportOptions = {},
): Promise<ExportResult> {
  // A format name from outside the type checker (a worker message, a saved setting) that no case writes.
  if (!Object.hasOwn(EXTENSIONS, format)) throw new OneMapError('export.unknownFormat', { format: String(format) });
  const list = Array.isArray(features) ? (features as readonly GeoJsonFeature[]) : (features as FeatureCollection).features;
  const name = safeName(options.name ?? 'onemap-export');
  const fileName = `${name}.${EXTENSIONS[format]}`;
  let crs = WGS84;
  if (options.crs !== undefined) {
    try {
      crs = crsInfo(options.crs).code;
    } catch (error) {
      throw error instanceof CrsError ? fromCrsError(error) : error;
    }
  }
  if (WGS84_ONLY.has(format) && crs !== WGS84) {
    throw optionError(`${format} 文件只能使用 WGS84 经纬度，不能按 ${crs} 导出。`, `${format} files are WGS84 longitude/latitude only; cannot write ${crs}.`, { format, crs });
  }
  const encoding = options.encoding ?? 'utf-8';
  if (encoding !== 'utf-8' && format !== 'shapefile' && format !== 'csv') {
    throw optionError(`${format} 文件只能使用 UTF-8 编码。`, `${format} files are UTF-8 only.`, { format, encoding });
  }
  const warnings: ExportWarning[] = [];
  switch (format) {
    case 'geojson': {
      const collection = { type: 'FeatureCollection', name, features: list };
      return { fileName, bytes: encodeUtf8(JSON.stringify(collection)), warnings };
    }
    case 'kml':
      return { fileName, bytes: writeKml(list, name, options.nameProperty), warnings };
    case 'geopackage':
      return { fileName, bytes: await writeGeoPackage(list, name), warnings };
    case 'csv':
      return { fileName, bytes: writeCsv(featuresToTable(reproject(list, crs), crs), encoding, warnings), warnings };
    case 'xlsx':
      return { fileName, bytes: await writeXlsx(featuresToTable(reproject(list, crs), crs), name), warnings };
    case 'shapefile': {
      const prj = esriPrj(crs);
      if (prj === null) {
        throw optionError(`Shapefile 的 .prj 无法描述 ${crs}：请导出为 WGS84 或 CGCS2000。`, `A Shapefile's .prj cannot describe ${crs}: export in WGS84 or CGCS2000.`, { format, crs });
      }
      const written = writeShapefileZip(reproject(list, crs), { name, prj, encoding });
      return { fileName, bytes: written.bytes, warnings: [...warnings, ...written.warnings] };
    }
  }
}
