// Deterministic synthetic planning data for the rendering benches (B3 pan/zoom, B9 open): points
// clustered around "towns" and 100–500 m squares/hexagons inside Hengshui, the same every run
// (mulberry32). Written as GeoJSON files that the app imports through its own wizard and that GDAL
// pre-cuts to MBTiles for the static-tiles baseline. Runs in Node.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { random32 } from './random.mjs';

/** Hengshui's extent (WGS84), a little inside the city outline's bbox. */
export const syntheticBbox = { west: 115.17, south: 37.05, east: 116.57, north: 38.38 };
const counties = [131102, 131103, 131121, 131122, 131123, 131124, 131125, 131126, 131127, 131128, 131182];
/** Three workflow states, as a registered → in progress → done layer would have. */
export const syntheticStatuses = ['未开始', '进行中', '已完成'];

function gaussian(random) {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Positions clustered around 60 towns (70 %) and scattered over the whole city (30 %). */
function placeSampler(random) {
  const box = syntheticBbox;
  const towns = Array.from({ length: 60 }, () => ({
    lon: box.west + 0.05 + random() * (box.east - box.west - 0.1),
    lat: box.south + 0.05 + random() * (box.north - box.south - 0.1),
    spread: 0.01 + random() * 0.04,
  }));
  return () => {
    if (random() < 0.3) return [box.west + random() * (box.east - box.west), box.south + random() * (box.north - box.south)];
    const town = towns[Math.floor(random() * towns.length)];
    const lon = Math.min(box.east, Math.max(box.west, town.lon + gaussian(random) * town.spread));
    const lat = Math.min(box.north, Math.max(box.south, town.lat + gaussian(random) * town.spread));
    return [lon, lat];
  };
}

const round6 = (value) => Math.round(value * 1e6) / 1e6;

function properties(prefix, index, random) {
  return {
    name: `${prefix} ${index + 1}`,
    status: syntheticStatuses[Math.floor(random() * syntheticStatuses.length)],
    county: counties[index % counties.length],
  };
}

/** Yields `count` point features. */
export function* syntheticPoints(count, seed) {
  const random = random32(seed);
  const place = placeSampler(random);
  for (let index = 0; index < count; index += 1) {
    const [lon, lat] = place();
    yield { type: 'Feature', properties: properties('测点', index, random), geometry: { type: 'Point', coordinates: [round6(lon), round6(lat)] } };
  }
}

/** Yields `count` squares and hexagons of 100–500 m across, at a random rotation. */
export function* syntheticPolygons(count, seed) {
  const random = random32(seed + 1);
  const place = placeSampler(random);
  for (let index = 0; index < count; index += 1) {
    const [lon, lat] = place();
    const sides = index % 2 === 0 ? 4 : 6;
    const radiusM = (100 + random() * 400) / 2;
    const rotation = random() * Math.PI;
    const metresPerDegreeLon = 111_320 * Math.cos((lat * Math.PI) / 180);
    const ring = [];
    for (let corner = 0; corner < sides; corner += 1) {
      const angle = rotation + (2 * Math.PI * corner) / sides;
      ring.push([round6(lon + (Math.cos(angle) * radiusM) / metresPerDegreeLon), round6(lat + (Math.sin(angle) * radiusM) / 111_320)]);
    }
    ring.push(ring[0]);
    yield { type: 'Feature', properties: properties('地块', index, random), geometry: { type: 'Polygon', coordinates: [ring] } };
  }
}

/** Streams features into a GeoJSON FeatureCollection file (CRS84), so a million never sit in one string. */
export async function writeGeoJson(file, features) {
  const out = createWriteStream(file);
  const write = async (text) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('{"type":"FeatureCollection","features":[\n');
  let first = true;
  for (const feature of features) {
    await write(`${first ? '' : ',\n'}${JSON.stringify(feature)}`);
    first = false;
  }
  await write('\n]}\n');
  out.end();
  await once(out, 'finish');
}
