import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FeatureCollection, Geometry, Point } from 'geojson';
import { demoInputPaths, loadDemoInputs } from '../../../seeds/demo-inputs';
import { countyContexts } from '../../../seeds/generator/county-context';
import { generateResidentialBlocks } from '../../../seeds/generator/residential-blocks';
import { RandomStream } from '../../../seeds/generator/random';
import { DEMO_SEED } from '../../../seeds/generator/rules';
import { serializeDemoLayer } from '../../../seeds/generator/serialize';
import type { DemoInputs } from '../../../seeds/generator/types';
import { DEMO_LAYER_FILES, hengshuiLayers } from '../../../seeds/index';
import { pointInPolygon } from '../../../shared/geo/point-in-polygon';
import { approximateDistanceMeters } from '../../../seeds/generator/local-geometry';
import { parkCoverage, parkCoverageNaive } from '../../../shared/analysis/coverage';

const root = join(import.meta.dirname, '../../..');
const read = (fileName: string) => readFileSync(join(root, 'seeds/demo', fileName), 'utf8');
const blocks = JSON.parse(read('residential-blocks.geojson')) as FeatureCollection<Geometry, Record<string, unknown>>;
const CITY = 131102;

let inputs: DemoInputs;
beforeAll(() => {
  inputs = loadDemoInputs(demoInputPaths(root));
});

const populationOf = (county: number) =>
  blocks.features.filter((feature) => feature.properties.county === county).reduce((sum, feature) => sum + (feature.properties.population as number), 0);

describe('seeds/demo/residential-blocks.geojson', () => {
  it('is a demo layer of its own, defined in layers.json', () => {
    expect(DEMO_LAYER_FILES.map((file) => file.fileName)).toContain('residential-blocks.geojson');
    const layer = hengshuiLayers.find((candidate) => candidate.id === 'residential-blocks');
    expect(layer?.geometryType).toBe('Point');
    expect(layer?.fields.map((field) => field.key)).toEqual(expect.arrayContaining(['name', 'population', 'kind']));
  });

  it('regenerates byte for byte from its own random stream', () => {
    const counties = countyContexts(inputs);
    const text = serializeDemoLayer({
      fileName: 'residential-blocks.geojson',
      layerId: 'residential-blocks',
      features: generateResidentialBlocks(new RandomStream(DEMO_SEED + 6), counties),
    });
    expect(text === read('residential-blocks.geojson')).toBe(true);
  });

  it('has 520,000 residents in 桃城区 and 50,000–150,000 in each county town, in whole persons', () => {
    expect(populationOf(CITY)).toBe(520_000);
    for (const county of inputs.counties.filter((candidate) => candidate.adcode !== CITY)) {
      const total = populationOf(county.adcode);
      expect(total, county.name).toBeGreaterThanOrEqual(50_000);
      expect(total, county.name).toBeLessThanOrEqual(150_000);
    }
    for (const feature of blocks.features) {
      expect(Number.isInteger(feature.properties.population)).toBe(true);
      expect(feature.properties.population as number).toBeGreaterThanOrEqual(600);
      expect(feature.properties.population as number).toBeLessThan(8000);
    }
  });

  it('puts every block in its own county, near its seat, with stable ids HS-RB-<adcode>-NNN', () => {
    const seats = new Map(inputs.seats.map((seat) => [seat.adcode, seat.position]));
    for (const feature of blocks.features) {
      const county = inputs.counties.find((candidate) => candidate.adcode === feature.properties.county)!;
      const position = (feature.geometry as Point).coordinates as [number, number];
      expect(pointInPolygon(position, county.geometry), String(feature.id)).toBe(true);
      expect(approximateDistanceMeters(position, seats.get(county.adcode)!), String(feature.id)).toBeLessThan(county.adcode === CITY ? 12_000 : 8_000);
      expect(String(feature.id)).toMatch(new RegExp(`^HS-RB-${county.adcode}-\\d{3}$`));
      expect(feature.properties).toMatchObject({ demo: true, status: 'existing' });
      expect(['compound', 'village-town']).toContain(feature.properties.kind);
    }
  });

  it('gives the pocket-park demo something to cover: part of 桃城区 is within 300 m of a park, more within 1,000 m', () => {
    const parks = JSON.parse(read('pocket-parks.geojson')) as FeatureCollection<Geometry>;
    const at300 = parkCoverage(parks, blocks, 300);
    const at1000 = parkCoverage(parks, blocks, 1000);
    const city300 = at300.groups.find((group) => group.group === CITY)!;
    const city1000 = at1000.groups.find((group) => group.group === CITY)!;
    expect(city300.coveredPercent!).toBeGreaterThan(5);
    expect(city300.coveredPercent!).toBeLessThan(60);
    expect(city1000.coveredPercent!).toBeGreaterThan(city300.coveredPercent!);
    expect(at300).toEqual(parkCoverageNaive(parks, blocks, 300));
  });
});
