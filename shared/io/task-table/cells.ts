// Reading one cell of a 任务分解表 as what it means: a number (with 以上 / 左右), a date as
// offices write them, a layer, a field, statuses and a scope filter in the planner's words.
import type { Cell } from '../formats/table-layout';
import type { FieldCondition, FieldDefinition, LayerDefinition, TargetMetricKind } from '../../model';

export const cellText = (cell: Cell | undefined): string =>
  cell === null || cell === undefined ? '' : cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell).trim();

/** A header's words without spaces, punctuation or a unit in brackets: `数量（个）` → `数量`. */
export const headerKey = (text: string): string =>
  text
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[（(［[][^）)］\]]*[）)］\]]/g, '')
    .replace(/[\s_\-:：、/]/g, '');

/** The unit a header carries in brackets: `数量（个）` → `个`. */
export const headerUnit = (text: string): string | null => /[（(]([^）)]+)[）)]\s*$/.exec(text)?.[1]?.trim() ?? null;

/** A quantity: a number, or text such as `1,285`, `100以上`, `约40`, `40左右`; null when empty. */
export function parseQuantity(cell: Cell | undefined): { quantity: number | null; qualifier?: 'at-least' | 'about' } | 'invalid' {
  if (typeof cell === 'number') return Number.isFinite(cell) ? { quantity: cell } : 'invalid';
  const text = cellText(cell).replace(/[,，\s]/g, '');
  if (text === '' || text === '—' || text === '-' || text === '/') return { quantity: null };
  const match = /^(约|大约)?([0-9]+(?:\.[0-9]+)?)(万)?(以上|及以上|左右)?$/.exec(text);
  if (match === null) return 'invalid';
  const quantity = Number(match[2]) * (match[3] === '万' ? 10_000 : 1);
  const qualifier = match[4] === '左右' || match[1] !== undefined ? 'about' : match[4] !== undefined ? 'at-least' : undefined;
  return qualifier === undefined ? { quantity } : { quantity, qualifier };
}

const pad = (value: string | number): string => String(value).padStart(2, '0');

/** A date as offices write it: a date cell, `2022-12-31`, `2022/6/30`, `2022.6.30`, `2022年6月30日`, `2022年底`, `年底` (the set's year). */
export function parseDate(cell: Cell | undefined, year: number): string | null | 'invalid' {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? 'invalid' : cell.toISOString().slice(0, 10);
  const text = cellText(cell).replace(/\s/g, '');
  if (text === '') return null;
  const full = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text);
  if (full !== null) {
    const iso = `${full[1]}-${pad(full[2] as string)}-${pad(full[3] as string)}`;
    const date = new Date(`${iso}T00:00:00Z`);
    return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? 'invalid' : iso;
  }
  const endOfYear = /^(?:(\d{4})年)?(?:底|年底|末|年末)$/.exec(text);
  if (endOfYear !== null) return `${endOfYear[1] ?? year}-12-31`;
  const month = /^(?:(\d{4})年)?(\d{1,2})月(?:底|末)?$/.exec(text);
  if (month !== null) {
    const y = Number(month[1] ?? year);
    const m = Number(month[2]);
    if (m < 1 || m > 12) return 'invalid';
    return `${y}-${pad(m)}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;
  }
  return 'invalid';
}

const sameWords = (left: string, right: string): boolean => headerKey(left) === headerKey(right);

export function findLayer(layers: readonly LayerDefinition[], text: string): LayerDefinition | undefined {
  return layers.find((layer) => layer.id === text.trim() || sameWords(layer.name.zh, text) || sameWords(layer.name.en, text));
}

export function findFieldByWords(layer: LayerDefinition, text: string): FieldDefinition | undefined {
  return layer.fields.find((field) => field.key === text.trim() || sameWords(field.label.zh, text) || sameWords(field.label.en, text));
}

const METRIC_WORDS: readonly [TargetMetricKind, readonly string[]][] = [
  ['count', ['count', '数量', '个数', '计数', '处数', '数目']],
  ['area-mu', ['area', 'areamu', '面积', '亩', '面积亩']],
  ['length-km', ['length', 'lengthkm', '长度', '里程', '公里', '千米', 'km']],
  ['sum', ['sum', '求和', '之和', '合计', '字段之和', '字段求和']],
];

/** The metric a cell names; empty: inferred from the unit (亩 → area, 公里 → length, else count). */
export function parseMetric(text: string, unit: string): TargetMetricKind | 'invalid' {
  const key = headerKey(text);
  if (key === '') {
    if (/亩/.test(unit)) return 'area-mu';
    if (/公里|千米|km/i.test(unit)) return 'length-km';
    return 'count';
  }
  return METRIC_WORDS.find(([, words]) => words.includes(key))?.[0] ?? 'invalid';
}

const LIST_SEPARATORS = /[、,，;；/|]+/;

/** Statuses by label or value: `已封填、已核验`; empty: the layer's done statuses (its schedule), else its last state. */
export function parseStatuses(layer: LayerDefinition, text: string): { statuses: string[]; unknown: string[] } {
  const words = text.split(LIST_SEPARATORS).map((word) => word.trim()).filter((word) => word !== '');
  if (words.length === 0) return { statuses: layer.schedule?.doneStatuses ?? [layer.status.states.at(-1)?.value as string], unknown: [] };
  const statuses: string[] = [];
  const unknown: string[] = [];
  for (const word of words) {
    const state = layer.status.states.find((candidate) => candidate.value === word || sameWords(candidate.label.zh, word) || sameWords(candidate.label.en, word));
    if (state === undefined) unknown.push(word);
    else if (!statuses.includes(state.value)) statuses.push(state.value);
  }
  return { statuses, unknown };
}

/** One value of a scope condition in the field's type: an allowed value by label, a number, 是/否. */
function conditionValue(field: FieldDefinition, word: string): string | number | boolean | undefined {
  if (field.type === 'enum') return field.values.find((option) => option.value === word || sameWords(option.label.zh, word) || sameWords(option.label.en, word))?.value;
  if (field.type === 'integer' || field.type === 'number') return /^-?\d+(\.\d+)?$/.test(word) ? Number(word) : undefined;
  if (field.type === 'boolean') return ['是', 'true', '1', 'yes'].includes(word.toLowerCase()) ? true : ['否', 'false', '0', 'no'].includes(word.toLowerCase()) ? false : undefined;
  return word;
}

/** A scope filter in words: `项目类型：老旧小区改造；计划年份：2022` (also `=`); each part a field and its values. */
export function parseScope(layer: LayerDefinition, text: string): { where: FieldCondition[]; problem: string | null } {
  const where: FieldCondition[] = [];
  for (const part of text.split(/[;；\n]+/).map((piece) => piece.trim()).filter((piece) => piece !== '')) {
    const match = /^([^:：=]+)[:：=](.+)$/.exec(part);
    if (match === null) return { where, problem: part };
    const field = findFieldByWords(layer, match[1] as string);
    if (field === undefined) return { where, problem: match[1] as string };
    const values: (string | number | boolean)[] = [];
    for (const word of (match[2] as string).split(/[、,，|/]+/).map((piece) => piece.trim()).filter((piece) => piece !== '')) {
      const value = conditionValue(field, word);
      if (value === undefined) return { where, problem: word };
      values.push(value);
    }
    where.push({ field: field.key, in: values });
  }
  return { where, problem: null };
}
