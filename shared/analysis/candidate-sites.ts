import type { Feature as GeoJsonFeature, FeatureCollection as GeoJsonFeatureCollection, Geometry as GeoJsonGeometry, MultiPolygon, Point, Polygon } from 'geojson';
import type { Geometry, Position } from '../model/geometry';
import { boundingBox } from '../geo/bbox';
import { boxIndex } from '../geo/box-index';
import { convexHull } from '../geo/convex-hull';
import { pointInPolygon } from '../geo/point-in-polygon';
import { WGS84_ECCENTRICITY_SQUARED, WGS84_SEMI_MAJOR_AXIS_METERS } from '../geo/wgs84';
import {
  indexResidents,
  residentsWithinRadius,
  type CoverageFeatureCollection,
  type CoverageFeatureId,
  type ParkCoverageOptions,
} from './coverage';

type AreaGeometry = Polygon | MultiPolygon;

export interface RankedCandidateSite<C> {
  /** The candidate feature as given (planner-drawn, imported or generated). */
  candidate: C;
  /** 1 for the first site chosen. */
  rank: number;
  /** Population covered by this site and by no park or better-ranked site. */
  marginalGain: number;
  /** Population covered by the parks plus the sites ranked 1…rank. */
  cumulativeCovered: number;
  /** Ids of the residents this site newly covers (in the residents' order). */
  newlyCoveredIds: CoverageFeatureId[];
}

export interface CandidateRankingOptions extends ParkCoverageOptions {
  /** How many sites to rank (default 40, the 2021 pocket-park target). */
  k?: number;
}

export const DEFAULT_CANDIDATE_SITE_COUNT = 40;

/**
 * Greedy maximal coverage: each next site is the candidate that covers the most population
 * not yet covered by the parks or by the sites already chosen (ties: the earlier candidate),
 * with the same coverage rule as {@link parkCoverage} (geodesic distance to the site — a point
 * or a polygon — at most `radiusMeters`). Stops after `k` sites or when no candidate adds
 * anyone. Greedy is the classic (1 − 1/e)-approximation of the best k sites, and what a
 * planner can follow: the list reads "build these, in this order".
 *
 * Planner-drawn, imported and generated candidates are ranked the same way. Populations are
 * summed as numbers (exact for whole persons). Inputs are never modified.
 */
export function rankCandidateSites<C extends GeoJsonFeature<GeoJsonGeometry | null>>(
  candidates: GeoJsonFeatureCollection<GeoJsonGeometry | null> & { features: readonly C[] },
  parks: CoverageFeatureCollection,
  residents: CoverageFeatureCollection,
  radiusMeters: number,
  options: CandidateRankingOptions = {},
): RankedCandidateSite<C>[] {
  if (!(radiusMeters >= 0) || !Number.isFinite(radiusMeters)) throw new RangeError(`radius must be a finite number of metres ≥ 0, got ${radiusMeters}`);
  const k = options.k ?? DEFAULT_CANDIDATE_SITE_COUNT;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number ≥ 0, got ${k}`);
  const prepared = indexResidents(residents, options);
  const residentCount = prepared.ids.length;

  const covered = new Uint8Array(residentCount);
  let coveredPopulation = 0;
  for (const park of parks.features) {
    if (park.geometry === null) continue;
    for (const { resident } of residentsWithinRadius(prepared, park.geometry, radiusMeters)) {
      if (covered[resident] === 0) {
        covered[resident] = 1;
        coveredPopulation += prepared.populations[resident] as number;
      }
    }
  }

  // Who each candidate would cover among the still uncovered, and the reverse lists, so that
  // choosing a site only updates the candidates sharing its residents.
  const reach: Int32Array[] = [];
  const gains = new Float64Array(candidates.features.length);
  const candidatesOfResident: number[][] = Array.from({ length: residentCount }, () => []);
  candidates.features.forEach((candidate, candidateIndex) => {
    const hits = candidate.geometry === null ? [] : residentsWithinRadius(prepared, candidate.geometry, radiusMeters);
    const uncovered = hits.map((hit) => hit.resident).filter((resident) => covered[resident] === 0);
    uncovered.sort((a, b) => a - b);
    reach.push(Int32Array.from(uncovered));
    let gain = 0;
    for (const resident of uncovered) {
      gain += prepared.populations[resident] as number;
      (candidatesOfResident[resident] as number[]).push(candidateIndex);
    }
    gains[candidateIndex] = gain;
  });

  const chosen = new Uint8Array(candidates.features.length);
  const ranked: RankedCandidateSite<C>[] = [];
  while (ranked.length < k) {
    let best = -1;
    for (let candidateIndex = 0; candidateIndex < gains.length; candidateIndex++) {
      if (chosen[candidateIndex] === 0 && (best < 0 || (gains[candidateIndex] as number) > (gains[best] as number))) best = candidateIndex;
    }
    if (best < 0 || (gains[best] as number) <= 0) break;
    chosen[best] = 1;
    const newlyCoveredIds: CoverageFeatureId[] = [];
    let marginalGain = 0;
    for (const resident of reach[best] as Int32Array) {
      if (covered[resident] === 1) continue;
      covered[resident] = 1;
      const population = prepared.populations[resident] as number;
      marginalGain += population;
      newlyCoveredIds.push(prepared.ids[resident] as CoverageFeatureId);
      for (const other of candidatesOfResident[resident] as number[]) gains[other] = (gains[other] as number) - population;
    }
    coveredPopulation += marginalGain;
    ranked.push({ candidate: candidates.features[best] as C, rank: ranked.length + 1, marginalGain, cumulativeCovered: coveredPopulation, newlyCoveredIds });
  }
  return ranked;
}

/**
 * The built-up area, taken as the convex hull of the residents' points per group (default:
 * per county), so that a city district and each county town get an area of their own instead
 * of one hull spanning the countryside between them. Groups whose points span no area are
 * left out; null when none is left. Inputs are never modified.
 */
export function builtUpArea(residents: CoverageFeatureCollection, options: Pick<ParkCoverageOptions, 'groupProperty'> = {}): MultiPolygon | null {
  const prepared = indexResidents(residents, { groupProperty: options.groupProperty ?? 'county' });
  const byGroup = new Map<string | number | null, Position[]>();
  prepared.positions.forEach((position, index) => {
    const key = prepared.groups[index] ?? null;
    byGroup.set(key, [...(byGroup.get(key) ?? []), position]);
  });
  const polygons: Position[][][] = [];
  for (const positions of byGroup.values()) {
    const ring = convexHull(positions);
    if (ring !== null) polygons.push([ring]);
  }
  return polygons.length === 0 ? null : { type: 'MultiPolygon', coordinates: polygons };
}

export interface GridCandidateOptions {
  /** Prefix of the candidates' ids (default `grid-`): ids are `<prefix><row>-<column>` of the grid. */
  idPrefix?: string;
}

const roundCoordinate = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * Candidate sites on a square grid of `spacingMeters` over `area`, leaving out every point
 * inside one of `exclusions` (existing parks, water: shared/ reads no files, the caller passes
 * the polygons). The grid's steps in degrees are fixed by the spacing at the area's middle
 * latitude (WGS84 radii of curvature) and anchored at 0°/0°, so the same inputs always give the
 * same points and ids. Coordinates are rounded to 6 decimals (≈ 0.1 m). Inputs are never modified.
 */
export function gridCandidateSites(
  area: AreaGeometry,
  spacingMeters: number,
  exclusions: readonly AreaGeometry[] = [],
  options: GridCandidateOptions = {},
): GeoJsonFeatureCollection<Point, { source: 'grid' }> {
  if (!(spacingMeters > 0) || !Number.isFinite(spacingMeters)) throw new RangeError(`spacing must be a positive number of metres, got ${spacingMeters}`);
  const prefix = options.idPrefix ?? 'grid-';
  const areaGeometry = area as unknown as Extract<Geometry, { type: 'Polygon' | 'MultiPolygon' }>;
  const box = boundingBox(areaGeometry);
  if (box === null) return { type: 'FeatureCollection', features: [] };
  const [west, south, east, north] = box;
  const phi = (((south + north) / 2) * Math.PI) / 180;
  const w = 1 - WGS84_ECCENTRICITY_SQUARED * Math.sin(phi) ** 2;
  const latitudeStep = spacingMeters / (((WGS84_SEMI_MAJOR_AXIS_METERS * (1 - WGS84_ECCENTRICITY_SQUARED)) / w ** 1.5) * (Math.PI / 180));
  const longitudeStep = spacingMeters / ((WGS84_SEMI_MAJOR_AXIS_METERS / Math.sqrt(w)) * Math.cos(phi) * (Math.PI / 180));
  const cells = ((north - south) / latitudeStep + 1) * ((east - west) / longitudeStep + 1);
  if (cells > 5_000_000) throw new RangeError(`a ${spacingMeters} m grid over this area has ${Math.round(cells)} cells: use a larger spacing`);

  const excluded = exclusions.map((geometry) => geometry as unknown as Extract<Geometry, { type: 'Polygon' | 'MultiPolygon' }>);
  const exclusionIndex = boxIndex(excluded.map((geometry) => boundingBox(geometry)));
  const features: GeoJsonFeature<Point, { source: 'grid' }>[] = [];
  for (let row = Math.ceil(south / latitudeStep); row * latitudeStep <= north; row++) {
    const latitude = roundCoordinate(row * latitudeStep);
    for (let column = Math.ceil(west / longitudeStep); column * longitudeStep <= east; column++) {
      const position: Position = [roundCoordinate(column * longitudeStep), latitude];
      if (!pointInPolygon(position, areaGeometry)) continue;
      const nearby = exclusionIndex.search([position[0], position[1], position[0], position[1]]);
      if (nearby.some((index) => pointInPolygon(position, excluded[index] as (typeof excluded)[number]))) continue;
      features.push({ type: 'Feature', id: `${prefix}${row}-${column}`, properties: { source: 'grid' }, geometry: { type: 'Point', coordinates: position } });
    }
  }
  return { type: 'FeatureCollection', features };
}
