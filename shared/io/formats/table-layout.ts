import { gaussKrugerCode } from '../../crs';
import { uniqueNames } from '../properties';

/**
 * Where a table's header and data are, as offices keep registers: a (merged) title row and a note
 * line ("填报单位：… 坐标系：CGCS2000 3度带 第39带 …") above the header, sometimes a header of two rows
 * (a merged group title such as 坐标 over X and Y), then the data, then a 合计 row and a
 * "审核人：… 制表人：…" line. Pure: rows of cells in, positions out.
 */

export type Cell = string | number | boolean | Date | null;

export const isEmptyCell = (cell: Cell | undefined): boolean => cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');

const cellText = (cell: Cell | undefined): string => (isEmptyCell(cell) ? '' : cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell).trim());

/** A row's non-empty cells as one line of text. */
export const rowText = (row: readonly Cell[] | undefined): string => (row ?? []).map(cellText).filter((text) => text !== '').join(' ');

const filledCount = (row: readonly Cell[] | undefined): number => (row ?? []).filter((cell) => !isEmptyCell(cell)).length;

/** Header rows are searched for among the first rows only: a register's title block is short. */
export const HEADER_SEARCH_ROWS = 30;

export interface Header {
  /** 0-based index of the header's first row in `rows`. */
  index: number;
  rowCount: 1 | 2;
  /** Column names, unique (blanks `列N`, repeats `_2`). */
  names: string[];
  /** Per column, the sub-header alone (a two-row header), also tried when looking for coordinate columns. */
  alternates: (string | undefined)[];
}

const NUMBER_LIKE = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const isTextCell = (cell: Cell | undefined): boolean => typeof cell === 'string' && cell.trim() !== '' && !NUMBER_LIKE.test(cell.trim());

/**
 * True when `next` is the second row of a two-row header under `top`: only text, no fuller than `top`, and at least one
 * of its cells stands under an empty cell of `top` that a group title on its left spans (read-excel-file
 * gives a merged cell's value in its first cell only).
 */
function isSubHeader(top: readonly Cell[], next: readonly Cell[] | undefined): boolean {
  // A group title row is at least as full as the row under it (a title or note line over the real header is not).
  if (next === undefined || filledCount(next) === 0 || filledCount(top) < 2 || filledCount(next) > filledCount(top)) return false;
  if (!next.every((cell) => isEmptyCell(cell) || isTextCell(cell))) return false;
  let groupOnLeft = false;
  const width = Math.max(top.length, next.length);
  for (let column = 0; column < width; column += 1) {
    if (!isEmptyCell(top[column])) groupOnLeft = true;
    else if (groupOnLeft && !isEmptyCell(next[column])) return true;
  }
  return false;
}

/** The header whose first row is `rows[index]`: one row, or two when the next row is a sub-header. */
export function headerAt(rows: readonly (readonly Cell[])[], index: number): Header {
  const top = rows[index] ?? [];
  const next = rows[index + 1];
  if (!isSubHeader(top, next)) {
    return { index, rowCount: 1, names: uniqueNames(top.map(cellText)), alternates: top.map(() => undefined) };
  }
  const width = Math.max(top.length, next!.length);
  const raw: string[] = [];
  const alternates: (string | undefined)[] = [];
  let group = '';
  for (let column = 0; column < width; column += 1) {
    const above = cellText(top[column]);
    const below = cellText(next![column]);
    if (above !== '') group = above;
    if (below === '') {
      // A column whose title spans both rows (merged vertically).
      raw.push(above);
      alternates.push(undefined);
    } else {
      raw.push(group === '' ? below : `${group}${below}`);
      alternates.push(below);
    }
  }
  return { index, rowCount: 2, names: uniqueNames(raw), alternates };
}

/**
 * The header to use when no row names coordinate columns: the first row (of the first
 * HEADER_SEARCH_ROWS) filled at least half as much as the fullest one — a title or a one-cell note
 * is passed over.
 */
export function fallbackHeaderIndex(rows: readonly (readonly Cell[])[]): number {
  const candidates: number[] = [];
  for (let index = 0; index < rows.length && candidates.length < HEADER_SEARCH_ROWS; index += 1) if (filledCount(rows[index]) > 0) candidates.push(index);
  if (candidates.length === 0) return -1;
  const fullest = Math.max(...candidates.map((index) => filledCount(rows[index])));
  return candidates.find((index) => filledCount(rows[index]) >= Math.max(2, Math.ceil(fullest / 2))) ?? (candidates[0] as number);
}

/** The first non-empty rows, up to HEADER_SEARCH_ROWS, as candidates for the header. */
export function headerCandidates(rows: readonly (readonly Cell[])[]): number[] {
  const candidates: number[] = [];
  for (let index = 0; index < rows.length && candidates.length < HEADER_SEARCH_ROWS; index += 1) if (filledCount(rows[index]) > 0) candidates.push(index);
  return candidates;
}

/** A total or signature line after the data: 合计/总计/小计, 审核人：, 制表人：, 填表人：, 负责人：, 注：, 备注… */
const FOOTER = /^(?:合\s*计|总\s*计|小\s*计|共\s*计|审\s*核|审\s*批|制\s*表|填\s*表|填\s*报\s*人|负\s*责\s*人|签\s*字|盖\s*章|注\s*[:：]|备\s*注|说\s*明)/;

/** True for a row that closes the table rather than holding a feature: it starts with 合计, 审核人… or has no coordinates. */
export function isFooterRow(row: readonly Cell[], coordinateColumns: readonly [number, number]): boolean {
  // Only the row's first cell: a last well whose 备注 reads "注：…" is still a well.
  const first = row.map(cellText).find((text) => text !== '');
  if (first !== undefined && FOOTER.test(first)) return true;
  return isEmptyCell(row[coordinateColumns[0]]) && isEmptyCell(row[coordinateColumns[1]]);
}

/** The index just past the last data row: trailing total, signature and coordinate-less rows are left out. */
export function dataEnd(rows: readonly (readonly Cell[])[], start: number, coordinateColumns: readonly [number, number]): number {
  let end = rows.length;
  while (end > start) {
    const row = rows[end - 1] ?? [];
    if (filledCount(row) > 0 && !isFooterRow(row, coordinateColumns)) break;
    end -= 1;
  }
  return end;
}

/**
 * The CRS a note line names ("坐标系：CGCS2000 3度带 第39带", "2000国家大地坐标系 中央经线117°",
 * "WGS84"), or null. Whether the eastings carry the zone number is read from the values (`maxAbs`, the
 * largest coordinate magnitude): ≥ 10,000,000 means prefixed eastings.
 */
export function crsFromNote(text: string, maxAbs: number): string | null {
  const at = text.search(/坐标系|坐标系统|投影|CGCS|WGS/i);
  if (at < 0) return null;
  const note = text.slice(at).normalize('NFKC');
  if (/WGS\s*-?\s*84/i.test(note) && !/CGCS|2000/.test(note)) return 'EPSG:4326';
  if (!/CGCS\s*-?\s*2000|2000\s*国家|国家\s*2000|中国\s*2000|2000\s*坐标/i.test(note)) return null;
  const sixDegree = /(?:6|六)\s*(?:度|°)/.test(note);
  const width: 3 | 6 = sixDegree ? 6 : 3;
  const meridian = /中央(?:经线|子午线)\D{0,4}(\d{2,3})/.exec(note);
  const zone = /第\s*(\d{2})\s*带|(\d{2})\s*(?:号)?带/.exec(note);
  let centralMeridian: number | null = null;
  if (meridian) centralMeridian = Number(meridian[1]);
  else if (zone) {
    const number = Number(zone[1] ?? zone[2]);
    centralMeridian = width === 3 ? number * 3 : number * 6 - 3;
  }
  if (centralMeridian === null) return null;
  return gaussKrugerCode({ zoneWidthDegrees: width, centralMeridian, zonePrefix: maxAbs >= 10_000_000 });
}
