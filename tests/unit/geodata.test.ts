// Checks the committed offline Hengshui basemap in geodata/ (built by geodata/build-basemap.mjs).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { area, bbox, booleanPointInPolygon } from '@turf/turf';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Point, Polygon, Position } from 'geojson';

const root = fileURLToPath(new URL('../../', import.meta.url));
const geodata = (file: string): string => readFileSync(join(root, 'geodata', file), 'utf8');
const fc = <G extends Geometry>(file: string): FeatureCollection<G> =>
  JSON.parse(geodata(file)) as FeatureCollection<G>;

const FILES = [
  'hengshui-counties.geojson',
  'hengshui-city.geojson',
  'hengshui-lakes.geojson',
  'hengshui-rivers.geojson',
  'hengshui-seats.geojson',
] as const;

const EXPECTED_COUNTIES: Record<number, string> = {
  131102: '桃城区',
  131103: '冀州区',
  131121: '枣强县',
  131122: '武邑县',
  131123: '武强县',
  131124: '饶阳县',
  131125: '安平县',
  131126: '故城县',
  131127: '景县',
  131128: '阜城县',
  131182: '深州市',
};

/** Generous box around Hengshui (the rivers are clipped to the city bbox + 0.05°). */
const HENGSHUI_BBOX = [115.0, 36.95, 116.7, 38.5] as const;
/** The city itself: ≈115.17–116.57 E, 37.05–38.39 N. */
const CITY_BBOX = [115.1, 37.0, 116.65, 38.45] as const;

type PolyGeom = Polygon | MultiPolygon;
interface CountyProps {
  adcode: number;
  name: string;
  nameEn: string;
  labelPoint: [number, number];
}
interface SeatProps {
  name: string;
  nameEn: string;
  adcode: number;
  kind: 'county-seat' | 'city-seat';
}
interface NamedProps {
  name: string | null;
  schematic?: boolean;
}

const counties = fc<PolyGeom>('hengshui-counties.geojson') as FeatureCollection<PolyGeom, CountyProps>;
const city = fc<PolyGeom>('hengshui-city.geojson');
const lakes = fc<PolyGeom>('hengshui-lakes.geojson') as FeatureCollection<PolyGeom, NamedProps>;
const rivers = fc<Geometry>('hengshui-rivers.geojson') as FeatureCollection<Geometry, NamedProps>;
const seats = fc<Point>('hengshui-seats.geojson') as FeatureCollection<Point, SeatProps>;

function positions(g: Geometry): Position[] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
    case 'GeometryCollection':
      return g.geometries.flatMap(positions);
  }
}

const countyByAdcode = (adcode: number): Feature<PolyGeom, CountyProps> => {
  const f = counties.features.find((c) => c.properties.adcode === adcode);
  if (!f) throw new Error(`county ${adcode} missing`);
  return f;
};

describe('geodata: Hengshui counties', () => {
  it('has exactly the 11 counties with their adcodes and Chinese names', () => {
    expect(counties.type).toBe('FeatureCollection');
    expect(counties.features).toHaveLength(11);
    const got = Object.fromEntries(counties.features.map((f) => [f.properties.adcode, f.properties.name]));
    expect(got).toEqual(EXPECTED_COUNTIES);
    for (const f of counties.features) {
      expect(f.id).toBe(f.properties.adcode);
      expect(typeof f.properties.adcode).toBe('number');
      expect(f.properties.nameEn).toMatch(/^[A-Z][a-z]+ (District|County|City)$/);
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
    }
  });

  it('puts every label point inside its county', () => {
    for (const f of counties.features) {
      const [lon, lat] = f.properties.labelPoint;
      expect(Number.isFinite(lon) && Number.isFinite(lat)).toBe(true);
      expect(booleanPointInPolygon([lon, lat], f), f.properties.name).toBe(true);
    }
  });

  it('has 桃城区 around the city centre (115.689, 37.732)', () => {
    expect(booleanPointInPolygon([115.689, 37.732], countyByAdcode(131102))).toBe(true);
    expect(booleanPointInPolygon([115.689, 37.732], countyByAdcode(131103))).toBe(false);
  });
});

describe('geodata: all files', () => {
  it('has only finite coordinates inside a Hengshui bbox, rounded to 6 decimals', () => {
    const all: [string, FeatureCollection][] = [
      ['counties', counties],
      ['city', city],
      ['lakes', lakes],
      ['rivers', rivers],
      ['seats', seats],
    ];
    for (const [name, data] of all) {
      const box = name === 'rivers' ? HENGSHUI_BBOX : CITY_BBOX;
      expect(data.features.length, name).toBeGreaterThan(0);
      const bad: string[] = [];
      let count = 0;
      for (const f of data.features) {
        expect(f.geometry, name).toBeTruthy();
        for (const p of positions(f.geometry)) {
          count++;
          const [lon = NaN, lat = NaN] = p;
          const ok =
            p.length === 2 &&
            Number.isFinite(lon) &&
            Number.isFinite(lat) &&
            lon >= box[0] &&
            lat >= box[1] &&
            lon <= box[2] &&
            lat <= box[3] &&
            Math.round(lon * 1e6) / 1e6 === lon &&
            Math.round(lat * 1e6) / 1e6 === lat;
          if (!ok) bad.push(JSON.stringify(p));
        }
      }
      expect(count, name).toBeGreaterThan(0);
      expect(bad, name).toEqual([]);
    }
  });

  it('names every file in SOURCES.md and attribution.json', () => {
    const sources = geodata('SOURCES.md');
    const attribution = JSON.parse(geodata('attribution.json')) as { file: string; text: string; licence: string }[];
    expect(Array.isArray(attribution)).toBe(true);
    for (const file of FILES) {
      expect(sources, file).toContain(file);
      const entry = attribution.find((a) => a.file === file);
      expect(entry, file).toBeDefined();
      expect(entry?.text.length ?? 0).toBeGreaterThan(3);
      expect(entry?.licence.length ?? 0).toBeGreaterThan(2);
    }
    expect(sources).toContain('GCJ-02');
    expect(sources).toContain('OpenStreetMap contributors');
    expect(attribution.map((a) => a.text).join(' ')).toContain('OpenStreetMap');
  });
});

describe('geodata: city outline', () => {
  it('is one feature 衡水市 (131100) whose area matches the sum of the counties within 1%', () => {
    expect(city.features).toHaveLength(1);
    const [outline] = city.features;
    expect(outline?.properties).toMatchObject({ adcode: 131100, name: '衡水市' });
    const sum = counties.features.reduce((s, f) => s + area(f), 0);
    const cityArea = area(city);
    expect(Math.abs(cityArea - sum) / sum).toBeLessThan(0.01);
    expect(cityArea / 1e6).toBeGreaterThan(8000); // ≈8,830 km²
    expect(cityArea / 1e6).toBeLessThan(9500);
  });
});

describe('geodata: lakes and rivers', () => {
  it('has 衡水湖 at the right place with ≈39 km²', () => {
    const hu = lakes.features.filter((f) => f.properties.name === '衡水湖');
    expect(hu).toHaveLength(1);
    const [w, s, e, n] = bbox(hu[0]!);
    expect(Math.abs(w - 115.566)).toBeLessThan(0.01);
    expect(Math.abs(s - 37.568)).toBeLessThan(0.01);
    expect(Math.abs(e - 115.637)).toBeLessThan(0.01);
    expect(Math.abs(n - 37.658)).toBeLessThan(0.01);
    const km2 = area(hu[0]!) / 1e6;
    expect(km2).toBeGreaterThan(39 * 0.75);
    expect(km2).toBeLessThan(39 * 1.25);
  });

  it('has 滏阳河 and 滹沱河 as schematic lines', () => {
    const names = rivers.features.map((f) => f.properties.name);
    expect(names).toContain('滏阳河');
    expect(names).toContain('滹沱河');
    for (const f of rivers.features) {
      expect(['LineString', 'MultiLineString']).toContain(f.geometry.type);
      expect(f.properties.schematic).toBe(true);
    }
  });
});

describe('geodata: seats', () => {
  it('has 11 county seats and the city seat, each inside its county', () => {
    expect(seats.features).toHaveLength(12);
    const countySeats = seats.features.filter((f) => f.properties.kind === 'county-seat');
    const citySeats = seats.features.filter((f) => f.properties.kind === 'city-seat');
    expect(countySeats).toHaveLength(11);
    expect(citySeats).toHaveLength(1);
    expect(new Set(countySeats.map((f) => f.properties.adcode))).toEqual(
      new Set(Object.keys(EXPECTED_COUNTIES).map(Number)),
    );
    for (const f of countySeats) {
      expect(f.properties.name).toBe(EXPECTED_COUNTIES[f.properties.adcode]);
      expect(booleanPointInPolygon(f, countyByAdcode(f.properties.adcode)), f.properties.name).toBe(true);
    }
    const [citySeat] = citySeats;
    expect(citySeat?.properties).toMatchObject({ name: '衡水市', adcode: 131100 });
    expect(booleanPointInPolygon(citySeat!, countyByAdcode(131102))).toBe(true);
  });
});
