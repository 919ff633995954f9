import { describe, expect, it } from 'vitest';
import { candidateParkSquare } from '../../../shared/analysis';
import { geodesicAreaSquareMeters, geodesicDistanceMeters } from '../../../shared/geo';
import type { Position } from '../../../shared/model';

describe('candidateParkSquare', () => {
  const square = candidateParkSquare([115.69, 37.73], 40);
  const ring = square.coordinates[0]! as Position[];

  it('is a closed counter-clockwise square of the given side, centred on the site', () => {
    expect(ring).toHaveLength(5);
    expect(ring[0]).toEqual(ring[4]);
    expect(geodesicDistanceMeters(ring[0]!, ring[1]!)).toBeCloseTo(40, 0);
    expect(geodesicDistanceMeters(ring[1]!, ring[2]!)).toBeCloseTo(40, 0);
    expect(geodesicAreaSquareMeters(square as never)).toBeGreaterThan(1590);
    expect(geodesicAreaSquareMeters(square as never)).toBeLessThan(1610);
    const [west, south] = ring[0]!;
    const [east, north] = ring[2]!;
    expect((west! + east!) / 2).toBeCloseTo(115.69, 7);
    expect((south! + north!) / 2).toBeCloseTo(37.73, 7);
    // Counter-clockwise: the signed area (shoelace) is positive.
    let twiceArea = 0;
    for (let index = 0; index < 4; index += 1) twiceArea += ring[index]![0]! * ring[index + 1]![1]! - ring[index + 1]![0]! * ring[index]![1]!;
    expect(twiceArea).toBeGreaterThan(0);
  });

  it('refuses a side that is not a positive finite number of metres', () => {
    expect(() => candidateParkSquare([115.69, 37.73], 0)).toThrow(RangeError);
    expect(() => candidateParkSquare([115.69, 37.73], Number.NaN)).toThrow(RangeError);
  });
});
