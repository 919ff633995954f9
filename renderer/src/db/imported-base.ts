// The packed base of a layer created by an import (the bulk-load path): every feature validated
// against the layer definition as it is added — completely, but cheaply (validation.ts) — and kept
// once, as the store's `Feature`; `transact` then writes it as the new layer's base (chunks in
// Hilbert order, spatial-packing.ts) in the same transaction as the layer itself, with one
// `layerJournal` record instead of a journal entry and an edit row per feature. Only this module
// can make one, so `transact` knows every feature of it was checked.
import type { Feature, LayerDefinition, ValidationIssue } from '../../../shared/model';
import type { NewFeature } from './change/inputs';
import { randomId } from './identity';
import { packFeatures, type PackedLayer } from './spatial-packing';
import { checkFeature } from './validation';

/** An imported feature as the store keeps it: revision 1, made at the change's `time` (ISO). */
export function importedFeature(layer: LayerDefinition, time: string, input: NewFeature): Feature {
  return {
    id: input.id ?? randomId(),
    layerId: layer.id,
    geometry: input.geometry,
    properties: input.properties,
    status: input.status ?? layer.status.initial,
    county: input.county ?? null,
    demo: input.demo ?? false,
    createdAt: time,
    updatedAt: time,
    revision: 1,
  };
}

/** What an imported layer's `layerJournal` record says about where its features came from. */
export interface ImportSource {
  /** The file name (or another short description of the source). */
  source?: string;
}

/**
 * The features of a layer being imported, validated one at a time as they stream in. Give it to
 * `transact` as the `base` of a `create-layer` operation: the layer is written with these
 * features as its packed base, all in one change. Add features with {@link add}; a feature with
 * issues is not kept and makes the base unusable ({@link invalid}).
 */
export class ImportedLayerBase {
  private features: Feature[] | null = [];
  /** Positions of the features whose id the caller gave (generated UUIDs cannot repeat: not kept, it is cheaper). */
  private readonly givenIds = new Map<string, number>();
  private problems = 0;
  /** Called by `transact` as it writes the chunks (chunks written, of how many). */
  onWritten?: (written: number, total: number) => void;

  /**
   * @param layer the new layer's definition (the `create-layer` operation's, same object)
   * @param time the change's time, ISO (the features' createdAt/updatedAt; `transact` checks it)
   */
  constructor(
    readonly layer: LayerDefinition,
    readonly time: string,
  ) {}

  /** Features added (valid ones). */
  get count(): number {
    return this.features?.length ?? 0;
  }

  /** True once a feature was refused: `transact` will not write this base. */
  get invalid(): boolean {
    return this.problems > 0;
  }

  /**
   * Validates the feature (the store's schema, the layer's fields, status and geometry kind; its
   * id unique among those added) and keeps it as a store feature (revision 1). Returns the
   * issues; a feature with issues is not kept. `duplicateOf` is the `position` of an earlier
   * feature with the same id (`position`: the feature's place in the caller's input, by default
   * its place among the features kept).
   */
  add(input: NewFeature, position?: number): { issues: ValidationIssue[]; duplicateOf?: number } {
    const features = this.features;
    if (features === null) throw new Error('this imported base was already packed');
    const feature = importedFeature(this.layer, this.time, input);
    const issues = checkFeature(this.layer, feature);
    const previous = input.id === undefined ? undefined : this.givenIds.get(input.id);
    if (previous !== undefined) {
      this.problems += 1;
      return { issues, duplicateOf: previous };
    }
    if (issues.length > 0) {
      this.problems += 1;
      return { issues };
    }
    if (input.id !== undefined) this.givenIds.set(input.id, position ?? features.length);
    features.push(feature);
    return { issues };
  }

  /** The ids of the features added, in the order they were added (before {@link pack}). */
  ids(): string[] {
    return (this.features ?? []).map((feature) => feature.id);
  }

  /**
   * Packs the features (Hilbert order, ~1,000 per chunk) and lets go of its own list, so the
   * features are held once, by the chunks. Called by `transact`, once.
   */
  pack(chunkSize?: number): PackedLayer {
    const features = this.features;
    if (features === null) throw new Error('this imported base was already packed');
    this.features = null;
    return packFeatures(features, chunkSize);
  }
}
