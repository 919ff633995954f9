import type { CalendarDate } from '../model/calendar-date';
import type { FeatureFacts } from '../model/feature';
import type { Target } from '../model/target';
import { isInTargetScope, isTargetDone } from './target-selection';
import { metricValue } from './metric-value';
import { daysBetween, isCalendarDate, lastDayOfMonth, monthOf, monthsFromTo } from './calendar';

export interface MonthlyCompletion {
  /** `YYYY-MM`. */
  month: string;
  /** Metric value completed within the month. */
  completed: number;
  /** Completed since the start (plus anything completed before it), up to the month's end; null for months after `asOf`. */
  cumulative: number | null;
  /** The straight line from 0 at the start to the quantity at the deadline, read at the month's end (or the deadline). */
  idealCumulative: number | null;
  /** quantity − cumulative (the burn-down); null after `asOf` or without a quantity. */
  remaining: number | null;
  idealRemaining: number | null;
}

export interface CompletionsByMonth {
  targetId: string;
  months: MonthlyCompletion[];
  /** Done before the start date: counted in every month's cumulative. */
  beforeStart: number;
  /** Done after the deadline: in no month. */
  afterDeadline: number;
  /** Done but without a completion date (or the target names no date field): in no month. */
  undated: number;
}

/** Where a done feature's completion falls: its `YYYY-MM`, before the start, after the deadline, or undated. */
export function completionMonth(target: Target, feature: FeatureFacts): string {
  const date = target.completionDateField === undefined ? undefined : feature.properties[target.completionDateField];
  if (!isCalendarDate(date)) return 'undated';
  if (date < target.startDate) return 'before-start';
  if (date > target.deadline) return 'after-deadline';
  return monthOf(date);
}

/**
 * Completions per month from the target's start to its deadline against the straight line to
 * the deadline. The line counts days, both ends included: at the end of January 2021 it stands
 * at 31/365 of the quantity.
 */
export function completionsByMonth(target: Target, features: readonly FeatureFacts[], asOf: CalendarDate): CompletionsByMonth {
  const months = monthsFromTo(target.startDate, target.deadline);
  const completedByMonth = new Map<string, number>(months.map((month) => [month, 0]));
  let beforeStart = 0;
  let afterDeadline = 0;
  let undated = 0;
  for (const feature of features) {
    if (!isInTargetScope(target, feature) || !isTargetDone(target, feature)) continue;
    const value = metricValue(target.metric, feature);
    const when = completionMonth(target, feature);
    if (when === 'undated') undated += value;
    else if (when === 'before-start') beforeStart += value;
    else if (when === 'after-deadline') afterDeadline += value;
    else completedByMonth.set(when, (completedByMonth.get(when) ?? 0) + value);
  }
  return monthlyCompletions(target, { completedByMonth, beforeStart, afterDeadline, undated }, asOf);
}

/** The chart's months from what was completed when (shared with the incremental progress summary). */
export function monthlyCompletions(
  target: Target,
  completed: { completedByMonth: ReadonlyMap<string, number>; beforeStart: number; afterDeadline: number; undated: number },
  asOf: CalendarDate,
): CompletionsByMonth {
  const { completedByMonth, beforeStart, afterDeadline, undated } = completed;
  const months = monthsFromTo(target.startDate, target.deadline);
  const totalDays = daysBetween(target.startDate, target.deadline) + 1;
  const quantity = target.quantity;
  let cumulative = beforeStart;
  return {
    targetId: target.id,
    beforeStart,
    afterDeadline,
    undated,
    months: months.map((month) => {
      const completed = completedByMonth.get(month) ?? 0;
      cumulative += completed;
      const monthEnd = lastDayOfMonth(month);
      const lineEnd = monthEnd < target.deadline ? monthEnd : target.deadline;
      const idealCumulative = quantity === null ? null : (quantity * (daysBetween(target.startDate, lineEnd) + 1)) / totalDays;
      const reported = monthOf(asOf) >= month ? cumulative : null;
      return {
        month,
        completed,
        cumulative: reported,
        idealCumulative,
        remaining: quantity === null || reported === null ? null : quantity - reported,
        idealRemaining: quantity === null || idealCumulative === null ? null : quantity - idealCumulative,
      };
    }),
  };
}
