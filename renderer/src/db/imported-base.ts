// The packed base of a layer created by an import (the bulk-load path): every feature validated
// against the layer definition as it is added — completely, but cheaply — and kept once, as the
// store's `Feature`; `transact` then writes it as the new layer's base (chunks in Hilbert order,
// spatial-packing.ts) in the same transaction as the layer itself, with one `layerJournal` record
// instead of a journal entry and an edit row per feature. Only this module can make one, so
// `transact` knows every feature of it was checked.
import {
  calendarDateSchema,
  featureSchema,
  geometryFitsLayerType,
  validateFeatureAgainstLayer,
  type Feature,
  type FieldDefinition,
  type LayerDefinition,
  type ValidationIssue,
} from '../../../shared/model';
import type { NewFeature } from './transact';
import { randomId } from './identity';
import { packFeatures, type PackedLayer } from './spatial-packing';

type ValueCheck = (value: unknown) => boolean;

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** True only when zod would accept the value for the field (false means: ask zod). */
function valueCheckFor(field: FieldDefinition): ValueCheck {
  switch (field.type) {
    case 'string': {
      const max = field.maxLength;
      return max === undefined ? (value) => typeof value === 'string' : (value) => typeof value === 'string' && value.length <= max;
    }
    case 'integer':
    case 'number': {
      const min = field.min ?? -Infinity;
      const max = field.max ?? Infinity;
      const integer = field.type === 'integer';
      return (value) => isNumber(value) && value >= min && value <= max && (!integer || Number.isSafeInteger(value));
    }
    case 'boolean':
      return (value) => typeof value === 'boolean';
    case 'date': {
      const seen = new Set<string>();
      return (value) => {
        if (typeof value !== 'string') return false;
        if (seen.has(value)) return true;
        const ok = calendarDateSchema.safeParse(value).success;
        if (ok && seen.size < 10_000) seen.add(value);
        return ok;
      };
    }
    case 'enum': {
      const allowed = new Set(field.values.map((option) => option.value));
      return (value) => typeof value === 'string' && allowed.has(value);
    }
  }
}

function positionOk(position: unknown): boolean {
  if (!Array.isArray(position) || (position.length !== 2 && position.length !== 3)) return false;
  const [longitude, latitude] = position as unknown[];
  if (!isNumber(longitude) || !isNumber(latitude) || longitude < -180 || longitude > 180 || latitude < -90 || latitude > 90) return false;
  return position.length === 2 || isNumber(position[2]);
}

function positionsOk(list: unknown, min: number): boolean {
  if (!Array.isArray(list) || list.length < min) return false;
  for (const position of list) if (!positionOk(position)) return false;
  return true;
}

function ringOk(ring: unknown): boolean {
  if (!positionsOk(ring, 4)) return false;
  const positions = ring as number[][];
  const first = positions[0] as number[];
  const last = positions[positions.length - 1] as number[];
  return first[0] === last[0] && first[1] === last[1];
}

function everyOk(list: unknown, min: number, check: (item: unknown) => boolean): boolean {
  if (!Array.isArray(list) || list.length < min) return false;
  for (const item of list) if (!check(item)) return false;
  return true;
}

/** True only when zod's `geometrySchema` would accept it. */
function geometryOk(geometry: unknown): boolean {
  if (typeof geometry !== 'object' || geometry === null) return false;
  const keys = Object.keys(geometry);
  if (keys.length !== 2) return false;
  const { type, coordinates } = geometry as { type?: unknown; coordinates?: unknown };
  switch (type) {
    case 'Point':
      return positionOk(coordinates);
    case 'MultiPoint':
      return positionsOk(coordinates, 1);
    case 'LineString':
      return positionsOk(coordinates, 2);
    case 'MultiLineString':
      return everyOk(coordinates, 1, (line) => positionsOk(line, 2));
    case 'Polygon':
      return everyOk(coordinates, 1, ringOk);
    case 'MultiPolygon':
      return everyOk(coordinates, 1, (polygon) => everyOk(polygon, 1, ringOk));
    default:
      return false;
  }
}

/**
 * A fast check of a feature against the store's schema and its layer, compiled once per layer:
 * true only if `featureSchema` and `validateFeatureAgainstLayer` both accept it. When it says
 * false, the slow path (zod) runs and gives the exact issues — so the result is always the same as
 * the full check, at a fraction of its cost for the features that are fine (nearly all of them).
 */
function compileFastCheck(layer: LayerDefinition): (feature: Feature) => boolean {
  const checks = new Map<string, ValueCheck>();
  for (const field of layer.fields) checks.set(field.key, valueCheckFor(field));
  const required = layer.fields.filter((field) => field.required).map((field) => field.key);
  const statuses = new Set(layer.status.states.map((state) => state.value));
  return (feature) => {
    const { id, geometry, properties, status, county, demo } = feature;
    if (typeof id !== 'string' || id.length < 1 || id.length > 200) return false;
    if (typeof status !== 'string' || !statuses.has(status)) return false;
    if (county !== null && !(Number.isSafeInteger(county) && county >= 100000 && county <= 999999)) return false;
    if (typeof demo !== 'boolean') return false;
    if (!geometryOk(geometry) || !geometryFitsLayerType(geometry.type, layer.geometryType)) return false;
    if (typeof properties !== 'object' || properties === null) return false;
    const prototype = Object.getPrototypeOf(properties) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return false;
    for (const key in properties) {
      if (!Object.prototype.hasOwnProperty.call(properties, key)) return false;
      const check = checks.get(key);
      const value = properties[key];
      if (check === undefined || value === undefined) return false;
      if (value !== null && !check(value)) return false;
    }
    for (const key of required) {
      const value = properties[key];
      if (value === undefined || value === null) return false;
    }
    return true;
  };
}

/** The full check (zod): the store's feature schema, then the layer's rules. */
export function featureIssues(layer: LayerDefinition, feature: Feature): ValidationIssue[] {
  const parsed = featureSchema.safeParse(feature);
  if (!parsed.success) return parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || 'feature', message: issue.message }));
  return validateFeatureAgainstLayer(layer, feature);
}

const fastChecks = new WeakMap<LayerDefinition, (feature: Feature) => boolean>();

/** Checks one feature exactly as `featureIssues` does, fast for a feature that is fine. */
export function checkFeature(layer: LayerDefinition, feature: Feature): ValidationIssue[] {
  let fast = fastChecks.get(layer);
  if (fast === undefined) {
    fast = compileFastCheck(layer);
    fastChecks.set(layer, fast);
  }
  if (feature.layerId === layer.id && fast(feature)) return [];
  return featureIssues(layer, feature);
}

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
