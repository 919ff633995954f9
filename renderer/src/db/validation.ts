// The one feature validator of the store: `transact` (every edit), the import bases
// (imported-base.ts, staged-base.ts: every imported feature) and the seed all check a feature with
// it. The store's feature schema first (the store never holds a malformed record), then the
// layer's rules from shared/model — the same function forms and importers use. A fast check,
// compiled once per layer, accepts the features that are fine (nearly all of them) without zod;
// for the rest zod runs and gives the exact issues, so the result is always the full check's.
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

export type FeatureValidator = (feature: Feature) => ValidationIssue[];

/** The validator for one layer's features (the seed's: `checkFeature` bound to the layer). */
export function featureValidatorFor(layer: LayerDefinition): FeatureValidator {
  return (feature) => checkFeature(layer, feature);
}
