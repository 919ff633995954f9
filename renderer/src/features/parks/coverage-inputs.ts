// Turns store features into the plain GeoJSON that the coverage analysis and the map overlay take.
import type { FeatureCollection, Point, Polygon } from 'geojson';
import type { Feature } from '../../../../shared/model';
import type { ParkCoverageResult } from '../../../../shared/analysis';
import { geodesicDistanceMeters, representativePoint } from '../../../../shared/geo';
import type { CoverageOverlay } from '../../map/coverage-overlay';
import type { RankedCandidate } from './analysis.worker';

export function residentsCollection(features: readonly Feature[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: features.map((feature) => ({
      type: 'Feature',
      id: feature.id,
      properties: { population: feature.properties.population ?? 0, county: feature.county },
      geometry: feature.geometry as Point,
    })),
  };
}

export function parksCollection(features: readonly Feature[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: features.map((feature) => ({ type: 'Feature', id: feature.id, properties: {}, geometry: feature.geometry as Polygon })),
  };
}

function vertices(feature: Feature): Array<[number, number]> {
  const geometry = feature.geometry;
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates as [number, number]];
    case 'Polygon':
      return geometry.coordinates.flat() as Array<[number, number]>;
    case 'MultiPolygon':
      return geometry.coordinates.flat(2) as Array<[number, number]>;
    default:
      return [];
  }
}

export function coverageOverlay(
  radiusMeters: number,
  parks: readonly Feature[],
  residents: readonly Feature[],
  result: ParkCoverageResult | null,
  candidates: readonly RankedCandidate[],
): CoverageOverlay {
  const covered = new Set(result?.coveredIds.map(String) ?? []);
  return {
    radiusMeters,
    serviceCenters: {
      type: 'FeatureCollection',
      features: parks.map((park) => {
        const center = representativePoint(park.geometry) as [number, number];
        // The disc around the centre must reach as far as the park's farthest vertex does.
        const reachMeters = Math.max(0, ...vertices(park).map((vertex) => geodesicDistanceMeters(center, vertex)));
        return { type: 'Feature', properties: { reachMeters, latitude: center[1] }, geometry: { type: 'Point', coordinates: center } };
      }),
    },
    residents: {
      type: 'FeatureCollection',
      features: residents.map((resident) => ({
        type: 'Feature',
        properties: { covered: covered.has(resident.id), population: Number(resident.properties.population ?? 0) },
        geometry: resident.geometry as Point,
      })),
    },
    candidates: {
      type: 'FeatureCollection',
      features: candidates.map((candidate) => ({ type: 'Feature', properties: { rank: candidate.rank }, geometry: candidate.geometry })),
    },
    candidateCenters: {
      type: 'FeatureCollection',
      features: candidates.map((candidate) => ({ type: 'Feature', properties: { rank: candidate.rank }, geometry: { type: 'Point', coordinates: candidate.center } })),
    },
  };
}
