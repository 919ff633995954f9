import type { FeatureFacts } from '../model/feature';
import type { FieldCondition, Target } from '../model/target';
import { geodesicAreaMu } from '../geo/geodesic-area';

export function matchesConditions(feature: Pick<FeatureFacts, 'properties'>, conditions: readonly FieldCondition[]): boolean {
  return conditions.every((condition) => {
    const value = feature.properties[condition.field];
    return value !== undefined && value !== null && condition.in.includes(value);
  });
}

/** Whether a feature is one the target is about: its layer, its `scope.where`, its area range. */
export function isInTargetScope(target: Target, feature: FeatureFacts): boolean {
  if (feature.layerId !== target.layerId) return false;
  const scope = target.metric.scope;
  if (!matchesConditions(feature, scope.where)) return false;
  if (scope.areaMu !== undefined) {
    const areaMu = geodesicAreaMu(feature.geometry);
    if (scope.areaMu.min !== undefined && areaMu < scope.areaMu.min) return false;
    if (scope.areaMu.max !== undefined && areaMu > scope.areaMu.max) return false;
  }
  return true;
}

/** Whether a feature in the target's scope counts as done (status and `done.where`). */
export function isTargetDone(target: Target, feature: FeatureFacts): boolean {
  const done = target.metric.done;
  if (done.statuses !== undefined && !done.statuses.includes(feature.status)) return false;
  return matchesConditions(feature, done.where);
}
