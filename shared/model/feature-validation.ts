import { z } from 'zod';
import type { FieldDefinition, LayerDefinition } from './layer-definition';
import { calendarDateSchema } from './calendar-date';
import { geometryFitsLayerType } from './geometry';
import type { Feature } from './feature';

export interface ValidationIssue {
  /** A field key, `status`, `geometry` or `properties`. */
  path: string;
  message: string;
}

function valueSchemaFor(field: FieldDefinition): z.ZodType {
  switch (field.type) {
    case 'string':
      return field.maxLength === undefined ? z.string() : z.string().max(field.maxLength);
    case 'integer':
    case 'number': {
      let schema = field.type === 'integer' ? z.int() : z.number();
      if (field.min !== undefined) schema = schema.min(field.min);
      if (field.max !== undefined) schema = schema.max(field.max);
      return schema;
    }
    case 'boolean':
      return z.boolean();
    case 'date':
      return calendarDateSchema;
    case 'enum': {
      const [first, ...rest] = field.values.map((option) => option.value);
      return z.enum([first as string, ...rest]);
    }
  }
}

// Building a zod schema costs far more than using it: one per layer definition object.
const propertiesSchemas = new WeakMap<LayerDefinition, z.ZodType<Record<string, unknown>>>();

/**
 * The zod schema of a feature's `properties` under a layer definition: every field with its
 * type, range and allowed values; required fields present and not null; no unknown keys.
 * Forms and importers use it so that a value is checked the same way everywhere.
 */
export function featurePropertiesSchema(layer: LayerDefinition): z.ZodType<Record<string, unknown>> {
  const cached = propertiesSchemas.get(layer);
  if (cached !== undefined) return cached;
  const shape: Record<string, z.ZodType> = {};
  for (const field of layer.fields) {
    const valueSchema = valueSchemaFor(field);
    shape[field.key] = field.required ? valueSchema : valueSchema.nullable().optional();
  }
  const schema = z.strictObject(shape);
  propertiesSchemas.set(layer, schema);
  return schema;
}

/** Checks a feature against its layer: geometry kind, field values and status. */
export function validateFeatureAgainstLayer(layer: LayerDefinition, feature: Feature): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (feature.layerId !== layer.id) {
    issues.push({ path: 'layerId', message: `feature belongs to "${feature.layerId}", not "${layer.id}"` });
  }
  if (!geometryFitsLayerType(feature.geometry.type, layer.geometryType)) {
    issues.push({ path: 'geometry', message: `${feature.geometry.type} does not fit a ${layer.geometryType} layer` });
  }
  if (!layer.status.states.some((state) => state.value === feature.status)) {
    issues.push({ path: 'status', message: `unknown status "${feature.status}"` });
  }
  const result = featurePropertiesSchema(layer).safeParse(feature.properties);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) issues.push({ path: key, message: 'not a field of the layer' });
      } else {
        issues.push({ path: String(issue.path[0] ?? 'properties'), message: issue.message });
      }
    }
  }
  return issues;
}
