import { ImportError } from '../errors';
import type { ParsedLayer, RawFeature } from '../normalize';
import { toPropertyValue, uniqueNames } from '../properties';
import { ID_COLUMN, type ImportFormat, type ImportOptions, type ImportWarning, type PropertyValue } from '../types';

/**
 * Rows of a CSV file or an Excel sheet → point features. The coordinate columns are the chosen ones or
 * found by name (Chinese and English); which of the two is the easting/longitude is left to CRS
 * detection, since Chinese registers write X for the northing.
 */

export type Cell = string | number | boolean | Date | null;

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

function findColumns(header: readonly string[], options: ImportOptions): [number, number] {
  const chosen = options.columns;
  if (chosen) {
    const [first, second] = 'lon' in chosen ? [chosen.lon, chosen.lat] : [chosen.x, chosen.y];
    const firstIndex = header.indexOf(first);
    const secondIndex = header.indexOf(second);
    if (firstIndex < 0 || secondIndex < 0) {
      const missing = firstIndex < 0 ? first : second;
      throw new ImportError(
        'coordinate-columns-not-found',
        { zh: `找不到所选的坐标列“${missing}”。现有列：${header.join('、')}。`, en: `The chosen coordinate column "${missing}" is not there. Columns: ${header.join(', ')}.` },
        { column: missing },
        { header: [...header] },
      );
    }
    return [firstIndex, secondIndex];
  }
  const normalised = header.map(normaliseHeader);
  for (const [firstNames, secondNames] of COORDINATE_PAIRS) {
    const firstIndex = normalised.findIndex((name) => firstNames.includes(name));
    const secondIndex = normalised.findIndex((name) => secondNames.includes(name));
    if (firstIndex >= 0 && secondIndex >= 0 && firstIndex !== secondIndex) return [firstIndex, secondIndex];
  }
  throw new ImportError(
    'coordinate-columns-not-found',
    {
      zh: `找不到坐标列（如 经度/纬度、X/Y、东坐标/北坐标）。现有列：${header.join('、')}。请手动选择坐标列。`,
      en: `No coordinate columns found (such as 经度/纬度, lon/lat, X/Y, 东坐标/北坐标). Columns: ${header.join(', ')}. Choose them by hand.`,
    },
    {},
    { header: [...header] },
  );
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

const isEmpty = (cell: Cell | undefined): boolean => cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');

export function tableToLayer(
  format: ImportFormat,
  rows: readonly (readonly Cell[])[],
  options: ImportOptions,
  context: { parseNumbers: boolean; encoding?: string; layerName?: string; warnings?: ImportWarning[] },
): ParsedLayer {
  const headerRowIndex = rows.findIndex((row) => row.some((cell) => !isEmpty(cell)));
  if (headerRowIndex < 0) {
    return { format, features: [], fields: [], ...(context.encoding ? { encoding: context.encoding } : {}), warnings: [...(context.warnings ?? [])] };
  }
  const header = uniqueNames((rows[headerRowIndex] as Cell[]).map((cell) => (cell === null ? '' : String(cell))));
  const [firstColumn, secondColumn] = findColumns(header, options);
  const idColumn = header.indexOf(ID_COLUMN);
  const fields = header.filter((_, index) => index !== firstColumn && index !== secondColumn && index !== idColumn);
  const features: RawFeature[] = [];
  const warnings: ImportWarning[] = [...(context.warnings ?? [])];
  for (let rowIndex = headerRowIndex + 1; rowIndex < rows.length; rowIndex += 1) {
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
  return {
    format,
    features,
    fields,
    ...(context.encoding ? { encoding: context.encoding } : {}),
    ...(context.layerName ? { layerName: context.layerName } : {}),
    warnings,
  };
}
