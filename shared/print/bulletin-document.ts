// The bulletin's words around its numbers, shared by the PDF and the .docx writers: headings,
// table headers and rows, sentences. Texts arrive from the app's locale files as templates.
import { formatAmount, type BulletinModel } from './bulletin';
import { fill } from './surface';

export interface BulletinTexts {
  dateLine: string;
  issuerLine: string;
  overallHeading: string;
  targetColumn: string;
  doneColumn: string;
  quantityColumn: string;
  percentColumn: string;
  planColumn: string;
  gapColumn: string;
  /** `{{points}}` percentage points ahead of / behind the plan line. */
  ahead: string;
  behind: string;
  rankingHeading: string;
  /** `{{title}} {{fastest}} {{fastestPercent}} {{slowest}} {{slowestPercent}}`. */
  rankingSentence: string;
  rankingNone: string;
  rankColumn: string;
  countyColumn: string;
  baseColumn: string;
  overdueHeading: string;
  overdueNone: string;
  /** `{{county}} {{count}}`. */
  overdueCounty: string;
  codeColumn: string;
  plannedColumn: string;
  daysColumn: string;
  mapsHeading: string;
  /** `{{title}}`. */
  mapCaption: string;
  sourcesHeading: string;
  demoNote: string;
}

export interface BulletinText {
  title: string;
  asOf: string;
  issuer: string;
  language: string;
  texts: BulletinTexts;
  sources: readonly string[];
}

export interface BulletinTable {
  header: string[];
  rows: string[][];
  /** Share of the width per column and which are numbers (right-aligned). */
  shares: number[];
  numeric: boolean[];
}

export interface BulletinSections {
  overall: BulletinTable;
  rankings: { sentence: string; table: BulletinTable }[];
  overdue: { heading: string; table: BulletinTable }[];
}

export function bulletinSections(model: BulletinModel, text: BulletinText): BulletinSections {
  const { texts, language } = text;
  const percent = (value: number | null) => (value === null ? '—' : `${formatAmount(value, 1, language)}%`);
  const overall: BulletinTable = {
    header: [texts.targetColumn, texts.doneColumn, texts.quantityColumn, texts.percentColumn, texts.planColumn, texts.gapColumn],
    shares: [0.3, 0.14, 0.14, 0.12, 0.14, 0.16],
    numeric: [false, true, true, true, true, true],
    rows: model.targets.map((row) => {
      const gap = row.percent === null || row.planPercent === null ? null : row.percent - row.planPercent;
      return [
        row.title,
        `${formatAmount(row.done, row.fractionDigits, language)} ${row.unit}`,
        row.quantity === null ? '—' : `${formatAmount(row.quantity, 0, language)} ${row.unit}`,
        percent(row.percent),
        percent(row.planPercent),
        gap === null ? '—' : fill(gap >= 0 ? texts.ahead : texts.behind, { points: formatAmount(Math.abs(gap), 1, language) }),
      ];
    }),
  };
  const rankings = model.rankings.map((ranking) => ({
    sentence:
      ranking.fastest && ranking.slowest
        ? fill(texts.rankingSentence, { title: ranking.title, fastest: ranking.fastest.name, fastestPercent: formatAmount(ranking.fastest.percent, 1, language), slowest: ranking.slowest.name, slowestPercent: formatAmount(ranking.slowest.percent, 1, language) })
        : fill(texts.rankingNone, { title: ranking.title }),
    table: {
      header: [texts.rankColumn, texts.countyColumn, texts.doneColumn, texts.baseColumn, texts.percentColumn],
      shares: [0.1, 0.3, 0.2, 0.2, 0.2],
      numeric: [true, false, true, true, true],
      rows: ranking.rows.map((row, index) => {
        const digits = model.targets.find((target) => target.targetId === ranking.targetId)?.fractionDigits ?? 0;
        return [String(index + 1), row.name, formatAmount(row.done, digits, language), formatAmount(row.base, digits, language), percent(row.percent)];
      }),
    },
  }));
  const overdue = model.overdue.map((county) => ({
    heading: fill(texts.overdueCounty, { county: county.name, count: county.items.length }),
    table: {
      header: [texts.codeColumn, texts.targetColumn, texts.plannedColumn, texts.daysColumn],
      shares: [0.3, 0.34, 0.2, 0.16],
      numeric: [false, false, false, true],
      rows: county.items.map((item) => [item.code, item.targetTitle, item.plannedDate, String(item.daysOverdue)]),
    },
  }));
  return { overall, rankings, overdue };
}
