// B5: bounding-box query over 1,000,000 features, the spatial index (shared/geo/box-index.ts, a
// flatbush packed Hilbert R-tree) against a naive scan, with the index build time. Node only.
import { formatRatio, importTs, median, roundsFromEnvironment } from './lib.mjs';
import { random32 as randomStream } from './random.mjs';

export const title = 'B5 bounding-box query over 1,000,000 features: spatial index vs naive scan';
export const nodeOnly = true;

const FEATURES = Number(process.env.ONEMAP_BENCH_FEATURES ?? 1_000_000);
/** The Hengshui extent (geodata/hengshui-counties.geojson). */
const EXTENT = { west: 115.17, south: 37.06, east: 116.55, north: 38.37 };
const METERS_PER_DEGREE = { longitude: 88_000, latitude: 111_000 };

/** 60 % points, 40 % boxes of 10–500 m (parcels, parks, short roads), half of them clustered around towns. */
function makeBoxes(count, random) {
  const towns = Array.from({ length: 11 }, () => [EXTENT.west + random() * (EXTENT.east - EXTENT.west), EXTENT.south + random() * (EXTENT.north - EXTENT.south)]);
  const flat = new Float64Array(count * 4);
  const boxes = new Array(count);
  for (let index = 0; index < count; index++) {
    let x;
    let y;
    if (random() < 0.5) {
      const town = towns[Math.floor(random() * towns.length)];
      // ~3 km spread (sum of uniforms: cheap and roughly normal)
      x = town[0] + ((random() + random() + random() - 1.5) * 6000) / METERS_PER_DEGREE.longitude;
      y = town[1] + ((random() + random() + random() - 1.5) * 6000) / METERS_PER_DEGREE.latitude;
    } else {
      x = EXTENT.west + random() * (EXTENT.east - EXTENT.west);
      y = EXTENT.south + random() * (EXTENT.north - EXTENT.south);
    }
    const point = random() < 0.6;
    const width = point ? 0 : (10 + random() * 490) / METERS_PER_DEGREE.longitude;
    const height = point ? 0 : (10 + random() * 490) / METERS_PER_DEGREE.latitude;
    const box = [x, y, x + width, y + height];
    boxes[index] = box;
    flat.set(box, index * 4);
  }
  return { boxes, flat, towns };
}

/** The naive scan: every feature's box (precomputed, packed in one Float64Array — the fastest scan there is) against the query. */
function naiveSearch(flat, [west, south, east, north]) {
  const found = [];
  for (let index = 0, offset = 0; offset < flat.length; index++, offset += 4) {
    if (flat[offset] <= east && flat[offset + 2] >= west && flat[offset + 1] <= north && flat[offset + 3] >= south) found.push(index);
  }
  return found;
}

function queriesOfSize(random, towns, meters, count) {
  return Array.from({ length: count }, () => {
    const town = towns[Math.floor(random() * towns.length)];
    const x = town[0] + ((random() - 0.5) * 10_000) / METERS_PER_DEGREE.longitude;
    const y = town[1] + ((random() - 0.5) * 10_000) / METERS_PER_DEGREE.latitude;
    const halfWidth = meters / 2 / METERS_PER_DEGREE.longitude;
    const halfHeight = meters / 2 / METERS_PER_DEGREE.latitude;
    return [x - halfWidth, y - halfHeight, x + halfWidth, y + halfHeight];
  });
}

const time = (fn) => {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
};

export async function run({ log }) {
  const { boxIndex } = await importTs('shared/geo/box-index.ts');
  const rounds = roundsFromEnvironment(5);
  const random = randomStream(20210201);
  log(`generating ${FEATURES.toLocaleString('en')} feature boxes…`);
  const { boxes, flat, towns } = makeBoxes(FEATURES, random);

  const builds = [];
  let index;
  for (let round = 0; round < rounds; round++) {
    const built = time(() => boxIndex(boxes));
    builds.push(built.ms);
    index = built.value;
  }
  log(`index build: median ${median(builds).toFixed(0)} ms over ${rounds} rounds`);

  const sizes = [
    { label: '200 m (a block)', meters: 200, count: 400 },
    { label: '2 km (a district view)', meters: 2000, count: 200 },
    { label: '20 km (a county view)', meters: 20_000, count: 40 },
  ];
  const rows = [];
  const data = { features: FEATURES, rounds, buildMs: builds, sizes: [] };
  for (const size of sizes) {
    const queries = queriesOfSize(random, towns, size.meters, size.count);
    // Same answers, or the comparison means nothing.
    let hits = 0;
    for (const query of queries) {
      const indexed = index.search(query).sort((a, b) => a - b);
      const naive = naiveSearch(flat, query);
      if (indexed.length !== naive.length || indexed.some((value, position) => value !== naive[position])) throw new Error(`index and scan disagree for ${query}`);
      hits += naive.length;
    }
    const indexedPerQuery = [];
    const naivePerQuery = [];
    const perRoundRatios = [];
    for (let round = 0; round < rounds; round++) {
      const indexed = time(() => queries.forEach((query) => index.search(query))).ms / queries.length;
      // The scan is slow: a fixed sample of queries per round is enough for a stable mean.
      const sample = queries.slice(0, Math.min(queries.length, 20));
      const naive = time(() => sample.forEach((query) => naiveSearch(flat, query))).ms / sample.length;
      indexedPerQuery.push(indexed);
      naivePerQuery.push(naive);
      perRoundRatios.push(naive / indexed);
    }
    const indexedMs = median(indexedPerQuery);
    const naiveMs = median(naivePerQuery);
    const breakEven = Math.ceil(median(builds) / Math.max(1e-9, naiveMs - indexedMs));
    rows.push([
      size.label,
      (hits / queries.length).toFixed(0),
      `${(indexedMs * 1000).toFixed(1)} µs`,
      `${naiveMs.toFixed(2)} ms`,
      formatRatio(naiveMs / indexedMs),
      formatRatio(median(perRoundRatios)),
      String(breakEven),
    ]);
    data.sizes.push({ ...size, meanHits: hits / queries.length, indexedMsPerQuery: indexedPerQuery, naiveMsPerQuery: naivePerQuery, perRoundRatios, breakEvenQueries: breakEven });
  }
  return {
    tables: [
      {
        title: `B5 — ${FEATURES.toLocaleString('en')} feature boxes (60 % points), index build ${median(builds).toFixed(0)} ms (median of ${rounds}); naive = scan of a packed Float64Array of boxes`,
        columns: ['query window', 'hits', 'indexed/query', 'naive/query', 'naive/indexed', 'per-round ratio', 'queries to repay build'],
        rows,
      },
    ],
    data,
  };
}
