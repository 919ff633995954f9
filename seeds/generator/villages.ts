import type { Position } from '../../shared/model/geometry';
import type { DemoFeature, TownshipInput, VillageInput } from './types';
import { positionNear, uniformPositionIn, type CountyContext } from './county-context';
import { allocateProportionally } from './allocate';
import { approximateDistanceMeters } from './local-geometry';
import { randomDate } from './dates';
import type { RandomStream } from './random';
import { BEAUTIFUL_VILLAGES_2021, DEMO_AS_OF, HOLLOW_VILLAGES_2021, SEWAGE_TARGET_VILLAGES, TOILETS_PLANNED_2021 } from './rules';

/** Village committees only: urban residents' committees (居委会, 社区) are not villages. */
export function isVillageCommittee(committeeName: string): boolean {
  return /(村民委员会|村委会)$/.test(committeeName);
}

/** 王家庄村民委员会 → 王家庄村; 北关村村民委员会 → 北关村. */
export function villageName(committeeName: string): string {
  const base = committeeName.replace(/(村民委员会|村委会)$/, '');
  return base.endsWith('村') ? base : `${base}村`;
}

/** Subdistricts (街道, codes ending 0xx) lie in the county seat. */
function isSubdistrict(township: TownshipInput): boolean {
  return township.code.slice(6, 7) === '0';
}

/**
 * Synthetic township centres: subdistricts near the seat, other townships spread over the
 * county by best-candidate sampling (each the farthest of 15 random candidates from those
 * already placed), in code order.
 */
function townshipCentres(random: RandomStream, county: CountyContext, townships: readonly TownshipInput[]): Map<string, Position> {
  const centres = new Map<string, Position>();
  const placed: Position[] = [county.seat];
  for (const township of townships) {
    let centre: Position;
    if (isSubdistrict(township)) {
      centre = positionNear(random, county, county.seat, 1500);
    } else {
      let best: Position | undefined;
      let bestDistance = -1;
      for (let candidate = 0; candidate < 15; candidate++) {
        const position = uniformPositionIn(random, county);
        const distance = Math.min(...placed.map((other) => approximateDistanceMeters(other, position)));
        if (distance > bestDistance) {
          best = position;
          bestDistance = distance;
        }
      }
      centre = best as Position;
      placed.push(centre);
    }
    centres.set(township.code, centre);
  }
  return centres;
}

function chooseSewageMode(random: RandomStream, distanceToSeat: number): string {
  if (distanceToSeat < 6000) return 'sewer-connection';
  return random.weighted({ 'centralized-station': 45, decentralized: 40, 'resource-utilization': 15 });
}

/**
 * Every village committee of the counties, at a synthetic position near a synthetic centre
 * of its township, with the 2021 sewage, toilet, hollow-village and beautiful-village
 * programmes as of 2021-06-30.
 */
export function generateVillages(
  random: RandomStream,
  counties: readonly CountyContext[],
  townships: readonly TownshipInput[],
  villageInputs: readonly VillageInput[],
): DemoFeature[] {
  const features: DemoFeature[] = [];
  const distanceToSeat = new Map<string, number>();
  for (const county of counties) {
    const countyVillages = villageInputs
      .filter((village) => village.county === county.adcode && isVillageCommittee(village.committeeName))
      .sort((a, b) => (a.code < b.code ? -1 : 1));
    const usedTownshipCodes = new Set(countyVillages.map((village) => village.townshipCode));
    const countyTownships = townships
      .filter((township) => township.county === county.adcode && usedTownshipCodes.has(township.code))
      .sort((a, b) => (a.code < b.code ? -1 : 1));
    const centres = townshipCentres(random, county, countyTownships);
    const spread = 0.45 * Math.sqrt((county.areaKm2 * 1e6) / Math.max(1, countyTownships.length));
    for (const village of countyVillages) {
      const township = countyTownships.find((candidate) => candidate.code === village.townshipCode);
      const centre = centres.get(village.townshipCode) ?? county.seat;
      const position = positionNear(random, county, centre, spread);
      distanceToSeat.set(village.code, approximateDistanceMeters(position, county.seat));
      features.push({
        id: `HS-VL-${village.code}`,
        properties: {
          name: villageName(village.committeeName),
          code: village.code,
          township: township?.name ?? null,
          townshipCode: village.townshipCode,
          sewageTarget2021: false,
          status: 'untreated',
          county: county.adcode,
          demo: true,
        },
        geometry: { type: 'Point', coordinates: position },
      });
    }
  }

  // Sewage: 305 target villages, split over counties by number of villages.
  const byCounty = new Map<number, DemoFeature[]>();
  for (const feature of features) {
    const county = feature.properties.county as number;
    byCounty.set(county, [...(byCounty.get(county) ?? []), feature]);
  }
  const sewageCounts = allocateProportionally(
    SEWAGE_TARGET_VILLAGES,
    new Map([...byCounty].map(([county, list]) => [county, list.length])),
  );
  for (const [county, list] of byCounty) {
    const targets = new Set(random.shuffled(list).slice(0, sewageCounts.get(county) ?? 0));
    for (const feature of list) {
      const distance = distanceToSeat.get(feature.properties.code as string) ?? Infinity;
      if (targets.has(feature)) {
        feature.properties.sewageTarget2021 = true;
        feature.properties.sewageMode = chooseSewageMode(random, distance);
        const state = random.weighted({ treated: 30, 'under-construction': 45, planned: 25 });
        feature.properties.status = state;
        if (state === 'treated') feature.properties.sewageCompletedDate = randomDate(random, '2021-02-15', DEMO_AS_OF);
      } else if (random.chance(0.2)) {
        feature.properties.sewageMode = chooseSewageMode(random, distance);
        feature.properties.status = 'treated';
        feature.properties.sewageCompletedDate = randomDate(random, '2018-03-01', '2020-12-20');
      }
    }
  }

  // Toilets: 60,000 conversions planned over 45 % of the villages, about half done by mid-year.
  const toiletVillages = features.filter(() => random.chance(0.45));
  const toiletWeights = new Map(toiletVillages.map((feature) => [feature, random.between(0.5, 1.5)]));
  for (const [feature, planned] of allocateProportionally(TOILETS_PLANNED_2021, toiletWeights)) {
    const progress = random.weighted({ done: 30, partial: 40, none: 30 });
    const converted = progress === 'done' ? planned : progress === 'partial' ? Math.round(planned * random.between(0.2, 0.9)) : 0;
    feature.properties.toiletsPlanned2021 = planned;
    feature.properties.toiletsConverted2021 = converted;
  }

  // Hollow villages (98) and beautiful villages (100): away from the seats.
  const rural = features.filter((feature) => (distanceToSeat.get(feature.properties.code as string) ?? 0) >= 5000);
  const shuffled = random.shuffled(rural);
  shuffled.slice(0, HOLLOW_VILLAGES_2021).forEach((feature, index) => {
    feature.properties.hollowVillage = index < 38 ? 'remediated-2021' : 'planned-2021';
  });
  shuffled.slice(HOLLOW_VILLAGES_2021, HOLLOW_VILLAGES_2021 + BEAUTIFUL_VILLAGES_2021).forEach((feature, index) => {
    feature.properties.beautifulVillage = index < 27 ? 'built-2021' : 'planned-2021';
  });
  return features;
}
