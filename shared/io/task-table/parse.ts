// A 任务分解表 → targets of one set. Two shapes, told apart by the header:
// - one row per target: 目标/任务 (the report's wording), 数量, 单位, 截止日期, 图层, 计量方式,
//   求和字段, 完成状态, 范围条件 — and optionally one column per county (its share: the split);
// - one row per county, one column per target: each column's header names a target of the set
//   (its title or wording), the rows give that target's per-county split and its total.
// The header is found as the import wizard finds it (headerAt: title and note rows above, a
// two-row header); 合计 and signature rows below are left out. Every problem names the row and
// the column (1-based, with the column's letter and header) and nothing is returned then.
import { headerAt, headerCandidates, isFooterRow, type Cell, type Header } from '../formats/table-layout';
import { targetFieldName, targetIssues, targetSetIdOf, type LayerDefinition, type Target, type TargetSet } from '../../model';
import { cellText, findFieldByWords, findLayer, headerKey, headerUnit, parseDate, parseMetric, parseQuantity, parseScope, parseStatuses } from './cells';

export interface TaskTableContext {
  set: TargetSet;
  layers: readonly LayerDefinition[];
  /** The workspace's counties (names as the table writes them). */
  counties: readonly { adcode: number; name: string }[];
  /** Every stored target (ids stay unique; the per-county shape updates those of the set). */
  targets: readonly Target[];
  /** The file name, recorded as the targets' source. */
  source: string;
}

export interface TaskTableProblem {
  /** 1-based row of the sheet. */
  row: number;
  /** 1-based column and its letter and header text; null when the whole row is at fault. */
  column: number | null;
  columnLetter: string | null;
  header: string | null;
  /** The sentence's key (targets.table.<code>) and what it names. */
  code: string;
  values: Record<string, string | number>;
}

export type TaskTableResult =
  | { ok: true; shape: 'per-target' | 'per-county'; headerRow: number; targets: { target: Target; isNew: boolean; row: number }[] }
  | { ok: false; headerRow: number | null; problems: TaskTableProblem[] };

const COLUMNS = {
  title: ['目标', '目标任务', '任务', '任务名称', '目标名称', '工作任务', '项目', '名称', 'title', 'target'],
  quote: ['原文', '报告原文', '报告表述', '表述', '目标表述', 'quote', 'wording'],
  quantity: ['数量', '目标数量', '任务量', '目标任务量', '任务数', '目标值', 'quantity'],
  unit: ['单位', '计量单位', 'unit'],
  startDate: ['开始日期', '起始日期', '开始时间', 'start', 'startdate'],
  deadline: ['截止日期', '完成时限', '时限', '截止时间', '完成时间', 'deadline'],
  layer: ['图层', '专题图层', '数据图层', 'layer'],
  metric: ['计量方式', '指标', '统计方式', '口径', 'metric'],
  sumField: ['求和字段', '统计字段', 'sumfield'],
  statuses: ['完成状态', '计为完成', '计为完成的状态', '完成标准', 'donestatuses'],
  scope: ['范围', '范围条件', '筛选条件', '统计范围', 'scope'],
  county: ['县', '县区', '县市区', '区县', '县市', '地区', '行政区', '县级行政区', 'county'],
} as const;
type Column = keyof typeof COLUMNS;

export const columnLetter = (index: number): string => {
  let letters = '';
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
};

interface Layout {
  header: Header;
  columns: Partial<Record<Column, number>>;
  /** Columns named after a county: index → adcode. */
  countyColumns: Map<number, number>;
}

function layoutOf(header: Header, counties: TaskTableContext['counties']): Layout {
  const columns: Partial<Record<Column, number>> = {};
  const countyColumns = new Map<number, number>();
  header.names.forEach((name, index) => {
    const keys = [headerKey(name), headerKey(header.alternates[index] ?? '')];
    const column = (Object.keys(COLUMNS) as Column[]).find((candidate) => (COLUMNS[candidate] as readonly string[]).some((word) => keys.includes(word)));
    if (column !== undefined && columns[column] === undefined) columns[column] = index;
    else {
      const county = counties.find((candidate) => keys.includes(headerKey(candidate.name)));
      if (county !== undefined) countyColumns.set(index, county.adcode);
    }
  });
  return { header, columns, countyColumns };
}

/** The header row: the first leading row naming a title and a quantity (one row per target), or a county column and another (one row per county). */
function findLayout(rows: readonly (readonly Cell[])[], context: TaskTableContext): Layout | null {
  for (const index of headerCandidates(rows)) {
    const layout = layoutOf(headerAt(rows, index), context.counties);
    const { columns } = layout;
    if (columns.title !== undefined && (columns.quantity !== undefined || columns.layer !== undefined)) return layout;
    if (columns.county !== undefined && layout.header.names.filter((name) => name.trim() !== '').length >= 2) return layout;
  }
  return null;
}

/** Where a target's path is written in the per-target shape. */
const PATH_COLUMNS: readonly [string, Column][] = [
  ['title', 'title'],
  ['quote', 'quote'],
  ['quantity', 'quantity'],
  ['unit', 'unit'],
  ['startDate', 'startDate'],
  ['deadline', 'deadline'],
  ['layerId', 'layer'],
  ['metric.kind', 'metric'],
  ['metric.field', 'sumField'],
  ['metric.scope', 'scope'],
  ['metric.done', 'statuses'],
];

export function parseTaskTable(rows: readonly (readonly Cell[])[], context: TaskTableContext): TaskTableResult {
  const layout = findLayout(rows, context);
  if (layout === null) return { ok: false, headerRow: null, problems: [{ row: 1, column: null, columnLetter: null, header: null, code: 'noHeader', values: {} }] };
  const headerRow = layout.header.index + 1;
  const problems: TaskTableProblem[] = [];
  const problem = Object.assign(
    (rowIndex: number, column: number | null, code: string, values: Record<string, string | number> = {}): void => {
      problems.push({ row: rowIndex + 1, column: column === null ? null : column + 1, columnLetter: column === null ? null : columnLetter(column), header: column === null ? null : (layout.header.names[column] ?? null), code, values });
    },
    { count: () => problems.length },
  );
  const isPerTarget = layout.columns.title !== undefined;
  const keyColumn = (isPerTarget ? layout.columns.title : layout.columns.county) as number;
  const dataRows: number[] = [];
  for (let index = layout.header.index + layout.header.rowCount; index < rows.length; index += 1) {
    const row = rows[index] ?? [];
    const firstFilled = row.findIndex((cell) => cellText(cell) !== '');
    if (firstFilled < 0) continue;
    // A 合计, 全市 or signature row closes the table (the wizard's footer rule, on the first filled cell).
    if (isFooterRow(row, [firstFilled, firstFilled]) || /^全\s*市/.test(cellText(row[firstFilled]))) continue;
    if (cellText(row[keyColumn]) === '') problem(index, keyColumn, 'emptyKey');
    else dataRows.push(index);
  }
  if (dataRows.length === 0 && problems.length === 0) problem(layout.header.index, null, 'noRows');
  const result = isPerTarget ? perTargetRows(rows, dataRows, layout, context, problem) : perCountyRows(rows, dataRows, layout, context, problem);
  if (problems.length > 0) return { ok: false, headerRow, problems };
  return { ok: true, shape: isPerTarget ? 'per-target' : 'per-county', headerRow, targets: result };
}

/** Records a problem; `count` says how many so far (a row with a bad cell is not built). */
type Problem = ((rowIndex: number, column: number | null, code: string, values?: Record<string, string | number>) => void) & { count(): number };

function perTargetRows(rows: readonly (readonly Cell[])[], dataRows: readonly number[], layout: Layout, context: TaskTableContext, problem: Problem): { target: Target; isNew: boolean; row: number }[] {
  const { columns } = layout;
  const cell = (row: readonly Cell[], column: Column): Cell | undefined => (columns[column] === undefined ? undefined : row[columns[column] as number]);
  const text = (row: readonly Cell[], column: Column): string => cellText(cell(row, column));
  const takenIds = new Set(context.targets.map((target) => target.id));
  const year = context.set.year;
  const out: { target: Target; isNew: boolean; row: number }[] = [];
  let sequence = 0;
  for (const index of dataRows) {
    const row = rows[index] ?? [];
    const before = problem.count();
    const fail = (column: Column, code: string, values: Record<string, string | number> = {}): void => problem(index, columns[column] ?? null, code, values);
    const title = text(row, 'title');
    const quantity = parseQuantity(cell(row, 'quantity'));
    if (quantity === 'invalid') fail('quantity', 'badNumber', { value: text(row, 'quantity') });
    const unit = text(row, 'unit') || (columns.quantity === undefined ? '' : (headerUnit(layout.header.names[columns.quantity] ?? '') ?? ''));
    if (unit === '') fail(columns.unit === undefined ? 'quantity' : 'unit', 'noUnit');
    const startDate = parseDate(cell(row, 'startDate'), year) ?? `${year}-01-01`;
    const deadline = parseDate(cell(row, 'deadline'), year) ?? `${year}-12-31`;
    if (startDate === 'invalid') fail('startDate', 'badDate', { value: text(row, 'startDate') });
    if (deadline === 'invalid') fail('deadline', 'badDate', { value: text(row, 'deadline') });
    const layer = findLayer(context.layers, text(row, 'layer'));
    if (layer === undefined) {
      fail('layer', text(row, 'layer') === '' ? 'noLayer' : 'unknownLayer', { value: text(row, 'layer'), layers: context.layers.map((candidate) => candidate.name.zh).join('、') });
      continue;
    }
    const kind = parseMetric(text(row, 'metric'), unit);
    if (kind === 'invalid') fail('metric', 'badMetric', { value: text(row, 'metric') });
    const sumField = text(row, 'sumField') === '' ? undefined : findFieldByWords(layer, text(row, 'sumField'));
    if (kind === 'sum' && sumField === undefined) fail('sumField', 'unknownField', { value: text(row, 'sumField'), layer: layer.name.zh });
    const { statuses, unknown } = parseStatuses(layer, text(row, 'statuses'));
    if (unknown.length > 0) fail('statuses', 'unknownStatus', { value: unknown.join('、'), layer: layer.name.zh });
    const scope = parseScope(layer, text(row, 'scope'));
    if (scope.problem !== null) fail('scope', 'badScope', { value: scope.problem, layer: layer.name.zh });
    const split: { county: number; quantity: number }[] = [];
    for (const [column, county] of layout.countyColumns) {
      const share = parseQuantity(row[column]);
      if (share === 'invalid' || share.qualifier !== undefined) problem(index, column, 'badNumber', { value: cellText(row[column]) });
      else if (share.quantity !== null) split.push({ county, quantity: share.quantity });
    }
    if (title === '' || quantity === 'invalid' || startDate === 'invalid' || deadline === 'invalid' || kind === 'invalid' || problem.count() > before) {
      if (title === '') fail('title', 'emptyKey');
      continue;
    }
    do sequence += 1;
    while (takenIds.has(`${context.set.id}-t${sequence}`));
    const id = `${context.set.id}-t${sequence}`;
    takenIds.add(id);
    const doneState = layer.status.states.find((state) => statuses.includes(state.value) && state.dateField !== undefined);
    const metricBase = { scope: { where: scope.where }, done: { statuses, where: [] } };
    const candidate = {
      id,
      setId: context.set.id,
      title: { zh: title, en: title },
      quote: { text: text(row, 'quote') || title, sentence: text(row, 'quote') || title, source: context.source },
      quantity: quantity.quantity,
      ...(quantity.qualifier === undefined ? {} : { quantityQualifier: quantity.qualifier }),
      unit: { zh: unit, en: unit },
      startDate,
      deadline,
      layerId: layer.id,
      metric: kind === 'sum' ? { kind, field: sumField?.key ?? '', ...metricBase } : { kind, ...metricBase },
      ...(doneState?.dateField === undefined ? {} : { completionDateField: doneState.dateField }),
      ...(split.length === 0 ? {} : { countySplit: { kind: 'table' as const, rows: split } }),
    };
    const { target, issues } = targetIssues(candidate, context.layers);
    for (const issue of issues) {
      const column = PATH_COLUMNS.find(([path]) => issue.path === path || issue.path.startsWith(`${path}.`))?.[1];
      problem(index, column === undefined ? null : (columns[column] ?? null), 'invalid', { field: targetFieldName(issue.path).zh, message: issue.message });
    }
    if (target !== null) out.push({ target, isNew: true, row: index + 1 });
  }
  return out;
}

function perCountyRows(rows: readonly (readonly Cell[])[], dataRows: readonly number[], layout: Layout, context: TaskTableContext, problem: Problem): { target: Target; isNew: boolean; row: number }[] {
  const countyColumn = layout.columns.county as number;
  const ofSet = context.targets.filter((target) => targetSetIdOf(target) === context.set.id);
  const targetColumns: { column: number; target: Target }[] = [];
  layout.header.names.forEach((name, column) => {
    if (column === countyColumn || name.trim() === '' || /^列\d+$/.test(name)) return;
    const key = headerKey(name);
    const target = ofSet.find((candidate) => headerKey(candidate.title.zh) === key || headerKey(candidate.quote.text) === key || candidate.id === name.trim());
    if (target === undefined) problem(layout.header.index, column, 'unknownTarget', { value: name, set: context.set.title.zh });
    else targetColumns.push({ column, target });
  });
  const splits = new Map<string, { county: number; quantity: number }[]>(targetColumns.map(({ target }) => [target.id, []]));
  const seen = new Set<number>();
  for (const index of dataRows) {
    const row = rows[index] ?? [];
    const name = cellText(row[countyColumn]);
    const county = context.counties.find((candidate) => headerKey(candidate.name) === headerKey(name));
    if (county === undefined) {
      problem(index, countyColumn, 'unknownCounty', { value: name });
      continue;
    }
    if (seen.has(county.adcode)) problem(index, countyColumn, 'countyTwice', { value: name });
    seen.add(county.adcode);
    for (const { column, target } of targetColumns) {
      const share = parseQuantity(row[column]);
      if (share === 'invalid' || share.qualifier !== undefined) problem(index, column, 'badNumber', { value: cellText(row[column]) });
      else if (share.quantity !== null) splits.get(target.id)?.push({ county: county.adcode, quantity: share.quantity });
    }
  }
  return targetColumns.map(({ target, column }) => {
    const rowsOfSplit = splits.get(target.id) ?? [];
    const total = rowsOfSplit.reduce((sum, row) => sum + row.quantity, 0);
    if (rowsOfSplit.length === 0 || total <= 0) problem(layout.header.index, column, 'emptySplit', { value: target.title.zh });
    const updated: Target = { ...target, quantity: total > 0 ? total : target.quantity, countySplit: { kind: 'table', rows: rowsOfSplit.length === 0 ? [{ county: 0, quantity: 0 }] : rowsOfSplit } };
    return { target: updated, isNew: false, row: layout.header.index + 1 };
  });
}
