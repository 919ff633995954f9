import type { CalendarDate } from '../model/calendar-date';
import type { FeatureFacts } from '../model/feature';
import type { Target } from '../model/target';
import { isInTargetScope, isTargetDone } from './target-selection';
import { daysBetween, isCalendarDate } from './calendar';

export interface CarriedFeature<F extends FeatureFacts = FeatureFacts> {
  feature: F;
  /** The previous year's target it was not done for. */
  from: Target;
  /** Days from that target's deadline to `asOf`; null while the deadline has not passed. */
  daysOverdue: number | null;
}

/**
 * Whether a feature was done for a target by its deadline: done now (status and `done.where`),
 * and — when the target names a completion date field and the feature has that date — on or
 * before the deadline.
 */
export function doneByDeadline(target: Target, feature: FeatureFacts): boolean {
  if (!isTargetDone(target, feature)) return false;
  const field = target.completionDateField;
  const date = field === undefined ? undefined : feature.properties[field];
  return !isCalendarDate(date) || date <= target.deadline;
}

/**
 * The features a target inherits from the year before: those in the scope of a previous set's
 * target on the same layer that were not done by that target's deadline. Each once (the first
 * previous target that holds it), sorted by id.
 */
export function carriedOverdue<F extends FeatureFacts>(target: Target, previous: readonly Target[], features: readonly F[], asOf: CalendarDate): CarriedFeature<F>[] {
  const sources = previous.filter((candidate) => candidate.layerId === target.layerId);
  if (sources.length === 0) return [];
  const carried = new Map<string, CarriedFeature<F>>();
  for (const feature of features) {
    if (feature.layerId !== target.layerId || carried.has(feature.id)) continue;
    const from = sources.find((source) => isInTargetScope(source, feature) && !doneByDeadline(source, feature));
    if (from === undefined) continue;
    carried.set(feature.id, { feature, from, daysOverdue: asOf > from.deadline ? daysBetween(from.deadline, asOf) : null });
  }
  return [...carried.values()].sort((left, right) => (left.feature.id < right.feature.id ? -1 : left.feature.id > right.feature.id ? 1 : 0));
}
