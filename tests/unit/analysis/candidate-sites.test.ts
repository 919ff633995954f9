import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Feature, FeatureCollection, Geometry, Polygon } from 'geojson';
import { builtUpArea, gridCandidateSites, rankCandidateSites } from '../../../shared/analysis/candidate-sites';
import { parkCoverage } from '../../../shared/analysis/coverage';
import { geodesicDistanceMeters } from '../../../shared/geo/geodesic-distance';
import { pointInPolygon } from '../../../shared/geo/point-in-polygon';
import { deepFreeze } from '../geo/deep-freeze';
import { meridianRadius, primeVerticalRadius } from '../geo/ellipsoid-reference';

const radians = Math.PI / 180;
function offset([longitude, latitude]: readonly number[], east: number, north: number): [number, number] {
  return [
    (longitude as number) + east / (primeVerticalRadius(latitude as number) * Math.cos((latitude as number) * radians) * radians),
    (latitude as number) + north / (meridianRadius(latitude as number) * radians),
  ];
}
const point = (position: [number, number]): Geometry => ({ type: 'Point', coordinates: position });
const feature = (id: string, geometry: Geometry | null, properties: Record<string, unknown> = {}): Feature<Geometry | null> => ({ type: 'Feature', id, properties, geometry });
const collection = <G extends Geometry | null>(features: Feature<G>[]): FeatureCollection<G> => ({ type: 'FeatureCollection', features });

const centre: [number, number] = [115.69, 37.74];
// Three clusters 3 km apart: A (5 × 1,000), B (3 × 1,000), C (1 × 1,000), each within 100 m of its centre.
const clusterCentre = { A: offset(centre, 0, 0), B: offset(centre, 3000, 0), C: offset(centre, 0, 3000) };
function cluster(name: 'A' | 'B' | 'C', size: number) {
  return Array.from({ length: size }, (_, index) =>
    feature(`${name}${index + 1}`, point(offset(clusterCentre[name], (index % 3) * 40 - 40, Math.floor(index / 3) * 40 - 40)), { population: 1000, county: 131102 }),
  );
}
const residents = deepFreeze(collection([...cluster('A', 5), ...cluster('B', 3), ...cluster('C', 1)]));
const noParks = deepFreeze(collection<Geometry | null>([]));
const candidates = deepFreeze(
  collection([
    feature('nowhere', point(offset(centre, -5000, -5000))),
    feature('site-C', point(clusterCentre.C)),
    feature('site-B', point(clusterCentre.B)),
    feature('site-A', point(clusterCentre.A)),
    feature('site-A-again', point(offset(clusterCentre.A, 10, 0))),
    // A drawn polygon around cluster B: covers the same residents as site-B.
    feature('drawn-B', { type: 'Polygon', coordinates: [[offset(clusterCentre.B, -20, -20), offset(clusterCentre.B, 20, -20), offset(clusterCentre.B, 20, 20), offset(clusterCentre.B, -20, 20), offset(clusterCentre.B, -20, -20)]] }),
  ]),
);

const summary = (ranked: ReturnType<typeof rankCandidateSites>) => ranked.map((site) => [site.candidate.id, site.rank, site.marginalGain, site.cumulativeCovered]);

describe('rankCandidateSites (greedy maximal coverage)', () => {
  it('takes the site covering most uncovered people first, with its marginal gain', () => {
    expect(summary(rankCandidateSites(candidates, noParks, residents, 300))).toEqual([
      ['site-A', 1, 5000, 5000],
      ['site-B', 2, 3000, 8000],
      ['site-C', 3, 1000, 9000],
    ]);
  });

  it('lists the residents each site newly covers; a site covering the same people again gains nothing and is not listed', () => {
    const ranked = rankCandidateSites(candidates, noParks, residents, 300);
    expect(ranked[0]!.newlyCoveredIds).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
    expect(ranked.map((site) => site.candidate.id)).not.toContain('site-A-again');
  });

  it('counts only people not covered by the existing parks', () => {
    const parks = deepFreeze(collection([feature('park-A', point(offset(clusterCentre.A, 0, 20)))]));
    expect(summary(rankCandidateSites(candidates, parks, residents, 300))).toEqual([
      ['site-B', 1, 3000, 8000],
      ['site-C', 2, 1000, 9000],
    ]);
  });

  it('stops after k sites (default 40) and accepts k = 0', () => {
    expect(summary(rankCandidateSites(candidates, noParks, residents, 300, { k: 1 }))).toEqual([['site-A', 1, 5000, 5000]]);
    expect(rankCandidateSites(candidates, noParks, residents, 300, { k: 0 })).toEqual([]);
    expect(() => rankCandidateSites(candidates, noParks, residents, 300, { k: 1.5 })).toThrow(RangeError);
  });

  it('breaks ties by the candidates’ order (drawn polygon vs point at cluster B)', () => {
    const drawnFirst = deepFreeze(collection([candidates.features[5]!, candidates.features[2]!]));
    expect(rankCandidateSites(drawnFirst, noParks, residents, 300).map((site) => site.candidate.id)).toEqual(['drawn-B']);
  });

  it('a larger radius lets one site cover two clusters', () => {
    const middle = deepFreeze(collection([...candidates.features, feature('between-A-B', point(offset(centre, 1500, 0)))]));
    expect(summary(rankCandidateSites(middle, noParks, residents, 1600))[0]).toEqual(['between-A-B', 1, 8000, 8000]);
  });

  it('adopting the top k sites as parks covers exactly the listed cumulative population (random data)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ east: fc.integer({ min: -2000, max: 2000 }), north: fc.integer({ min: -2000, max: 2000 }), population: fc.integer({ min: 0, max: 3000 }) }), { maxLength: 120 }),
        fc.array(fc.record({ east: fc.integer({ min: -2000, max: 2000 }), north: fc.integer({ min: -2000, max: 2000 }) }), { maxLength: 40 }),
        fc.array(fc.record({ east: fc.integer({ min: -2000, max: 2000 }), north: fc.integer({ min: -2000, max: 2000 }) }), { maxLength: 5 }),
        fc.constantFrom(300, 500, 1000),
        (people, sites, existing, radius) => {
          const residentCollection = deepFreeze(collection(people.map((person, index) => feature(`R${index}`, point(offset(centre, person.east, person.north)), { population: person.population }))));
          const candidateCollection = deepFreeze(collection(sites.map((site, index) => feature(`S${index}`, point(offset(centre, site.east, site.north))))));
          const parkCollection = deepFreeze(collection(existing.map((park, index) => feature(`P${index}`, point(offset(centre, park.east, park.north))))));
          const ranked = rankCandidateSites(candidateCollection, parkCollection, residentCollection, radius, { k: 10 });
          const base = parkCoverage(parkCollection, residentCollection, radius).coveredPopulation;
          let previous = base;
          ranked.forEach((site, index) => {
            const adopted = collection([...parkCollection.features, ...ranked.slice(0, index + 1).map((chosen) => chosen.candidate)]);
            expect(parkCoverage(adopted, residentCollection, radius).coveredPopulation).toBe(site.cumulativeCovered);
            expect(site.cumulativeCovered - previous).toBe(site.marginalGain);
            expect(site.marginalGain).toBeGreaterThan(0);
            previous = site.cumulativeCovered;
          });
          // Greedy: the first site's gain is the best any single candidate offers.
          if (ranked.length > 0) {
            const best = Math.max(
              ...candidateCollection.features.map(
                (candidate) => parkCoverage(collection([...parkCollection.features, candidate]), residentCollection, radius).coveredPopulation - base,
              ),
            );
            expect(ranked[0]!.marginalGain).toBe(best);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('gridCandidateSites', () => {
  const area = deepFreeze({ type: 'Polygon', coordinates: [[offset(centre, 0, 0), offset(centre, 1000, 0), offset(centre, 1000, 600), offset(centre, 0, 600), offset(centre, 0, 0)]] } as Polygon);
  const lake = deepFreeze({ type: 'Polygon', coordinates: [[offset(centre, 0, 0), offset(centre, 450, 0), offset(centre, 450, 250), offset(centre, 0, 250), offset(centre, 0, 0)]] } as Polygon);

  it('puts points about `spacing` apart inside the area, none in an exclusion', () => {
    const all = gridCandidateSites(area, 200);
    expect(all.features.length).toBeGreaterThanOrEqual(12); // 5 × 3 cells, minus partial edges
    expect(all.features.length).toBeLessThanOrEqual(18);
    for (const site of all.features) expect(pointInPolygon(site.geometry.coordinates as [number, number], area as never)).toBe(true);
    const [first, second] = all.features;
    expect(geodesicDistanceMeters(first!.geometry.coordinates as [number, number], second!.geometry.coordinates as [number, number])).toBeCloseTo(200, 0);

    const clear = gridCandidateSites(area, 200, [lake]);
    expect(clear.features.length).toBeLessThan(all.features.length);
    for (const site of clear.features) expect(pointInPolygon(site.geometry.coordinates as [number, number], lake as never)).toBe(false);
  });

  it('is deterministic, with ids from the grid cell', () => {
    const a = gridCandidateSites(area, 200, [lake], { idPrefix: 'CS-' });
    expect(gridCandidateSites(area, 200, [lake], { idPrefix: 'CS-' })).toEqual(a);
    expect(a.features.every((site) => /^CS--?\d+--?\d+$/.test(String(site.id)))).toBe(true);
    expect(new Set(a.features.map((site) => site.id)).size).toBe(a.features.length);
  });

  it('rejects a spacing that is not positive, and a grid too fine for the area', () => {
    expect(() => gridCandidateSites(area, 0)).toThrow(RangeError);
    expect(() => gridCandidateSites(area, 0.1)).toThrow(RangeError);
  });
});

describe('builtUpArea', () => {
  it('is one convex hull per county, so the countryside between towns is left out', () => {
    const twoTowns = deepFreeze(
      collection([
        ...[0, 1, 2, 3].map((index) => feature(`T${index}`, point(offset(centre, (index % 2) * 1000, Math.floor(index / 2) * 1000)), { county: 131102 })),
        ...[0, 1, 2].map((index) => feature(`U${index}`, point(offset(centre, 20_000 + index * 500, (index % 2) * 800)), { county: 131103 })),
        feature('alone', point(offset(centre, 50_000, 0)), { county: 131121 }),
      ]),
    );
    const area = builtUpArea(twoTowns);
    expect(area?.coordinates).toHaveLength(2);
    expect(pointInPolygon(offset(centre, 500, 500), area as never)).toBe(true);
    expect(pointInPolygon(offset(centre, 10_000, 300), area as never)).toBe(false);
    expect(builtUpArea(collection([]))).toBeNull();
  });
});
