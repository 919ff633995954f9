// How many of a layer's features share each combination of county, status, demo flag and coded
// (enum) field values — what the layer panel's counts are sums of. Kept up to date one feature at a
// time (remove the old version, add the new), so a count after an edit costs O(combinations), not
// a pass over the layer; a layer has few combinations (counties × statuses × coded values met).
import type { Feature } from '../model/feature';

/** A feature's value of a coded field as filters see it: a missing value is `noCodedValue`. */
export const noCodedValue = '';

export function codedValueOf(feature: Pick<Feature, 'properties'>, key: string): string {
  const value = feature.properties[key];
  return value === undefined || value === null ? noCodedValue : String(value);
}

export interface TallyGroup {
  readonly county: number | null;
  readonly status: string;
  readonly demo: boolean;
  /** Coded field key → the value as {@link codedValueOf} gives it. */
  readonly coded: Readonly<Record<string, string>>;
  readonly count: number;
}

type TalliedFeature = Pick<Feature, 'county' | 'status' | 'demo' | 'properties'>;

export class LayerTally {
  private readonly groups = new Map<string, { group: Omit<TallyGroup, 'count'>; count: number }>();
  private total = 0;

  /** `codedKeys`: the coded fields whose values the groups tell apart. */
  constructor(
    readonly codedKeys: readonly string[],
    features: Iterable<TalliedFeature> = [],
  ) {
    for (const feature of features) this.add(feature);
  }

  add(feature: TalliedFeature): void {
    this.change(feature, 1);
  }

  remove(feature: TalliedFeature): void {
    this.change(feature, -1);
  }

  /** The groups as they are now (a new array, each group a frozen copy; empty groups left out). */
  snapshot(): TallySnapshot {
    const groups: TallyGroup[] = [];
    for (const { group, count } of this.groups.values()) if (count > 0) groups.push(Object.freeze({ ...group, count }));
    return new TallySnapshot(this.codedKeys, groups, this.total);
  }

  private change(feature: TalliedFeature, by: 1 | -1): void {
    const coded = this.codedKeys.map((key) => codedValueOf(feature, key));
    const key = JSON.stringify([feature.county, feature.status, feature.demo, coded]);
    let entry = this.groups.get(key);
    if (!entry) {
      if (by < 0) throw new Error(`layer tally: removing a feature (status ${feature.status}) that was never added`);
      entry = { group: { county: feature.county, status: feature.status, demo: feature.demo, coded: Object.fromEntries(this.codedKeys.map((codedKey, index) => [codedKey, coded[index]!])) }, count: 0 };
      this.groups.set(key, entry);
    }
    entry.count += by;
    this.total += by;
    if (entry.count < 0) throw new Error(`layer tally: more features removed than added (status ${feature.status})`);
  }
}

/** A layer's counts at one moment; every question is a sum over its groups. */
export class TallySnapshot {
  constructor(
    readonly codedKeys: readonly string[],
    readonly groups: readonly TallyGroup[],
    readonly total: number,
  ) {}

  /** How many features are in groups that `accept`s. */
  count(accept: (group: TallyGroup) => boolean): number {
    let sum = 0;
    for (const group of this.groups) if (accept(group)) sum += group.count;
    return sum;
  }

  get hasDemo(): boolean {
    return this.groups.some((group) => group.demo);
  }
}
