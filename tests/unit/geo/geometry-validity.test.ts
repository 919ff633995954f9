import { describe, expect, it } from 'vitest';
import { geometryProblem } from '../../../shared/geo/geometry-validity';
import type { Geometry } from '../../../shared/model/geometry';
import { deepFreeze } from './deep-freeze';

const square = deepFreeze({
  type: 'Polygon',
  coordinates: [[[115, 37], [115.01, 37], [115.01, 37.01], [115, 37.01], [115, 37]]],
} satisfies Geometry);

describe('geometryProblem', () => {
  it('accepts a simple polygon, a line and a point, and leaves them as they were', () => {
    const line = deepFreeze({ type: 'LineString', coordinates: [[115, 37], [115.01, 37.01]] } satisfies Geometry);
    const point = deepFreeze({ type: 'Point', coordinates: [115, 37] } satisfies Geometry);
    const before = JSON.stringify([square, line, point]);
    expect(geometryProblem(square)).toBeNull();
    expect(geometryProblem(line)).toBeNull();
    expect(geometryProblem(point)).toBeNull();
    expect(JSON.stringify([square, line, point])).toBe(before);
  });

  it('refuses a bow-tie polygon and points at the crossing', () => {
    const bowTie = deepFreeze({
      type: 'Polygon',
      coordinates: [[[115, 37], [115.02, 37.02], [115.02, 37], [115, 37.02], [115, 37]]],
    } satisfies Geometry);
    const problem = geometryProblem(bowTie);
    expect(problem?.code).toBe('self-intersection');
    expect(problem?.location?.[0]).toBeCloseTo(115.01, 9);
    expect(problem?.location?.[1]).toBeCloseTo(37.01, 9);
  });

  it('refuses a hole that crosses the outer ring', () => {
    const crossingHole = deepFreeze({
      type: 'Polygon',
      coordinates: [square.coordinates[0]!, [[115.005, 37.005], [115.02, 37.005], [115.02, 37.008], [115.005, 37.008], [115.005, 37.005]]],
    } satisfies Geometry);
    expect(geometryProblem(crossingHole)?.code).toBe('self-intersection');
  });

  it('ignores repeated consecutive vertices (a double click places one twice)', () => {
    const repeated = deepFreeze({
      type: 'Polygon',
      coordinates: [[[115, 37], [115.01, 37], [115.01, 37], [115.01, 37.01], [115, 37.01], [115, 37.01], [115, 37]]],
    } satisfies Geometry);
    expect(geometryProblem(repeated)).toBeNull();
  });

  it('refuses a polygon with fewer than three distinct vertices', () => {
    const twoVertices = deepFreeze({
      type: 'Polygon',
      coordinates: [[[115, 37], [115.01, 37], [115.01, 37], [115, 37]]],
    } satisfies Geometry);
    const backAndForth = deepFreeze({
      type: 'Polygon',
      coordinates: [[[115, 37], [115.01, 37], [115, 37], [115.01, 37], [115, 37]]],
    } satisfies Geometry);
    expect(geometryProblem(twoVertices)?.code).toBe('too-few-points');
    expect(geometryProblem(backAndForth)?.code).toBe('too-few-points');
  });

  it('refuses a polygon with zero area (all vertices on one line)', () => {
    const flat = deepFreeze({
      type: 'Polygon',
      coordinates: [[[115, 37], [115.01, 37.01], [115.02, 37.02], [115, 37]]],
    } satisfies Geometry);
    expect(geometryProblem(flat)).toEqual({ code: 'degenerate', location: [115, 37] });
  });

  it('refuses a line with fewer than two points, or of zero length', () => {
    const onePoint = deepFreeze({ type: 'LineString', coordinates: [[115, 37]] }) as unknown as Geometry;
    const zeroLength = deepFreeze({ type: 'LineString', coordinates: [[115, 37], [115, 37], [115, 37]] } satisfies Geometry);
    expect(geometryProblem(onePoint)?.code).toBe('too-few-points');
    expect(geometryProblem(zeroLength)?.code).toBe('degenerate');
  });

  it('lets a line cross itself (a road may)', () => {
    const loop = deepFreeze({
      type: 'LineString',
      coordinates: [[115, 37], [115.02, 37.02], [115.02, 37], [115, 37.02]],
    } satisfies Geometry);
    expect(geometryProblem(loop)).toBeNull();
  });

  it('checks every part of a Multi* geometry', () => {
    const multi = deepFreeze({
      type: 'MultiPolygon',
      coordinates: [square.coordinates, [[[116, 38], [116.02, 38.02], [116.02, 38], [116, 38.02], [116, 38]]]],
    } satisfies Geometry);
    const lines = deepFreeze({ type: 'MultiLineString', coordinates: [[[115, 37], [115.1, 37]], [[116, 38], [116, 38]]] } satisfies Geometry);
    expect(geometryProblem(multi)?.code).toBe('self-intersection');
    expect(geometryProblem(lines)?.code).toBe('degenerate');
  });
});
