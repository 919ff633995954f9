// GCJ-02 and BD-09 against published vectors (tests/fixtures/crs/published-gcj02-bd09.json, each case
// citing its source) and round-trip accuracy.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transform } from '../../../shared/crs';
import published from '../../fixtures/crs/published-gcj02-bd09.json';

const METERS_PER_DEGREE = 111_320;
function distanceMeters(a: readonly number[], b: readonly number[]): number {
  const [ax = NaN, ay = NaN] = a;
  const [bx = NaN, by = NaN] = b;
  return Math.hypot((ax - bx) * METERS_PER_DEGREE * Math.cos((by * Math.PI) / 180), (ay - by) * METERS_PER_DEGREE);
}

type PublishedCase = (typeof published.cases)[number] & { skipReason?: string; place?: string };
const cases = (published.cases as PublishedCase[]).filter((entry) => entry.skipReason === undefined);

describe('published GCJ-02 / BD-09 vectors', () => {
  it('has vectors from every cited source', () => {
    expect(new Set(cases.map((entry) => entry.source))).toEqual(new Set(['eviltransform', 'gcoord', 'coordtransform']));
  });

  it.each(cases.map((entry) => [`${entry.source} ${entry.place ?? ''} ${entry.from} → ${entry.to} ${entry.input.join(',')}`, entry] as const))(
    '%s',
    (_label, entry) => {
      const [x, y] = transform(entry.input as [number, number], entry.from, entry.to);
      const [ex = NaN, ey = NaN] = entry.expected;
      expect(Math.abs(x - ex)).toBeLessThanOrEqual(entry.toleranceDegrees);
      expect(Math.abs(y - ey)).toBeLessThanOrEqual(entry.toleranceDegrees);
    },
  );
});

// Mainland China, well inside gcoord's box (lon 72.004–137.8347, lat 0.8293–55.8271).
const china = fc.tuple(fc.double({ min: 75, max: 134, noNaN: true }), fc.double({ min: 18, max: 53, noNaN: true }));

describe('round trips inside China', () => {
  it('WGS84 → GCJ-02 → WGS84 within 0.5 m', () => {
    let worst = 0;
    fc.assert(
      fc.property(china, (point) => {
        const back = transform(transform(point, 'EPSG:4326', 'GCJ-02'), 'GCJ-02', 'EPSG:4326');
        worst = Math.max(worst, distanceMeters(back, point));
        return distanceMeters(back, point) < 0.5;
      }),
      { numRuns: 2000, seed: 20240601 },
    );
    expect(worst).toBeLessThan(0.5);
  });

  it('WGS84 → BD-09 → WGS84 within 0.5 m', () => {
    fc.assert(
      fc.property(china, (point) => distanceMeters(transform(transform(point, 'EPSG:4326', 'BD-09'), 'BD-09', 'EPSG:4326'), point) < 0.5),
      { numRuns: 1000, seed: 20240602 },
    );
  });

  it('GCJ-02 → BD-09 → GCJ-02 within 0.5 m', () => {
    fc.assert(
      fc.property(china, (point) => distanceMeters(transform(transform(point, 'GCJ-02', 'BD-09'), 'BD-09', 'GCJ-02'), point) < 0.5),
      { numRuns: 1000, seed: 20240603 },
    );
  });

  it('the GCJ-02 offset in Hengshui is a few hundred metres', () => {
    const hengshui: [number, number] = [115.6702, 37.7389];
    const offset = distanceMeters(transform(hengshui, 'EPSG:4326', 'GCJ-02'), hengshui);
    expect(offset).toBeGreaterThan(300);
    expect(offset).toBeLessThan(700);
  });

  it('GK zone → GCJ-02 goes through WGS84', () => {
    const gcj = transform([39382768.936, 4179472.476], 'EPSG:4527', 'GCJ-02');
    const direct = transform(transform([39382768.936, 4179472.476], 'EPSG:4527', 'EPSG:4326'), 'EPSG:4326', 'GCJ-02');
    expect(gcj).toEqual(direct);
  });
});

describe('outside China', () => {
  it.each([
    ['Tokyo', [139.6917, 35.6895]],
    ['Paris', [2.3522, 48.8566]],
    ['New York', [-74.006, 40.7128]],
    ['Sydney', [151.2093, -33.8688]],
  ] as const)('GCJ-02 equals WGS84 in %s', (_place, point) => {
    expect(transform(point, 'EPSG:4326', 'GCJ-02')).toEqual([...point]);
    expect(transform(point, 'GCJ-02', 'EPSG:4326')).toEqual([...point]);
  });
});
