import { describe, expect, it } from 'vitest';
import { offsetHint, transform } from '../../../shared/crs';

type Pair = [number, number];

/** Deterministic pseudo-random numbers in [0, 1) (a linear congruential generator). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

// "Village centres" on the basemap: about 3 km apart across Hengshui, jittered.
const next = random(7);
const villages: Pair[] = [];
for (let lon = 115.2; lon < 116.5; lon += 0.035) {
  for (let lat = 37.1; lat < 38.3; lat += 0.027) villages.push([lon + (next() - 0.5) * 0.01, lat + (next() - 0.5) * 0.01]);
}
/** The same villages as a bureau's table would list them: a subset, each within ±20 m. */
const listed: Pair[] = villages.filter((_, index) => index % 7 === 0).map(([lon, lat]) => [lon + (next() - 0.5) * 0.0004, lat + (next() - 0.5) * 0.0004]);
const as = (points: readonly Pair[], code: string): Pair[] => points.map((point) => transform(point, 'EPSG:4326', code));

describe('offsetHint', () => {
  it('has enough test data', () => {
    expect(villages.length).toBeGreaterThan(1000);
    expect(listed.length).toBeGreaterThan(150);
  });

  it('suggests GCJ-02 for points copied from Amap', () => {
    const hint = offsetHint(as(listed, 'GCJ-02'), villages);
    expect(hint.suggestion).toBe('GCJ-02');
    expect(hint.medianDistanceMeters['EPSG:4326']).toBeGreaterThan(300);
    expect(hint.medianDistanceMeters['GCJ-02']).toBeLessThan(30);
    expect(hint.zh).toContain('GCJ-02');
  });

  it('suggests BD-09 for points copied from Baidu', () => {
    expect(offsetHint(as(listed, 'BD-09'), villages).suggestion).toBe('BD-09');
  });

  it('confirms WGS84 for GPS points', () => {
    const hint = offsetHint(listed, villages);
    expect(hint.suggestion).toBe('EPSG:4326');
    expect(hint.medianDistanceMeters['EPSG:4326']).toBeLessThan(30);
  });

  it('does not decide for points unrelated to the references', () => {
    const elsewhere = listed.map(([lon, lat]): Pair => [lon + 0.0123, lat - 0.0071]);
    expect(offsetHint(elsewhere, villages).suggestion).toBeNull();
  });

  it('does not decide when the references are denser than the offset', () => {
    const dense: Pair[] = [];
    for (let lon = 115.6; lon < 115.8; lon += 0.001) for (let lat = 37.6; lat < 37.8; lat += 0.001) dense.push([lon, lat]);
    const points = as(listed.filter(([lon, lat]) => lon > 115.62 && lon < 115.78 && lat > 37.62 && lat < 37.78), 'GCJ-02');
    expect(offsetHint(points, dense).suggestion).toBeNull();
  });

  it('without references, only tells how far each reading would move the points', () => {
    const hint = offsetHint(listed);
    expect(hint.suggestion).toBeNull();
    expect(hint.typicalShiftMeters['GCJ-02']).toBeGreaterThan(300);
    expect(hint.typicalShiftMeters['GCJ-02']).toBeLessThan(700);
    expect(hint.typicalShiftMeters['BD-09']).toBeGreaterThan(hint.typicalShiftMeters['GCJ-02']);
    expect(hint.medianDistanceMeters['EPSG:4326']).toBeNull();
  });

  it('ignores non-finite points and never mutates its input', () => {
    const points = Object.freeze([...as(listed, 'GCJ-02'), [NaN, 37.7] as Pair].map((point) => Object.freeze(point)));
    const hint = offsetHint(points as Pair[], villages);
    expect(hint.sampleSize).toBe(listed.length);
    expect(hint.suggestion).toBe('GCJ-02');
  });
});
