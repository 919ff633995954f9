import { describe, expect, it } from 'vitest';
import { geodesicAreaMu, geodesicAreaSquareMeters } from '../../../shared/geo/geodesic-area';
import { muToSquareMeters, SQUARE_METERS_PER_MU, squareMetersToMu } from '../../../shared/geo/area-units';
import type { Geometry } from '../../../shared/model/geometry';
import { deepFreeze } from './deep-freeze';
import { cellPolygon, smallCellArea } from './ellipsoid-reference';

describe('mu', () => {
  it('is 10,000/15 m²', () => {
    expect(SQUARE_METERS_PER_MU).toBeCloseTo(666.6667, 4);
    expect(squareMetersToMu(10_000)).toBeCloseTo(15, 12);
    expect(muToSquareMeters(15)).toBeCloseTo(10_000, 9);
  });
});

describe('geodesicAreaSquareMeters', () => {
  it('matches M·N·cos φ for a 0.01° cell in Hengshui to 1e-6', () => {
    const cell = deepFreeze(cellPolygon(115.68, 37.72, 0.01, 0.01));
    const expected = smallCellArea(115.68, 37.72, 0.01, 0.01); // ≈ 978,493 m²
    expect(expected).toBeGreaterThan(978_000);
    expect(expected).toBeLessThan(979_000);
    expect(Math.abs(geodesicAreaSquareMeters(cell) / expected - 1)).toBeLessThan(1e-6);
  });

  it('gives one eighth of the WGS84 ellipsoid (510,065,621.724 km²) for a 90° × 90° northern cell', () => {
    const octant = deepFreeze(cellPolygon(0, 0, 90, 90));
    expect(geodesicAreaSquareMeters(octant) / 1e6).toBeCloseTo(510_065_621.724 / 8, 0);
  });

  it('subtracts holes and adds the parts of a MultiPolygon', () => {
    const outer = cellPolygon(115.6, 37.7, 0.02, 0.02).coordinates[0] as [number, number][];
    const hole = (cellPolygon(115.605, 37.705, 0.01, 0.01).coordinates[0] as [number, number][]).slice().reverse();
    const withHole = deepFreeze({ type: 'Polygon', coordinates: [outer, hole] } satisfies Geometry);
    const expected = smallCellArea(115.6, 37.7, 0.02, 0.02) - smallCellArea(115.605, 37.705, 0.01, 0.01);
    expect(Math.abs(geodesicAreaSquareMeters(withHole) / expected - 1)).toBeLessThan(2e-6);

    const a = cellPolygon(115.6, 37.7, 0.01, 0.01);
    const b = cellPolygon(116.2, 37.6, 0.01, 0.01);
    const multi = deepFreeze({ type: 'MultiPolygon', coordinates: [a.coordinates, b.coordinates] } satisfies Geometry);
    const expectedMulti = smallCellArea(115.6, 37.7, 0.01, 0.01) + smallCellArea(116.2, 37.6, 0.01, 0.01);
    expect(Math.abs(geodesicAreaSquareMeters(multi) / expectedMulti - 1)).toBeLessThan(1e-6);
  });

  it('does not depend on ring orientation', () => {
    const cell = cellPolygon(115.68, 37.72, 0.01, 0.01);
    const reversed = deepFreeze({ type: 'Polygon', coordinates: [(cell.coordinates[0] as [number, number][]).slice().reverse()] } satisfies Geometry);
    expect(geodesicAreaSquareMeters(reversed)).toBeCloseTo(geodesicAreaSquareMeters(deepFreeze(cell)), 6);
  });

  it('is 0 for points and lines', () => {
    expect(geodesicAreaSquareMeters(deepFreeze({ type: 'Point', coordinates: [115.7, 37.7] }))).toBe(0);
    expect(geodesicAreaSquareMeters(deepFreeze({ type: 'LineString', coordinates: [[115.7, 37.7], [115.8, 37.8]] }))).toBe(0);
  });

  it('never modifies its input', () => {
    const cell = cellPolygon(115.68, 37.72, 0.01, 0.01);
    const copy = structuredClone(cell);
    geodesicAreaSquareMeters(deepFreeze(cell));
    expect(cell).toEqual(copy);
  });
});

describe('geodesicAreaMu', () => {
  it('converts the geodesic area to mu', () => {
    const cell = deepFreeze(cellPolygon(115.68, 37.72, 0.01, 0.01));
    const expectedMu = smallCellArea(115.68, 37.72, 0.01, 0.01) / (10_000 / 15); // ≈ 1,468 mu
    expect(Math.abs(geodesicAreaMu(cell) / expectedMu - 1)).toBeLessThan(1e-6);
  });
});
