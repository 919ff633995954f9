import { CrsError, type CrsErrorCode } from '../crs';
import { OneMapError, type OneMapErrorData } from '../errors';

/**
 * Stable codes for everything `shared/io` refuses. The wizard switches on `code`; `zh`/`en` are for
 * people. CRS failures keep the code `shared/crs` gave them.
 */
export type ImportErrorCode =
  | CrsErrorCode
  /** Zero bytes. */
  | 'empty-file'
  /** Neither the name nor the first bytes say a format OneMap reads (or an old .xls, a bare .shp). */
  | 'unsupported-format'
  /** A zip (or an entry in it) declares more bytes than the limits allow; refused before inflating. */
  | 'file-too-large'
  /** Not a readable zip: truncated, no central directory, a corrupt entry. */
  | 'invalid-zip'
  /** A Shapefile zip without one of its required parts (.shp, .shx, .dbf). */
  | 'shapefile-incomplete'
  /** The .shp/.shx/.dbf bytes are not what their headers say. */
  | 'invalid-shapefile'
  | 'invalid-json'
  /** Unbalanced quotes and the like. */
  | 'invalid-csv'
  /** JSON, but not GeoJSON (no FeatureCollection/Feature/geometry where one is required). */
  | 'invalid-geojson'
  | 'invalid-kml'
  | 'invalid-xlsx'
  | 'invalid-geopackage'
  /** A text format whose bytes hold NUL characters: binary data under a text file's name. */
  | 'not-text'
  /** Neither UTF-8 nor GBK/GB18030 (and no encoding was chosen). */
  | 'undecodable-text'
  | 'sheet-not-found'
  /** No columns named like coordinates, or the chosen ones are missing. */
  | 'coordinate-columns-not-found'
  /** The chosen header row is outside the table or empty. */
  | 'header-row-invalid'
  /** A coordinate cell that is not a number (text, a date…). */
  | 'invalid-coordinate'
  /** A geometry that cannot be repaired (a ring of fewer than four positions, a one-point line…). */
  | 'invalid-geometry'
  /** GeometryCollection, or a geometry type OneMap's layers cannot hold. */
  | 'unsupported-geometry'
  /** The chosen or file-declared CRS does not fit the coordinate values. */
  | 'crs-mismatch'
  /** The caller's AbortSignal fired. */
  | 'cancelled'
  /** A file streamed twice (checked, then committed) was different the second time. */
  | 'file-changed'
  /** Exports: a format cannot hold the features (mixed geometry in a Shapefile, lines in a CSV…). */
  | 'export-unsupported-geometry'
  /** Exports: the format cannot be written in the requested CRS or encoding. */
  | 'export-unsupported-option';

/** Every code, at run time (the UI checks that its locale files say each one). */
export const importErrorCodes = [
  'unsupported-crs',
  'non-finite-coordinate',
  'out-of-range',
  'undetectable-crs',
  'zone-undetermined',
  'mixed-zones',
  'empty-file',
  'unsupported-format',
  'file-too-large',
  'invalid-zip',
  'shapefile-incomplete',
  'invalid-shapefile',
  'invalid-json',
  'invalid-csv',
  'invalid-geojson',
  'invalid-kml',
  'invalid-xlsx',
  'invalid-geopackage',
  'not-text',
  'undecodable-text',
  'sheet-not-found',
  'coordinate-columns-not-found',
  'header-row-invalid',
  'invalid-coordinate',
  'invalid-geometry',
  'unsupported-geometry',
  'crs-mismatch',
  'cancelled',
  'file-changed',
  'export-unsupported-geometry',
  'export-unsupported-option',
] as const satisfies readonly ImportErrorCode[];
// A code added to ImportErrorCode and not to the list above fails to compile here.
const everyCodeListed: Exclude<ImportErrorCode, (typeof importErrorCodes)[number]> extends never ? true : never = true;
void everyCodeListed;

/** Where in the input the problem is. Rows are 1-based as a spreadsheet shows them (the header is row 1). */
export interface ImportLocation {
  /** The file inside a zip (e.g. `villages.dbf`). */
  file?: string;
  row?: number;
  column?: string;
  /** 0-based index of the feature in the file's order. */
  featureIndex?: number;
}

export interface LocalizedMessage {
  zh: string;
  en: string;
}

/**
 * A refused input. `zh`/`en` are the specific sentence (it may quote a library's English cause);
 * the UI says the code from its locale files and keeps the specific sentence behind 详情
 * ({@link importErrorData}).
 */
export class ImportError extends OneMapError {
  override name = 'ImportError';
  declare readonly code: ImportErrorCode;
  readonly zh: string;
  readonly en: string;
  readonly location: ImportLocation;

  constructor(code: ImportErrorCode, message: LocalizedMessage, location: ImportLocation = {}, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, details, options);
    this.message = message.en;
    this.zh = message.zh;
    this.en = message.en;
    this.location = location;
  }

  override toData(): OneMapErrorData {
    return importErrorData(this);
  }
}

/**
 * An ImportError as the UI's code + details: where (`part` — a file inside a zip —, `row`,
 * `column`, `feature` 1-based), the specific sentence in both languages and the raw cause.
 */
export function importErrorData(error: ImportError): OneMapErrorData {
  const { file, row, column, featureIndex } = error.location;
  const reason = error.details.reason;
  return {
    code: error.code,
    details: {
      part: file,
      row,
      column,
      feature: featureIndex === undefined ? undefined : featureIndex + 1,
      zh: error.zh,
      en: error.en,
      technical: typeof reason === 'string' ? reason : undefined,
    },
  };
}

/** A CrsError as an ImportError with the same code, plus where it happened. */
export function fromCrsError(error: CrsError, location: ImportLocation = {}): ImportError {
  const where = describeLocation(location);
  return new ImportError(
    error.code,
    { zh: where.zh + error.zh, en: where.en + error.en },
    location,
    { ...error.details },
    { cause: error },
  );
}

/** Rethrows anything as an ImportError: CrsErrors keep their code; other errors become `fallback`. */
export function asImportError(error: unknown, fallback: ImportErrorCode, message: LocalizedMessage, location: ImportLocation = {}): ImportError {
  if (error instanceof ImportError) return error;
  if (error instanceof CrsError) return fromCrsError(error, location);
  const reason = error instanceof Error ? error.message : String(error);
  return new ImportError(fallback, { zh: `${message.zh}（${reason}）`, en: `${message.en} (${reason})` }, location, { reason }, { cause: error });
}

export function describeLocation(location: ImportLocation): LocalizedMessage {
  const zh: string[] = [];
  const en: string[] = [];
  if (location.file) {
    zh.push(`文件 ${location.file}`);
    en.push(`file ${location.file}`);
  }
  if (location.row !== undefined) {
    zh.push(`第 ${location.row} 行`);
    en.push(`row ${location.row}`);
  }
  if (location.column !== undefined) {
    zh.push(`“${location.column}”列`);
    en.push(`column "${location.column}"`);
  }
  if (location.featureIndex !== undefined) {
    zh.push(`第 ${location.featureIndex + 1} 个要素`);
    en.push(`feature ${location.featureIndex + 1}`);
  }
  return zh.length === 0 ? { zh: '', en: '' } : { zh: `${zh.join('，')}：`, en: `${en.join(', ')}: ` };
}
