import type { DemoFeature } from './types';
import type { CountyContext } from './county-context';
import { positionNear, uniformPositionIn } from './county-context';
import { allocateProportionally } from './allocate';
import { addDays, earlier, randomDate, randomDateByMonth } from './dates';
import { pointInPolygon } from '../../shared/geo/point-in-polygon';
import { boundingBox } from '../../shared/geo/bbox';
import { roundPosition } from './local-geometry';
import type { RandomStream } from './random';
import { AGRICULTURAL_WELL_COUNT, CITY_DISTRICT_ADCODE, DEMO_AS_OF, NON_AGRICULTURAL_WELL_COUNT } from './rules';

const USE_LABEL_ZH: Record<string, string> = {
  industrial: '工业',
  'municipal-supply': '供水',
  'commercial-service': '商业服务',
  institutional: '机关事业单位',
  'residential-self-supply': '生活自备',
  other: '其他',
};

const TOWN_USE_WEIGHTS = {
  industrial: 30,
  'municipal-supply': 8,
  'commercial-service': 32,
  institutional: 20,
  'residential-self-supply': 7,
  other: 3,
} as const;

const RURAL_USE_WEIGHTS = {
  industrial: 55,
  'municipal-supply': 15,
  'commercial-service': 12,
  institutional: 8,
  'residential-self-supply': 7,
  other: 3,
} as const;

/** Sealing activity per month up to the as-of date (little around the Spring Festival). */
const SEALING_MONTH_WEIGHTS = { '01': 10, '02': 8, '03': 16, '04': 20, '05': 22, '06': 24 } as const;

function depthFor(random: RandomStream, aquifer: 'shallow' | 'deep'): number {
  return aquifer === 'shallow' ? random.integer(40, 150) : random.integer(200, 600);
}

/**
 * The 1,285 remaining non-agricultural wells as they stood on 2021-06-30. See seeds/README.md
 * for the rules.
 */
export function generateNonAgriculturalWells(random: RandomStream, counties: readonly CountyContext[]): DemoFeature[] {
  const weights = new Map(counties.map((county) => [county.adcode, county.adcode === CITY_DISTRICT_ADCODE ? 3 : 1]));
  const counts = allocateProportionally(NON_AGRICULTURAL_WELL_COUNT, weights);
  const features: DemoFeature[] = [];
  for (const county of counties) {
    const count = counts.get(county.adcode) ?? 0;
    const townSigma = county.adcode === CITY_DISTRICT_ADCODE ? 3500 : 2000;
    for (let index = 1; index <= count; index++) {
      const inTown = random.chance(0.7);
      const position = inTown ? positionNear(random, county, county.seat, townSigma) : uniformPositionIn(random, county);
      const useType = random.weighted(inTown ? TOWN_USE_WEIGHTS : RURAL_USE_WEIGHTS);
      const aquifer = random.chance(0.3) ? 'shallow' : 'deep';
      const properties: DemoFeature['properties'] = {
        name: `${county.name}${USE_LABEL_ZH[useType]}取水井${String(index).padStart(3, '0')}`,
        wellClass: 'non-agricultural',
        useType,
        aquifer,
        depthM: depthFor(random, aquifer),
        county: county.adcode,
        demo: true,
      };
      const state = random.weighted({ verified: 10, sealed: 30, 'substitute-connected': 8, scheduled: 27, registered: 25 });
      const substitute = random.weighted({ 'yangtze-diversion': 85, 'surface-water': 5, 'none-needed': 10 });
      if (state === 'verified' || state === 'sealed') {
        const sealedDate = randomDateByMonth(random, 2021, SEALING_MONTH_WEIGHTS, DEMO_AS_OF);
        properties.sealedDate = sealedDate;
        properties.plannedDate = addDays(sealedDate, random.integer(-20, 25));
        properties.substituteSource = substitute;
        if (substitute !== 'none-needed') properties.substituteConnectedDate = addDays(sealedDate, -random.integer(3, 30));
        const verifiedDate = addDays(sealedDate, random.integer(7, 45));
        if (state === 'verified' && verifiedDate <= DEMO_AS_OF) {
          properties.verifiedDate = verifiedDate;
          properties.status = 'verified';
        } else {
          properties.status = 'sealed';
        }
      } else if (state === 'substitute-connected') {
        const connected = randomDate(random, '2021-03-01', DEMO_AS_OF);
        properties.substituteSource = substitute === 'none-needed' ? 'yangtze-diversion' : substitute;
        properties.substituteConnectedDate = connected;
        properties.plannedDate = addDays(connected, random.integer(10, 90));
        properties.status = 'substitute-connected';
      } else if (state === 'scheduled') {
        properties.plannedDate = randomDate(random, '2021-05-01', '2021-12-15');
        properties.substituteSource = substitute;
        properties.status = 'scheduled';
      } else {
        properties.status = 'registered';
      }
      features.push({
        id: `HS-NW-${String(features.length + 1).padStart(4, '0')}`,
        properties,
        geometry: { type: 'Point', coordinates: position },
      });
    }
  }
  return features;
}

/**
 * A sample of agricultural irrigation wells: spread over the farmland of each county, 40 % of
 * them inside a 2021 high-standard farmland project; most still registered ("有序关停").
 */
export function generateAgriculturalWells(
  random: RandomStream,
  counties: readonly CountyContext[],
  farmland: readonly DemoFeature[],
): DemoFeature[] {
  const counts = allocateProportionally(AGRICULTURAL_WELL_COUNT, new Map(counties.map((county) => [county.adcode, county.areaKm2])));
  const features: DemoFeature[] = [];
  for (const county of counties) {
    const projects = farmland.filter(
      (feature) => feature.properties.county === county.adcode && feature.properties.projectType === 'high-standard',
    );
    const count = counts.get(county.adcode) ?? 0;
    for (let index = 1; index <= count; index++) {
      let position = uniformPositionIn(random, county, 2500);
      if (projects.length > 0 && random.chance(0.4)) {
        const project = random.pick(projects);
        const geometry = project.geometry as Extract<DemoFeature['geometry'], { type: 'Polygon' }>;
        const [west, south, east, north] = boundingBox(geometry) ?? [0, 0, 0, 0];
        for (let attempt = 0; attempt < 100; attempt++) {
          const candidate = roundPosition([random.between(west, east), random.between(south, north)]);
          if (pointInPolygon(candidate, geometry)) {
            position = candidate;
            break;
          }
        }
      }
      const aquifer = random.chance(0.4) ? 'shallow' : 'deep';
      const properties: DemoFeature['properties'] = {
        name: `${county.name}农灌井${String(index).padStart(3, '0')}`,
        wellClass: 'agricultural',
        useType: 'irrigation',
        aquifer,
        depthM: depthFor(random, aquifer),
        county: county.adcode,
        demo: true,
      };
      const state = random.weighted({ sealed: 7, scheduled: 8, registered: 85 });
      if (state === 'sealed') {
        const sealedDate = randomDateByMonth(random, 2021, SEALING_MONTH_WEIGHTS, DEMO_AS_OF);
        properties.sealedDate = sealedDate;
        properties.plannedDate = earlier(addDays(sealedDate, random.integer(-10, 20)), '2021-12-31');
        properties.substituteSource = 'surface-water';
        properties.status = 'sealed';
      } else if (state === 'scheduled') {
        properties.plannedDate = randomDate(random, '2021-05-01', '2021-12-15');
        properties.substituteSource = 'surface-water';
        properties.status = 'scheduled';
      } else {
        properties.status = 'registered';
      }
      features.push({
        id: `HS-AW-${String(features.length + 1).padStart(4, '0')}`,
        properties,
        geometry: { type: 'Point', coordinates: position },
      });
    }
  }
  return features;
}
