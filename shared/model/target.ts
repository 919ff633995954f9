import { z } from 'zod';
import { localizedTextSchema } from './localized-text';
import { calendarDateSchema } from './calendar-date';
import { countyAdcodeSchema, fieldKeySchema, slugSchema } from './identifiers';
import { findField, type LayerDefinition } from './layer-definition';
import type { ValidationIssue } from './feature-validation';

/** `field` takes one of `in`. A feature without the field never matches. */
export const fieldConditionSchema = z.strictObject({
  field: fieldKeySchema,
  in: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
});
export type FieldCondition = z.infer<typeof fieldConditionSchema>;

/**
 * Which features count, and when they count as done.
 * - scope: the features the target is about (e.g. non-agricultural wells);
 * - done: the part of the scope that is finished (status in `statuses` and every `where`).
 */
const selection = {
  scope: z
    .strictObject({
      where: z.array(fieldConditionSchema).default([]),
      /** Only features whose geodesic area lies in this range (mu), e.g. 30,000–50,000 mu zones. */
      areaMu: z.strictObject({ min: z.number().nonnegative().optional(), max: z.number().positive().optional() }).optional(),
    })
    .default({ where: [] }),
  done: z.strictObject({
    statuses: z.array(z.string()).optional(),
    where: z.array(fieldConditionSchema).default([]),
  }),
};

export const targetMetricSchema = z.discriminatedUnion('kind', [
  /** Number of features. */
  z.strictObject({ kind: z.literal('count'), ...selection }),
  /** Geodesic area of polygons, in mu (1 mu = 10,000/15 m²). */
  z.strictObject({ kind: z.literal('area-mu'), ...selection }),
  /** Geodesic length of lines, in km. */
  z.strictObject({ kind: z.literal('length-km'), ...selection }),
  /** Sum of a numeric field; `scopeField` (optional) is the planned amount it is measured against. */
  z.strictObject({ kind: z.literal('sum'), field: fieldKeySchema, scopeField: fieldKeySchema.optional(), ...selection }),
]);
export type TargetMetric = z.infer<typeof targetMetricSchema>;
export type TargetMetricKind = TargetMetric['kind'];

export const countySplitSchema = z.discriminatedUnion('kind', [
  /** The same quantity in every county, e.g. one structure-adjustment zone each. */
  z.strictObject({ kind: z.literal('each'), quantity: z.number().positive() }),
  z.strictObject({
    kind: z.literal('table'),
    rows: z.array(z.strictObject({ county: countyAdcodeSchema, quantity: z.number().nonnegative() })).min(1),
  }),
]);
export type CountySplit = z.infer<typeof countySplitSchema>;

export const reportQuoteSchema = z.strictObject({
  /** The exact words of the report that set the target (a substring of the source). */
  text: z.string().min(1),
  /** The whole sentence around it, also verbatim. */
  sentence: z.string().min(1),
  /** The document it comes from, e.g. `seeds/source/hengshui-2021-work-report.txt`. */
  source: z.string().min(1),
});

/**
 * A yearly target: data, not code. Adding a target is adding a row to a targets file.
 */
export const targetSchema = z
  .strictObject({
    id: slugSchema,
    /** The target set (a year's targets, target-set.ts) it belongs to; absent: the set of its start year. */
    setId: slugSchema.optional(),
    title: localizedTextSchema,
    quote: reportQuoteSchema,
    /** Null when the report sets no number (e.g. 农业灌溉取水井有序关停). */
    quantity: z.number().positive().nullable(),
    /** `at-least` for 以上, `about` for 左右; absent when the number is exact. */
    quantityQualifier: z.enum(['at-least', 'about']).optional(),
    unit: localizedTextSchema,
    startDate: calendarDateSchema,
    deadline: calendarDateSchema,
    layerId: slugSchema,
    metric: targetMetricSchema,
    /** The date field that records when a feature was completed; drives the by-month chart. */
    completionDateField: fieldKeySchema.optional(),
    countySplit: countySplitSchema.optional(),
    note: z.string().optional(),
  })
  .refine((target) => target.startDate <= target.deadline, { path: ['deadline'], message: 'deadline before start' });
export type Target = z.infer<typeof targetSchema>;
export type TargetInput = z.input<typeof targetSchema>;

export const targetListSchema = z.array(targetSchema).superRefine((targets, context) => {
  const seen = new Set<string>();
  targets.forEach((target, index) => {
    if (seen.has(target.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate target id "${target.id}"` });
    seen.add(target.id);
  });
});

/**
 * Cross-checks a target with the layer it measures: the fields, values and statuses it names
 * exist, the metric suits the layer's geometry, the summed field is numeric.
 */
export function validateTargetAgainstLayer(target: Target, layer: LayerDefinition): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const metric = target.metric;
  if (target.layerId !== layer.id) issues.push({ path: 'layerId', message: `target measures "${target.layerId}", not "${layer.id}"` });
  if (metric.kind === 'area-mu' && layer.geometryType !== 'Polygon') {
    issues.push({ path: 'metric.kind', message: 'area needs a polygon layer' });
  }
  if (metric.kind === 'length-km' && layer.geometryType !== 'LineString') {
    issues.push({ path: 'metric.kind', message: 'length needs a line layer' });
  }
  if (metric.scope.areaMu !== undefined && layer.geometryType !== 'Polygon') {
    issues.push({ path: 'metric.scope.areaMu', message: 'an area range needs a polygon layer' });
  }
  const checkCondition = (condition: FieldCondition, path: string): void => {
    const field = findField(layer, condition.field);
    if (field === undefined) {
      issues.push({ path, message: `unknown field "${condition.field}"` });
      return;
    }
    if (field.type === 'enum') {
      const allowed = new Set(field.values.map((option) => option.value));
      for (const value of condition.in) {
        if (typeof value !== 'string' || !allowed.has(value)) issues.push({ path, message: `"${String(value)}" is not a value of ${field.key}` });
      }
    }
  };
  metric.scope.where.forEach((condition, index) => checkCondition(condition, `metric.scope.where.${index}`));
  metric.done.where.forEach((condition, index) => checkCondition(condition, `metric.done.where.${index}`));
  for (const status of metric.done.statuses ?? []) {
    if (!layer.status.states.some((state) => state.value === status)) {
      issues.push({ path: 'metric.done.statuses', message: `unknown status "${status}"` });
    }
  }
  if (metric.kind === 'sum') {
    for (const key of [metric.field, metric.scopeField]) {
      if (key === undefined) continue;
      const field = findField(layer, key);
      if (field === undefined || (field.type !== 'number' && field.type !== 'integer')) {
        issues.push({ path: 'metric.field', message: `"${key}" is not a numeric field` });
      }
    }
  }
  if (target.completionDateField !== undefined && findField(layer, target.completionDateField)?.type !== 'date') {
    issues.push({ path: 'completionDateField', message: `"${target.completionDateField}" is not a date field` });
  }
  return issues;
}
