// The page of pan-zoom.bench.mjs (B3): MapLibre with OneMap's basemap (same files, label font,
// style and options as the app and launch-bare-page.mjs) and, with `?data=1`, the app's own
// planning layers (renderer/src/map/planning-layers.ts) filled with deterministic synthetic data:
// a wells-like point layer and a farmland-like polygon layer, using the wells and farmland layer
// definitions from seeds/layers.json. Bundled by esbuild for the browser; no React, no store.
//
// URL parameters: data=1|0, points, polygons, seed, w, h (map size in px), slow (ms of busy work
// per rendered frame while data is shown: a deliberate slowdown to check the bench notices).
// Reports through window.__onemap = { map, state } like the app, plus window.__benchPage.
/* global window, document */
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { basemapStyle, labelFontFamily } from '../../renderer/src/map/basemap-style.ts';
import { basemapFiles } from '../../renderer/src/map/basemap-data.ts';
import { loadLabelFont } from '../../renderer/src/map/label-font.ts';
import { addPlanningLayer, applyPlanningChanges } from '../../renderer/src/map/planning-layers.ts';
import layers from '../../seeds/layers.json';
import { bboxOf, fetchJson } from './page-geodata.mjs';

maplibregl.setWorkerUrl(new URL('./maplibre-gl-worker.mjs', document.baseURI).href);

const parameters = new URLSearchParams(window.location.search);
const container = document.getElementById('map');
if (parameters.has('w')) container.style.width = `${Number(parameters.get('w'))}px`;
if (parameters.has('h')) container.style.height = `${Number(parameters.get('h'))}px`;
const withData = parameters.get('data') === '1';
const pointCount = Number(parameters.get('points') ?? 200_000);
const polygonCount = Number(parameters.get('polygons') ?? 50_000);
const seed = Number(parameters.get('seed') ?? 20210630);
const slowMs = Number(parameters.get('slow') ?? 0);

/** The same place as the app: planning layers above the basemap's fills, below its labels. */
const planningLayersBelow = 'river-labels';
/** Hengshui's extent (WGS84), a little inside the city outline's bbox. */
const bbox = { west: 115.17, south: 37.05, east: 116.57, north: 38.38 };
const counties = [131102, 131103, 131121, 131122, 131123, 131124, 131125, 131126, 131127, 131128, 131182];
const created = '2021-06-30T00:00:00.000Z';

/** mulberry32: a small deterministic PRNG, so every run draws exactly the same features. */
function random32(state) {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random) {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Points clustered around "towns" (70 %) and scattered over the whole city (30 %). */
function placeSampler(random) {
  const towns = Array.from({ length: 60 }, () => ({
    lon: bbox.west + 0.05 + random() * (bbox.east - bbox.west - 0.1),
    lat: bbox.south + 0.05 + random() * (bbox.north - bbox.south - 0.1),
    spread: 0.01 + random() * 0.04,
  }));
  return () => {
    if (random() < 0.3) return [bbox.west + random() * (bbox.east - bbox.west), bbox.south + random() * (bbox.north - bbox.south)];
    const town = towns[Math.floor(random() * towns.length)];
    const lon = Math.min(bbox.east, Math.max(bbox.west, town.lon + gaussian(random) * town.spread));
    const lat = Math.min(bbox.north, Math.max(bbox.south, town.lat + gaussian(random) * town.spread));
    return [lon, lat];
  };
}

const round6 = (value) => Math.round(value * 1e6) / 1e6;

function storeFeature(layer, id, geometry, index, random) {
  const states = layer.status.states;
  return {
    id,
    layerId: layer.id,
    geometry,
    properties: { name: `${layer.id} ${index}` },
    status: states[Math.floor(random() * states.length)].value,
    county: counties[index % counties.length],
    demo: true,
    createdAt: created,
    updatedAt: created,
    revision: 1,
  };
}

function makePoints(layer, count, random) {
  const place = placeSampler(random);
  const features = new Array(count);
  for (let index = 0; index < count; index += 1) {
    const [lon, lat] = place();
    features[index] = storeFeature(layer, `B-P-${index}`, { type: 'Point', coordinates: [round6(lon), round6(lat)] }, index, random);
  }
  return features;
}

/** Squares and hexagons of 100–500 m across, at a random rotation. */
function makePolygons(layer, count, random) {
  const place = placeSampler(random);
  const features = new Array(count);
  for (let index = 0; index < count; index += 1) {
    const [lon, lat] = place();
    const sides = index % 2 === 0 ? 4 : 6;
    const radiusM = (100 + random() * 400) / 2;
    const rotation = random() * Math.PI;
    const metresPerDegreeLat = 111_320;
    const metresPerDegreeLon = 111_320 * Math.cos((lat * Math.PI) / 180);
    const ring = [];
    for (let corner = 0; corner < sides; corner += 1) {
      const angle = rotation + (2 * Math.PI * corner) / sides;
      ring.push([round6(lon + (Math.cos(angle) * radiusM) / metresPerDegreeLon), round6(lat + (Math.sin(angle) * radiusM) / metresPerDegreeLat)]);
    }
    ring.push(ring[0]);
    features[index] = storeFeature(layer, `B-A-${index}`, { type: 'Polygon', coordinates: [ring] }, index, random);
  }
  return features;
}

async function main() {
  const [countiesData, city, lakes, rivers, seats] = await Promise.all(
    [basemapFiles.counties, basemapFiles.city, basemapFiles.lakes, basemapFiles.rivers, basemapFiles.seats].map(fetchJson),
  );
  const data = { counties: countiesData, city, lakes, rivers, seats, attribution: [] };
  const labels = [
    ...countiesData.features.flatMap((f) => [f.properties.name, f.properties.nameEn]),
    ...seats.features.flatMap((f) => [f.properties.name, f.properties.nameEn]),
    ...[...lakes.features, ...rivers.features].flatMap((f) => [f.properties?.name ?? '', f.properties?.nameEn ?? '']),
  ];
  await loadLabelFont(labels);
  const map = new maplibregl.Map({
    container,
    style: basemapStyle(data, 'zh-CN'),
    bounds: bboxOf(city),
    fitBoundsOptions: { padding: 40 },
    attributionControl: false,
    localIdeographFontFamily: `"${labelFontFamily}", sans-serif`,
    renderWorldCopies: false,
    maxZoom: 19,
    minZoom: 5,
  });
  window.__onemap = { map, state: 'loading' };
  window.__benchPage = { withData, points: 0, polygons: 0 };
  await new Promise((resolve) => map.once('load', resolve));
  if (withData) {
    const wells = layers.find((layer) => layer.id === 'wells');
    const farmland = layers.find((layer) => layer.id === 'farmland');
    const random = random32(seed);
    const points = makePoints(wells, pointCount, random);
    const polygons = makePolygons(farmland, polygonCount, random);
    // Polygons below points, as the app's default order draws area layers under point layers.
    addPlanningLayer(map, farmland, planningLayersBelow);
    addPlanningLayer(map, wells, planningLayersBelow);
    applyPlanningChanges(map, farmland.id, { kind: 'reset', features: polygons });
    applyPlanningChanges(map, wells.id, { kind: 'reset', features: points });
    window.__benchPage.points = points.length;
    window.__benchPage.polygons = polygons.length;
    if (slowMs > 0) {
      map.on('render', () => {
        const until = performance.now() + slowMs;
        while (performance.now() < until) {
          // deliberate busy work (self-check only)
        }
      });
    }
  }
  map.once('idle', () => {
    window.__onemap.state = 'idle';
  });
  map.triggerRepaint();
}

main().catch((error) => {
  document.body.textContent = `pan-zoom page failed: ${error instanceof Error ? error.message : String(error)}`;
  throw error;
});
