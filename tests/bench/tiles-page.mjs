// The bare pages of the rendering benches (B3 pan/zoom, B9 open): MapLibre with OneMap's basemap
// (same files, label font, style and options as the app and launch-bare-page.mjs) and, with
// `?tiles=1`, the benches' synthetic layers pre-cut by GDAL to MBTiles, drawn from the bench
// server's /tiles/{z}/{x}/{y}.pbf as a plain `vector` source — the static-tiles baseline. The
// layers are painted like the app paints an imported layer (circles with a white outline; fills
// at 55 % with an outline). Reports through window.__onemap = { map, state } like the app.
//
// URL parameters: tiles=1|0, maxzoom (of the tiles), w, h (map size in px).
/* global window, document */
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { basemapStyle, labelFontFamily } from '../../renderer/src/map/basemap-style.ts';
import { bboxOf, loadBenchBasemap } from './page-geodata.mjs';

maplibregl.setWorkerUrl(new URL('./maplibre-gl-worker.mjs', document.baseURI).href);

const parameters = new URLSearchParams(window.location.search);
const container = document.getElementById('map');
if (parameters.has('w')) container.style.width = `${Number(parameters.get('w'))}px`;
if (parameters.has('h')) container.style.height = `${Number(parameters.get('h'))}px`;
const withTiles = parameters.get('tiles') === '1';
const maxzoom = Number(parameters.get('maxzoom') ?? 13);
/** Above the basemap's fills and lines, below its labels: where the app draws planning layers. */
const planningLayersBelow = 'river-labels';
const statusColor = ['match', ['get', 'status'], '未开始', '#c2185b', '进行中', '#f768a1', '已完成', '#ae017e', '#c2185b'];

async function main() {
  const data = await loadBenchBasemap();
  const style = basemapStyle(data, 'zh-CN');
  if (withTiles) {
    style.sources.precut = { type: 'vector', tiles: [`${new URL('tiles/', document.baseURI).href}{z}/{x}/{y}.pbf`], minzoom: 5, maxzoom };
    const at = style.layers.findIndex((layer) => layer.id === planningLayersBelow);
    style.layers.splice(
      at,
      0,
      { id: 'precut-polygons-fill', type: 'fill', source: 'precut', 'source-layer': 'polygons', paint: { 'fill-color': statusColor, 'fill-opacity': 0.55 } },
      { id: 'precut-polygons-line', type: 'line', source: 'precut', 'source-layer': 'polygons', paint: { 'line-color': '#49006a', 'line-width': 1 } },
      {
        id: 'precut-points',
        type: 'circle',
        source: 'precut',
        'source-layer': 'points',
        paint: {
          'circle-color': statusColor,
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 4.5, 14, 8],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.2,
        },
      },
    );
  }
  const map = new maplibregl.Map({
    container,
    style,
    bounds: bboxOf(data.city),
    fitBoundsOptions: { padding: 40 },
    attributionControl: false,
    localIdeographFontFamily: `"${labelFontFamily}", sans-serif`,
    renderWorldCopies: false,
    maxZoom: 19,
    minZoom: 5,
  });
  window.__onemap = { map, state: 'loading' };
  map.once('idle', () => {
    window.__onemap.state = 'idle';
  });
}

main().catch((error) => {
  document.body.textContent = `tiles page failed: ${error instanceof Error ? error.message : String(error)}`;
  throw error;
});
