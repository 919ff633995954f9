// A per-layer feature validator that builds the layer's zod schemas once. The shared
// `validateFeatureAgainstLayer` rebuilds the properties schema on every call, which is fine for a
// form or a 500-feature edit but not for seeding a million features. Same rules, same messages.
import {
  featurePropertiesSchema,
  featureSchema,
  geometryFitsLayerType,
  type Feature,
  type LayerDefinition,
  type ValidationIssue,
} from '../../../shared/model';

export type FeatureValidator = (feature: Feature) => ValidationIssue[];

export function featureValidatorFor(layer: LayerDefinition): FeatureValidator {
  const propertiesSchema = featurePropertiesSchema(layer);
  const statuses = new Set(layer.status.states.map((state) => state.value));
  return (feature) => {
    const shape = featureSchema.safeParse(feature);
    if (!shape.success) return shape.error.issues.map((issue) => ({ path: issue.path.join('.') || 'feature', message: issue.message }));
    const issues: ValidationIssue[] = [];
    if (feature.layerId !== layer.id) issues.push({ path: 'layerId', message: `feature belongs to "${feature.layerId}", not "${layer.id}"` });
    if (!geometryFitsLayerType(feature.geometry.type, layer.geometryType)) {
      issues.push({ path: 'geometry', message: `${feature.geometry.type} does not fit a ${layer.geometryType} layer` });
    }
    if (!statuses.has(feature.status)) issues.push({ path: 'status', message: `unknown status "${feature.status}"` });
    const result = propertiesSchema.safeParse(feature.properties);
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
  };
}
