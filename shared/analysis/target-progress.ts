import type { FeatureFacts } from '../model/feature';
import type { Target } from '../model/target';
import { isInTargetScope, isTargetDone } from './target-selection';
import { metricValue, scopeValue } from './metric-value';

export interface TargetProgress {
  targetId: string;
  /** The report's number, or null when it sets none. */
  quantity: number | null;
  /** Metric value of the done features (count, mu, km or field sum). */
  done: number;
  /** Metric value of every feature in scope, done or not (for sums: the planned amounts if given). */
  scope: number;
  /** quantity − done, never below 0; null without a quantity. */
  remaining: number | null;
  /** done / quantity × 100, not capped at 100; null without a quantity. */
  percent: number | null;
  featuresInScope: number;
  featuresDone: number;
}

/** Where a target stands: done against the report's quantity. */
export function targetProgress(target: Target, features: readonly FeatureFacts[]): TargetProgress {
  let done = 0;
  let scope = 0;
  let featuresInScope = 0;
  let featuresDone = 0;
  for (const feature of features) {
    if (!isInTargetScope(target, feature)) continue;
    featuresInScope += 1;
    scope += scopeValue(target.metric, feature);
    if (isTargetDone(target, feature)) {
      featuresDone += 1;
      done += metricValue(target.metric, feature);
    }
  }
  return progressOfTotals(target, { done, scope, featuresInScope, featuresDone });
}

/** The progress from its four totals (shared with the incremental progress summary). */
export function progressOfTotals(target: Target, totals: { done: number; scope: number; featuresInScope: number; featuresDone: number }): TargetProgress {
  const quantity = target.quantity;
  const { done } = totals;
  return {
    targetId: target.id,
    quantity,
    done,
    scope: totals.scope,
    remaining: quantity === null ? null : Math.max(0, quantity - done),
    percent: quantity === null ? null : (done / quantity) * 100,
    featuresInScope: totals.featuresInScope,
    featuresDone: totals.featuresDone,
  };
}
