import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CrsError, candidateZonesForWorkspace, detectCoordinateSystem, transform, type CrsDetection, type WorkspaceBounds } from '../../../shared/crs';

/** Hengshui (衡水), the embedded default workspace, in WGS84 degrees. */
const HENGSHUI: WorkspaceBounds = [115.1, 37.0, 116.6, 38.4];
/** All of Hebei: wide enough for two zones to fit the same un-prefixed eastings. */
const HEBEI: WorkspaceBounds = [113.4, 36.0, 119.9, 42.7];

type Pair = [number, number];
const project = (points: readonly Pair[], code: string): Pair[] => points.map((point) => transform(point, 'EPSG:4326', code));
const swapped = (points: readonly Pair[]): Pair[] => points.map(([x, y]) => [y, x]);
const codes = (detection: CrsDetection): string[] => detection.warnings.map((warning) => warning.code);
const prj = (name: string): string => readFileSync(join(import.meta.dirname, '../../fixtures/crs/wkt', name), 'utf8');

function thrown(action: () => unknown): CrsError {
  try {
    action();
  } catch (error) {
    if (error instanceof CrsError) return error;
    throw error;
  }
  throw new Error('expected a CrsError');
}

// Wells around the city (zone 39 side, east of 115.5°E) and villages in the west (zone 38 side).
const eastWells: Pair[] = [[115.67, 37.74], [115.81, 37.52], [116.02, 37.98], [116.24, 38.05], [115.98, 37.35]];
const westVillages: Pair[] = [[115.16, 37.56], [115.28, 37.88], [115.41, 38.21], [115.22, 37.31]];
const shijiazhuang: Pair[] = [[114.48, 38.03], [114.55, 38.06], [114.43, 37.99]];

describe('detectCoordinateSystem from the values', () => {
  it('reads a prefixed zone 39 easting as EPSG:4527, certain', () => {
    const detection = detectCoordinateSystem(project(eastWells, 'EPSG:4527'), { workspaceBounds: HENGSHUI });
    expect(detection).toEqual({ crs: 'EPSG:4527', axisOrder: 'xy', confidence: 'certain', warnings: [] });
  });

  it('reads a prefixed zone 38 easting as EPSG:4526', () => {
    expect(detectCoordinateSystem(project(westVillages, 'EPSG:4526'), { workspaceBounds: HENGSHUI })).toMatchObject({ crs: 'EPSG:4526', confidence: 'certain' });
  });

  it('reads prefixed 6° zone 20 eastings as EPSG:4498', () => {
    expect(detectCoordinateSystem(project(eastWells, 'EPSG:4498'), { workspaceBounds: HENGSHUI })).toMatchObject({ crs: 'EPSG:4498', confidence: 'certain' });
  });

  it('keeps zone 38 for un-prefixed eastings only zone 38 puts inside Hengshui, with a warning', () => {
    const detection = detectCoordinateSystem(project(westVillages, 'EPSG:4547'), { workspaceBounds: HENGSHUI });
    expect(detection).toMatchObject({ crs: 'EPSG:4547', axisOrder: 'xy', confidence: 'likely' });
    expect(codes(detection)).toEqual(['zone-inferred-from-workspace']);
    expect(detection.warnings[0]?.zh).toContain('114°E');
  });

  it('keeps zone 39 for un-prefixed eastings only zone 39 puts inside Hengshui', () => {
    const detection = detectCoordinateSystem(project(eastWells, 'EPSG:4548'), { workspaceBounds: HENGSHUI });
    expect(detection).toMatchObject({ crs: 'EPSG:4548', confidence: 'likely' });
    expect(codes(detection)).toEqual(['zone-inferred-from-workspace']);
  });

  it('tries exactly the zones that cover the workspace', () => {
    expect(candidateZonesForWorkspace(HENGSHUI)).toEqual(['EPSG:4547', 'EPSG:4548']);
  });

  it('warns when two zones both fit a wide workspace', () => {
    const nearMeridian: Pair[] = [[116.9, 39.2], [116.95, 39.5], [116.85, 39.0]];
    const detection = detectCoordinateSystem(project(nearMeridian, 'EPSG:4548'), { workspaceBounds: HEBEI });
    expect(detection.crs).toBe('EPSG:4548');
    expect(codes(detection)).toEqual(['zone-inferred-from-workspace', 'zone-ambiguous']);
  });

  it('fails clearly when un-prefixed eastings fit neither zone', () => {
    const error = thrown(() => detectCoordinateSystem(project(shijiazhuang, 'EPSG:4547'), { workspaceBounds: HENGSHUI }));
    expect(error.code).toBe('zone-undetermined');
    expect(error.en).toContain('EPSG:4547');
    expect(error.en).toContain('EPSG:4548');
    expect(error.zh).toContain('手动选择');
  });

  it('says when prefixed eastings land outside the workspace', () => {
    const detection = detectCoordinateSystem(project(shijiazhuang, 'EPSG:4526'), { workspaceBounds: HENGSHUI });
    expect(detection).toMatchObject({ crs: 'EPSG:4526', confidence: 'likely' });
    expect(codes(detection)).toEqual(['outside-workspace']);
  });

  it('detects northing-first (X is north) with the prefix', () => {
    const detection = detectCoordinateSystem(swapped(project(eastWells, 'EPSG:4527')), { workspaceBounds: HENGSHUI });
    expect(detection).toMatchObject({ crs: 'EPSG:4527', axisOrder: 'yx', confidence: 'certain' });
    expect(codes(detection)).toEqual(['axis-order-swapped']);
  });

  it('detects northing-first without the prefix', () => {
    const detection = detectCoordinateSystem(swapped(project(westVillages, 'EPSG:4547')), { workspaceBounds: HENGSHUI });
    expect(detection).toMatchObject({ crs: 'EPSG:4547', axisOrder: 'yx' });
    expect(codes(detection)).toEqual(['axis-order-swapped', 'zone-inferred-from-workspace']);
  });

  it('reads lon/lat as WGS84, saying GCJ-02/BD-09 would need the user', () => {
    const detection = detectCoordinateSystem(eastWells, { workspaceBounds: HENGSHUI });
    expect(detection).toMatchObject({ crs: 'EPSG:4326', axisOrder: 'xy', confidence: 'certain' });
    expect(codes(detection)).toEqual(['geographic-assumed-wgs84']);
  });

  it('detects latitude-first', () => {
    const detection = detectCoordinateSystem(swapped(eastWells), { workspaceBounds: HENGSHUI });
    expect(detection).toMatchObject({ crs: 'EPSG:4326', axisOrder: 'yx' });
    expect(codes(detection)).toEqual(['axis-order-swapped', 'geographic-assumed-wgs84']);
  });

  it('never detects GCJ-02: offset points still read as WGS84', () => {
    expect(detectCoordinateSystem(project(eastWells, 'GCJ-02'), { workspaceBounds: HENGSHUI }).crs).toBe('EPSG:4326');
  });

  it('refuses NaN and Infinity', () => {
    for (const bad of [[[115.6, NaN]], [[Infinity, 37.7]], [[115.6, 37.7], [-Infinity, 4]]] as Pair[][]) {
      const error = thrown(() => detectCoordinateSystem(bad, { workspaceBounds: HENGSHUI }));
      expect(error.code).toBe('non-finite-coordinate');
    }
    expect(thrown(() => detectCoordinateSystem([[115.6, NaN]], { workspaceBounds: HENGSHUI, declared: 'EPSG:4326' })).details.index).toBe(0);
  });

  it('refuses values that fit no system, and no points at all', () => {
    expect(thrown(() => detectCoordinateSystem([[1234.5, 5678.9], [1300, 5600]], { workspaceBounds: HENGSHUI })).code).toBe('undetectable-crs');
    expect(thrown(() => detectCoordinateSystem([[12_345_678_901, 4_180_000]], { workspaceBounds: HENGSHUI })).code).toBe('undetectable-crs');
    expect(thrown(() => detectCoordinateSystem([], { workspaceBounds: HENGSHUI })).code).toBe('undetectable-crs');
  });

  it('refuses prefixed eastings from two zones', () => {
    const mixed = [...project(eastWells, 'EPSG:4527'), ...project(westVillages, 'EPSG:4526')];
    expect(thrown(() => detectCoordinateSystem(mixed, { workspaceBounds: HENGSHUI })).code).toBe('mixed-zones');
  });

  it('refuses invalid workspace bounds', () => {
    expect(thrown(() => detectCoordinateSystem(eastWells, { workspaceBounds: [116, 37, 115, 38] })).code).toBe('out-of-range');
  });
});

describe('detectCoordinateSystem with a declaration', () => {
  it('uses a declared EPSG code', () => {
    const detection = detectCoordinateSystem(project(eastWells, 'EPSG:4548'), { workspaceBounds: HENGSHUI, declared: 'urn:ogc:def:crs:EPSG::4548' });
    expect(detection).toEqual({ crs: 'EPSG:4548', axisOrder: 'xy', confidence: 'declared', warnings: [] });
  });

  it('lets the user declare GCJ-02', () => {
    expect(detectCoordinateSystem(project(eastWells, 'GCJ-02'), { workspaceBounds: HENGSHUI, declared: 'gcj02' })).toMatchObject({ crs: 'GCJ-02', confidence: 'declared' });
  });

  it('detects northing-first under a declared code', () => {
    const detection = detectCoordinateSystem(swapped(project(eastWells, 'EPSG:4527')), { workspaceBounds: HENGSHUI, declared: 'EPSG:4527' });
    expect(detection).toMatchObject({ crs: 'EPSG:4527', axisOrder: 'yx', confidence: 'declared' });
  });

  it('warns when the values do not fit the declared code (prefix missing)', () => {
    const detection = detectCoordinateSystem(project(eastWells, 'EPSG:4548'), { workspaceBounds: HENGSHUI, declared: 'EPSG:4527' });
    expect(detection.crs).toBe('EPSG:4527');
    expect(detection.warnings[0]).toMatchObject({ code: 'declared-crs-mismatch', details: { reason: 'missing-zone-prefix' } });
  });

  it('refuses an unsupported declared code', () => {
    expect(thrown(() => detectCoordinateSystem(eastWells, { workspaceBounds: HENGSHUI, declared: 'EPSG:2436' })).code).toBe('unsupported-crs');
  });

  it.each([
    ['esri-4527.prj', 'EPSG:4527'],
    ['ogc-wkt1-4527.wkt', 'EPSG:4527'],
    ['wkt2-4527.wkt', 'EPSG:4527'],
    ['ogc-wkt1-4527-no-authority.wkt', 'EPSG:4527'],
  ])('takes the CRS from %s', (file, crs) => {
    const detection = detectCoordinateSystem(project(eastWells, crs), { workspaceBounds: HENGSHUI, prjWkt: prj(file) });
    expect(detection).toEqual({ crs, axisOrder: 'xy', confidence: 'declared', warnings: [] });
  });

  it.each([
    ['esri-4548.prj', 'EPSG:4548'],
    ['wkt2-4547.wkt', 'EPSG:4547'],
    ['esri-4490.prj', 'EPSG:4490'],
    ['ogc-wkt1-4326.wkt', 'EPSG:4326'],
  ])('takes the CRS from %s even where the values alone would leave doubt', (file, crs) => {
    const points = crs === 'EPSG:4547' ? westVillages : eastWells;
    const detection = detectCoordinateSystem(project(points, crs), { workspaceBounds: HENGSHUI, prjWkt: prj(file) });
    expect(detection).toMatchObject({ crs, confidence: 'declared', warnings: [] });
  });

  it('prefers the declared code over the .prj, saying so', () => {
    const detection = detectCoordinateSystem(project(eastWells, 'EPSG:4527'), { workspaceBounds: HENGSHUI, prjWkt: prj('esri-4548.prj'), declared: 'EPSG:4527' });
    expect(detection.crs).toBe('EPSG:4527');
    expect(codes(detection)).toEqual(['declared-overrides-prj']);
  });

  it('refuses a .prj with the Beijing 1954 datum', () => {
    const error = thrown(() => detectCoordinateSystem(project(eastWells, 'EPSG:4548'), { workspaceBounds: HENGSHUI, prjWkt: prj('esri-2436.prj') }));
    expect(error.code).toBe('unsupported-crs');
    expect(error.zh).toContain('北京54');
  });

  it('falls back to the values when the .prj is garbage', () => {
    const detection = detectCoordinateSystem(project(eastWells, 'EPSG:4527'), { workspaceBounds: HENGSHUI, prjWkt: 'this is not WKT' });
    expect(detection).toMatchObject({ crs: 'EPSG:4527', confidence: 'certain' });
    expect(codes(detection)).toEqual(['prj-unrecognised']);
  });
});
