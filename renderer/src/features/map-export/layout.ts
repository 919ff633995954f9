// Pure layout of an exported map page (no DOM): paper sizes, the boxes of the page, the scale bar,
// the legend entries and their placement, text wrapping, the file name. compose.ts draws it.
import type { LayerDefinition } from '../../../../shared/model';
import { localized } from '../../lib/localize';
import { statusColors, symbolFamilyOf } from '../../map/planning-layers';

export type PaperId = 'a4-landscape' | 'a4-portrait' | 'a3-landscape';
export const paperIds: readonly PaperId[] = ['a4-landscape', 'a4-portrait', 'a3-landscape'];
export const papers: Record<PaperId, { widthMm: number; heightMm: number }> = {
  'a4-landscape': { widthMm: 297, heightMm: 210 },
  'a4-portrait': { widthMm: 210, heightMm: 297 },
  'a3-landscape': { widthMm: 420, heightMm: 297 },
};
export const dpiChoices: readonly number[] = [150, 300];

const millimetresPerInch = 25.4;
const pointsPerInch = 72;

/** The page in pixels at a resolution (A4 landscape at 150 dpi: 1754 × 1240). */
export function pagePixels(paper: PaperId, dpi: number): { width: number; height: number } {
  const { widthMm, heightMm } = papers[paper];
  return { width: Math.round((widthMm / millimetresPerInch) * dpi), height: Math.round((heightMm / millimetresPerInch) * dpi) };
}

/** The page in PDF points (A4 landscape: 841.89 × 595.28). */
export function pagePoints(paper: PaperId): { width: number; height: number } {
  const { widthMm, heightMm } = papers[paper];
  return { width: (widthMm / millimetresPerInch) * pointsPerInch, height: (heightMm / millimetresPerInch) * pointsPerInch };
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PageLayout {
  page: { width: number; height: number };
  /** Pixels per millimetre on paper. */
  pxPerMm: number;
  title: Rect;
  map: Rect;
  legend: Rect;
  footer: Rect;
  /** Where the legend sits: beside the map (landscape) or under it (portrait). */
  legendSide: 'right' | 'bottom';
}

/** Margins 10 mm; title band 16 mm; footer 13 mm; legend 62 mm wide beside the map (landscape) or 48 mm high under it (portrait). */
export function pageLayout(paper: PaperId, dpi: number): PageLayout {
  const page = pagePixels(paper, dpi);
  const k = dpi / millimetresPerInch;
  const mm = (value: number) => Math.round(value * k);
  const margin = mm(10);
  const gap = mm(4);
  const title: Rect = { x: margin, y: margin, width: page.width - 2 * margin, height: mm(16) };
  const footer: Rect = { x: margin, y: page.height - margin - mm(13), width: page.width - 2 * margin, height: mm(13) };
  const top = title.y + title.height;
  const bottom = footer.y - gap;
  const landscape = papers[paper].widthMm > papers[paper].heightMm;
  if (landscape) {
    const legendWidth = mm(62);
    const map: Rect = { x: margin, y: top, width: page.width - 2 * margin - legendWidth - gap, height: bottom - top };
    return { page, pxPerMm: k, title, footer, map, legend: { x: map.x + map.width + gap, y: top, width: legendWidth, height: map.height }, legendSide: 'right' };
  }
  const legendHeight = mm(48);
  const map: Rect = { x: margin, y: top, width: page.width - 2 * margin, height: bottom - top - legendHeight - gap };
  return { page, pxPerMm: k, title, footer, map, legend: { x: margin, y: map.y + map.height + gap, width: map.width, height: legendHeight }, legendSide: 'bottom' };
}

export interface ScaleBar {
  /** Ground length the bar stands for. */
  metres: number;
  /** Its length on the page, in pixels. */
  lengthPx: number;
  /** "500 m", "2 km". */
  label: string;
}

/**
 * The longest 1-2-5 length (…, 200 m, 500 m, 1 km, 2 km, …) whose bar fits in `maxLengthPx`, from the
 * ground metres per page pixel at the map's centre. Below 1 km in metres, from 1 km in kilometres.
 */
export function scaleBar(metresPerPixel: number, maxLengthPx: number): ScaleBar {
  if (!(metresPerPixel > 0) || !Number.isFinite(metresPerPixel) || !(maxLengthPx > 0)) throw new RangeError(`no scale bar for ${metresPerPixel} m/px over ${maxLengthPx} px`);
  const maxMetres = metresPerPixel * maxLengthPx;
  const magnitude = 10 ** Math.floor(Math.log10(maxMetres));
  const step = [5, 2, 1].find((candidate) => candidate * magnitude <= maxMetres * (1 + 1e-9)) ?? 1;
  const metres = step * magnitude;
  return { metres, lengthPx: metres / metresPerPixel, label: distanceLabel(metres) };
}

export function distanceLabel(metres: number): string {
  if (metres >= 1000) return `${trimNumber(metres / 1000)} km`;
  return `${trimNumber(metres)} m`;
}

const trimNumber = (value: number) => String(Number(value.toPrecision(6)));

/** The representative fraction at a resolution: 1 : (ground metres per page metre), to three figures (1:250,000). */
export function representativeFraction(metresPerPixel: number, dpi: number): number {
  const denominator = metresPerPixel / (millimetresPerInch / 1000 / dpi);
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(denominator)) - 2);
  return Math.round(denominator / magnitude) * magnitude;
}

export type SwatchShape = 'circle' | 'fill' | 'line' | 'dashed-line' | 'ring';

export type LegendEntry =
  | { kind: 'heading'; text: string }
  | { kind: 'item'; text: string; shape: SwatchShape; color: string; stroke?: string };

export interface LegendLayer {
  definition: LayerDefinition;
  /** Statuses shown, or null for all. */
  statuses: readonly string[] | null;
}

export interface BasemapLegendColors {
  county: string;
  city: string;
  lake: string;
  river: string;
  seat: string;
}

export interface LegendTexts {
  basemapHeading: string;
  county: string;
  city: string;
  lake: string;
  river: string;
  seat: string;
}

const shapeOf = (geometryType: LayerDefinition['geometryType']): SwatchShape =>
  geometryType === 'Point' ? 'circle' : geometryType === 'LineString' ? 'line' : 'fill';

/**
 * The legend: each visible planning layer (top of the drawing order first) with the statuses its
 * filter shows, in the colours the map draws them; then the basemap.
 */
export function legendEntries(layers: readonly LegendLayer[], language: string, basemap: { colors: BasemapLegendColors; texts: LegendTexts }): LegendEntry[] {
  const entries: LegendEntry[] = [];
  for (const { definition, statuses } of layers) {
    const colors = new Map(statusColors(definition));
    const shown = definition.status.states.filter((state) => statuses === null || statuses.includes(state.value));
    if (shown.length === 0) continue;
    entries.push({ kind: 'heading', text: localized(definition.name, language) });
    const shape = shapeOf(definition.geometryType);
    const family = symbolFamilyOf(definition);
    // Points and polygons carry their layer's outline as on the map (a white one is the swatch's default).
    const stroke = shape !== 'line' && family.stroke !== '#ffffff' ? { stroke: family.stroke } : {};
    for (const state of shown) entries.push({ kind: 'item', text: localized(state.label, language), shape, color: colors.get(state.value) ?? family.ramp[0]!, ...stroke });
  }
  const { colors, texts } = basemap;
  entries.push(
    { kind: 'heading', text: texts.basemapHeading },
    { kind: 'item', text: texts.city, shape: 'line', color: colors.city },
    { kind: 'item', text: texts.county, shape: 'dashed-line', color: colors.county },
    { kind: 'item', text: texts.river, shape: 'line', color: colors.river },
    { kind: 'item', text: texts.lake, shape: 'fill', color: colors.lake },
    { kind: 'item', text: texts.seat, shape: 'ring', color: '#ffffff', stroke: colors.seat },
  );
  return entries;
}

export interface PlacedLegendEntry {
  entry: LegendEntry;
  x: number;
  y: number;
}

/**
 * The legend's placement: the first of one column, two columns, then smaller lines, that fits
 * everything; else the one that leaves out the fewest entries. `lineHeight` is the full size.
 */
export function fitLegend(
  entries: readonly LegendEntry[],
  box: Rect,
  lineHeight: number,
  columnWidths: readonly number[],
): { placed: PlacedLegendEntry[]; omitted: number; scale: number; columnWidth: number } {
  let best: { placed: PlacedLegendEntry[]; omitted: number; scale: number; columnWidth: number } | null = null;
  for (const scale of [1, 0.85, 0.72]) {
    for (const columnWidth of columnWidths) {
      const result = { ...placeLegend(entries, box, lineHeight * scale, columnWidth), scale, columnWidth };
      if (result.omitted === 0) return result;
      if (!best || result.omitted < best.omitted) best = result;
    }
  }
  return best!;
}

/**
 * Flows the entries top to bottom in columns of `columnWidth` inside `box`; a heading never ends a
 * column. Returns what fits and how many entries did not.
 */
export function placeLegend(entries: readonly LegendEntry[], box: Rect, lineHeight: number, columnWidth: number): { placed: PlacedLegendEntry[]; omitted: number } {
  const rows = Math.max(1, Math.floor(box.height / lineHeight));
  const columns = Math.max(1, Math.floor(box.width / columnWidth));
  const placed: PlacedLegendEntry[] = [];
  let column = 0;
  let row = 0;
  for (let index = 0; index < entries.length; index += 1) {
    const entry = entries[index]!;
    const lastRow = row === rows - 1;
    if (row >= rows || (entry.kind === 'heading' && lastRow)) {
      column += 1;
      row = 0;
    }
    if (column >= columns) return { placed, omitted: entries.length - index };
    placed.push({ entry, x: box.x + column * columnWidth, y: box.y + row * lineHeight });
    row += 1;
  }
  return { placed, omitted: 0 };
}

// Line breaking (Chinese rules: closing punctuation never starts a line) is the printed pages' own.
export { wrapText } from '../../../../shared/print/surface';

/** `<workspace>规划一张图_2021-06-30.png`: the title (without the date it may already hold), the date, the format. */
export function mapFileName(title: string, date: string, format: 'png' | 'pdf'): string {
  const base = title.replace(/\s*[—–-]\s*\d{4}-\d{2}-\d{2}\s*$/, '').trim();
  const cleaned = [...base].map((character) => (character.charCodeAt(0) < 0x20 || '<>:"/\\|?*'.includes(character) ? '_' : character)).join('').replace(/\s+/g, ' ').trim();
  return `${cleaned || 'OneMap'}_${date}.${format}`;
}
