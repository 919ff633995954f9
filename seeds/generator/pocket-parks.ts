import type { Position } from '../../shared/model/geometry';
import type { DemoFeature } from './types';
import { isPlaceable, positionNear, type CountyContext } from './county-context';
import { approximateDistanceMeters, rectangleOffsets, ringFromLocalOffsets } from './local-geometry';
import { randomDate } from './dates';
import type { RandomStream } from './random';
import { CITY_DISTRICT_ADCODE, DEMO_AS_OF } from './rules';

/**
 * 水滴口袋公园 (Water-drop pocket park) at the 前进大街/大庆路 crossing in 桃城区. The real
 * position is not published: this is an approximate point near the district centre.
 */
export const WATER_DROP_PARK_CENTER: Position = [115.689, 37.732];

const MIN_PARK_SPACING_METERS = 250;

/** A drop shape about 60 m long (≈ 1,400 m²), its point towards the north-east. */
function waterDropRing(center: Position): [number, number][] {
  const offsets: [number, number][] = [];
  for (let step = 0; step < 16; step++) {
    const t = (step / 16) * 2 * Math.PI;
    // Teardrop curve: round at one end, pointed at the other.
    const x = 30 * Math.cos(t);
    const y = 24 * Math.sin(t) * Math.sin(t / 2) ** 1.2;
    offsets.push([x, y]);
  }
  return ringFromLocalOffsets(center, offsets, 35);
}

/** A rectangle of `area` m² (aspect 1–2.5, any rotation), with a corner cut off half of the time. */
function parkRing(random: RandomStream, center: Position, area: number): [number, number][] {
  const aspect = random.between(1, 2.5);
  const width = Math.sqrt(area * aspect);
  const height = area / width;
  const offsets = rectangleOffsets(width, height);
  if (random.chance(0.5)) {
    const cut = random.between(0.2, 0.45);
    const [a, b, c, d] = offsets as [[number, number], [number, number], [number, number], [number, number]];
    offsets.splice(0, 4, a, b, [c[0], c[1] - height * cut], [c[0] - width * cut, c[1]], d);
  }
  return ringFromLocalOffsets(center, offsets, random.between(0, 90));
}

function placePark(random: RandomStream, county: CountyContext, sigma: number, taken: Position[]): Position {
  for (let attempt = 0; attempt < 500; attempt++) {
    const center = positionNear(random, county, county.seat, sigma);
    if (taken.every((other) => approximateDistanceMeters(other, center) >= MIN_PARK_SPACING_METERS)) return center;
  }
  throw new Error(`no room for a park in ${county.name}`);
}

interface ParkPlan {
  county: CountyContext;
  planYear: 2020 | 2021;
}

/**
 * 40 parks built in 2020 and 40 planned for 2021, about three quarters of them in 桃城区.
 */
export function generatePocketParks(random: RandomStream, counties: readonly CountyContext[]): DemoFeature[] {
  const city = counties.find((county) => county.adcode === CITY_DISTRICT_ADCODE);
  if (city === undefined) throw new Error('the city district is missing');
  const others = counties.filter((county) => county !== city);
  const plans: ParkPlan[] = [];
  for (const planYear of [2020, 2021] as const) {
    // One per other county (10), one more in the first other county for 2020 (冀州区), the rest in the city district.
    const outside = planYear === 2020 ? [...others, others[0] as CountyContext] : others;
    const inCity = 40 - outside.length - (planYear === 2020 ? 1 : 0); // 2020 also has 水滴口袋公园
    for (let index = 0; index < inCity; index++) plans.push({ county: city, planYear });
    for (const county of outside) plans.push({ county, planYear });
  }

  const taken: Position[] = [WATER_DROP_PARK_CENTER];
  const features: DemoFeature[] = [
    {
      id: 'HS-PP-2020-01',
      properties: {
        name: '水滴口袋公园',
        planYear: 2020,
        address: '前进大街与大庆路交叉口(位置为近似)',
        completedDate: '2020-09-30',
        note: '报告图片说明中提及;位置为近似示意',
        status: 'completed',
        county: city.adcode,
        demo: true,
      },
      geometry: { type: 'Polygon', coordinates: [waterDropRing(WATER_DROP_PARK_CENTER)] },
    },
  ];
  const sequence = { 2020: 1, 2021: 0 };
  for (const plan of plans) {
    const sigma = plan.county === city ? 1800 : 800;
    let center = placePark(random, plan.county, sigma, taken);
    let ring = parkRing(random, center, Math.exp(random.between(Math.log(400), Math.log(3500))));
    for (let attempt = 0; attempt < 50 && !ring.every((position) => isPlaceable(plan.county, position)); attempt++) {
      center = placePark(random, plan.county, sigma, taken);
      ring = parkRing(random, center, Math.exp(random.between(Math.log(400), Math.log(3500))));
    }
    taken.push(center);
    sequence[plan.planYear] += 1;
    const number = String(sequence[plan.planYear]).padStart(2, '0');
    const properties: DemoFeature['properties'] = {
      name: `${plan.county.name}口袋公园${plan.planYear}-${number}`,
      planYear: plan.planYear,
      county: plan.county.adcode,
      demo: true,
    };
    if (plan.planYear === 2020) {
      properties.completedDate = randomDate(random, '2020-04-01', '2020-11-30');
      properties.status = 'completed';
    } else {
      properties.plannedDate = randomDate(random, '2021-06-15', '2021-11-30');
      const state = random.weighted({ completed: 9, 'under-construction': 15, planned: 16 });
      if (state !== 'planned') properties.startedDate = randomDate(random, '2021-03-01', '2021-05-31');
      if (state === 'completed') properties.completedDate = randomDate(random, properties.startedDate as string, DEMO_AS_OF);
      properties.status = state;
    }
    features.push({
      id: `HS-PP-${plan.planYear}-${number}`,
      properties,
      geometry: { type: 'Polygon', coordinates: [ring] },
    });
  }
  return features;
}

