// The target editor's form state (strings and choices as typed) and the candidate target made from
// it; shared/model `targetIssues` then says what is wrong, field by field.
import type { FieldDefinition, LayerDefinition, Target, TargetMetricKind, TargetSet } from '../../../../shared/model';

export interface TargetDraft {
  titleZh: string;
  titleEn: string;
  quoteText: string;
  quoteSentence: string;
  source: string;
  quantity: string;
  qualifier: '' | 'at-least' | 'about';
  unitZh: string;
  unitEn: string;
  startDate: string;
  deadline: string;
  layerId: string;
  metricKind: TargetMetricKind;
  sumField: string;
  doneStatuses: string[];
  scopeField: string;
  /** Enum fields: the chosen values; other fields: typed, separated by commas. */
  scopeValues: string[];
  scopeText: string;
  split: boolean;
  /** Per county (adcode → typed quantity). */
  splitRows: Record<string, string>;
  note: string;
}

export function emptyDraft(set: TargetSet, layer: LayerDefinition | undefined): TargetDraft {
  return {
    titleZh: '',
    titleEn: '',
    quoteText: '',
    quoteSentence: '',
    source: set.title.zh,
    quantity: '',
    qualifier: '',
    unitZh: '',
    unitEn: '',
    startDate: `${set.year}-01-01`,
    deadline: `${set.year}-12-31`,
    layerId: layer?.id ?? '',
    metricKind: 'count',
    sumField: '',
    doneStatuses: layer?.schedule?.doneStatuses ?? [],
    scopeField: '',
    scopeValues: [],
    scopeText: '',
    split: false,
    splitRows: {},
    note: '',
  };
}

export function draftOf(target: Target): TargetDraft {
  const condition = target.metric.scope.where[0];
  return {
    titleZh: target.title.zh,
    titleEn: target.title.en === target.title.zh ? '' : target.title.en,
    quoteText: target.quote.text,
    quoteSentence: target.quote.sentence === target.quote.text ? '' : target.quote.sentence,
    source: target.quote.source,
    quantity: target.quantity === null ? '' : String(target.quantity),
    qualifier: target.quantityQualifier ?? '',
    unitZh: target.unit.zh,
    unitEn: target.unit.en === target.unit.zh ? '' : target.unit.en,
    startDate: target.startDate,
    deadline: target.deadline,
    layerId: target.layerId,
    metricKind: target.metric.kind,
    sumField: target.metric.kind === 'sum' ? target.metric.field : '',
    doneStatuses: target.metric.done.statuses ?? [],
    scopeField: condition?.field ?? '',
    scopeValues: condition === undefined ? [] : condition.in.map(String),
    scopeText: condition === undefined ? '' : condition.in.map(String).join(', '),
    split: target.countySplit?.kind === 'table',
    splitRows: target.countySplit?.kind === 'table' ? Object.fromEntries(target.countySplit.rows.map((row) => [String(row.county), String(row.quantity)])) : {},
    note: target.note ?? '',
  };
}

/** A scope value as the field stores it: numbers for number fields, true/false for booleans. */
function scopeValue(field: FieldDefinition | undefined, text: string): string | number | boolean {
  if (field?.type === 'integer' || field?.type === 'number') return text.trim() === '' || Number.isNaN(Number(text)) ? text : Number(text);
  if (field?.type === 'boolean') return text === 'true' || text === '是' ? true : text === 'false' || text === '否' ? false : text;
  return text.trim();
}

const numberOrText = (text: string): number | string => (text.trim() === '' || Number.isNaN(Number(text)) ? text : Number(text));

/**
 * The target the draft describes (not yet validated: `targetIssues` checks it). Blank English
 * words take the Chinese ones; a blank sentence the wording; fields the draft's metric does not
 * use are left out. A `scope` condition and the county split (blank counties left out) are kept
 * from the previous value's other parts where the form does not show them.
 */
export function targetFromDraft(draft: TargetDraft, id: string, setId: string, layer: LayerDefinition | undefined, previous?: Target): unknown {
  const scopeFieldDefinition = layer?.fields.find((field) => field.key === draft.scopeField);
  const values = scopeFieldDefinition?.type === 'enum' ? draft.scopeValues : draft.scopeText.split(/[,，、]/).filter((text) => text.trim() !== '');
  const where = draft.scopeField === '' ? [] : [{ field: draft.scopeField, in: values.map((text) => scopeValue(scopeFieldDefinition, text)) }, ...(previous?.metric.scope.where.slice(1) ?? [])];
  const scope = { where, ...(previous?.metric.scope.areaMu === undefined ? {} : { areaMu: previous.metric.scope.areaMu }) };
  const done = { statuses: draft.doneStatuses, where: previous?.metric.done.where ?? [] };
  const doneState = layer?.status.states.find((state) => draft.doneStatuses.includes(state.value) && state.dateField !== undefined);
  const splitRows = Object.entries(draft.splitRows)
    .filter(([, quantity]) => quantity.trim() !== '')
    .map(([county, quantity]) => ({ county: Number(county), quantity: numberOrText(quantity) }));
  return {
    id,
    setId,
    title: { zh: draft.titleZh.trim(), en: draft.titleEn.trim() || draft.titleZh.trim() },
    quote: { text: draft.quoteText.trim(), sentence: draft.quoteSentence.trim() || draft.quoteText.trim(), source: draft.source.trim() },
    quantity: draft.quantity.trim() === '' ? null : numberOrText(draft.quantity),
    ...(draft.qualifier === '' ? {} : { quantityQualifier: draft.qualifier }),
    unit: { zh: draft.unitZh.trim(), en: draft.unitEn.trim() || draft.unitZh.trim() },
    startDate: draft.startDate,
    deadline: draft.deadline,
    layerId: draft.layerId,
    metric: draft.metricKind === 'sum' ? { kind: 'sum', field: draft.sumField, scope, done } : { kind: draft.metricKind, scope, done },
    ...(previous?.completionDateField !== undefined ? { completionDateField: previous.completionDateField } : doneState?.dateField === undefined ? {} : { completionDateField: doneState.dateField }),
    ...(draft.split ? { countySplit: { kind: 'table', rows: splitRows } } : previous?.countySplit?.kind === 'each' ? { countySplit: previous.countySplit } : {}),
    ...(draft.note.trim() === '' ? {} : { note: draft.note.trim() }),
  };
}

/** A new target id in the set: `<set>-t<n>`, the first n not taken. */
export function newTargetId(setId: string, taken: ReadonlySet<string>): string {
  let sequence = 1;
  while (taken.has(`${setId}-t${sequence}`)) sequence += 1;
  return `${setId}-t${sequence}`;
}
