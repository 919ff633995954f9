import type { Position } from '../../shared/model/geometry';
import { boundingBox, type BoundingBox } from '../../shared/geo/bbox';
import { pointInPolygon } from '../../shared/geo/point-in-polygon';
import { geodesicAreaSquareMeters } from '../../shared/geo/geodesic-area';
import type { AreaGeometry, CountyInput, DemoInputs } from './types';
import type { RandomStream } from './random';
import { approximateDistanceMeters, offsetMeters, roundPosition, type LonLat } from './local-geometry';

export interface CountyContext {
  adcode: number;
  name: string;
  geometry: AreaGeometry;
  bbox: BoundingBox;
  seat: Position;
  areaKm2: number;
  exclusions: readonly AreaGeometry[];
}

export function countyContexts(inputs: DemoInputs): CountyContext[] {
  return [...inputs.counties]
    .sort((a, b) => a.adcode - b.adcode)
    .map((county: CountyInput) => {
      const seat = inputs.seats.find((candidate) => candidate.adcode === county.adcode);
      if (seat === undefined) throw new Error(`no seat for county ${county.adcode}`);
      const bbox = boundingBox(county.geometry);
      if (bbox === null) throw new Error(`county ${county.adcode} has no extent`);
      return {
        adcode: county.adcode,
        name: county.name,
        geometry: county.geometry,
        bbox,
        seat: seat.position,
        areaKm2: geodesicAreaSquareMeters(county.geometry) / 1e6,
        exclusions: inputs.exclusions,
      };
    });
}

/** Inside the county and outside every exclusion (lake). */
export function isPlaceable(county: CountyContext, position: Position): boolean {
  return pointInPolygon(position, county.geometry) && !county.exclusions.some((area) => pointInPolygon(position, area));
}

/** A rounded position uniformly inside the county, optionally at least `minSeatDistance` m from the seat. */
export function uniformPositionIn(random: RandomStream, county: CountyContext, minSeatDistance = 0): LonLat {
  const [west, south, east, north] = county.bbox;
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const position = roundPosition([random.between(west, east), random.between(south, north)]);
    if (isPlaceable(county, position) && approximateDistanceMeters(position, county.seat) >= minSeatDistance) return position;
  }
  throw new Error(`could not place a point in ${county.name}`);
}

/** A rounded position normally distributed around `center` (σ in metres), inside the county. */
export function positionNear(random: RandomStream, county: CountyContext, center: Position, sigmaMeters: number): LonLat {
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const position = roundPosition(offsetMeters(center, random.normal() * sigmaMeters, random.normal() * sigmaMeters));
    if (isPlaceable(county, position)) return position;
  }
  return uniformPositionIn(random, county);
}
