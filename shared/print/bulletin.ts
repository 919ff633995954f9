// The monthly progress bulletin (进度通报) as numbers: each target's progress against the plan line
// on the statistics date, the counties ranked, the overdue features by county. Every number comes
// from shared/analysis — the functions the 进度 dashboard shows — so the two always agree.
import type { CalendarDate } from '../model/calendar-date';
import type { Feature } from '../model/feature';
import type { LayerDefinition } from '../model/layer-definition';
import type { Target } from '../model/target';
import { featureCodeOf } from '../model/format-value';
import { daysBetween } from '../analysis/calendar';
import { overdueFeatures } from '../analysis/overdue-features';
import { progressByCounty } from '../analysis/progress-by-county';
import { targetProgress } from '../analysis/target-progress';
import { isInTargetScope } from '../analysis/target-selection';

export interface BulletinTargetInput {
  target: Target;
  layer: LayerDefinition;
  /** The layer's features. */
  features: readonly Feature[];
  /** The target's title and unit in the document's language. */
  title: string;
  unit: string;
  /** A core target: ranked, listed overdue, mapped. */
  core: boolean;
}

export interface BulletinInput {
  targets: readonly BulletinTargetInput[];
  counties: readonly { adcode: number; name: string }[];
  asOf: CalendarDate;
}

export interface BulletinTargetRow {
  targetId: string;
  title: string;
  unit: string;
  done: number;
  quantity: number | null;
  percent: number | null;
  /** The straight line from 0 at the start to the quantity at the deadline, on the statistics date. */
  plan: number | null;
  planPercent: number | null;
  /** Decimals the target's numbers are shown with (counts: 0). */
  fractionDigits: number;
  demo: boolean;
}

export interface RankingRow {
  county: number;
  name: string;
  done: number;
  /** The county's share of the target, else what it has on the map. */
  base: number;
  percent: number;
}

export interface BulletinRanking {
  targetId: string;
  title: string;
  /** Highest percent first (ties: more done, then the county order). */
  rows: RankingRow[];
  fastest: RankingRow | null;
  slowest: RankingRow | null;
}

export interface OverdueItem {
  code: string;
  targetTitle: string;
  plannedDate: CalendarDate;
  daysOverdue: number;
}

export interface BulletinModel {
  asOf: CalendarDate;
  targets: BulletinTargetRow[];
  rankings: BulletinRanking[];
  /** Counties with overdue features, in the county order. */
  overdue: { county: number | null; name: string; items: OverdueItem[] }[];
  demo: boolean;
}

/** The plan line's value on `asOf`: days from the start (both ends counted) over the whole span. */
export function planOn(target: Pick<Target, 'quantity' | 'startDate' | 'deadline'>, asOf: CalendarDate): number | null {
  if (target.quantity === null) return null;
  if (asOf < target.startDate) return 0;
  const end = asOf < target.deadline ? asOf : target.deadline;
  return (target.quantity * (daysBetween(target.startDate, end) + 1)) / (daysBetween(target.startDate, target.deadline) + 1);
}

export function bulletinModel(input: BulletinInput): BulletinModel {
  const order = input.counties.map((county) => county.adcode);
  const nameOf = (adcode: number | null) => input.counties.find((county) => county.adcode === adcode)?.name ?? String(adcode ?? '—');
  const targets = input.targets.map(({ target, features, title, unit }): BulletinTargetRow => {
    const progress = targetProgress(target, features);
    const plan = planOn(target, input.asOf);
    return {
      targetId: target.id,
      title,
      unit,
      done: progress.done,
      quantity: progress.quantity,
      percent: progress.percent,
      plan,
      planPercent: plan === null || target.quantity === null ? null : (plan / target.quantity) * 100,
      fractionDigits: target.metric.kind === 'count' ? 0 : 1,
      demo: features.some((feature) => feature.demo && isInTargetScope(target, feature)),
    };
  });
  const rankings = input.targets
    .filter((entry) => entry.core)
    .map(({ target, features, title }): BulletinRanking => {
      const rows = progressByCounty(target, features, order)
        .filter((row): row is typeof row & { county: number } => row.county !== null)
        .map((row) => {
          const base = row.quantity ?? row.scope;
          return { county: row.county, name: nameOf(row.county), done: row.done, base, percent: row.percentOfQuantity ?? row.percentOfScope ?? 0 };
        })
        .filter((row) => row.base > 0)
        .sort((left, right) => right.percent - left.percent || right.done - left.done || order.indexOf(left.county) - order.indexOf(right.county));
      return { targetId: target.id, title, rows, fastest: rows[0] ?? null, slowest: rows.length > 1 ? rows[rows.length - 1]! : null };
    });
  const byCounty = new Map<number | null, OverdueItem[]>();
  for (const { target, layer, features, title, core } of input.targets) {
    if (!core || !layer.schedule || target.quantity === null) continue;
    for (const row of overdueFeatures(layer, features, input.asOf, { where: target.metric.scope.where })) {
      const items = byCounty.get(row.feature.county) ?? [];
      items.push({ code: featureCodeOf(layer, row.feature), targetTitle: title, plannedDate: row.plannedDate, daysOverdue: row.daysOverdue });
      byCounty.set(row.feature.county, items);
    }
  }
  const countyKeys = [...order.filter((adcode) => byCounty.has(adcode)), ...[...byCounty.keys()].filter((key) => key === null || !order.includes(key))];
  return {
    asOf: input.asOf,
    targets,
    rankings,
    overdue: countyKeys.map((county) => ({ county, name: nameOf(county), items: byCounty.get(county)! })),
    demo: targets.some((row) => row.demo),
  };
}

/** A number as the dashboard shows it (lib/localize formatNumber): grouped thousands, at most `fractionDigits` decimals. */
export function formatAmount(value: number, fractionDigits: number, language: string): string {
  return new Intl.NumberFormat(language === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: fractionDigits }).format(value);
}
