// The validator seeding uses for every feature: the feature's own shape first (the store never
// holds a malformed record), then the layer's rules from shared/model — the same function forms,
// importers and transact use. (`featurePropertiesSchema` caches the layer's zod schema, so this
// stays fast for a million features.)
import { featureSchema, validateFeatureAgainstLayer, type Feature, type LayerDefinition, type ValidationIssue } from '../../../shared/model';

export type FeatureValidator = (feature: Feature) => ValidationIssue[];

export function featureValidatorFor(layer: LayerDefinition): FeatureValidator {
  return (feature) => {
    const shape = featureSchema.safeParse(feature);
    if (!shape.success) return shape.error.issues.map((issue) => ({ path: issue.path.join('.') || 'feature', message: issue.message }));
    return validateFeatureAgainstLayer(layer, feature);
  };
}
