import type { Position } from '../../shared/model/geometry';
import { geodesicAreaMu } from '../../shared/geo/geodesic-area';
import { boundingBox, type BoundingBox } from '../../shared/geo/bbox';
import { muToSquareMeters } from '../../shared/geo/area-units';
import type { DemoFeature } from './types';
import { isPlaceable, uniformPositionIn, type CountyContext } from './county-context';
import { allocateProportionally } from './allocate';
import { rectangleOffsets, ringFromLocalOffsets, type LonLat } from './local-geometry';
import { randomDate } from './dates';
import type { RandomStream } from './random';
import { DEMO_AS_OF, HIGH_STANDARD_FARMLAND_MU } from './rules';

const STRUCTURE_USES = ['特色果蔬', '设施蔬菜', '节水小麦-玉米', '中药材', '优质饲草', '食用菌'];
const HIGH_STANDARD_USES = ['小麦-玉米', '小麦-玉米(节水灌溉)', '棉花', '小麦-大豆'];

/** A rectangle of `areaMu` (geodesic), corrected once so that rounding and the local plane do not show. */
function rectangleOfArea(center: Position, areaMu: number, aspect: number, angle: number): LonLat[] {
  const area = muToSquareMeters(areaMu);
  let width = Math.sqrt(area * aspect);
  let height = area / width;
  let ring = ringFromLocalOffsets(center, rectangleOffsets(width, height), angle);
  const actual = geodesicAreaMu({ type: 'Polygon', coordinates: [ring] });
  const correction = Math.sqrt(areaMu / actual);
  width *= correction;
  height *= correction;
  ring = ringFromLocalOffsets(center, rectangleOffsets(width, height), angle);
  return ring;
}

function overlaps(a: BoundingBox, b: BoundingBox, marginDegrees: number): boolean {
  return a[0] - marginDegrees < b[2] && b[0] - marginDegrees < a[2] && a[1] - marginDegrees < b[3] && b[1] - marginDegrees < a[3];
}

/** Places a rectangle fully in the county (every vertex and edge midpoint), clear of others and of the seat. */
function placeRectangle(
  random: RandomStream,
  county: CountyContext,
  areaMu: number,
  taken: BoundingBox[],
  maxAngle: number,
  minSeatDistance: number,
): LonLat[] {
  for (let attempt = 0; attempt < 5000; attempt++) {
    const center = uniformPositionIn(random, county, minSeatDistance);
    const ring = rectangleOfArea(center, areaMu, random.between(1, 2.2), random.between(-maxAngle, maxAngle));
    const checkpoints: Position[] = [...ring];
    for (let index = 1; index < ring.length; index++) {
      const [a, b] = [ring[index - 1] as LonLat, ring[index] as LonLat];
      checkpoints.push([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
    }
    if (!checkpoints.every((position) => isPlaceable(county, position))) continue;
    const box = boundingBox({ type: 'Polygon', coordinates: [ring] }) as BoundingBox;
    // ~200 m between projects; relaxed after many attempts in crowded counties.
    const margin = attempt < 2500 ? 0.002 : 0;
    if (taken.some((other) => overlaps(box, other, margin))) continue;
    taken.push(box);
    return ring;
  }
  throw new Error(`no room for a ${Math.round(areaMu)} mu polygon in ${county.name}`);
}

/** Project sizes of 3,000–9,000 mu adding up exactly to `total`; no project below 2,000 mu. */
function projectSizes(random: RandomStream, total: number): number[] {
  const sizes: number[] = [];
  let left = total;
  while (left > 0) {
    let size = Math.min(left, random.integer(3000, 9000));
    if (left - size < 2000) size = left;
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/**
 * One 30,000–50,000 mu structure-adjustment area per county and 2021 high-standard farmland
 * projects adding up to 400,000 mu, split over counties by area.
 */
export function generateFarmland(random: RandomStream, counties: readonly CountyContext[]): DemoFeature[] {
  const quotas = allocateProportionally(HIGH_STANDARD_FARMLAND_MU, new Map(counties.map((county) => [county.adcode, county.areaKm2])));
  const features: DemoFeature[] = [];
  for (const county of counties) {
    const taken: BoundingBox[] = [];
    const zoneArea = random.integer(32_000, 48_000);
    const zoneRing = placeRectangle(random, county, zoneArea, taken, 15, 4000);
    const zoneState = random.weighted({ 'under-construction': 8, completed: 3 });
    const zone: DemoFeature['properties'] = {
      name: `${county.name}种植结构调整片区`,
      projectType: 'structure-adjustment',
      planYear: 2021,
      mainUse: random.pick(STRUCTURE_USES),
      plannedDate: randomDate(random, '2021-10-01', '2021-12-20'),
      startedDate: randomDate(random, '2021-02-20', '2021-04-30'),
      status: zoneState,
      county: county.adcode,
      demo: true,
    };
    if (zoneState === 'completed') zone.completedDate = randomDate(random, '2021-05-15', DEMO_AS_OF);
    features.push({ id: `HS-SA-${county.adcode}`, properties: zone, geometry: { type: 'Polygon', coordinates: [zoneRing] } });

    projectSizes(random, quotas.get(county.adcode) ?? 0).forEach((size, index) => {
      const ring = placeRectangle(random, county, size, taken, 8, 3000);
      const number = String(index + 1).padStart(2, '0');
      const state = random.weighted({ accepted: 5, completed: 30, 'under-construction': 45, planned: 20 });
      const properties: DemoFeature['properties'] = {
        name: `${county.name}2021年高标准农田建设项目${number}`,
        projectType: 'high-standard',
        planYear: 2021,
        mainUse: random.pick(HIGH_STANDARD_USES),
        plannedDate: randomDate(random, '2021-09-01', '2021-12-20'),
        status: state,
        county: county.adcode,
        demo: true,
      };
      if (state !== 'planned') properties.startedDate = randomDate(random, '2021-02-01', '2021-04-30');
      if (state === 'completed' || state === 'accepted') {
        properties.completedDate = randomDate(random, '2021-04-15', '2021-06-10');
      }
      if (state === 'accepted') properties.acceptedDate = randomDate(random, properties.completedDate as string, DEMO_AS_OF);
      features.push({ id: `HS-FL-${county.adcode}-${number}`, properties, geometry: { type: 'Polygon', coordinates: [ring] } });
    });
  }
  return features;
}
