// A layer's progress summary: exactly what the progress dashboard's cards show of their targets
// (headline totals, per-county rows, completions per month, the overdue and carried-over lists
// with their heads, the demo badge), kept up to date one feature at a time. Each feature's
// contribution is remembered, so a change subtracts the old contribution and adds the new one:
// an edit costs O(targets + shown rows), never a pass over the layer. Built once from a layer's
// features it equals targetProgress / progressByCounty / completionsByMonth / overdueFeatures /
// carriedOverdue of the same features (same additions in the same order); after edits, sums of
// non-integer metrics may differ from a fresh pass in the last bits, as a fresh pass over the
// features in another order would. A tally that falls back to no features is exactly zero.
import type { CalendarDate } from '../model/calendar-date';
import type { FeatureFacts } from '../model/feature';
import type { LayerDefinition } from '../model/layer-definition';
import type { Target } from '../model/target';
import { daysBetween, isCalendarDate } from './calendar';
import type { CarriedFeature } from './carried-overdue';
import { doneByDeadline } from './carried-overdue';
import { completionMonth, monthlyCompletions, type CompletionsByMonth } from './completions-by-month';
import { metricValue, scopeValue } from './metric-value';
import type { OverdueFeature } from './overdue-features';
import { countyQuantity, orderedCountyRows, type CountyProgressRow } from './progress-by-county';
import { RankedRows } from './ranked-rows';
import { progressOfTotals, type TargetProgress } from './target-progress';
import { isInTargetScope, isTargetDone, matchesConditions } from './target-selection';

export type SummaryFeature = FeatureFacts & { demo: boolean };

export interface ProgressSummarySpec {
  layer: LayerDefinition;
  /** The targets on this layer whose cards are shown (targets of other layers are ignored). */
  targets: readonly Target[];
  /** The previous set's targets: those on this layer feed the carried-over list. */
  previousTargets: readonly Target[];
  /** The counties of the per-county table, in its order. */
  counties: readonly number[];
  asOf: CalendarDate;
  /** How many rows of the overdue and carried-over lists are kept in order (the cards show 100). */
  rowsShown: number;
}

/** A list's size and its first rows. */
export interface ListHead<Row> {
  count: number;
  rows: Row[];
}

/** One card's numbers. */
export interface TargetProgressView<F extends SummaryFeature = SummaryFeature> {
  progress: TargetProgress;
  byCounty: CountyProgressRow[];
  byMonth: CompletionsByMonth;
  /** Scheduled layer and a target with a quantity: the overdue features in the target's scope; else null. */
  overdue: ListHead<OverdueFeature<F>> | null;
  /** A previous target on this layer: the features carried over from it (`carriedOverdue`); else null. */
  carried: ListHead<CarriedFeature<F>> | null;
  /** Some feature in the target's scope is demo data. */
  demo: boolean;
}

/** A count of features and the sum of their values. */
interface Tally {
  features: number;
  value: number;
}

interface ScopeTally {
  scope: Tally;
  done: Tally;
}

/** What one feature adds to one target (null: not in its scope). */
interface Part {
  county: number | null;
  scope: number;
  /** Null when not done; else the metric value and where its completion falls. */
  done: { value: number; when: string } | null;
  demo: boolean;
}

const emptyTally = (): Tally => ({ features: 0, value: 0 });

function add(tally: Tally, value: number): void {
  tally.features += 1;
  tally.value += value;
}

function subtract(tally: Tally, value: number): void {
  tally.features -= 1;
  tally.value = tally.features === 0 ? 0 : tally.value - value;
}

const byId = (left: string, right: string) => (left < right ? -1 : left > right ? 1 : 0);

class TargetTally<F extends SummaryFeature> {
  readonly total: ScopeTally = { scope: emptyTally(), done: emptyTally() };
  readonly counties = new Map<number | null, ScopeTally>();
  /** By completion month, plus 'before-start', 'after-deadline' and 'undated'. */
  readonly completions = new Map<string, Tally>();
  demo = 0;
  readonly overdue: RankedRows<OverdueFeature<F>> | null;

  constructor(
    readonly target: Target,
    spec: ProgressSummarySpec,
  ) {
    for (const county of spec.counties) this.counties.set(county, { scope: emptyTally(), done: emptyTally() });
    this.overdue =
      spec.layer.schedule !== undefined && target.quantity !== null
        ? new RankedRows<OverdueFeature<F>>(
            spec.rowsShown,
            (left, right) => (left.plannedDate === right.plannedDate ? byId(left.feature.id, right.feature.id) : left.plannedDate < right.plannedDate ? -1 : 1),
            (row) => row.feature.id,
          )
        : null;
  }

  apply(part: Part, sign: 1 | -1): void {
    const change = sign === 1 ? add : subtract;
    let county = this.counties.get(part.county);
    if (county === undefined) {
      county = { scope: emptyTally(), done: emptyTally() };
      this.counties.set(part.county, county);
    }
    change(this.total.scope, part.scope);
    change(county.scope, part.scope);
    if (part.done !== null) {
      change(this.total.done, part.done.value);
      change(county.done, part.done.value);
      let month = this.completions.get(part.done.when);
      if (month === undefined) {
        month = emptyTally();
        this.completions.set(part.done.when, month);
      }
      change(month, part.done.value);
    }
    if (part.demo) this.demo += sign;
  }
}

/**
 * Follows one layer's features for the progress cards of the targets on it. `upsert` a feature
 * that is new or changed, `remove` one that is gone; `views()` gives every card's numbers.
 */
export class ProgressSummary<F extends SummaryFeature = SummaryFeature> {
  private readonly tallies: TargetTally<F>[];
  /** Each feature's part per target (same index as `tallies`), to take it away again. */
  private readonly parts = new Map<string, (Part | null)[]>();
  private readonly carriedFrom: readonly Target[];
  private readonly carried: RankedRows<CarriedFeature<F>> | null;

  constructor(readonly spec: ProgressSummarySpec) {
    this.tallies = spec.targets.filter((target) => target.layerId === spec.layer.id).map((target) => new TargetTally<F>(target, spec));
    this.carriedFrom = spec.previousTargets.filter((target) => target.layerId === spec.layer.id);
    this.carried = this.carriedFrom.length === 0 ? null : new RankedRows<CarriedFeature<F>>(spec.rowsShown, (left, right) => byId(left.feature.id, right.feature.id), (row) => row.feature.id);
  }

  /** How many features the summary holds. */
  get size(): number {
    return this.parts.size;
  }

  /** A feature created or changed (its current value). Features of other layers are ignored. */
  upsert(feature: F): void {
    if (this.parts.has(feature.id)) this.remove(feature.id);
    if (feature.layerId !== this.spec.layer.id) return;
    const parts = this.tallies.map((tally) => {
      const part = partOf(tally.target, feature);
      if (part !== null) tally.apply(part, 1);
      return part;
    });
    this.parts.set(feature.id, parts);
    this.addToLists(feature);
  }

  /** A feature deleted (an unknown id is ignored). */
  remove(featureId: string): void {
    const parts = this.parts.get(featureId);
    if (parts === undefined) return;
    this.parts.delete(featureId);
    parts.forEach((part, index) => {
      const tally = this.tallies[index] as TargetTally<F>;
      if (part !== null) tally.apply(part, -1);
      tally.overdue?.delete(featureId);
    });
    this.carried?.delete(featureId);
  }

  /** Every card's numbers, by target id: O(counties + months + shown rows) per target. */
  views(): Map<string, TargetProgressView<F>> {
    const views = new Map<string, TargetProgressView<F>>();
    for (const tally of this.tallies) views.set(tally.target.id, this.viewOf(tally));
    return views;
  }

  private addToLists(feature: F): void {
    const { layer, asOf } = this.spec;
    const schedule = layer.schedule;
    if (schedule !== undefined && !schedule.doneStatuses.includes(feature.status)) {
      const plannedDate = feature.properties[schedule.plannedDateField];
      if (isCalendarDate(plannedDate) && plannedDate < asOf) {
        const row: OverdueFeature<F> = { feature, plannedDate, daysOverdue: daysBetween(plannedDate, asOf) };
        for (const tally of this.tallies) {
          // The overdue list takes the scope's conditions only (not its area range), like overdueFeatures.
          if (tally.overdue !== null && matchesConditions(feature, tally.target.metric.scope.where)) tally.overdue.put(row);
        }
      }
    }
    if (this.carried !== null) {
      const from = this.carriedFrom.find((source) => isInTargetScope(source, feature) && !doneByDeadline(source, feature));
      if (from !== undefined) this.carried.put({ feature, from, daysOverdue: asOf > from.deadline ? daysBetween(from.deadline, asOf) : null });
    }
  }

  private viewOf(tally: TargetTally<F>): TargetProgressView<F> {
    const { target } = tally;
    const { total } = tally;
    const progress = progressOfTotals(target, { done: total.done.value, scope: total.scope.value, featuresInScope: total.scope.features, featuresDone: total.done.features });
    const listed = new Set<number | null>(this.spec.counties);
    const rows = new Map<number | null, CountyProgressRow>();
    for (const [county, counts] of tally.counties) {
      if (!listed.has(county) && counts.scope.features === 0) continue;
      rows.set(county, {
        county,
        done: counts.done.value,
        scope: counts.scope.value,
        quantity: countyQuantity(target, county),
        percentOfQuantity: null,
        percentOfScope: null,
        featuresInScope: counts.scope.features,
        featuresDone: counts.done.features,
      });
    }
    const completedByMonth = new Map<string, number>();
    for (const [when, counts] of tally.completions) completedByMonth.set(when, counts.value);
    const valueOf = (when: string) => tally.completions.get(when)?.value ?? 0;
    const byMonth = monthlyCompletions(
      target,
      { completedByMonth, beforeStart: valueOf('before-start'), afterDeadline: valueOf('after-deadline'), undated: valueOf('undated') },
      this.spec.asOf,
    );
    return {
      progress,
      byCounty: orderedCountyRows(rows, this.spec.counties),
      byMonth,
      overdue: tally.overdue === null ? null : { count: tally.overdue.size, rows: tally.overdue.shown() },
      carried: this.carried === null ? null : { count: this.carried.size, rows: this.carried.shown() },
      demo: tally.demo > 0,
    };
  }
}

function partOf(target: Target, feature: SummaryFeature): Part | null {
  if (!isInTargetScope(target, feature)) return null;
  const done = isTargetDone(target, feature) ? { value: metricValue(target.metric, feature), when: completionMonth(target, feature) } : null;
  return { county: feature.county, scope: scopeValue(target.metric, feature), done, demo: feature.demo };
}

/** A summary built from a layer's features (the worker's first pass, and the tests' reference). */
export function progressSummaryOf<F extends SummaryFeature>(spec: ProgressSummarySpec, features: Iterable<F>): ProgressSummary<F> {
  const summary = new ProgressSummary<F>(spec);
  for (const feature of features) summary.upsert(feature);
  return summary;
}
