import type { Feature as GeoJsonFeature, FeatureCollection as GeoJsonFeatureCollection, Geometry as GeoJsonGeometry } from 'geojson';
import type { Geometry, Position } from '../model/geometry';
import { boundingBox } from '../geo/bbox';
import { pointIndex, type BoxIndex } from '../geo/box-index';
import { distanceToGeometryMeters } from '../geo/distance-to-geometry';
import { radiusSearchBox } from '../geo/radius-search-box';
import { boxDistanceLowerBoundMeters } from '../geo/box-distance-lower-bound';
import { representativePoint } from '../geo/features-within-area';

/** A resident's or park's id: the GeoJSON feature id, or its index in the collection when it has none. */
export type CoverageFeatureId = string | number;

/** Any GeoJSON feature collection (standard `geojson` types: outside tools pass plain GeoJSON). */
export type CoverageFeatureCollection = GeoJsonFeatureCollection<GeoJsonGeometry | null>;
type CoverageFeature = GeoJsonFeature<GeoJsonGeometry | null>;

export interface ParkCoverageOptions {
  /** The residents' property holding the number of persons (default `population`); missing or not a finite number counts as 0. */
  populationProperty?: string;
  /** The residents' property to total by (default `county`, the adcode); values other than strings and numbers group as null. */
  groupProperty?: string;
}

export interface CoverageGroupTotals {
  /** The group property's value (e.g. a county adcode), or null when a resident has none. */
  group: string | number | null;
  totalPopulation: number;
  coveredPopulation: number;
  /** covered / total × 100, or null for a group without population. */
  coveredPercent: number | null;
  totalResidents: number;
  coveredResidents: number;
}

export interface NearestPark {
  parkId: CoverageFeatureId;
  /** Geodesic distance (m) to the park: 0 inside a polygon park, else to its nearest edge or point. */
  distanceMeters: number;
}

export interface ParkCoverageResult {
  radiusMeters: number;
  totalPopulation: number;
  coveredPopulation: number;
  /** covered / total × 100, or null when there is no population. */
  coveredPercent: number | null;
  /** Ids of the residents within the radius of some park, in the residents' order. */
  coveredIds: CoverageFeatureId[];
  /** Ids of the other residents, in the residents' order. */
  uncoveredIds: CoverageFeatureId[];
  /** For each covered resident (same order as `coveredIds`): its nearest park (first in the parks' order on a tie). */
  nearestParks: NearestPark[];
  /** Totals per value of the group property: numbers ascending, then strings, then null. */
  groups: CoverageGroupTotals[];
}

/**
 * The residents prepared once for many coverage runs (e.g. while a radius slider moves): their
 * representative points, populations, groups and a spatial index (flatbush) over the points.
 */
export interface ResidentIndex {
  readonly ids: readonly CoverageFeatureId[];
  readonly positions: readonly Position[];
  readonly populations: Float64Array;
  readonly groups: readonly (string | number | null)[];
  readonly index: BoxIndex;
}

export function featureIdOf(feature: { id?: string | number | undefined }, index: number): CoverageFeatureId {
  return typeof feature.id === 'string' || typeof feature.id === 'number' ? feature.id : index;
}

function populationOf(feature: CoverageFeature, property: string): number {
  const value = feature.properties?.[property];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function groupOf(feature: CoverageFeature, property: string): string | number | null {
  const value = feature.properties?.[property];
  return typeof value === 'string' || typeof value === 'number' ? value : null;
}

/** GeoJSON's `number[]` positions and the model's tuples are the same data. */
export const asGeometry = (geometry: GeoJsonGeometry): Geometry => geometry as unknown as Geometry;

/**
 * Prepares the residents: a resident is measured from its point (for a polygon block, the
 * centroid of its vertices — the same representative point as area selection); residents
 * without geometry are never covered.
 */
export function indexResidents(residents: CoverageFeatureCollection, options: ParkCoverageOptions = {}): ResidentIndex {
  const populationProperty = options.populationProperty ?? 'population';
  const groupProperty = options.groupProperty ?? 'county';
  const ids: CoverageFeatureId[] = [];
  const positions: Position[] = [];
  const populations = new Float64Array(residents.features.length);
  const groups: (string | number | null)[] = [];
  residents.features.forEach((feature, index) => {
    ids.push(featureIdOf(feature, index));
    positions.push(feature.geometry === null ? [NaN, NaN] : representativePoint(asGeometry(feature.geometry)));
    populations[index] = populationOf(feature, populationProperty);
    groups.push(groupOf(feature, groupProperty));
  });
  // Residents without geometry (NaN positions) are left out of the index: never candidates.
  return { ids, positions, populations, groups, index: pointIndex(positions) };
}

export interface ResidentHit {
  resident: number;
  distanceMeters: number;
}

/**
 * The residents (indices) within `radiusMeters` of one geometry, with their distances: the
 * index proposes the residents inside a box that is safely larger than the radius
 * ({@link radiusSearchBox}), and {@link distanceToGeometryMeters} decides — the same function
 * the all-pairs reference uses, so pruning never changes an answer. With `nearestSoFar` (a
 * distance per resident), residents that this geometry cannot bring strictly nearer are skipped
 * ({@link boxDistanceLowerBoundMeters} ≥ their distance so far): only for nearest-park searches.
 */
export function residentsWithinRadius(
  residents: ResidentIndex,
  geometry: GeoJsonGeometry,
  radiusMeters: number,
  nearestSoFar?: Float64Array,
): ResidentHit[] {
  const shape = asGeometry(geometry);
  const box = boundingBox(shape);
  if (box === null) return [];
  const searchBox = radiusSearchBox(box, radiusMeters);
  const candidates = searchBox === null ? residents.positions.map((_, index) => index) : residents.index.search(searchBox);
  const hits: ResidentHit[] = [];
  for (const resident of candidates) {
    const position = residents.positions[resident] as Position;
    if (nearestSoFar !== undefined) {
      const bound = boxDistanceLowerBoundMeters(position, box, radiusMeters);
      if (bound > radiusMeters || bound >= (nearestSoFar[resident] as number)) continue;
    }
    const distanceMeters = distanceToGeometryMeters(position, shape);
    if (distanceMeters <= radiusMeters) hits.push({ resident, distanceMeters });
  }
  return hits;
}

export function compareGroups(a: string | number | null, b: string | number | null): number {
  const rank = (value: string | number | null) => (typeof value === 'number' ? 0 : typeof value === 'string' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (a === b || a === null || b === null) return 0;
  return a < b ? -1 : 1;
}

export function assertRadius(radiusMeters: number): void {
  if (!(radiusMeters >= 0) || !Number.isFinite(radiusMeters)) throw new RangeError(`radius must be a finite number of metres ≥ 0, got ${radiusMeters}`);
}

/** Totals from each resident's nearest park within the radius (or none): shared by the indexed and the naive computation. */
function summarize(
  residents: ResidentIndex,
  parkIds: readonly CoverageFeatureId[],
  nearestPark: Int32Array,
  nearestDistance: Float64Array,
  radiusMeters: number,
): ParkCoverageResult {
  const coveredIds: CoverageFeatureId[] = [];
  const uncoveredIds: CoverageFeatureId[] = [];
  const nearestParks: NearestPark[] = [];
  const groups = new Map<string | number | null, CoverageGroupTotals>();
  let totalPopulation = 0;
  let coveredPopulation = 0;
  residents.ids.forEach((id, resident) => {
    const population = residents.populations[resident] as number;
    const key = residents.groups[resident] ?? null;
    let group = groups.get(key);
    if (group === undefined) {
      group = { group: key, totalPopulation: 0, coveredPopulation: 0, coveredPercent: null, totalResidents: 0, coveredResidents: 0 };
      groups.set(key, group);
    }
    totalPopulation += population;
    group.totalPopulation += population;
    group.totalResidents += 1;
    const park = nearestPark[resident] as number;
    if (park >= 0) {
      coveredIds.push(id);
      nearestParks.push({ parkId: parkIds[park] as CoverageFeatureId, distanceMeters: nearestDistance[resident] as number });
      coveredPopulation += population;
      group.coveredPopulation += population;
      group.coveredResidents += 1;
    } else {
      uncoveredIds.push(id);
    }
  });
  const percent = (covered: number, total: number) => (total > 0 ? (covered / total) * 100 : null);
  return {
    radiusMeters,
    totalPopulation,
    coveredPopulation,
    coveredPercent: percent(coveredPopulation, totalPopulation),
    coveredIds,
    uncoveredIds,
    nearestParks,
    groups: [...groups.values()]
      .sort((a, b) => compareGroups(a.group, b.group))
      .map((group) => ({ ...group, coveredPercent: percent(group.coveredPopulation, group.totalPopulation) })),
  };
}

/** Coverage of prepared residents ({@link indexResidents}) by parks: the fast path for repeated runs. */
export function parkCoverageOfIndex(parks: CoverageFeatureCollection, residents: ResidentIndex, radiusMeters: number): ParkCoverageResult {
  assertRadius(radiusMeters);
  const count = residents.ids.length;
  const nearestPark = new Int32Array(count).fill(-1);
  const nearestDistance = new Float64Array(count).fill(Infinity);
  const parkIds = parks.features.map((park, index) => featureIdOf(park, index));
  // Parks in order, a strictly smaller distance replaces: on a tie the first park in order
  // stays, exactly as in the all-pairs loop.
  parks.features.forEach((park, parkIndex) => {
    if (park.geometry === null) return;
    for (const { resident, distanceMeters } of residentsWithinRadius(residents, park.geometry, radiusMeters, nearestDistance)) {
      if (distanceMeters < (nearestDistance[resident] as number)) {
        nearestDistance[resident] = distanceMeters;
        nearestPark[resident] = parkIndex;
      }
    }
  });
  return summarize(residents, parkIds, nearestPark, nearestDistance, radiusMeters);
}

/**
 * Who lives within `radiusMeters` of a park. A resident (a point with a population; for a
 * polygon, its vertex centroid) is covered when its geodesic distance (WGS84) to the nearest
 * park is at most the radius; the distance to a polygon park is to its nearest edge, 0 inside
 * ({@link distanceToGeometryMeters}). Parks are Points, Polygons or MultiPolygons (any
 * geometry works); features without geometry are ignored.
 *
 * Residents are indexed (flatbush) and each park only checks the residents in a box safely
 * larger than its radius; the result equals {@link parkCoverageNaive} exactly (same ids, same
 * totals, same nearest parks). Inputs are never modified.
 */
export function parkCoverage(
  parks: CoverageFeatureCollection,
  residents: CoverageFeatureCollection,
  radiusMeters: number,
  options: ParkCoverageOptions = {},
): ParkCoverageResult {
  assertRadius(radiusMeters);
  return parkCoverageOfIndex(parks, indexResidents(residents, options), radiusMeters);
}

/**
 * The all-pairs reference of {@link parkCoverage}: every resident against every park with the
 * same per-pair distance, no index. O(residents × parks): for tests and benchmarks.
 */
export function parkCoverageNaive(
  parks: CoverageFeatureCollection,
  residents: CoverageFeatureCollection,
  radiusMeters: number,
  options: ParkCoverageOptions = {},
): ParkCoverageResult {
  assertRadius(radiusMeters);
  const prepared = indexResidents(residents, options);
  const count = prepared.ids.length;
  const nearestPark = new Int32Array(count).fill(-1);
  const nearestDistance = new Float64Array(count).fill(Infinity);
  const parkIds = parks.features.map((park, index) => featureIdOf(park, index));
  residents.features.forEach((resident, residentIndex) => {
    if (resident.geometry === null) return;
    const position = prepared.positions[residentIndex] as Position;
    let best = Infinity;
    let bestPark = -1;
    parks.features.forEach((park, parkIndex) => {
      if (park.geometry === null) return;
      const distance = distanceToGeometryMeters(position, asGeometry(park.geometry));
      if (distance < best) {
        best = distance;
        bestPark = parkIndex;
      }
    });
    if (best <= radiusMeters) {
      nearestPark[residentIndex] = bestPark;
      nearestDistance[residentIndex] = best;
    }
  });
  return summarize(prepared, parkIds, nearestPark, nearestDistance, radiusMeters);
}
