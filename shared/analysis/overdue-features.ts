import type { CalendarDate } from '../model/calendar-date';
import type { FeatureFacts } from '../model/feature';
import type { LayerDefinition } from '../model/layer-definition';
import type { FieldCondition } from '../model/target';
import { matchesConditions } from './target-selection';
import { daysBetween, isCalendarDate } from './calendar';

export interface OverdueFeature<F extends FeatureFacts = FeatureFacts> {
  feature: F;
  plannedDate: CalendarDate;
  /** Whole days from the planned date to `asOf` (at least 1). */
  daysOverdue: number;
}

/**
 * Features of a scheduled layer whose planned date is before `asOf` and that are not in a done
 * status (for wells: planned sealing date passed, not sealed or verified). A feature due on
 * `asOf` itself is not yet overdue. Sorted by planned date, then id.
 */
export function overdueFeatures<F extends FeatureFacts>(
  layer: LayerDefinition,
  features: readonly F[],
  asOf: CalendarDate,
  options: { where?: readonly FieldCondition[] } = {},
): OverdueFeature<F>[] {
  const schedule = layer.schedule;
  if (schedule === undefined) return [];
  const overdue: OverdueFeature<F>[] = [];
  for (const feature of features) {
    if (feature.layerId !== layer.id || schedule.doneStatuses.includes(feature.status)) continue;
    if (options.where !== undefined && !matchesConditions(feature, options.where)) continue;
    const plannedDate = feature.properties[schedule.plannedDateField];
    if (!isCalendarDate(plannedDate) || plannedDate >= asOf) continue;
    overdue.push({ feature, plannedDate, daysOverdue: daysBetween(plannedDate, asOf) });
  }
  return overdue.sort((left, right) =>
    left.plannedDate === right.plannedDate
      ? left.feature.id < right.feature.id ? -1 : left.feature.id > right.feature.id ? 1 : 0
      : left.plannedDate < right.plannedDate ? -1 : 1,
  );
}
