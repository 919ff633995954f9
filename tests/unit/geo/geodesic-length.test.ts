import { describe, expect, it } from 'vitest';
import { geodesicDistanceMeters } from '../../../shared/geo/geodesic-distance';
import { geodesicLengthKilometers } from '../../../shared/geo/geodesic-length';
import type { Geometry } from '../../../shared/model/geometry';
import { deepFreeze } from './deep-freeze';
import { meridianRadius, primeVerticalRadius } from './ellipsoid-reference';

const radians = Math.PI / 180;
const dms = (degrees: number, minutes: number, seconds: number) => degrees + minutes / 60 + seconds / 3600;

describe('geodesicDistanceMeters', () => {
  it("reproduces Vincenty's Flinders Peak – Buninyong example (54,972.271 m, Geoscience Australia)", () => {
    const flindersPeak = deepFreeze([dms(144, 25, 29.5244), -dms(37, 57, 3.7203)] as [number, number]);
    const buninyong = deepFreeze([dms(143, 55, 35.3839), -dms(37, 39, 10.1561)] as [number, number]);
    expect(geodesicDistanceMeters(flindersPeak, buninyong)).toBeCloseTo(54_972.271, 2);
  });

  it('is 0 between identical points and symmetric', () => {
    expect(geodesicDistanceMeters([115.7, 37.7], [115.7, 37.7])).toBe(0);
    const there = geodesicDistanceMeters([115.6, 37.6], [116.2, 38.1]);
    expect(geodesicDistanceMeters([116.2, 38.1], [115.6, 37.6])).toBeCloseTo(there, 6);
  });
});

describe('geodesicLengthKilometers', () => {
  it('measures a short meridian arc as M·dφ and a short parallel step as N·cos φ·dλ', () => {
    const meridianStep = deepFreeze({ type: 'LineString', coordinates: [[115.7, 37.695], [115.7, 37.705]] } satisfies Geometry);
    expect(geodesicLengthKilometers(meridianStep) * 1000).toBeCloseTo(meridianRadius(37.7) * 0.01 * radians, 3); // ≈ 1,109.9 m
    const parallelStep = deepFreeze({ type: 'LineString', coordinates: [[115.695, 37.7], [115.705, 37.7]] } satisfies Geometry);
    const expected = primeVerticalRadius(37.7) * Math.cos(37.7 * radians) * 0.01 * radians; // ≈ 881.5 m
    expect(Math.abs((geodesicLengthKilometers(parallelStep) * 1000) / expected - 1)).toBeLessThan(1e-7);
  });

  it('adds the segments of a path and the parts of a MultiLineString', () => {
    const step = meridianRadius(37.7) * 0.01 * radians;
    const path = deepFreeze({ type: 'LineString', coordinates: [[115.7, 37.685], [115.7, 37.695], [115.7, 37.705], [115.7, 37.715]] } satisfies Geometry);
    expect(geodesicLengthKilometers(path) * 1000).toBeCloseTo(3 * step, 0);
    const multi = deepFreeze({
      type: 'MultiLineString',
      coordinates: [
        [[115.7, 37.695], [115.7, 37.705]],
        [[115.8, 37.695], [115.8, 37.705]],
      ],
    } satisfies Geometry);
    expect(geodesicLengthKilometers(multi) * 1000).toBeCloseTo(2 * step, 2);
  });

  it('gives the perimeter of polygons and 0 for points', () => {
    const square = deepFreeze({
      type: 'Polygon',
      coordinates: [[[115.7, 37.695], [115.7, 37.705], [115.7, 37.695]]] as [number, number][][],
    } as Geometry);
    expect(geodesicLengthKilometers(square) * 1000).toBeCloseTo(2 * meridianRadius(37.7) * 0.01 * radians, 2);
    expect(geodesicLengthKilometers(deepFreeze({ type: 'Point', coordinates: [115.7, 37.7] }))).toBe(0);
  });
});
