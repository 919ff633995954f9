import { ImportError } from '../errors';
import type { ParsedLayer, RawFeature } from '../normalize';
import { toPropertyValue } from '../properties';
import { ID_COLUMN, type ImportFormat, type ImportOptions, type ImportWarning, type PropertyValue, type TableLayout } from '../types';
import { crsFromNote, dataEnd, fallbackHeaderIndex, headerAt, headerCandidates, isEmptyCell, rowText, type Cell, type Header } from './table-layout';

export type { Cell } from './table-layout';

/**
 * Rows of a CSV file or an Excel sheet → point features. The header is the chosen row or the first
 * row naming coordinate columns (title and note rows above it, total and signature rows after the
 * data are left out and listed in `table`); the coordinate columns are the chosen ones or found by
 * name (Chinese and English); which of the two is the easting/longitude is left to CRS detection,
 * since Chinese registers write X for the northing.
 */

/** Header texts, normalised: lower case, no spaces, no unit in brackets (`经度(°)`, `X坐标（m）`). */
const normaliseHeader = (header: string): string =>
  header
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[（(［[][^）)］\]]*[）)］\]]/g, '')
    .replace(/[\s_\-:：]/g, '');

/** Pairs of [first, second] header names, most specific first. */
const COORDINATE_PAIRS: readonly (readonly [readonly string[], readonly string[]])[] = [
  [['经度', '经度坐标', '东经'], ['纬度', '纬度坐标', '北纬']],
  [['lon', 'lng', 'long', 'longitude', 'wgs84lon', 'wgs84lng'], ['lat', 'latitude', 'wgs84lat']],
  [['东坐标', '东向坐标', 'e坐标', '东', 'easting', 'east', 'e'], ['北坐标', '北向坐标', 'n坐标', '北', 'northing', 'north', 'n']],
  [['x', 'x坐标', '坐标x', 'pointx', 'xcoord', 'xcoordinate'], ['y', 'y坐标', '坐标y', 'pointy', 'ycoord', 'ycoordinate']],
  [['横坐标'], ['纵坐标']],
];

/** The coordinate columns of a header, chosen (`options.columns`) or found by name; null when there are none. */
function coordinateColumnsOf(header: Header, options: ImportOptions): [number, number] | null {
  const chosen = options.columns;
  if (chosen) {
    const [first, second] = 'lon' in chosen ? [chosen.lon, chosen.lat] : [chosen.x, chosen.y];
    const firstIndex = header.names.indexOf(first);
    const secondIndex = header.names.indexOf(second);
    return firstIndex >= 0 && secondIndex >= 0 ? [firstIndex, secondIndex] : null;
  }
  const names = header.names.map(normaliseHeader);
  const alternates = header.alternates.map((name) => (name === undefined ? undefined : normaliseHeader(name)));
  const findName = (wanted: readonly string[]) => names.findIndex((name, index) => wanted.includes(name) || (alternates[index] !== undefined && wanted.includes(alternates[index] as string)));
  for (const [firstNames, secondNames] of COORDINATE_PAIRS) {
    const firstIndex = findName(firstNames);
    const secondIndex = findName(secondNames);
    if (firstIndex >= 0 && secondIndex >= 0 && firstIndex !== secondIndex) return [firstIndex, secondIndex];
  }
  return null;
}

/** The first rows as text, so that whoever reads the error can pick the header row. */
const leadingRows = (rows: readonly (readonly Cell[])[]): { row: number; text: string }[] =>
  headerCandidates(rows)
    .slice(0, 12)
    .map((index) => ({ row: index + 1, text: rowText(rows[index]).slice(0, 120) }));

function findColumns(header: Header, rows: readonly (readonly Cell[])[], options: ImportOptions): [number, number] {
  const found = coordinateColumnsOf(header, options);
  if (found) return found;
  const names = header.names;
  const details = { header: [...names], headerRow: header.index + 1, rows: leadingRows(rows) };
  const chosen = options.columns;
  if (chosen) {
    const [first, second] = 'lon' in chosen ? [chosen.lon, chosen.lat] : [chosen.x, chosen.y];
    const missing = names.includes(first) ? second : first;
    throw new ImportError(
      'coordinate-columns-not-found',
      {
        zh: `第 ${header.index + 1} 行的表头中找不到所选的坐标列“${missing}”。现有列：${names.join('、')}。`,
        en: `The header on row ${header.index + 1} has no chosen coordinate column "${missing}". Columns: ${names.join(', ')}.`,
      },
      { column: missing, row: header.index + 1 },
      details,
    );
  }
  throw new ImportError(
    'coordinate-columns-not-found',
    {
      zh: `找不到坐标列（如 经度/纬度、X/Y、东坐标/北坐标）。表头（第 ${header.index + 1} 行）的列：${names.join('、')}。请选择表头所在行和坐标列。`,
      en: `No coordinate columns found (such as 经度/纬度, lon/lat, X/Y, 东坐标/北坐标). Columns of the header (row ${header.index + 1}): ${names.join(', ')}. Choose the header row and the coordinate columns.`,
    },
    { row: header.index + 1 },
    details,
  );
}

/**
 * The header: the chosen row (`options.headerRow`), else the first of the leading rows whose header
 * names coordinate columns (the chosen ones, or by name), else the first well-filled row.
 */
function findHeader(rows: readonly (readonly Cell[])[], options: ImportOptions): Header | null {
  const chosen = options.headerRow;
  if (chosen !== undefined) {
    const index = chosen - 1;
    if (!Number.isInteger(chosen) || index < 0 || index >= rows.length || rowText(rows[index]) === '') {
      throw new ImportError(
        'header-row-invalid',
        {
          zh: `第 ${chosen} 行不能作表头：${index >= 0 && index < rows.length ? '这一行是空的' : `表格只有 ${rows.length} 行`}。`,
          en: `Row ${chosen} cannot be the header: ${index >= 0 && index < rows.length ? 'it is empty' : `the table has ${rows.length} rows`}.`,
        },
        { row: chosen },
        { rows: leadingRows(rows) },
      );
    }
    return headerAt(rows, index);
  }
  for (const index of headerCandidates(rows)) {
    const header = headerAt(rows, index);
    if (coordinateColumnsOf(header, options) !== null) return header;
  }
  const fallback = fallbackHeaderIndex(rows);
  return fallback < 0 ? null : headerAt(rows, fallback);
}

/** Degrees-minutes-seconds as Chinese registers write them: 115°42′15.3″, 115度42分15.3秒, 37°45'N. */
const DMS = /^([-+]?\d+(?:\.\d+)?)\s*[°度]\s*(?:(\d+(?:\.\d+)?)\s*['′’分])?\s*(?:(\d+(?:\.\d+)?)\s*(?:["″”]|''|秒))?\s*([NSEW东西南北])?$/i;
const PLAIN_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const NON_FINITE = /^[-+]?(?:nan|inf|infinity|∞)$/i;

/** A coordinate cell as a number; NaN for a non-finite spelling, undefined when it is not a number at all. */
function coordinateValue(cell: Cell): number | undefined {
  if (typeof cell === 'number') return cell;
  if (typeof cell !== 'string') return undefined;
  const text = cell.trim();
  if (PLAIN_NUMBER.test(text)) return Number(text);
  if (NON_FINITE.test(text)) return Number.NaN;
  const dms = DMS.exec(text);
  if (dms) {
    const value = Number(dms[1]) + Number(dms[2] ?? 0) / 60 + Number(dms[3] ?? 0) / 3600;
    return /[SW南西]/i.test(dms[4] ?? '') || text.startsWith('-') ? -Math.abs(value) : value;
  }
  return undefined;
}

/** Text that reads as a number without losing anything (no leading zeros: well numbers like 0012 stay text). */
const NUMERIC_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

export function cellValue(cell: Cell, parseNumbers: boolean): PropertyValue {
  if (typeof cell === 'string') {
    if (cell === '') return null;
    if (parseNumbers && NUMERIC_TEXT.test(cell) && cell.length <= 17) return Number(cell);
    if (parseNumbers && (cell === 'true' || cell === 'false')) return cell === 'true';
    return cell;
  }
  return toPropertyValue(cell);
}

const isEmpty = isEmptyCell;

/** Largest coordinate magnitude among the first data rows (tells prefixed eastings for a 坐标系 note). */
function largestCoordinate(rows: readonly (readonly Cell[])[], start: number, end: number, columns: readonly [number, number]): number {
  let largest = 0;
  for (let index = start; index < Math.min(end, start + 200); index += 1) {
    for (const column of columns) {
      const value = coordinateValue(rows[index]?.[column] ?? null);
      if (value !== undefined && Number.isFinite(value)) largest = Math.max(largest, Math.abs(value));
    }
  }
  return largest;
}

export function tableToLayer(
  format: ImportFormat,
  rows: readonly (readonly Cell[])[],
  options: ImportOptions,
  context: { parseNumbers: boolean; encoding?: string; layerName?: string; warnings?: ImportWarning[] },
): ParsedLayer {
  const found = findHeader(rows, options);
  if (found === null) {
    return { format, features: [], fields: [], ...(context.encoding ? { encoding: context.encoding } : {}), warnings: [...(context.warnings ?? [])] };
  }
  const headerRowIndex = found.index;
  const header = found.names;
  const [firstColumn, secondColumn] = findColumns(found, rows, options);
  const idColumn = header.indexOf(ID_COLUMN);
  const fields = header.filter((_, index) => index !== firstColumn && index !== secondColumn && index !== idColumn);
  const features: RawFeature[] = [];
  const warnings: ImportWarning[] = [...(context.warnings ?? [])];
  const dataStart = headerRowIndex + found.rowCount;
  const end = dataEnd(rows, dataStart, [firstColumn, secondColumn]);
  const skippedRows: TableLayout['skippedRows'] = [];
  for (let index = 0; index < headerRowIndex; index += 1) {
    const text = rowText(rows[index]);
    if (text !== '') skippedRows.push({ row: index + 1, place: 'above-header', text });
  }
  for (let index = end; index < rows.length; index += 1) {
    const text = rowText(rows[index]);
    if (text !== '') skippedRows.push({ row: index + 1, place: 'below-data', text });
  }
  let crsNote: TableLayout['crsNote'];
  const largest = largestCoordinate(rows, dataStart, end, [firstColumn, secondColumn]);
  for (const skipped of skippedRows) {
    if (skipped.place !== 'above-header') continue;
    const crs = crsFromNote(skipped.text, largest);
    if (crs !== null) crsNote = { row: skipped.row, text: skipped.text, crs };
  }
  for (let rowIndex = dataStart; rowIndex < end; rowIndex += 1) {
    const cells = rows[rowIndex] as Cell[];
    if (cells.every(isEmpty)) continue;
    const row = rowIndex + 1;
    const properties: Record<string, PropertyValue> = {};
    header.forEach((name, index) => {
      if (index === firstColumn || index === secondColumn || index === idColumn) return;
      properties[name] = cellValue(cells[index] ?? null, context.parseNumbers);
    });
    const idCell = idColumn >= 0 ? cellValue(cells[idColumn] ?? null, false) : null;
    const id = typeof idCell === 'string' || typeof idCell === 'number' ? idCell : undefined;
    const firstCell = cells[firstColumn] ?? null;
    const secondCell = cells[secondColumn] ?? null;
    if (isEmpty(firstCell) && isEmpty(secondCell)) {
      features.push({ ...(id !== undefined ? { id } : {}), properties, geometry: null, row });
      continue;
    }
    const coordinates = [firstCell, secondCell].map((cell, axis) => {
      const value = coordinateValue(cell);
      const column = header[axis === 0 ? firstColumn : secondColumn] as string;
      if (value === undefined) {
        throw new ImportError(
          'invalid-coordinate',
          { zh: `第 ${row} 行“${column}”列的坐标“${String(cell ?? '')}”不是数字。`, en: `Row ${row}: the coordinate "${String(cell ?? '')}" in column "${column}" is not a number.` },
          { row, column },
          { value: String(cell ?? '') },
        );
      }
      return value;
    });
    features.push({ ...(id !== undefined ? { id } : {}), properties, geometry: { type: 'Point', coordinates }, row });
  }
  const table: TableLayout = {
    headerRow: headerRowIndex + 1,
    headerRowCount: found.rowCount,
    columns: [...header],
    coordinateColumns: [header[firstColumn] as string, header[secondColumn] as string],
    skippedRows,
    ...(crsNote ? { crsNote } : {}),
  };
  return {
    format,
    features,
    fields,
    table,
    ...(crsNote ? { fileCrs: crsNote.crs, fileCrsSource: { zh: `第 ${crsNote.row} 行的坐标系说明`, en: `the coordinate system note on row ${crsNote.row}` } } : {}),
    ...(context.encoding ? { encoding: context.encoding } : {}),
    ...(context.layerName ? { layerName: context.layerName } : {}),
    warnings,
  };
}
