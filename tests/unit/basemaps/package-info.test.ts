import { describe, expect, it } from 'vitest';
import {
  BasemapPackageError,
  basemapPackageIdFrom,
  basemapPackageIdPattern,
  basemapPackageKindOf,
  isValidTileAddress,
  mbtilesPackageInfo,
  pmtilesPackageInfo,
  sniffImageType,
  tmsRow,
  vectorLayersFromMetadata,
  type MbtilesFacts,
  type PmtilesHeaderFacts,
} from '../../../shared/basemaps/package-info';

const pngHead = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const jpgHead = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]);
const webpHead = Uint8Array.from([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]);
const gzipHead = Uint8Array.from([0x1f, 0x8b, 0x08, 0x00]);

function mbtiles(overrides: Partial<MbtilesFacts> = {}): MbtilesFacts {
  return {
    id: 'bp-abcdefgh12',
    fileName: 'city.mbtiles',
    size: 4096,
    metadata: { name: 'City', format: 'png', bounds: '115.4,37.5,116.0,38.0', minzoom: '8', maxzoom: '12', center: '115.7,37.7,9' },
    zoomRange: { min: 8, max: 12 },
    sampleTile: pngHead,
    ...overrides,
  };
}

const header: PmtilesHeaderFacts = {
  specVersion: 3,
  tileType: 1,
  minZoom: 7,
  maxZoom: 11,
  minLon: 115.45,
  minLat: 37.55,
  maxLon: 115.95,
  maxLat: 37.95,
  centerZoom: 7,
  centerLon: 115.7,
  centerLat: 37.75,
};

describe('MBTiles metadata → package info', () => {
  it('reads name, format, zooms, bounds and center', () => {
    const info = mbtilesPackageInfo(mbtiles());
    expect(info).toMatchObject({ kind: 'mbtiles', tileType: 'png', title: 'City', minZoom: 8, maxZoom: 12, bounds: [115.4, 37.5, 116, 38], center: [115.7, 37.7, 9], vectorLayers: [] });
  });

  it.each([
    ['png', pngHead, 'png'],
    ['jpg', jpgHead, 'jpg'],
    ['webp', webpHead, 'webp'],
    ['gzip (vector)', gzipHead, 'mvt'],
  ] as const)('tells the tile type from a %s tile when metadata has no format', (_name, head, expected) => {
    const { format: _format, ...metadata } = mbtiles().metadata;
    expect(mbtilesPackageInfo(mbtiles({ metadata, sampleTile: head })).tileType).toBe(expected);
  });

  it('takes the zooms from the tiles table when metadata has none, and never claims zooms the table lacks', () => {
    const { minzoom: _min, maxzoom: _max, ...metadata } = mbtiles().metadata;
    expect(mbtilesPackageInfo(mbtiles({ metadata, zoomRange: { min: 3, max: 6 } }))).toMatchObject({ minZoom: 3, maxZoom: 6 });
    expect(mbtilesPackageInfo(mbtiles({ zoomRange: { min: 9, max: 10 } }))).toMatchObject({ minZoom: 9, maxZoom: 10 });
  });

  it('defaults to the Web Mercator world when bounds are missing', () => {
    const { bounds: _bounds, ...metadata } = mbtiles().metadata;
    expect(mbtilesPackageInfo(mbtiles({ metadata })).bounds).toEqual([-180, -85.051129, 180, 85.051129]);
  });

  it.each([
    ['an empty tiles table', mbtiles({ zoomRange: null }), 'the tiles table is empty'],
    ['malformed bounds', mbtiles({ metadata: { ...mbtiles().metadata, bounds: '1,2,three,4' } }), 'malformed bounds'],
    ['empty bounds', mbtiles({ metadata: { ...mbtiles().metadata, bounds: '116,37,115,38' } }), 'empty bounds'],
    ['an unknown format', mbtiles({ metadata: { ...mbtiles().metadata, format: 'tiff' }, sampleTile: Uint8Array.from([1, 2, 3]) }), 'unsupported tile format'],
    ['a json value that is not JSON', mbtiles({ metadata: { ...mbtiles().metadata, format: 'pbf', json: '{oops' } }), 'not JSON'],
  ])('refuses %s with an error naming the file', (_why, facts, reason) => {
    let caught: unknown;
    try {
      mbtilesPackageInfo(facts);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BasemapPackageError);
    expect((caught as BasemapPackageError).fileName).toBe('city.mbtiles');
    expect((caught as Error).message).toMatch(new RegExp(`^city\\.mbtiles: .*${reason}`));
  });
});

describe('vector layers from metadata', () => {
  it('lists vector_layers with fields, and the geometry from tilestats (Multi* folded)', () => {
    const layers = vectorLayersFromMetadata({
      vector_layers: [
        { id: 'roads', fields: { kind: 'String', name: 'String' } },
        { id: 'water', fields: {} },
        { id: 'pois' },
      ],
      tilestats: { layers: [{ layer: 'roads', geometry: 'LineString' }, { layer: 'water', geometry: 'MultiPolygon' }, { layer: 'pois', geometry: 'Weird' }] },
    });
    expect(layers).toEqual([
      { id: 'roads', geometry: 'LineString', fields: ['kind', 'name'] },
      { id: 'water', geometry: 'Polygon', fields: [] },
      { id: 'pois', geometry: null, fields: [] },
    ]);
  });

  it('skips malformed and duplicate entries instead of trusting them', () => {
    expect(vectorLayersFromMetadata({ vector_layers: [null, 3, { id: '' }, { id: 'a' }, { id: 'a' }, { fields: {} }] })).toEqual([{ id: 'a', geometry: null, fields: [] }]);
    expect(vectorLayersFromMetadata('nope')).toEqual([]);
    expect(vectorLayersFromMetadata(null)).toEqual([]);
  });
});

describe('PMTiles header → package info', () => {
  it('maps the header and the metadata', () => {
    const info = pmtilesPackageInfo({ id: 'bp-abcdefgh12', fileName: 'a.pmtiles', size: 99, header, metadata: { name: 'A', vector_layers: [{ id: 'earth' }] } });
    expect(info).toMatchObject({ kind: 'pmtiles', tileType: 'mvt', title: 'A', minZoom: 7, maxZoom: 11, bounds: [115.45, 37.55, 115.95, 37.95], center: [115.7, 37.75, 7] });
    expect(info.vectorLayers).toEqual([{ id: 'earth', geometry: null, fields: [] }]);
  });

  it.each([
    [{ ...header, specVersion: 2 }, 'PMTiles version 2 is not supported'],
    [{ ...header, tileType: 0 }, 'unsupported PMTiles tile type 0'],
    [{ ...header, tileType: 6 }, 'unsupported PMTiles tile type 6'],
    [{ ...header, minZoom: 12 }, 'minzoom 12 is above maxzoom 11'],
    [{ ...header, minLon: 116, maxLon: 115 }, 'empty bounds'],
  ])('refuses a header it cannot use (%#)', (bad, reason) => {
    expect(() => pmtilesPackageInfo({ id: 'bp-abcdefgh12', fileName: 'a.pmtiles', size: 99, header: bad, metadata: {} })).toThrow(`a.pmtiles: ${reason}`);
  });
});

describe('small helpers', () => {
  it('flips rows between XYZ and TMS (an involution)', () => {
    expect(tmsRow(0, 0)).toBe(0);
    expect(tmsRow(1, 0)).toBe(1);
    expect(tmsRow(7, 49)).toBe(78);
    for (const y of [0, 5, 1023]) expect(tmsRow(10, tmsRow(10, y))).toBe(y);
  });

  it('checks tile addresses', () => {
    expect(isValidTileAddress(3, 7, 7)).toBe(true);
    expect(isValidTileAddress(3, 8, 0)).toBe(false);
    expect(isValidTileAddress(-1, 0, 0)).toBe(false);
    expect(isValidTileAddress(31, 0, 0)).toBe(false);
    expect(isValidTileAddress(2, 1.5, 0)).toBe(false);
  });

  it('sniffs image types and nothing else', () => {
    expect(sniffImageType(pngHead)).toBe('png');
    expect(sniffImageType(jpgHead)).toBe('jpg');
    expect(sniffImageType(webpHead)).toBe('webp');
    expect(sniffImageType(gzipHead)).toBeNull();
    expect(sniffImageType(new Uint8Array())).toBeNull();
  });

  it('names kinds by extension, case-insensitively', () => {
    expect(basemapPackageKindOf('A.PMTiles')).toBe('pmtiles');
    expect(basemapPackageKindOf('b.mbtiles')).toBe('mbtiles');
    expect(basemapPackageKindOf('c.mbtiles.zip')).toBeNull();
  });

  it('makes ids that match the pattern every gate checks', () => {
    const id = basemapPackageIdFrom(Uint8Array.from({ length: 12 }, (_, index) => index * 21));
    expect(id).toMatch(basemapPackageIdPattern);
    expect(() => basemapPackageIdFrom(new Uint8Array(4))).toThrow();
    expect(basemapPackageIdPattern.test('bp-../../etc')).toBe(false);
  });
});
