// The pure helpers of geometry editing: which point decides a feature's county (it must lie ON the
// geometry), and whether an edit changed a shape (the editor's copy may be re-wound or re-started).
import { describe, expect, it } from 'vitest';
import { anchorPoint } from '../../../renderer/src/features/editing/anchor-point';
import { sameShape } from '../../../renderer/src/features/editing/same-shape';
import { pointInPolygon } from '../../../shared/geo';
import type { Geometry, Position } from '../../../shared/model';

type Polygon = Extract<Geometry, { type: 'Polygon' }>;
const polygon = (...rings: Position[][]): Polygon => ({ type: 'Polygon', coordinates: rings.map((ring) => [...ring, ring[0]!]) });

describe('anchorPoint', () => {
  it('is a point itself, the first of a multipoint', () => {
    expect(anchorPoint({ type: 'Point', coordinates: [115.6, 37.7] })).toEqual([115.6, 37.7]);
    expect(anchorPoint({ type: 'MultiPoint', coordinates: [[115.6, 37.7], [116, 38]] })).toEqual([115.6, 37.7]);
  });

  it('lies on a line: the middle of its middle segment', () => {
    expect(anchorPoint({ type: 'LineString', coordinates: [[0, 0], [2, 0], [2, 2], [4, 2]] })).toEqual([2, 1]);
    expect(anchorPoint({ type: 'LineString', coordinates: [[0, 0], [4, 0]] })).toEqual([2, 0]);
  });

  it('is the vertex centroid of a convex polygon', () => {
    expect(anchorPoint(polygon([[0, 0], [4, 0], [4, 2], [0, 2]]))).toEqual([2, 1]);
  });

  it('lies inside a concave polygon whose centroid is outside it (a U shape)', () => {
    const u = polygon([[0, 0], [10, 0], [10, 10], [8, 10], [8, 2], [2, 2], [2, 10], [0, 10]]);
    const centroid: Position = [5, 5.5];
    expect(pointInPolygon(centroid, u), 'the centroid is in the notch').toBe(false);
    const anchor = anchorPoint(u);
    expect(pointInPolygon(anchor, u, { ignoreBoundary: true })).toBe(true);
  });

  it('lies outside a hole that holds the centroid', () => {
    const ring = polygon([[0, 0], [10, 0], [10, 10], [0, 10]], [[2, 2], [8, 2], [8, 8], [2, 8]]);
    const anchor = anchorPoint(ring);
    expect(pointInPolygon(anchor, ring, { ignoreBoundary: true })).toBe(true);
  });

  it('uses the first part of a multipolygon', () => {
    const anchor = anchorPoint({ type: 'MultiPolygon', coordinates: [polygon([[0, 0], [2, 0], [2, 2], [0, 2]]).coordinates, polygon([[5, 5], [6, 5], [6, 6]]).coordinates] });
    expect(anchor).toEqual([1, 1]);
  });
});

describe('sameShape', () => {
  const square = polygon([[0, 0], [1, 0], [1, 1], [0, 1]]);

  it('a ring reversed or started at another vertex is the same shape', () => {
    expect(sameShape(square, polygon([[0, 1], [1, 1], [1, 0], [0, 0]]))).toBe(true);
    expect(sameShape(square, polygon([[1, 1], [0, 1], [0, 0], [1, 0]]))).toBe(true);
  });

  it('differences below the editor\'s 9 decimals are not a change; a moved vertex is', () => {
    expect(sameShape(square, polygon([[0, 0], [1 + 1e-12, 0], [1, 1], [0, 1]]))).toBe(true);
    expect(sameShape(square, polygon([[0, 0], [1 + 1e-8, 0], [1, 1], [0, 1]]))).toBe(false);
    expect(sameShape(square, polygon([[0, 0], [1, 0], [1, 1]]))).toBe(false);
  });

  it('compares points and lines in order, and types', () => {
    expect(sameShape({ type: 'Point', coordinates: [1, 2] }, { type: 'Point', coordinates: [1, 2] })).toBe(true);
    expect(sameShape({ type: 'Point', coordinates: [1, 2] }, { type: 'Point', coordinates: [1, 2.001] })).toBe(false);
    expect(sameShape({ type: 'LineString', coordinates: [[0, 0], [1, 1]] }, { type: 'LineString', coordinates: [[1, 1], [0, 0]] })).toBe(false);
    expect(sameShape({ type: 'Point', coordinates: [1, 2] }, { type: 'MultiPoint', coordinates: [[1, 2]] })).toBe(false);
  });
});
