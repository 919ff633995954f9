// B6: park coverage for 2,000 parks × 100,000 residential points — parkCoverage (flatbush index +
// exact geodesic check, shared/analysis/coverage.ts) against the naive loops on the same data:
// the all-pairs reference with the same per-pair distance (parkCoverageNaive) and a plain turf
// loop. The naive loops take minutes at full size, so they run on a fixed sample of residents
// and are extrapolated linearly (their cost is exactly proportional to residents × parks); the
// table says so. The slider: each resident's nearest park computed once (nearestParks), then a
// radius step is parkCoverageOfNearest — checked equal to parkCoverage at every radius; goals
// (issue 19): a step ≤ 16 ms, the precompute ≤ one parkCoverage run at 1,000 m.
// Self-check: ONEMAP_BENCH_SLOW_STEP_MS busy-waits that long inside each timed slider step.
// Node only.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { distance as turfDistance } from '@turf/distance';
import { pointToPolygonDistance } from '@turf/point-to-polygon-distance';
import { formatRatio, importTs, median, roundsFromEnvironment } from './lib.mjs';
import { random32 as randomStream } from './random.mjs';

export const title = 'B6 park coverage, 2,000 parks × 100,000 residents: indexed vs naive';
export const nodeOnly = true;

const PARKS = Number(process.env.ONEMAP_BENCH_PARKS ?? 2000);
const RESIDENTS = Number(process.env.ONEMAP_BENCH_RESIDENTS ?? 100_000);
const NAIVE_SAMPLE = Number(process.env.ONEMAP_BENCH_NAIVE_SAMPLE ?? 500);
const TURF_SAMPLE = Number(process.env.ONEMAP_BENCH_TURF_SAMPLE ?? 100);
const RADII = [300, 500, 1000];
const SLOW_STEP_MS = Number(process.env.ONEMAP_BENCH_SLOW_STEP_MS ?? 0);
const STEP_GOAL_MS = 16;

function busyWait(ms) {
  const until = performance.now() + ms;
  while (performance.now() < until);
}
const CITY = 131102;

function normal(random) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const metersPerDegree = (latitude) => ({ longitude: 111_320 * Math.cos((latitude * Math.PI) / 180), latitude: 110_950 });
function offset([longitude, latitude], east, north) {
  const scale = metersPerDegree(latitude);
  return [Math.round((longitude + east / scale.longitude) * 1e6) / 1e6, Math.round((latitude + north / scale.latitude) * 1e6) / 1e6];
}

/** Residents and parks around the 11 seats of geodata/hengshui-seats.geojson, 桃城区 weighted 4 : 1 and wider. */
function makeData(root, random) {
  const seats = JSON.parse(readFileSync(path.join(root, 'geodata/hengshui-seats.geojson'), 'utf8'))
    .features.filter((feature) => feature.properties.kind === 'county-seat')
    .map((feature) => ({ county: feature.properties.adcode, position: feature.geometry.coordinates }));
  const weights = seats.map((seat) => (seat.county === CITY ? 4 : 1));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const pickSeat = () => {
    let threshold = random() * total;
    for (let index = 0; index < seats.length; index++) {
      threshold -= weights[index];
      if (threshold < 0) return seats[index];
    }
    return seats[seats.length - 1];
  };
  const residents = Array.from({ length: RESIDENTS }, (_, index) => {
    const seat = pickSeat();
    const sigma = seat.county === CITY ? 3500 : 1800;
    return {
      type: 'Feature',
      id: `R${index}`,
      properties: { population: 200 + Math.floor(random() * 3800), county: seat.county },
      geometry: { type: 'Point', coordinates: offset(seat.position, normal(random) * sigma, normal(random) * sigma) },
    };
  });
  const parks = Array.from({ length: PARKS }, (_, index) => {
    const seat = pickSeat();
    const sigma = seat.county === CITY ? 3000 : 1500;
    const centre = offset(seat.position, normal(random) * sigma, normal(random) * sigma);
    if (random() < 0.2) return { type: 'Feature', id: `P${index}`, properties: {}, geometry: { type: 'Point', coordinates: centre } };
    const width = 20 + random() * 60;
    const height = 20 + random() * 60;
    const ring = [
      offset(centre, -width / 2, -height / 2),
      offset(centre, width / 2, -height / 2),
      offset(centre, width / 2, height / 2),
      offset(centre, -width / 2, height / 2),
    ];
    ring.push(ring[0]);
    return { type: 'Feature', id: `P${index}`, properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } };
  });
  return { parks: { type: 'FeatureCollection', features: parks }, residents: { type: 'FeatureCollection', features: residents } };
}

/** The plain turf loop: every resident against every park until one is within the radius (turf's sphere). */
function turfNaiveCovered(parks, residents, radius) {
  const covered = [];
  for (const resident of residents.features) {
    const point = resident.geometry.coordinates;
    for (const park of parks.features) {
      const distance =
        park.geometry.type === 'Point'
          ? turfDistance(point, park.geometry.coordinates, { units: 'meters' })
          : booleanPointInPolygon(point, park.geometry)
            ? 0
            : pointToPolygonDistance(point, park.geometry, { units: 'meters' });
      if (distance <= radius) {
        covered.push(resident.id);
        break;
      }
    }
  }
  return covered;
}

/** Every (n / k)-th resident: a fixed sample spread over all the clusters. */
function sampleOf(residents, size) {
  const step = residents.features.length / size;
  return { type: 'FeatureCollection', features: Array.from({ length: size }, (_, index) => residents.features[Math.floor(index * step)]) };
}

/** Wall time, and this process's CPU time (user + system): on a machine shared with other jobs the
 * CPU time stays near what an idle machine's wall time would be. */
const time = (fn) => {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, value };
};

export async function run({ root, log }) {
  const { parkCoverage, parkCoverageNaive, indexResidents, parkCoverageOfIndex, nearestParks, parkCoverageOfNearest } = await importTs('shared/analysis/index.ts');
  const rounds = roundsFromEnvironment(3);
  const { parks, residents } = makeData(root, randomStream(20210201));
  log(`${PARKS.toLocaleString('en')} parks (80 % rectangles 20–80 m, 20 % points), ${RESIDENTS.toLocaleString('en')} residents; naive sample ${NAIVE_SAMPLE}, turf sample ${TURF_SAMPLE}`);

  const rows = [];
  const data = { parks: PARKS, residents: RESIDENTS, naiveSample: NAIVE_SAMPLE, turfSample: TURF_SAMPLE, rounds, radii: [] };
  const builds = [];
  for (let round = 0; round < rounds; round++) builds.push(time(() => indexResidents(residents)).ms);
  const prepared = indexResidents(residents);
  const naiveSample = sampleOf(residents, NAIVE_SAMPLE);
  const turfSample = sampleOf(residents, TURF_SAMPLE);
  const precomputes = [];
  const precomputeCpu = [];
  for (let round = 0; round < rounds; round++) {
    const measured = time(() => nearestParks(parks, prepared));
    precomputes.push(measured.ms);
    precomputeCpu.push(measured.cpuMs);
  }
  const table = nearestParks(parks, prepared);
  const precomputeMs = median(precomputes);
  let fullAt1000 = null;

  for (const radius of RADII) {
    const full = [];
    const slider = [];
    const steps = [];
    const stepsCpu = [];
    const fullCpu = [];
    let result;
    let stepped;
    for (let round = 0; round < rounds; round++) {
      const measured = time(() => parkCoverage(parks, residents, radius));
      full.push(measured.ms);
      fullCpu.push(measured.cpuMs);
      result = measured.value;
      slider.push(time(() => parkCoverageOfIndex(parks, prepared, radius)).ms);
      const step = time(() => {
        if (SLOW_STEP_MS > 0) busyWait(SLOW_STEP_MS);
        return parkCoverageOfNearest(table, radius);
      });
      steps.push(step.ms);
      stepsCpu.push(step.cpuMs);
      stepped = step.value;
    }
    if (!isDeepStrictEqual(stepped, result)) throw new Error(`radius ${radius}: coverage from the nearest-park table differs from parkCoverage`);
    if (radius === 1000) fullAt1000 = { ms: median(full), cpuMs: median(fullCpu) };
    const coveredSet = new Set(result.coveredIds);

    // Naive, same per-pair distance: must agree exactly on the sample.
    const naive = time(() => parkCoverageNaive(parks, naiveSample, radius));
    const mismatches = naiveSample.features.filter((resident) => coveredSet.has(resident.id) !== naive.value.coveredIds.includes(resident.id)).length;
    if (mismatches > 0) throw new Error(`radius ${radius}: indexed and naive disagree on ${mismatches} sampled residents`);
    const naiveFullMs = naive.ms * (RESIDENTS / NAIVE_SAMPLE);

    // Naive turf loop (sphere, early exit): agreement reported, not required (sphere vs ellipsoid at the boundary).
    const turf = time(() => turfNaiveCovered(parks, turfSample, radius));
    const turfCovered = new Set(turf.value);
    const turfDisagree = turfSample.features.filter((resident) => coveredSet.has(resident.id) !== turfCovered.has(resident.id)).length;
    const turfFullMs = turf.ms * (RESIDENTS / TURF_SAMPLE);

    const indexedMs = median(full);
    rows.push([
      `${radius} m`,
      `${result.coveredPercent.toFixed(1)} %`,
      `${indexedMs.toFixed(0)} ms`,
      `${median(slider).toFixed(0)} ms`,
      `${median(steps).toFixed(1)} ms (CPU ${median(stepsCpu).toFixed(1)})${median(steps) <= STEP_GOAL_MS ? '' : ' > 16'}`,
      `${(naiveFullMs / 1000).toFixed(1)} s*`,
      formatRatio(naiveFullMs / indexedMs),
      `${(turfFullMs / 1000).toFixed(1)} s*`,
      formatRatio(turfFullMs / indexedMs),
      `${turfDisagree}/${TURF_SAMPLE}`,
    ]);
    data.radii.push({ radius, coveredPercent: result.coveredPercent, indexedMs: full, sliderMs: slider, naiveSampleMs: naive.ms, naiveExtrapolatedMs: naiveFullMs, turfSampleMs: turf.ms, turfExtrapolatedMs: turfFullMs, turfDisagreements: turfDisagree, stepMs: steps, stepCpuMs: stepsCpu, indexedCpuMs: fullCpu });
  }
  return {
    tables: [
      {
        title:
          `B6 — ${PARKS.toLocaleString('en')} parks × ${RESIDENTS.toLocaleString('en')} residents; resident index build ${median(builds).toFixed(0)} ms (median of ${rounds}, included in "indexed")\n` +
          `* extrapolated: naive (same distance, all pairs) timed on ${NAIVE_SAMPLE} residents, turf loop (turf distance / booleanPointInPolygon / pointToPolygonDistance, stops at the first park in range) on ${TURF_SAMPLE}, × residents / sample. ` +
          `Indexed = naive on every sampled resident (checked); turf differs only at the boundary (sphere vs WGS84).\n` +
          `Slider: nearest parks precomputed once in ${precomputeMs.toFixed(0)} ms (CPU ${median(precomputeCpu).toFixed(0)} ms; median of ${rounds}) = ${formatRatio(precomputeMs / fullAt1000.ms)} of one indexed run at 1,000 m (CPU: ${formatRatio(median(precomputeCpu) / fullAt1000.cpuMs)}; goal ≤ 1×); ` +
          `then a step = parkCoverageOfNearest (goal ≤ ${STEP_GOAL_MS} ms), equal to the indexed result at every radius (checked)` +
          `${SLOW_STEP_MS > 0 ? `; SELF-CHECK: ${SLOW_STEP_MS} ms busy wait added to each step` : ''}.`,
        columns: ['radius', 'covered', 'indexed', 'prepared index (slider)', 'step after precompute', 'naive', 'naive/indexed', 'turf loop', 'turf/indexed', 'turf ≠ ours'],
        rows,
      },
    ],
    data: { ...data, indexBuildMs: builds, precomputeMs: precomputes, precomputeCpuMs: precomputeCpu, slowStepMs: SLOW_STEP_MS },
  };
}
