// Gauss-Krüger transforms against PROJ's cs2cs (values committed in tests/fixtures/crs/cs2cs-*.json,
// made by tests/fixtures/crs/generate-cs2cs.mjs; the exact command is stored with each set).
import { describe, expect, it } from 'vitest';
import { transform } from '../../../shared/crs';
import prefixed from '../../fixtures/crs/cs2cs-3deg-prefixed.json';
import plain from '../../fixtures/crs/cs2cs-3deg-plain.json';
import sixDegree from '../../fixtures/crs/cs2cs-6deg.json';
import datum from '../../fixtures/crs/cs2cs-datum.json';

interface Cs2csSet {
  command: string;
  from: string;
  to: string;
  cases: { input: number[]; expected: number[] }[];
}

const METERS_PER_DEGREE_LATITUDE = 111_320;
const TOLERANCE_METERS = 0.01;

/** Difference in metres between two positions in `crs`'s units. */
function errorMeters(actual: readonly number[], expected: readonly number[], geographic: boolean): number {
  const [ax = NaN, ay = NaN] = actual;
  const [ex = NaN, ey = NaN] = expected;
  if (!geographic) return Math.hypot(ax - ex, ay - ey);
  const dx = (ax - ex) * METERS_PER_DEGREE_LATITUDE * Math.cos((ey * Math.PI) / 180);
  const dy = (ay - ey) * METERS_PER_DEGREE_LATITUDE;
  return Math.hypot(dx, dy);
}

const geographicCodes = new Set(['EPSG:4326', 'EPSG:4490']);
const files: [string, { sets: Cs2csSet[] }][] = [
  ['cs2cs-3deg-prefixed.json', prefixed],
  ['cs2cs-3deg-plain.json', plain],
  ['cs2cs-6deg.json', sixDegree],
  ['cs2cs-datum.json', datum],
];

describe.each(files)('%s', (_fileName, fixture) => {
  it.each(fixture.sets.map((set) => [set.command, set] as const))('%s: within 0.01 m of cs2cs', (_command, set) => {
    expect(set.cases.length).toBeGreaterThan(0);
    for (const { input, expected } of set.cases) {
      const actual = transform(input as [number, number], set.from, set.to);
      const error = errorMeters(actual, expected, geographicCodes.has(set.to));
      expect(error, `${set.command}: ${input.join(', ')} → ${actual.join(', ')}, cs2cs ${expected.join(', ')}`).toBeLessThan(TOLERANCE_METERS);
    }
  });

  it.each(fixture.sets.map((set) => [set.command, set] as const))('%s: the reverse direction lands back within 0.01 m', (_command, set) => {
    for (const { input, expected } of set.cases) {
      const back = transform(expected as [number, number], set.to, set.from);
      expect(errorMeters(back, input, geographicCodes.has(set.from))).toBeLessThan(TOLERANCE_METERS);
    }
  });
});

describe('Gauss-Krüger round trips', () => {
  it('geographic → zone → geographic is exact to a millimetre across a zone', () => {
    for (let lon = 112.6; lon <= 115.4; lon += 0.35) {
      for (let lat = 36; lat <= 40; lat += 0.5) {
        const projected = transform([lon, lat], 'EPSG:4490', 'EPSG:4526');
        const back = transform(projected, 'EPSG:4526', 'EPSG:4490');
        expect(errorMeters(back, [lon, lat], true)).toBeLessThan(0.001);
      }
    }
  });

  it('prefixed and plain codes differ only by the zone prefix', () => {
    const withPrefix = transform([115.67, 37.74], 'EPSG:4326', 'EPSG:4527');
    const without = transform([115.67, 37.74], 'EPSG:4326', 'EPSG:4548');
    expect(withPrefix[0] - without[0]).toBeCloseTo(39_000_000, 6);
    expect(withPrefix[1]).toBe(without[1]);
    // 3° CM 117E and 6° CM 117E are the same projection
    expect(transform([115.67, 37.74], 'EPSG:4326', 'EPSG:4509')).toEqual(without);
  });

  it('zone to zone goes through geographic', () => {
    const zone38 = transform([115.4, 37.6], 'EPSG:4326', 'EPSG:4526');
    const zone39 = transform(zone38, 'EPSG:4526', 'EPSG:4527');
    expect(errorMeters(zone39, transform([115.4, 37.6], 'EPSG:4326', 'EPSG:4527'), false)).toBeLessThan(0.001);
  });

  it('keeps an elevation', () => {
    const [easting, northing, elevation] = transform([115.67, 37.74, 21.5], 'EPSG:4326', 'EPSG:4527');
    expect(elevation).toBe(21.5);
    expect(easting).toBeGreaterThan(39_000_000);
    expect(northing).toBeGreaterThan(4_000_000);
  });
});
