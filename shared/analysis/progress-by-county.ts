import type { FeatureFacts } from '../model/feature';
import type { Target } from '../model/target';
import { isInTargetScope, isTargetDone } from './target-selection';
import { metricValue, scopeValue } from './metric-value';

export interface CountyProgressRow {
  /** Adcode, or null for features outside every county. */
  county: number | null;
  done: number;
  scope: number;
  /** The county's share of the target when the target is split by county, else null. */
  quantity: number | null;
  /** done / quantity × 100 when there is a county quantity, else null. */
  percentOfQuantity: number | null;
  /** done / scope × 100 (how much of what the county has on the map is finished); null for an empty scope. */
  percentOfScope: number | null;
  featuresInScope: number;
  featuresDone: number;
}

export function countyQuantity(target: Target, county: number | null): number | null {
  const split = target.countySplit;
  if (split === undefined || county === null) return null;
  if (split.kind === 'each') return split.quantity;
  return split.rows.find((row) => row.county === county)?.quantity ?? 0;
}

/**
 * One row per county in the order given (counties without features included, with zeros),
 * then one for each other county with features in scope (adcodes ascending), then one for
 * features without a county if there are any.
 */
export function progressByCounty(
  target: Target,
  features: readonly FeatureFacts[],
  counties: readonly number[],
): CountyProgressRow[] {
  const rows = new Map<number | null, CountyProgressRow>();
  const rowFor = (county: number | null): CountyProgressRow => {
    let row = rows.get(county);
    if (row === undefined) {
      const quantity = countyQuantity(target, county);
      row = { county, done: 0, scope: 0, quantity, percentOfQuantity: null, percentOfScope: null, featuresInScope: 0, featuresDone: 0 };
      rows.set(county, row);
    }
    return row;
  };
  for (const county of counties) rowFor(county);
  for (const feature of features) {
    if (!isInTargetScope(target, feature)) continue;
    const row = rowFor(feature.county);
    row.featuresInScope += 1;
    row.scope += scopeValue(target.metric, feature);
    if (isTargetDone(target, feature)) {
      row.featuresDone += 1;
      row.done += metricValue(target.metric, feature);
    }
  }
  return orderedCountyRows(rows, counties);
}

/** Sorts the counties a list does not name: adcodes ascending, then null (no county). */
function byExtraCounty(left: number | null, right: number | null): number {
  if (left === null) return right === null ? 0 : 1;
  if (right === null) return -1;
  return left - right;
}

/**
 * The rows in the order of `counties`, then the rows of other counties (adcodes ascending, then
 * no county), with their percentages. Shared with the incremental progress summary, so the order
 * never depends on the order features were read in.
 */
export function orderedCountyRows(rows: ReadonlyMap<number | null, CountyProgressRow>, counties: readonly number[]): CountyProgressRow[] {
  const listed = new Set<number | null>(counties);
  const extra = [...rows.keys()].filter((county) => !listed.has(county)).sort(byExtraCounty);
  return [...counties, ...extra].map((county) => {
    const row = rows.get(county) as CountyProgressRow;
    return {
      ...row,
      percentOfQuantity: row.quantity === null || row.quantity === 0 ? null : (row.done / row.quantity) * 100,
      percentOfScope: row.scope === 0 ? null : (row.done / row.scope) * 100,
    };
  });
}
