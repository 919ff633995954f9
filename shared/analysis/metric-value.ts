import type { FeatureFacts } from '../model/feature';
import type { TargetMetric } from '../model/target';
import { geodesicAreaMu } from '../geo/geodesic-area';
import { geodesicLengthKilometers } from '../geo/geodesic-length';

function numericProperty(feature: FeatureFacts, key: string): number {
  const value = feature.properties[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** What one feature contributes to a metric once done: 1, its area in mu, its length in km, or its field value. */
export function metricValue(metric: TargetMetric, feature: FeatureFacts): number {
  switch (metric.kind) {
    case 'count':
      return 1;
    case 'area-mu':
      return geodesicAreaMu(feature.geometry);
    case 'length-km':
      return geodesicLengthKilometers(feature.geometry);
    case 'sum':
      return numericProperty(feature, metric.field);
  }
}

/** What one feature of the scope weighs before it is done (the planned amount for sums with a `scopeField`). */
export function scopeValue(metric: TargetMetric, feature: FeatureFacts): number {
  if (metric.kind === 'sum' && metric.scopeField !== undefined) return numericProperty(feature, metric.scopeField);
  return metricValue(metric, feature);
}
