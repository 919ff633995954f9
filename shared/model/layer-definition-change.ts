// What makes a layer definition, or a change of one, invalid — each case with its own code, so the
// layer editor names it and the store refuses it with the same words. Pure: the features a change
// must respect are handed in. A change keeps the layer's id, geometry type, field keys and types
// (keys stay stable: a field is renamed through its labels); it may add fields, remove fields (their
// values leave the features in the same change and stay in history), and add, rename or remove
// allowed values and states that no feature holds. `version` grows by one per change.
import type { z } from 'zod';
import { layerDefinitionSchema, type FieldDefinition, type LayerDefinition } from './layer-definition';
import { featurePropertiesSchema } from './feature-validation';
import type { PropertyValue } from './feature';

export type DefinitionProblemCode =
  // The definition itself (layerDefinitionSchema).
  | 'duplicate-field-key'
  | 'reserved-field-key'
  | 'invalid-field-key'
  | 'duplicate-allowed-value'
  | 'no-allowed-values'
  | 'invalid-allowed-value'
  | 'duplicate-state'
  | 'invalid-state-value'
  | 'no-states'
  | 'unknown-state'
  | 'not-a-date-field'
  | 'required-status-date'
  | 'feature-code-field'
  | 'unknown-display-field'
  | 'invalid-layer-id'
  | 'layer-id-taken'
  | 'missing-text'
  | 'invalid-definition'
  // A change against the stored definition and its features.
  | 'layer-id-changed'
  | 'geometry-type-changed'
  | 'field-type-changed'
  | 'version-not-next'
  | 'allowed-value-in-use'
  | 'state-in-use'
  | 'required-without-default'
  | 'invalid-default'
  | 'values-out-of-range';

export interface DefinitionProblem {
  code: DefinitionProblemCode;
  /** Where in the definition, e.g. `fields.2.key`. */
  path: string;
  message: string;
  /** The field, state or allowed value it is about, and how many features hold it. */
  field?: string;
  state?: string;
  value?: string;
  count?: number;
}

type SchemaIssue = z.core.$ZodIssue;

function codeOfIssue(issue: SchemaIssue): DefinitionProblemCode {
  const problem = issue.code === 'custom' ? (issue.params as { problem?: DefinitionProblemCode } | undefined)?.problem : undefined;
  if (problem !== undefined) return problem;
  const path = issue.path.map(String);
  const last = path.at(-1);
  if (path[0] === 'fields' && last === 'key') return 'invalid-field-key';
  if (path[0] === 'fields' && path[2] === 'values') return path.length === 3 ? 'no-allowed-values' : last === 'value' ? 'invalid-allowed-value' : 'missing-text';
  if (path[0] === 'status' && path[1] === 'states') return path.length === 2 ? 'no-states' : last === 'value' ? 'invalid-state-value' : 'missing-text';
  if (path[0] === 'id') return 'invalid-layer-id';
  if (path.includes('label') || path[0] === 'name' || path.includes('unit')) return 'missing-text';
  return 'invalid-definition';
}

/** Every problem of a definition on its own (the schema's rules, each named). */
export function definitionProblems(layer: unknown): DefinitionProblem[] {
  const parsed = layerDefinitionSchema.safeParse(layer);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const params = issue.code === 'custom' ? ((issue.params ?? {}) as { field?: string; state?: string }) : {};
    return {
      code: codeOfIssue(issue),
      path: issue.path.map(String).join('.'),
      message: issue.message,
      ...(params.field === undefined ? {} : { field: params.field }),
      ...(params.state === undefined ? {} : { state: params.state }),
    };
  });
}

/** A feature as a definition change sees it. */
export interface DefinedFeature {
  status: string;
  properties: Readonly<Record<string, PropertyValue>>;
}

export interface DefinitionChangeInput {
  before: LayerDefinition;
  after: LayerDefinition;
  /** The layer's live features. */
  features: readonly DefinedFeature[];
  /** Values for features that lack a field made required, by field key. */
  defaults?: Readonly<Record<string, PropertyValue>>;
}

export const definitionVersion = (layer: LayerDefinition): number => layer.version ?? 1;

const isEmpty = (value: PropertyValue | undefined): boolean => value === null || value === undefined;

/**
 * What the change does to one feature's properties: values of removed fields taken away, defaults
 * given where a required field has no value. Only the keys that change; `undefined` removes.
 */
export function propertiesAfterDefinitionChange(input: DefinitionChangeInput, feature: DefinedFeature): Record<string, PropertyValue | undefined> {
  const kept = new Set(input.after.fields.map((field) => field.key));
  const changes: Record<string, PropertyValue | undefined> = {};
  for (const key of Object.keys(feature.properties)) if (!kept.has(key)) changes[key] = undefined;
  for (const field of input.after.fields) {
    const fallback = input.defaults?.[field.key];
    if (field.required && isEmpty(feature.properties[field.key]) && !isEmpty(fallback)) changes[field.key] = fallback;
  }
  return changes;
}

/**
 * Every problem of changing `before` into `after` with these features: the new definition's own
 * problems, then what the change may not do, each naming the field, state or value and how many
 * features it concerns. Empty when the change may be made.
 */
export function definitionChangeProblems(input: DefinitionChangeInput): DefinitionProblem[] {
  const { before, after, features } = input;
  const problems = definitionProblems(after);
  if (problems.length > 0) return problems;
  if (after.id !== before.id) problems.push({ code: 'layer-id-changed', path: 'id', message: `the layer's id stays "${before.id}"` });
  if (after.geometryType !== before.geometryType) problems.push({ code: 'geometry-type-changed', path: 'geometryType', message: `the geometry type stays ${before.geometryType}` });
  if (definitionVersion(after) !== definitionVersion(before) + 1) {
    problems.push({ code: 'version-not-next', path: 'version', message: `version ${definitionVersion(after)} does not follow ${definitionVersion(before)}` });
  }
  const beforeFields = new Map(before.fields.map((field) => [field.key, field]));
  const count = (predicate: (feature: DefinedFeature) => boolean): number => features.reduce((sum, feature) => sum + (predicate(feature) ? 1 : 0), 0);
  after.fields.forEach((field, index) => {
    const old = beforeFields.get(field.key);
    if (old !== undefined && old.type !== field.type) {
      problems.push({ code: 'field-type-changed', path: `fields.${index}.type`, message: `field "${field.key}" stays ${old.type}`, field: field.key });
      return;
    }
    if (old?.type === 'enum' && field.type === 'enum') {
      for (const option of old.values) {
        if (field.values.some((kept) => kept.value === option.value)) continue;
        const used = count((feature) => feature.properties[field.key] === option.value);
        if (used > 0) problems.push({ code: 'allowed-value-in-use', path: `fields.${index}.values`, message: `${used} feature(s) hold "${option.value}" in "${field.key}"`, field: field.key, value: option.value, count: used });
      }
    }
    const fallback = input.defaults?.[field.key];
    if (field.required) {
      const missing = count((feature) => isEmpty(feature.properties[field.key]));
      if (missing > 0 && isEmpty(fallback)) {
        problems.push({ code: 'required-without-default', path: `fields.${index}.required`, message: `${missing} feature(s) have no "${field.key}" and no default is given`, field: field.key, count: missing });
      }
    }
    if (!isEmpty(fallback) && !featurePropertiesSchema({ ...after, fields: [{ ...field, required: true } as FieldDefinition] }).safeParse({ [field.key]: fallback }).success) {
      problems.push({ code: 'invalid-default', path: `fields.${index}`, message: `the default for "${field.key}" is not a valid value`, field: field.key });
    }
  });
  for (const state of before.status.states) {
    if (after.status.states.some((kept) => kept.value === state.value)) continue;
    const used = count((feature) => feature.status === state.value);
    if (used > 0) problems.push({ code: 'state-in-use', path: 'status.states', message: `${used} feature(s) are "${state.value}"`, state: state.value, count: used });
  }
  if (problems.length > 0) return problems;
  // Anything else a feature would break (a range narrowed, a length shortened): by field.
  const schema = featurePropertiesSchema(after);
  const outOfRange = new Map<string, number>();
  for (const feature of features) {
    const properties = { ...feature.properties, ...propertiesAfterDefinitionChange(input, feature) };
    for (const key of Object.keys(properties)) if (properties[key] === undefined) delete properties[key];
    const result = schema.safeParse(properties);
    if (result.success) continue;
    for (const key of new Set(result.error.issues.map((issue) => String(issue.path[0] ?? '')))) outOfRange.set(key, (outOfRange.get(key) ?? 0) + 1);
  }
  for (const [field, used] of outOfRange) {
    problems.push({ code: 'values-out-of-range', path: `fields.${after.fields.findIndex((candidate) => candidate.key === field)}`, message: `${used} feature(s) hold a value of "${field}" the new definition refuses`, field, count: used });
  }
  return problems;
}
