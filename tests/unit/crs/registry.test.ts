import { describe, expect, it } from 'vitest';
import { CrsError, canonicalCrsCode, crsInfo, gaussKrugerCode, supportedCrs, zoneFromPrefixedEasting, transform, transformMany, type CrsGeometry } from '../../../shared/crs';
import { deepFreeze } from '../geo/deep-freeze';

function thrown(action: () => unknown): CrsError {
  try {
    action();
  } catch (error) {
    if (error instanceof CrsError) return error;
    throw error;
  }
  throw new Error('expected a CrsError');
}

describe('crsInfo', () => {
  it('describes the prefixed 3° zone 39', () => {
    expect(crsInfo('EPSG:4527')).toEqual({
      code: 'EPSG:4527',
      name: { en: 'CGCS2000 / 3-degree Gauss-Kruger zone 39', zh: 'CGCS2000 3度带高斯-克吕格 第39带（坐标带号前缀）' },
      kind: 'projected',
      zone: 39,
      zoneWidthDegrees: 3,
      centralMeridian: 117,
      zonePrefix: true,
      falseEasting: 39_500_000,
      unit: 'metre',
    });
  });

  it.each([
    ['EPSG:4513', 3, 25, 75, true, 25_500_000],
    ['EPSG:4533', 3, 45, 135, true, 45_500_000],
    ['EPSG:4534', 3, 25, 75, false, 500_000],
    ['EPSG:4547', 3, 38, 114, false, 500_000],
    ['EPSG:4554', 3, 45, 135, false, 500_000],
    ['EPSG:4491', 6, 13, 75, true, 13_500_000],
    ['EPSG:4501', 6, 23, 135, true, 23_500_000],
    ['EPSG:4502', 6, 13, 75, false, 500_000],
    ['EPSG:4509', 6, 20, 117, false, 500_000],
    ['EPSG:4512', 6, 23, 135, false, 500_000],
  ] as const)('%s: %i° zone %i, CM %i, prefix %s, false easting %i', (code, width, zone, centralMeridian, zonePrefix, falseEasting) => {
    expect(crsInfo(code)).toMatchObject({ code, kind: 'projected', zoneWidthDegrees: width, zone, centralMeridian, zonePrefix, falseEasting, unit: 'metre' });
  });

  it('describes the geographic and offset systems', () => {
    expect(crsInfo('EPSG:4326')).toMatchObject({ kind: 'geographic', unit: 'degree', zonePrefix: false, falseEasting: 0 });
    expect(crsInfo('EPSG:4490').name.zh).toContain('CGCS2000');
    expect(crsInfo('GCJ-02')).toMatchObject({ kind: 'offset', unit: 'degree' });
    expect(crsInfo('BD-09')).toMatchObject({ kind: 'offset', unit: 'degree' });
  });

  it('accepts the ways files and people write codes', () => {
    for (const text of ['EPSG:4527', 'epsg:4527', '4527', ' EPSG::4527 ', 'urn:ogc:def:crs:EPSG::4527', 'urn:ogc:def:crs:EPSG:9.1:4527', 'http://www.opengis.net/def/crs/EPSG/0/4527']) {
      expect(canonicalCrsCode(text), text).toBe('EPSG:4527');
    }
    for (const text of ['urn:ogc:def:crs:OGC:1.3:CRS84', 'OGC:CRS84', 'WGS84', 'wgs 84']) expect(canonicalCrsCode(text), text).toBe('EPSG:4326');
    expect(canonicalCrsCode('gcj02')).toBe('GCJ-02');
    expect(canonicalCrsCode('bd09ll')).toBe('BD-09');
    expect(canonicalCrsCode('CGCS2000')).toBe('EPSG:4490');
  });

  it('lists every supported code once', () => {
    expect(supportedCrs).toHaveLength(2 + 11 + 11 + 21 + 21 + 2);
    expect(new Set(supportedCrs).size).toBe(supportedCrs.length);
    for (const code of supportedCrs) expect(crsInfo(code).code).toBe(code);
  });

  it('maps zone parameters back to codes', () => {
    expect(gaussKrugerCode({ zoneWidthDegrees: 3, centralMeridian: 114, zonePrefix: true })).toBe('EPSG:4526');
    expect(gaussKrugerCode({ zoneWidthDegrees: 3, centralMeridian: 117, zonePrefix: false })).toBe('EPSG:4548');
    expect(gaussKrugerCode({ zoneWidthDegrees: 6, centralMeridian: 117, zonePrefix: true })).toBe('EPSG:4498');
    expect(gaussKrugerCode({ zoneWidthDegrees: 3, centralMeridian: 116, zonePrefix: false })).toBeNull();
    expect(gaussKrugerCode({ zoneWidthDegrees: 3, centralMeridian: 138, zonePrefix: false })).toBeNull();
  });
});

describe('zoneFromPrefixedEasting', () => {
  it.each([
    [25_500_000, { zone: 25, zoneWidthDegrees: 3 }],
    [38_545_199.09, { zone: 38, zoneWidthDegrees: 3 }],
    [45_999_999.99, { zone: 45, zoneWidthDegrees: 3 }],
    [13_000_000, { zone: 13, zoneWidthDegrees: 6 }],
    [23_412_345, { zone: 23, zoneWidthDegrees: 6 }],
    [24_500_000, null],
    [46_000_000, null],
    [12_999_999, null],
    [545_199.09, null],
    [NaN, null],
  ])('%d → %o', (easting, expected) => {
    expect(zoneFromPrefixedEasting(easting)).toEqual(expected);
  });
});

describe('CrsError', () => {
  it.each(['EPSG:2436', 'EPSG:4214', 'EPSG:32650', 'EPSG:3857', 'EPSG:4555', 'BD-09MC', ''])('refuses %s as unsupported-crs', (code) => {
    const error = thrown(() => transform([115.6, 37.7], code, 'EPSG:4326'));
    expect(error.code).toBe('unsupported-crs');
    expect(error.zh).toContain('不支持');
    expect(error.en).toContain('Unsupported');
    expect(error.message).toBe(error.en);
  });

  it.each([
    [NaN, 37.7],
    [115.6, Infinity],
    [-Infinity, 37.7],
    ['115.6' as unknown as number, 37.7],
  ])('refuses (%s, %s) as non-finite-coordinate', (x, y) => {
    expect(thrown(() => transform([x, y], 'EPSG:4326', 'EPSG:4527')).code).toBe('non-finite-coordinate');
  });

  it('refuses degrees out of range and metres given as degrees', () => {
    expect(thrown(() => transform([115.6, 95], 'EPSG:4326', 'EPSG:4527')).code).toBe('out-of-range');
    expect(thrown(() => transform([39_500_000, 4_180_000], 'EPSG:4326', 'EPSG:4527')).code).toBe('out-of-range');
  });

  it('says when an easting lacks the zone prefix its code needs', () => {
    const error = thrown(() => transform([382_768.9, 4_179_472.5], 'EPSG:4527', 'EPSG:4326'));
    expect(error.code).toBe('out-of-range');
    expect(error.details.reason).toBe('missing-zone-prefix');
    expect(error.zh).toContain('带号');
  });

  it('refuses a point too far from the central meridian for a prefixed zone', () => {
    expect(thrown(() => transform([105, 37.7], 'EPSG:4326', 'EPSG:4527')).code).toBe('out-of-range');
  });
});

describe('transformMany', () => {
  it('transforms arrays of positions', () => {
    const points = deepFreeze([
      [115.6, 37.7],
      [116.1, 38.0, 12],
    ]);
    const result = transformMany(points, 'EPSG:4326', 'EPSG:4527');
    expect(result).toHaveLength(2);
    expect(result[0]).toEqual(transform([115.6, 37.7], 'EPSG:4326', 'EPSG:4527'));
    expect(result[1]?.[2]).toBe(12);
  });

  it('transforms every kind of geometry without touching the frozen input', () => {
    const a: [number, number] = [39_380_000, 4_179_000];
    const b: [number, number] = [39_390_000, 4_179_000];
    const c: [number, number] = [39_390_000, 4_189_000];
    const ring = [a, b, c, a];
    const collection = deepFreeze({
      type: 'GeometryCollection',
      geometries: [
        { type: 'Point', coordinates: [39_382_768.936, 4_179_472.476] },
        { type: 'LineString', coordinates: [a, b] },
        { type: 'Polygon', coordinates: [ring] },
        { type: 'MultiPolygon', coordinates: [[ring], [ring]] },
        { type: 'MultiPoint', coordinates: [a] },
        { type: 'MultiLineString', coordinates: [[a, c]] },
      ],
    } satisfies CrsGeometry);
    const before = JSON.stringify(collection);
    const result = transformMany(collection, 'EPSG:4527', 'EPSG:4326');
    expect(JSON.stringify(collection)).toBe(before);
    expect(result.type).toBe('GeometryCollection');
    const [point, , polygon, multiPolygon] = result.geometries as unknown as { coordinates: unknown }[];
    const [lon = NaN, lat = NaN] = point?.coordinates as number[];
    expect(lon).toBeCloseTo(115.67, 6);
    expect(lat).toBeCloseTo(37.74, 6);
    const firstVertex = (polygon?.coordinates as number[][][])[0]?.[0];
    expect(firstVertex).toEqual(transform(a, 'EPSG:4527', 'EPSG:4326'));
    expect((multiPolygon?.coordinates as number[][][][])[1]?.[0]?.[3]).toEqual(firstVertex);
  });

  it('drops a stale bbox and keeps other members', () => {
    const line = deepFreeze({ type: 'LineString' as const, coordinates: [[115.6, 37.7], [115.7, 37.8]], bbox: [115.6, 37.7, 115.7, 37.8] });
    const result = transformMany(line, 'EPSG:4326', 'GCJ-02') as { bbox?: unknown; coordinates: number[][] };
    expect(result.bbox).toBeUndefined();
    expect(result.coordinates[1]).toEqual(transform([115.7, 37.8], 'EPSG:4326', 'GCJ-02'));
  });

  it('reports where a bad position sits', () => {
    const polygon: CrsGeometry = { type: 'Polygon', coordinates: [[[115.6, 37.7], [115.7, NaN], [115.7, 37.8], [115.6, 37.7]]] };
    const error = thrown(() => transformMany(polygon, 'EPSG:4326', 'EPSG:4527'));
    expect(error.code).toBe('non-finite-coordinate');
    expect(error.details.path).toEqual([0, 1]);
  });
});
