import { CrsError } from '../crs';
import { ImportError, fromCrsError, type ImportErrorCode } from './errors';
import { parseCsv } from './formats/csv';
import { parseGeoJson } from './formats/geojson';
import { parseGeoPackage } from './formats/geopackage';
import { parseKml } from './formats/kml';
import { parseShapefileZip } from './formats/shapefile';
import { parseXlsx } from './formats/xlsx';
import { checkAborted, normalizeLayer, type ParsedLayer } from './normalize';
import type { ImportFormat, ImportOptions, ImportResult } from './types';
import { checkZipSizes, isZip, listZip, readZip } from './zip';

const extensionOf = (name: string): string => /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';

const INVALID: Record<ImportFormat, ImportErrorCode> = {
  geojson: 'invalid-geojson',
  csv: 'invalid-csv',
  xlsx: 'invalid-xlsx',
  shapefile: 'invalid-shapefile',
  kml: 'invalid-kml',
  geopackage: 'invalid-geopackage',
};

const FORMAT_BY_EXTENSION: Record<string, ImportFormat> = {
  geojson: 'geojson',
  json: 'geojson',
  csv: 'csv',
  txt: 'csv',
  tsv: 'csv',
  xlsx: 'xlsx',
  xlsm: 'xlsx',
  zip: 'shapefile',
  kml: 'kml',
  kmz: 'kml',
  gpkg: 'geopackage',
};

function unsupported(fileName: string, hint?: { zh: string; en: string }): ImportError {
  return new ImportError(
    'unsupported-format',
    {
      zh: `无法识别“${fileName}”的格式。${hint?.zh ?? '支持：GeoJSON、CSV、Excel（.xlsx）、Shapefile（.zip）、KML/KMZ、GeoPackage。'}`,
      en: `Cannot tell the format of "${fileName}". ${hint?.en ?? 'Supported: GeoJSON, CSV, Excel (.xlsx), Shapefile (.zip), KML/KMZ, GeoPackage.'}`,
    },
    {},
    { fileName },
  );
}

const SHAPEFILE_PART_HINT = {
  zh: 'Shapefile 由多个文件组成：请把同名的 .shp、.shx、.dbf、.prj（和 .cpg）一起打包成 .zip 后导入。',
  en: 'A Shapefile is several files: zip the .shp, .shx, .dbf, .prj (and .cpg) of the same name together and import the .zip.',
};

async function parseZip(fileName: string, bytes: Uint8Array, options: ImportOptions): Promise<ParsedLayer> {
  const names = listZip(bytes, options.limits);
  const lower = names.map((name) => name.toLowerCase());
  if (lower.includes('[content_types].xml')) {
    checkZipSizes(bytes, options.limits);
    return parseXlsx(bytes, options);
  }
  const shapefileParts = lower.some((name) => /\.(shp|shx|dbf)$/.test(name));
  if (shapefileParts) return parseShapefileZip(readZip(bytes, options.limits, (name) => /\.(shp|shx|dbf|prj|cpg)$/i.test(name)), options);
  const inner = (extension: string): string | undefined => names.find((name) => name.toLowerCase().endsWith(extension));
  const kml = inner('.kml');
  if (kml) {
    const [entry] = readZip(bytes, options.limits, (name) => name === kml);
    return parseKml(entry?.bytes ?? new Uint8Array(), options, fileName, kml);
  }
  for (const [extension, parse] of [
    ['.geojson', parseGeoJson],
    ['.json', parseGeoJson],
    ['.csv', parseCsv],
  ] as const) {
    const name = inner(extension);
    if (name) {
      const [entry] = readZip(bytes, options.limits, (candidate) => candidate === name);
      return { ...parse(entry?.bytes ?? new Uint8Array(), options, name), file: name };
    }
  }
  const gpkg = inner('.gpkg');
  if (gpkg) {
    const [entry] = readZip(bytes, options.limits, (name) => name === gpkg);
    return { ...(await parseGeoPackage(entry?.bytes ?? new Uint8Array(), options)), file: gpkg };
  }
  throw unsupported(fileName, {
    zh: `压缩包中没有可导入的文件（${names.slice(0, 10).join('、') || '空'}）。`,
    en: `The zip holds nothing importable (${names.slice(0, 10).join(', ') || 'empty'}).`,
  });
}

function sniff(bytes: Uint8Array): ImportFormat | 'zip' | null {
  if (isZip(bytes)) return 'zip';
  if (String.fromCharCode(...bytes.subarray(0, 15)) === 'SQLite format 3') return 'geopackage';
  const start = String.fromCharCode(...bytes.subarray(0, 512).filter((byte) => byte !== 0xef && byte !== 0xbb && byte !== 0xbf)).trimStart();
  if (start.startsWith('{')) return 'geojson';
  if (start.startsWith('<')) return 'kml';
  return null;
}

async function parse(fileName: string, bytes: Uint8Array, options: ImportOptions): Promise<ParsedLayer> {
  const extension = extensionOf(fileName);
  switch (extension) {
    case 'geojson':
    case 'json':
      return parseGeoJson(bytes, options, fileName);
    case 'csv':
    case 'txt':
    case 'tsv':
      return parseCsv(bytes, options, fileName);
    case 'xlsx':
    case 'xlsm':
      if (isZip(bytes)) checkZipSizes(bytes, options.limits);
      return parseXlsx(bytes, options);
    case 'xls':
      throw unsupported(fileName, { zh: '旧版 Excel（.xls）请在 Excel/WPS 中另存为 .xlsx 后导入。', en: 'Save an old Excel file (.xls) as .xlsx in Excel or WPS first.' });
    case 'zip':
    case 'kmz':
      return parseZip(fileName, bytes, options);
    case 'kml':
      return parseKml(bytes, options, fileName);
    case 'gpkg':
      return parseGeoPackage(bytes, options);
    case 'shp':
    case 'shx':
    case 'dbf':
    case 'prj':
    case 'cpg':
      throw unsupported(fileName, SHAPEFILE_PART_HINT);
    default: {
      const format = sniff(bytes);
      if (format === 'zip') return parseZip(fileName, bytes, options);
      if (format === 'geopackage') return parseGeoPackage(bytes, options);
      if (format === 'geojson') return parseGeoJson(bytes, options, fileName);
      if (format === 'kml') return parseKml(bytes, options, fileName);
      throw unsupported(fileName);
    }
  }
}

/**
 * Read a file's bytes into WGS84 GeoJSON features plus a report. Pure: no I/O, runs in Node, a
 * browser, a worker or Electron. Throws `ImportError` (CRS failures keep shared/crs's codes) and never
 * returns part of the features.
 */
export async function importFile(fileName: string, bytes: Uint8Array, options: ImportOptions = {}): Promise<ImportResult> {
  let format: ImportFormat | undefined;
  try {
    checkAborted(options.signal);
    if (bytes.length === 0) throw new ImportError('empty-file', { zh: `文件“${fileName}”是空的（0 字节）。`, en: `The file "${fileName}" is empty (0 bytes).` }, {}, { fileName });
    options.onProgress?.({ phase: 'read', done: 0, total: bytes.length });
    format = FORMAT_BY_EXTENSION[extensionOf(fileName)];
    const layer = await parse(fileName, bytes, options);
    format = layer.format;
    checkAborted(options.signal);
    options.onProgress?.({ phase: 'parse', done: layer.features.length, total: layer.features.length });
    return await normalizeLayer(layer, options);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    if (error instanceof CrsError) throw fromCrsError(error);
    const reason = error instanceof Error ? error.message : String(error);
    const code = format ? INVALID[format] : 'unsupported-format';
    throw new ImportError(code, { zh: `无法读取“${fileName}”（${reason}）。`, en: `Cannot read "${fileName}" (${reason}).` }, {}, { reason }, { cause: error });
  }
}
