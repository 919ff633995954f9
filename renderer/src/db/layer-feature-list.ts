// A layer's current features kept up to date from its change feed (`watchLayer`), in exactly the
// order a fresh read gives (`mergeBaseWithEdits`): base features in base order, then features
// created after the base, by their latest write. An edit costs a copy of the list, never a read
// of the layer from the store. Beside it, the layer's tally (counts by county, status, demo flag
// and coded values), updated per changed feature.
import type { Feature } from '../../../shared/model';
import { LayerTally, type TallySnapshot } from '../../../shared/analysis/layer-tally';

export class LayerFeatureList {
  private readonly rankOf = new Map<string, number>();
  private readonly baseSlots: (Feature | undefined)[];
  private holes = 0;
  /** Features not in the base, oldest write first (a Map keeps insertion order). */
  private readonly created = new Map<string, Feature>();
  private list: Feature[] | null = null;
  private readonly counts: LayerTally;
  private counted: TallySnapshot | null = null;

  /**
   * `baseIds`: the ids of the layer's packed base in base order (deleted ones too), chunk by chunk;
   * `features`: a fresh read of the layer; `codedKeys`: the coded fields the tally tells apart.
   */
  constructor(baseIds: readonly (readonly string[])[], features: readonly Feature[], codedKeys: readonly string[] = []) {
    this.counts = new LayerTally(codedKeys, features);
    let rank = 0;
    for (const ids of baseIds) for (const id of ids) this.rankOf.set(id, rank++);
    this.baseSlots = new Array<Feature | undefined>(rank);
    let present = 0;
    for (const feature of features) {
      const at = this.rankOf.get(feature.id);
      if (at === undefined) this.created.set(feature.id, feature);
      else {
        this.baseSlots[at] = feature;
        present += 1;
      }
    }
    this.holes = rank - present;
  }

  /** Applies the features changed since the last call, in the feed's order (by sequence). */
  apply(upserted: readonly Feature[], removed: readonly string[]): void {
    for (const id of removed) {
      const at = this.rankOf.get(id);
      const old = at === undefined ? this.created.get(id) : this.baseSlots[at];
      if (old !== undefined) this.counts.remove(old);
      if (at === undefined) this.created.delete(id);
      else if (this.baseSlots[at] !== undefined) {
        this.baseSlots[at] = undefined;
        this.holes += 1;
      }
    }
    for (const feature of upserted) {
      const at = this.rankOf.get(feature.id);
      const old = at === undefined ? this.created.get(feature.id) : this.baseSlots[at];
      if (old !== undefined) this.counts.remove(old);
      this.counts.add(feature);
      if (at === undefined) {
        // Its write is the newest: it moves behind every other created feature.
        this.created.delete(feature.id);
        this.created.set(feature.id, feature);
      } else {
        if (this.baseSlots[at] === undefined) this.holes -= 1;
        this.baseSlots[at] = feature;
      }
    }
    if (upserted.length > 0 || removed.length > 0) {
      this.list = null;
      this.counted = null;
    }
  }

  /** The current features; the same array until the next change. */
  features(): Feature[] {
    if (this.list !== null) return this.list;
    let list: Feature[];
    if (this.holes === 0) list = this.baseSlots.slice() as Feature[];
    else {
      list = [];
      for (const feature of this.baseSlots) if (feature !== undefined) list.push(feature);
    }
    for (const feature of this.created.values()) list.push(feature);
    this.list = list;
    return list;
  }

  /** The layer's counts; the same snapshot until the next change. */
  tally(): TallySnapshot {
    this.counted ??= this.counts.snapshot();
    return this.counted;
  }
}
