import { z } from 'zod';
import { localizedTextSchema } from './localized-text';
import { fieldKeySchema, RESERVED_PROPERTY_KEYS, slugSchema } from './identifiers';
import { layerGeometryTypeSchema } from './geometry';

const fieldCommon = {
  key: fieldKeySchema,
  label: localizedTextSchema,
  required: z.boolean(),
  description: localizedTextSchema.optional(),
};

/** Unit shown next to a numeric value, e.g. `{ zh: '米', en: 'm' }`. */
const unitSchema = localizedTextSchema;

/**
 * How a numeric value is shown (optional; shared/model/format-value.ts). `grouping: false` for
 * years and codes (2021, not 2,021); `maximumFractionDigits` defaults to 2.
 */
export const numberFormatSchema = z.strictObject({
  grouping: z.boolean().optional(),
  maximumFractionDigits: z.int().min(0).max(10).optional(),
});
export type NumberFormat = z.infer<typeof numberFormatSchema>;

export const enumOptionSchema = z.strictObject({
  value: z.string().min(1),
  label: localizedTextSchema,
});

export const fieldDefinitionSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...fieldCommon, type: z.literal('string'), maxLength: z.int().positive().optional() }),
  z.strictObject({
    ...fieldCommon,
    type: z.literal('integer'),
    unit: unitSchema.optional(),
    format: numberFormatSchema.optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  }),
  z.strictObject({
    ...fieldCommon,
    type: z.literal('number'),
    unit: unitSchema.optional(),
    format: numberFormatSchema.optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  }),
  z.strictObject({ ...fieldCommon, type: z.literal('boolean') }),
  z.strictObject({ ...fieldCommon, type: z.literal('date') }),
  z.strictObject({ ...fieldCommon, type: z.literal('enum'), values: z.array(enumOptionSchema).min(1) }),
]);
export type FieldDefinition = z.infer<typeof fieldDefinitionSchema>;
export type FieldType = FieldDefinition['type'];

export const statusStateSchema = z.strictObject({
  value: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/),
  label: localizedTextSchema,
  /** The date field that records the day a feature entered this state (set by status updates). */
  dateField: fieldKeySchema.optional(),
});

export const statusWorkflowSchema = z.strictObject({
  label: localizedTextSchema,
  states: z.array(statusStateSchema).min(1),
  initial: z.string(),
  /** Allowed forward moves. Corrections go through undo, which restores the previous state. */
  transitions: z.array(z.strictObject({ from: z.string(), to: z.string() })),
});
export type StatusWorkflow = z.infer<typeof statusWorkflowSchema>;

/** Where a layer keeps a plan date: features past it and not in a done state are overdue. */
export const scheduleSchema = z.strictObject({
  plannedDateField: fieldKeySchema,
  doneStatuses: z.array(z.string()).min(1),
});

/**
 * A feature created without an id gets a UUID as its (internal) id and a readable code in the
 * string field `field`: `<prefix>-<device tag>-<sequence>`, e.g. `HS-W-A4AA5E-0001`.
 */
export const featureCodeSchema = z.strictObject({
  field: fieldKeySchema,
  prefix: z.string().regex(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$/, 'upper-case letters and digits joined by hyphens'),
});

export const layerDefinitionSchema = z
  .strictObject({
    id: slugSchema,
    name: localizedTextSchema,
    geometryType: layerGeometryTypeSchema,
    /** The field used to label and search features (the id is always searchable). */
    displayField: fieldKeySchema.optional(),
    fields: z.array(fieldDefinitionSchema),
    status: statusWorkflowSchema,
    schedule: scheduleSchema.optional(),
    /** Readable codes for features made on a device (shared/model/feature-code.ts). */
    featureCode: featureCodeSchema.optional(),
    /** Grows by one with every definition change (`update-layer`); absent is version 1. */
    version: z.int().min(1).optional(),
  })
  .superRefine((layer, context) => {
    const fieldsByKey = new Map<string, FieldDefinition>();
    layer.fields.forEach((field, index) => {
      if (fieldsByKey.has(field.key)) {
        context.addIssue({ code: 'custom', path: ['fields', index, 'key'], message: `duplicate field key "${field.key}"`, params: { problem: 'duplicate-field-key', field: field.key } });
      }
      if ((RESERVED_PROPERTY_KEYS as readonly string[]).includes(field.key)) {
        context.addIssue({ code: 'custom', path: ['fields', index, 'key'], message: `"${field.key}" is reserved`, params: { problem: 'reserved-field-key', field: field.key } });
      }
      if (field.type === 'enum' && new Set(field.values.map((option) => option.value)).size !== field.values.length) {
        context.addIssue({ code: 'custom', path: ['fields', index, 'values'], message: 'duplicate enum value', params: { problem: 'duplicate-allowed-value', field: field.key } });
      }
      fieldsByKey.set(field.key, field);
    });
    const requireDateField = (key: string, path: (string | number)[]): void => {
      const field = fieldsByKey.get(key);
      if (field === undefined || field.type !== 'date') {
        context.addIssue({ code: 'custom', path, message: `"${key}" must be a date field of the layer`, params: { problem: 'not-a-date-field', field: key } });
      }
    };
    const stateValues = new Set<string>();
    layer.status.states.forEach((state, index) => {
      if (stateValues.has(state.value)) {
        context.addIssue({ code: 'custom', path: ['status', 'states', index], message: `duplicate state "${state.value}"`, params: { problem: 'duplicate-state', state: state.value } });
      }
      stateValues.add(state.value);
      if (state.dateField !== undefined) requireDateField(state.dateField, ['status', 'states', index, 'dateField']);
      // The status change sets it; a form creating a feature does not ask for it.
      if (state.dateField !== undefined && fieldsByKey.get(state.dateField)?.required === true) {
        context.addIssue({ code: 'custom', path: ['status', 'states', index, 'dateField'], message: `"${state.dateField}" is set by a status change and cannot be required`, params: { problem: 'required-status-date', field: state.dateField } });
      }
    });
    const requireState = (value: string, path: (string | number)[]): void => {
      if (!stateValues.has(value)) context.addIssue({ code: 'custom', path, message: `unknown status "${value}"`, params: { problem: 'unknown-state', state: value } });
    };
    requireState(layer.status.initial, ['status', 'initial']);
    layer.status.transitions.forEach((transition, index) => {
      requireState(transition.from, ['status', 'transitions', index, 'from']);
      requireState(transition.to, ['status', 'transitions', index, 'to']);
    });
    if (layer.schedule !== undefined) {
      requireDateField(layer.schedule.plannedDateField, ['schedule', 'plannedDateField']);
      layer.schedule.doneStatuses.forEach((value, index) => requireState(value, ['schedule', 'doneStatuses', index]));
    }
    if (layer.featureCode !== undefined && fieldsByKey.get(layer.featureCode.field)?.type !== 'string') {
      context.addIssue({ code: 'custom', path: ['featureCode', 'field'], message: `"${layer.featureCode.field}" must be a string field of the layer`, params: { problem: 'feature-code-field', field: layer.featureCode.field } });
    }
    if (layer.displayField !== undefined && !fieldsByKey.has(layer.displayField)) {
      context.addIssue({ code: 'custom', path: ['displayField'], message: `unknown field "${layer.displayField}"`, params: { problem: 'unknown-display-field', field: layer.displayField } });
    }
  });

export type LayerDefinition = z.infer<typeof layerDefinitionSchema>;

export const layerDefinitionListSchema = z.array(layerDefinitionSchema).superRefine((layers, context) => {
  const seen = new Set<string>();
  layers.forEach((layer, index) => {
    if (seen.has(layer.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate layer id "${layer.id}"` });
    seen.add(layer.id);
  });
});

export function findField(layer: LayerDefinition, key: string): FieldDefinition | undefined {
  return layer.fields.find((field) => field.key === key);
}

export function canTransition(layer: LayerDefinition, from: string, to: string): boolean {
  return layer.status.transitions.some((transition) => transition.from === from && transition.to === to);
}
