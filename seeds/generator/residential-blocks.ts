import type { Position } from '../../shared/model/geometry';
import type { DemoFeature } from './types';
import { isPlaceable, positionNear, type CountyContext } from './county-context';
import { approximateDistanceMeters, offsetMeters, roundPosition } from './local-geometry';
import type { RandomStream } from './random';
import { CITY_DISTRICT_ADCODE } from './rules';

/** Residents of 桃城区's urban area in the demo (the real district had about 550,000 in 2020). */
export const CITY_DISTRICT_RESIDENTS = 520_000;
/** Each county town gets a whole number of thousands in this range. */
export const COUNTY_TOWN_RESIDENTS = { min: 50_000, max: 150_000 } as const;
/** Share of a county's demo residents living in compounds (小区); the rest in villages and towns on the fringe (村镇). */
const COMPOUND_SHARE = 0.88;
/** Compounds are at least this far apart (local plane): blocks of a few hundred metres. */
const MIN_BLOCK_SPACING_METERS = 120;

interface KindRule {
  kind: 'compound' | 'village-town';
  /** Persons per block: log-uniform in [min, max]. */
  min: number;
  max: number;
}

const COMPOUND: KindRule = { kind: 'compound', min: 600, max: 4000 };
const VILLAGE_TOWN: KindRule = { kind: 'village-town', min: 800, max: 3000 };

const COMPOUND_FIRST = ['幸福', '和平', '康宁', '滏阳', '人民', '永兴', '红旗', '育才', '前进', '新华', '胜利', '东方', '阳光', '锦绣', '华苑', '金桥', '安济', '桃园', '湖滨', '朝阳', '建设', '光明', '祥和', '泰华', '振华', '明珠', '盛世', '龙城', '恒通', '丽景'];
const COMPOUND_LAST = ['小区', '家园', '花园', '新村', '嘉园', '雅苑', '公寓', '名苑'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '宋', '郑', '韩', '冯', '邓', '许', '董'];
const PLACE_ENDINGS = ['家庄', '庄', '村', '屯', '营', '店', '寨', '家洼'];

/** Splits `total` into blocks of `rule.min`–`rule.max` persons (log-uniform) that add up exactly. */
function blockSizes(random: RandomStream, total: number, rule: KindRule): number[] {
  const sizes: number[] = [];
  let left = total;
  while (left > 0) {
    let size = Math.round(Math.exp(random.between(Math.log(rule.min), Math.log(rule.max))));
    if (left - size < rule.min) size = left;
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

function uniqueName(random: RandomStream, used: Set<string>, make: () => string): string {
  for (let attempt = 0; attempt < 20; attempt++) {
    const name = make();
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
  const base = make();
  for (let number = 2; ; number++) {
    const name = `${base}${number}区`;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

function spacedPosition(random: RandomStream, taken: readonly Position[], draw: () => Position): Position {
  let position = draw();
  for (let attempt = 0; attempt < 200 && taken.some((other) => approximateDistanceMeters(other, position) < MIN_BLOCK_SPACING_METERS); attempt++) {
    position = draw();
  }
  return position;
}

/** A rounded position in a ring of `inner`–`outer` m around `center` (uniform in angle and distance), inside the county. */
function positionInRing(random: RandomStream, county: CountyContext, center: Position, inner: number, outer: number): Position {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const angle = random.between(0, 2 * Math.PI);
    const distance = random.between(inner, outer);
    const position = roundPosition(offsetMeters(center, distance * Math.cos(angle), distance * Math.sin(angle)));
    if (isPlaceable(county, position)) return position;
  }
  return positionNear(random, county, center, outer);
}

/**
 * Residential blocks as points with a population, for the park-coverage demo: 桃城区's urban
 * area (520,000 persons) and the town of each other county (50,000–150,000), 88 % in compounds
 * (小区) normally spread around the seat, 12 % in villages and towns on the fringe (村镇).
 * See seeds/README.md for the rules.
 */
export function generateResidentialBlocks(random: RandomStream, counties: readonly CountyContext[]): DemoFeature[] {
  const features: DemoFeature[] = [];
  for (const county of counties) {
    const isCity = county.adcode === CITY_DISTRICT_ADCODE;
    const total = isCity ? CITY_DISTRICT_RESIDENTS : random.integer(COUNTY_TOWN_RESIDENTS.min / 1000, COUNTY_TOWN_RESIDENTS.max / 1000) * 1000;
    const inCompounds = Math.round((total * COMPOUND_SHARE) / 100) * 100;
    const compoundSigma = isCity ? 2400 : 1200;
    const ring = isCity ? { inner: 4500, outer: 8000 } : { inner: 2200, outer: 4500 };
    const taken: Position[] = [];
    const names = new Set<string>();
    const plan = [
      ...blockSizes(random, inCompounds, COMPOUND).map((population) => ({ rule: COMPOUND, population })),
      ...blockSizes(random, total - inCompounds, VILLAGE_TOWN).map((population) => ({ rule: VILLAGE_TOWN, population })),
    ];
    plan.forEach(({ rule, population }, index) => {
      const position =
        rule.kind === 'compound'
          ? spacedPosition(random, taken, () => positionNear(random, county, county.seat, compoundSigma))
          : spacedPosition(random, taken, () => positionInRing(random, county, county.seat, ring.inner, ring.outer));
      taken.push(position);
      const name =
        rule.kind === 'compound'
          ? uniqueName(random, names, () => `${random.pick(COMPOUND_FIRST)}${random.pick(COMPOUND_LAST)}`)
          : uniqueName(random, names, () => `${random.pick(SURNAMES)}${random.pick(PLACE_ENDINGS)}`);
      features.push({
        id: `HS-RB-${county.adcode}-${String(index + 1).padStart(3, '0')}`,
        properties: { name, population, kind: rule.kind, status: 'existing', county: county.adcode, demo: true },
        geometry: { type: 'Point', coordinates: position },
      });
    });
  }
  return features;
}
