// The county atlas: one map page per county, zoomed to it (the others veiled), with the county's
// own progress on each target and its overdue features under the map.
import type { CalendarDate } from '../model/calendar-date';
import { featureCodeOf } from '../model/format-value';
import { overdueFeatures } from '../analysis/overdue-features';
import { progressByCounty } from '../analysis/progress-by-county';
import { formatAmount, type BulletinTargetInput } from './bulletin';
import { geometryBounds } from './geometry';
import { drawMapPage, type LegendEntry, type MapPageTexts, type PrintBasemap, type PrintCounty, type PrintLayer } from './map-page';
import { mapPageLayout, paperPoints, pointsPerMm, type Orientation, type PaperSize } from './paper';
import type { PdfPage } from './pdf-document';
import { fitBounds } from './projection';
import { fill } from './surface';
import { drawTable, rowHeight, type Column } from './table';
import type { Rect } from './paper';
import type { Surface } from './surface';

export interface AtlasTexts {
  /** `{{county}}` (and `{{title}}`). */
  pageTitle: string;
  numbersHeading: string;
  targetColumn: string;
  doneColumn: string;
  baseColumn: string;
  percentColumn: string;
  /** `{{count}}`. */
  overdueHeading: string;
  overdueNone: string;
  codeColumn: string;
  plannedColumn: string;
  daysColumn: string;
  /** `{{count}}` rows not printed. */
  overdueMore: string;
  /** `{{count}}` targets not printed. */
  targetsMore: string;
}

export interface AtlasInput {
  paper: PaperSize;
  orientation: Orientation;
  layers: readonly PrintLayer[];
  basemap: PrintBasemap;
  legend: readonly LegendEntry[];
  /** The map texts; `title` is the atlas's title. */
  texts: MapPageTexts;
  atlasTexts: AtlasTexts;
  /** The counties to print, in order (adcodes of basemap.counties). */
  counties: readonly number[];
  targets: readonly BulletinTargetInput[];
  asOf: CalendarDate;
  language: string;
  demo: boolean;
}

/** One county's numbers: a row per target (done, its share or scope, percent) and its overdue features. */
export function countyNumbers(input: Pick<AtlasInput, 'targets' | 'asOf' | 'language'>, adcode: number) {
  // Core targets first: they are the ones kept when the table has to be cut.
  const ordered = [...input.targets.filter((entry) => entry.core), ...input.targets.filter((entry) => !entry.core)];
  const rows = ordered.map(({ target, features, title, unit }) => {
    const row = progressByCounty(target, features, [adcode]).find((candidate) => candidate.county === adcode)!;
    const digits = target.metric.kind === 'count' ? 0 : 1;
    const base = row.quantity ?? row.scope;
    const percent = row.percentOfQuantity ?? row.percentOfScope;
    return [title, `${formatAmount(row.done, digits, input.language)} ${unit}`, `${formatAmount(base, digits, input.language)} ${unit}`, percent === null ? '—' : `${formatAmount(percent, 1, input.language)}%`];
  });
  const overdue = input.targets.flatMap(({ target, layer, features, core }) =>
    core && layer.schedule && target.quantity !== null
      ? overdueFeatures(layer, features.filter((feature) => feature.county === adcode), input.asOf, { where: target.metric.scope.where }).map((row) => [featureCodeOf(layer, row.feature), row.plannedDate, String(row.daysOverdue)])
      : [],
  );
  return { rows, overdue };
}

export function atlasPages(input: AtlasInput): PdfPage[] {
  const layout = mapPageLayout(input.paper, input.orientation, 0.34);
  const mm = (value: number) => value * pointsPerMm * layout.scale;
  return input.counties.map((adcode) => {
    const county = input.basemap.counties.find((candidate) => candidate.adcode === adcode) as PrintCounty;
    const view = fitBounds(geometryBounds(county.geometry), layout.map, 0.05);
    const numbers = countyNumbers(input, adcode);
    const { atlasTexts } = input;
    return {
      ...paperPoints(input.paper, input.orientation),
      draw(surface) {
        drawMapPage(surface, {
          layout,
          scale: layout.scale,
          view,
          layers: input.layers,
          basemap: input.basemap,
          focusCounty: adcode,
          legend: input.legend,
          demo: input.demo,
          texts: { ...input.texts, title: fill(atlasTexts.pageTitle, { county: county.name, title: input.texts.title }) },
        });
        const notes = layout.notes;
        const size = mm(3);
        const half = (notes.width - mm(6)) / 2;
        surface.text(atlasTexts.numbersHeading, notes.x, notes.y, { size: mm(3.6), color: '#222222' });
        const tableTop = notes.y + mm(6);
        const numberColumns = [{ share: 0.4 }, { share: 0.2, align: 'right' as const }, { share: 0.22, align: 'right' as const }, { share: 0.18, align: 'right' as const }];
        const numberHeader = [atlasTexts.targetColumn, atlasTexts.doneColumn, atlasTexts.baseColumn, atlasTexts.percentColumn];
        const numbersBox = { x: notes.x, y: tableTop, width: half, height: notes.height - mm(6) - size * 1.6 };
        // Smaller type before leaving targets out; what still does not fit is counted.
        const tableSize = [size, size * 0.85, size * 0.72].find((candidate) => fitsRows(surface, numbersBox, numberColumns, numberHeader, numbers.rows, candidate)) ?? size * 0.72;
        const listed = drawTable(surface, numbersBox, numberColumns, numberHeader, numbers.rows, tableSize);
        if (listed < numbers.rows.length) surface.text(fill(atlasTexts.targetsMore, { count: numbers.rows.length - listed }), notes.x, notes.y + notes.height - size * 1.4, { size, color: '#555555' });
        const right = notes.x + half + mm(6);
        const heading = numbers.overdue.length === 0 ? atlasTexts.overdueNone : fill(atlasTexts.overdueHeading, { count: numbers.overdue.length });
        surface.text(heading, right, notes.y, { size: mm(3.6), color: numbers.overdue.length === 0 ? '#222222' : '#b00020' });
        if (numbers.overdue.length > 0) {
          const box = { x: right, y: tableTop, width: half, height: notes.height - mm(6) - size * 1.8 };
          // Two lists side by side hold twice the rows; what still does not fit is counted.
          const columns = [{ share: 0.5 }, { share: 0.3 }, { share: 0.2, align: 'right' as const }];
          const header = [atlasTexts.codeColumn, atlasTexts.plannedColumn, atlasTexts.daysColumn];
          const first = drawTable(surface, { ...box, width: half / 2 - mm(2) }, columns, header, numbers.overdue, size * 0.9);
          const second = first < numbers.overdue.length ? drawTable(surface, { ...box, x: right + half / 2 + mm(2), width: half / 2 - mm(2) }, columns, header, numbers.overdue.slice(first), size * 0.9) : 0;
          const left = numbers.overdue.length - first - second;
          if (left > 0) surface.text(fill(atlasTexts.overdueMore, { count: left }), right, notes.y + notes.height - size * 1.4, { size, color: '#555555' });
        }
      },
    };
  });
}

function fitsRows(surface: Surface, box: Rect, columns: readonly Column[], header: readonly string[], rows: readonly (readonly string[])[], size: number): boolean {
  const height = [header, ...rows].reduce((sum, row) => sum + rowHeight(surface, box.width, columns, row, size), 0);
  return height <= box.height;
}
