// The coverage slider: each resident's nearest park measured once, so that coverage at any
// radius is a pass over the stored distances (issue 19, item 6), equal to parkCoverageNaive.
import type { Geometry, Position } from '../model/geometry';
import { boundingBox, type BoundingBox } from '../geo/bbox';
import { boxIndex } from '../geo/box-index';
import { distanceToGeometryMeters } from '../geo/distance-to-geometry';
import { radiusSearchBox } from '../geo/radius-search-box';
import { boxDistanceLowerBoundMeters } from '../geo/box-distance-lower-bound';
import {
  asGeometry,
  assertRadius,
  compareGroups,
  featureIdOf,
  type CoverageFeatureCollection,
  type CoverageFeatureId,
  type NearestPark,
  type ParkCoverageResult,
  type ResidentIndex,
} from './coverage';

/**
 * Each resident's nearest park at any distance, for coverage at many radii (a radius slider):
 * computed once, then {@link parkCoverageOfNearest} answers a radius without measuring again.
 */
export interface NearestParkTable {
  readonly residents: ResidentIndex;
  readonly parkIds: readonly CoverageFeatureId[];
  /** Per resident: the nearest park (first in the parks' order on a tie), or -1 (no park, no position). */
  readonly nearestPark: Int32Array;
  /** Per resident: the distance to that park (m), Infinity when there is none. */
  readonly nearestDistance: Float64Array;
}

/** The first search radius around a resident (m); doubled until a park is found within it. */
const FIRST_SEARCH_RADIUS_METERS = 250;

/**
 * Every resident's nearest park, exactly as parkCoverageNaive (coverage.ts) measures it. Around each
 * resident a search radius r grows (doubling): the parks whose boxes meet the search box
 * ({@link radiusSearchBox}) are measured with {@link distanceToGeometryMeters}, nearest box
 * first, until a box's lower bound ({@link boxDistanceLowerBoundMeters}) exceeds the best
 * distance. When that distance is within r, every park at that distance or less was a
 * candidate, so it is the nearest (ties: the first in order); otherwise r doubles, up to all parks.
 */
export function nearestParks(parks: CoverageFeatureCollection, residents: ResidentIndex): NearestParkTable {
  const shapes = parks.features.map((park) => (park.geometry === null ? null : asGeometry(park.geometry)));
  const boxes = shapes.map((shape) => (shape === null ? null : boundingBox(shape)));
  const index = boxIndex(boxes);
  const allParks = shapes.flatMap((shape, park) => (shape === null ? [] : [park]));
  // Parks with a geometry but no extent are never in the index, yet the reference measures them.
  const unboxed = allParks.filter((park) => boxes[park] === null);
  const count = residents.ids.length;
  const nearestPark = new Int32Array(count).fill(-1);
  const nearestDistance = new Float64Array(count).fill(Infinity);
  const measuredFor = new Int32Array(parks.features.length).fill(-1);
  const bounds = new Float64Array(parks.features.length);
  for (let resident = 0; resident < count; resident += 1) {
    const position = residents.positions[resident] as Position;
    if (!Number.isFinite(position[0]) || !Number.isFinite(position[1]) || allParks.length === 0) continue;
    let best = Infinity;
    let bestPark = -1;
    const measure = (park: number) => {
      measuredFor[park] = resident;
      const distance = distanceToGeometryMeters(position, shapes[park] as Geometry);
      if (distance < best || (distance === best && park < bestPark)) {
        best = distance;
        bestPark = park;
      }
    };
    for (let radius = FIRST_SEARCH_RADIUS_METERS; ; radius *= 2) {
      const searchBox = radiusSearchBox([position[0] as number, position[1] as number, position[0] as number, position[1] as number], radius);
      for (const park of unboxed) if (measuredFor[park] !== resident) measure(park);
      if (searchBox === null) {
        // No box bounds this radius (pole, antimeridian): measure every park left, no pruning.
        for (const park of allParks) if (measuredFor[park] !== resident) measure(park);
        break;
      }
      const candidates = index.search(searchBox).filter((park) => measuredFor[park] !== resident);
      // The bound holds for parks within the radius; one beyond it is found in a later round if
      // it could be nearer, since a skipped park is not marked as measured.
      for (const park of candidates) bounds[park] = boxDistanceLowerBoundMeters(position, boxes[park] as BoundingBox, radius);
      candidates.sort((left, right) => (bounds[left] as number) - (bounds[right] as number));
      for (const park of candidates) {
        if ((bounds[park] as number) > best) break;
        measure(park);
      }
      if (best <= radius) break;
    }
    nearestPark[resident] = bestPark;
    nearestDistance[resident] = bestPark >= 0 ? best : Infinity;
  }
  const table = { residents, parkIds: parks.features.map((park, parkIndex) => featureIdOf(park, parkIndex)), nearestPark, nearestDistance };
  stepPlanOf(table);
  return table;
}

/** What a radius step needs besides the distances, prepared with the table: radius-independent. */
interface StepPlan {
  /** Per resident: its group's slot in `groups`. */
  readonly groupSlot: Int32Array;
  /** The groups in result order, with their radius-independent totals. */
  readonly groups: readonly { group: string | number | null; totalPopulation: number; totalResidents: number }[];
  readonly totalPopulation: number;
  /** Per resident: its nearest park as a result reports it (null: none). */
  readonly nearest: readonly (NearestPark | null)[];
  /** Every resident's nearest distance, ascending: how many are covered at a radius is a binary search. */
  readonly sortedDistances: Float64Array;
}

/** How many of the ascending `sorted` are ≤ `limit`. */
function countAtMost(sorted: Float64Array, limit: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) <= limit) low = middle + 1;
    else high = middle;
  }
  return low;
}

const stepPlans = new WeakMap<NearestParkTable, StepPlan>();

/** Totals summed in the residents' order, as coverage.ts's summarize sums them, so they are identical. */
function stepPlanOf(table: NearestParkTable): StepPlan {
  const known = stepPlans.get(table);
  if (known !== undefined) return known;
  const { residents } = table;
  const slots = new Map<string | number | null, number>();
  const firstSeen: { group: string | number | null; totalPopulation: number; totalResidents: number }[] = [];
  const groupSlot = new Int32Array(residents.ids.length);
  let totalPopulation = 0;
  residents.ids.forEach((_, resident) => {
    const key = residents.groups[resident] ?? null;
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = firstSeen.length;
      slots.set(key, slot);
      firstSeen.push({ group: key, totalPopulation: 0, totalResidents: 0 });
    }
    const population = residents.populations[resident] as number;
    totalPopulation += population;
    (firstSeen[slot] as StepPlan['groups'][number]).totalPopulation += population;
    (firstSeen[slot] as StepPlan['groups'][number]).totalResidents += 1;
    groupSlot[resident] = slot;
  });
  const groups = [...firstSeen].sort((a, b) => compareGroups(a.group, b.group));
  const rank = new Int32Array(firstSeen.length);
  groups.forEach((group, position) => (rank[firstSeen.indexOf(group)] = position));
  groupSlot.forEach((slot, resident) => (groupSlot[resident] = rank[slot] as number));
  const nearest = Array.from(table.nearestPark, (park, resident) =>
    park >= 0 ? { parkId: table.parkIds[park] as CoverageFeatureId, distanceMeters: table.nearestDistance[resident] as number } : null,
  );
  const plan = { groupSlot, groups, totalPopulation, nearest, sortedDistances: Float64Array.from(table.nearestDistance).sort() };
  stepPlans.set(table, plan);
  return plan;
}

/**
 * Coverage at a radius from {@link nearestParks}: no distance is measured, one pass over the
 * residents; equals parkCoverage (and so parkCoverageNaive (coverage.ts)) at every radius.
 */
export function parkCoverageOfNearest(table: NearestParkTable, radiusMeters: number): ParkCoverageResult {
  assertRadius(radiusMeters);
  const plan = stepPlanOf(table);
  const { ids, populations } = table.residents;
  // The lists are allocated at their final length (a count over the sorted distances), then filled
  // in the residents' order; the totals are summed in that order, as summarize sums them.
  const covered = countAtMost(plan.sortedDistances, radiusMeters);
  const coveredIds = new Array<CoverageFeatureId>(covered);
  const nearestParks = new Array<NearestPark>(covered);
  const uncoveredIds = new Array<CoverageFeatureId>(ids.length - covered);
  const groupCoveredPopulation = new Float64Array(plan.groups.length);
  const groupCoveredResidents = new Int32Array(plan.groups.length);
  let coveredPopulation = 0;
  let nextCovered = 0;
  let nextUncovered = 0;
  for (let resident = 0; resident < ids.length; resident += 1) {
    if ((table.nearestDistance[resident] as number) <= radiusMeters) {
      const population = populations[resident] as number;
      const slot = plan.groupSlot[resident] as number;
      coveredIds[nextCovered] = ids[resident] as CoverageFeatureId;
      nearestParks[nextCovered] = plan.nearest[resident] as NearestPark;
      nextCovered += 1;
      coveredPopulation += population;
      groupCoveredPopulation[slot] = (groupCoveredPopulation[slot] as number) + population;
      groupCoveredResidents[slot] = (groupCoveredResidents[slot] as number) + 1;
    } else {
      uncoveredIds[nextUncovered] = ids[resident] as CoverageFeatureId;
      nextUncovered += 1;
    }
  }
  const percent = (covered: number, total: number) => (total > 0 ? (covered / total) * 100 : null);
  return {
    radiusMeters,
    totalPopulation: plan.totalPopulation,
    coveredPopulation,
    coveredPercent: percent(coveredPopulation, plan.totalPopulation),
    coveredIds,
    uncoveredIds,
    nearestParks,
    groups: plan.groups.map((group, slot) => {
      const covered = groupCoveredPopulation[slot] as number;
      return { ...group, coveredPopulation: covered, coveredPercent: percent(covered, group.totalPopulation), coveredResidents: groupCoveredResidents[slot] as number };
    }),
  };
}
