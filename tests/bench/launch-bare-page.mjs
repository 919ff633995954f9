// The baseline page of launch.bench.mjs: MapLibre alone with OneMap's basemap and nothing else —
// no React, no i18n, no storage, no controls. Bundled by esbuild for the browser. It does the same
// work as the app's map: fetch the same /geodata files, load the same label font subsets with the
// same helper (renderer/src/map/label-font.ts), build the same style (basemapStyle), fit the same
// bounds, then report the first 'idle' after 'load' through the same window.__onemap handle.
/* global window, document */
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { basemapStyle, labelFontFamily } from '../../renderer/src/map/basemap-style.ts';
import { bboxOf, loadBenchBasemap } from './page-geodata.mjs';

maplibregl.setWorkerUrl(new URL('./maplibre-gl-worker.mjs', document.baseURI).href);

const parameters = new URLSearchParams(window.location.search);
const container = document.getElementById('map');
// The harness passes the size of the app's map container so both maps draw the same area.
if (parameters.has('w')) container.style.width = `${Number(parameters.get('w'))}px`;
if (parameters.has('h')) container.style.height = `${Number(parameters.get('h'))}px`;
// Deliberate slowdown, only for checking that the bench notices (see tests/bench/README.md).
const delayMs = Number(parameters.get('delay') ?? 0);

async function main() {
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  const data = await loadBenchBasemap();
  const map = new maplibregl.Map({
    container,
    style: basemapStyle(data, 'zh-CN'),
    bounds: bboxOf(data.city),
    fitBoundsOptions: { padding: 40 },
    attributionControl: false,
    localIdeographFontFamily: `"${labelFontFamily}", sans-serif`,
    renderWorldCopies: false,
    maxZoom: 18,
    minZoom: 5,
  });
  window.__onemap = { map, state: 'loading' };
  map.once('load', () => {
    map.once('idle', () => {
      window.__onemap.state = 'idle';
    });
  });
}

main().catch((error) => {
  document.body.textContent = `bare page failed: ${error instanceof Error ? error.message : String(error)}`;
  throw error;
});
