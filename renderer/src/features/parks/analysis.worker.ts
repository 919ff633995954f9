// Heavy analysis off the main thread (comlink), so the map never stalls while a slider moves.
import * as Comlink from 'comlink';
import type { Feature, FeatureCollection, Geometry, Point, Polygon, MultiPolygon } from 'geojson';
import {
  builtUpArea,
  gridCandidateSites,
  indexResidents,
  nearestParks,
  parkCoverageOfNearest,
  type NearestParkTable,
  rankCandidateSites,
  type ParkCoverageResult,
  type ResidentIndex,
} from '../../../../shared/analysis';
import { candidateParkSquare } from '../../../../shared/analysis/candidate-park-square';

export type CandidateSource = 'grid' | 'drawn' | 'imported';

/** A site the planner drew (a polygon) or imported (a point or polygon). */
export interface ExtraCandidate {
  id: string;
  source: 'drawn' | 'imported';
  geometry: Polygon | Point;
  center: [number, number];
}

export interface RankedCandidate {
  source: CandidateSource;
  id: string;
  rank: number;
  /** The park the site would become (a square around the grid point). */
  geometry: Polygon;
  center: [number, number];
  marginalGain: number;
  cumulativeCovered: number;
}

let residentIndex: { key: string; index: ResidentIndex; residents: FeatureCollection } | null = null;

function preparedResidents(key: string, residents: FeatureCollection | null): ResidentIndex {
  if (residentIndex?.key === key) return residentIndex.index;
  if (!residents) throw new Error('analysis worker: residents not sent for a new key');
  residentIndex = { key, index: indexResidents(residents), residents };
  return residentIndex.index;
}

let sentParks: { key: string; parks: FeatureCollection } | null = null;
let nearestTable: { key: string; table: NearestParkTable } | null = null;

const api = {
  /**
   * Coverage of the residents by the parks at a radius. Each resident's nearest park is measured
   * once per (`residentsKey`, `parksKey`); a radius step is then a pass over those distances.
   * Residents and parks are sent only with a key the worker has not seen (else null).
   */
  coverage(residentsKey: string, residents: FeatureCollection | null, parksKey: string, parks: FeatureCollection | null, radiusMeters: number): ParkCoverageResult {
    if (parks) sentParks = { key: parksKey, parks };
    if (sentParks?.key !== parksKey) throw new Error('analysis worker: parks not sent for a new key');
    const key = `${residentsKey}|${parksKey}`;
    const prepared = preparedResidents(residentsKey, residents);
    if (nearestTable?.key !== key) nearestTable = { key, table: nearestParks(sentParks.parks, prepared) };
    return parkCoverageOfNearest(nearestTable.table, radiusMeters);
  },

  /** The k best new sites on a grid over the built-up area, ranked by greedy maximal coverage. */
  rankGridCandidates(
    residentsKey: string,
    residents: FeatureCollection | null,
    parks: FeatureCollection,
    exclusions: Array<Polygon | MultiPolygon>,
    radiusMeters: number,
    options: { k: number; spacingMeters: number; sideMeters: number; includeGrid: boolean; extra: readonly ExtraCandidate[] },
  ): RankedCandidate[] {
    preparedResidents(residentsKey, residents);
    const allResidents = residentIndex!.residents;
    const area = options.includeGrid ? builtUpArea(allResidents) : null;
    const grid = area ? gridCandidateSites(area, options.spacingMeters, exclusions).features : [];
    // Planner-drawn or imported sites: a polygon is the park itself; a point becomes the same square plot as a grid site.
    const extra = options.extra.map(
      (candidate): Feature<Polygon> => ({
        type: 'Feature',
        id: candidate.id,
        properties: { center: candidate.center, source: candidate.source },
        geometry: candidate.geometry.type === 'Polygon' ? candidate.geometry : candidateParkSquare(candidate.center, options.sideMeters),
      }),
    );
    const squares: FeatureCollection<Polygon> = {
      type: 'FeatureCollection',
      features: [
        ...extra,
        ...grid.map((site): Feature<Polygon> => ({
          type: 'Feature',
          id: site.id,
          properties: { center: site.geometry.coordinates, source: 'grid' },
          geometry: candidateParkSquare(site.geometry.coordinates as [number, number], options.sideMeters),
        })),
      ],
    };
    return rankCandidateSites(squares, parks, allResidents, radiusMeters, { k: options.k }).map((ranked) => ({
      id: String(ranked.candidate.id),
      rank: ranked.rank,
      geometry: ranked.candidate.geometry,
      center: (ranked.candidate.properties as { center: [number, number] }).center,
      marginalGain: ranked.marginalGain,
      cumulativeCovered: ranked.cumulativeCovered,
      source: (ranked.candidate.properties as { source: CandidateSource }).source,
    }));
  },
};

export type AnalysisWorkerApi = typeof api;
export type { Geometry, Point };

Comlink.expose(api);
