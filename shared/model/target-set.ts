// Target sets: one year's targets (the 2021 report's, the 2022 plan's…). A target names its set
// (`setId`); a target without one — the shipped 2021 targets, a hub's — belongs to the set of its
// start year, so the embedded data needs no rewrite. Validation here names the field at fault in
// words a planner reads (`targetIssues`), for the target editor, the 任务分解表 import and transact.
import { z } from 'zod';
import { localizedTextSchema } from './localized-text';
import { slugSchema } from './identifiers';
import { targetSchema, validateTargetAgainstLayer, type Target } from './target';
import type { LayerDefinition } from './layer-definition';
import type { ValidationIssue } from './feature-validation';

export const targetSetSchema = z.strictObject({
  id: slugSchema,
  year: z.int().min(1990).max(2100),
  title: localizedTextSchema,
});
export type TargetSet = z.infer<typeof targetSetSchema>;

/** The id of a year's set: `year-2022`. */
export const targetSetIdForYear = (year: number): string => `year-${year}`;

/** The set a target belongs to: its own `setId`, else its start year's. */
export function targetSetIdOf(target: Pick<Target, 'setId' | 'startDate'>): string {
  return target.setId ?? targetSetIdForYear(Number(target.startDate.slice(0, 4)));
}

/** A year's set as the app names it when nobody gave it a title. */
export function defaultTargetSet(year: number): TargetSet {
  return { id: targetSetIdForYear(year), year, title: { zh: `${year} 年目标`, en: `${year} targets` } };
}

/**
 * Every set: the stored ones, and a default one for each set that targets name but that has no
 * record (the shipped 2021 set). Sorted by year, then id.
 */
export function listTargetSets(stored: readonly TargetSet[], targets: readonly Pick<Target, 'setId' | 'startDate'>[]): TargetSet[] {
  const sets = new Map(stored.map((set) => [set.id, set]));
  for (const target of targets) {
    const id = targetSetIdOf(target);
    if (sets.has(id)) continue;
    const year = /^year-(\d{4})$/.exec(id)?.[1];
    sets.set(id, year === undefined ? { id, year: Number(target.startDate.slice(0, 4)), title: { zh: id, en: id } } : defaultTargetSet(Number(year)));
  }
  return [...sets.values()].sort((left, right) => left.year - right.year || left.id.localeCompare(right.id));
}

/** The set of the year before `set`'s (the one whose unfinished work carries into it), if any. */
export function previousTargetSet(sets: readonly TargetSet[], set: TargetSet): TargetSet | null {
  return sets.filter((candidate) => candidate.year === set.year - 1).sort((left, right) => left.id.localeCompare(right.id))[0] ?? null;
}

/** What each path of a target means to a planner (the editor's and the import's column words). */
export const TARGET_FIELD_NAMES: Readonly<Record<string, { zh: string; en: string }>> = {
  id: { zh: '编号', en: 'id' },
  setId: { zh: '目标集', en: 'target set' },
  title: { zh: '目标名称', en: 'title' },
  quote: { zh: '报告原文', en: "the report's wording" },
  quantity: { zh: '数量', en: 'quantity' },
  quantityQualifier: { zh: '数量限定', en: 'quantity qualifier' },
  unit: { zh: '单位', en: 'unit' },
  startDate: { zh: '开始日期', en: 'start date' },
  deadline: { zh: '截止日期', en: 'deadline' },
  layerId: { zh: '图层', en: 'layer' },
  'metric.kind': { zh: '计量方式', en: 'metric' },
  'metric.field': { zh: '求和字段', en: 'summed field' },
  'metric.scopeField': { zh: '计划量字段', en: 'planned field' },
  'metric.scope': { zh: '范围条件', en: 'scope filter' },
  'metric.done': { zh: '计为完成的状态', en: 'statuses that count as done' },
  completionDateField: { zh: '完成日期字段', en: 'completion date field' },
  countySplit: { zh: '分县任务', en: 'per-county split' },
  note: { zh: '备注', en: 'note' },
};

/** The planner's name of a path such as `metric.scope.where.0`: the longest known prefix. */
export function targetFieldName(path: string): { zh: string; en: string } {
  const parts = path.split('.');
  for (let length = parts.length; length > 0; length -= 1) {
    const name = TARGET_FIELD_NAMES[parts.slice(0, length).join('.')];
    if (name !== undefined) return name;
  }
  return { zh: path, en: path };
}

/**
 * Everything wrong with a target: its shape (targetSchema), its set (a `setId` must be one of
 * `setIds` when given), its layer (must exist) and what it names on that layer (fields, values,
 * statuses, geometry: validateTargetAgainstLayer). Each issue's path is the field at fault.
 */
export function targetIssues(input: unknown, layers: readonly LayerDefinition[], setIds?: ReadonlySet<string>): { target: Target | null; issues: ValidationIssue[] } {
  const parsed = targetSchema.safeParse(input);
  if (!parsed.success) {
    return { target: null, issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || 'target', message: issue.message })) };
  }
  const target = parsed.data;
  const issues: ValidationIssue[] = [];
  // A target without `setId` is in its start year's set, which exists as soon as it does.
  if (setIds !== undefined && target.setId !== undefined && !setIds.has(target.setId)) issues.push({ path: 'setId', message: `no target set "${targetSetIdOf(target)}"` });
  if (target.quantity === null && target.quantityQualifier !== undefined) issues.push({ path: 'quantityQualifier', message: 'a qualifier needs a quantity' });
  const layer = layers.find((candidate) => candidate.id === target.layerId);
  if (layer === undefined) issues.push({ path: 'layerId', message: `no layer "${target.layerId}"` });
  else issues.push(...validateTargetAgainstLayer(target, layer));
  if (target.countySplit?.kind === 'table') {
    const seen = new Set<number>();
    target.countySplit.rows.forEach((row, index) => {
      if (seen.has(row.county)) issues.push({ path: `countySplit.rows.${index}.county`, message: `county ${row.county} twice` });
      seen.add(row.county);
    });
  }
  return { target: issues.length === 0 ? target : null, issues };
}
