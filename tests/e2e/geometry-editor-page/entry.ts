// The geometry editor's harness page: a MapLibre map with a one-layer style (a background, no
// sources, nothing fetched) and the editor over it — no React, no store. Bundled by esbuild in
// tests/e2e/helpers/geometry-editor-harness.ts and served with the app's CSP.
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { Feature } from 'geojson';
import { createGeometryEditor } from '../../../renderer/src/map/geometry-editor';
import type { GeometryEditorHarness } from './harness-api';

maplibregl.setWorkerUrl(new URL('./maplibre-gl-worker.mjs', document.baseURI).href);

const map = new maplibregl.Map({
  container: 'map',
  style: { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f4f1ea' } }] },
  center: [115, 37],
  zoom: 15,
  attributionControl: false,
  fadeDuration: 0,
});

let snapSources: Feature[] = [];
const harness: GeometryEditorHarness = {
  map,
  editor: undefined as unknown as GeometryEditorHarness['editor'],
  ready: false,
  results: [],
  problems: [],
  changes: [],
  setSnapSources(features) {
    snapSources = features;
    map.getSource<maplibregl.GeoJSONSource>('existing')!.setData({ type: 'FeatureCollection', features });
  },
  draw(kind) {
    void harness.editor.draw(kind).then((geometry) => harness.results.push(geometry));
  },
  edit(geometry) {
    void harness.editor.edit(geometry).then((geometry) => harness.results.push(geometry));
  },
};
window.__editorHarness = harness;

map.once('load', () => {
  map.addSource('existing', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({ id: 'existing-fill', type: 'fill', source: 'existing', paint: { 'fill-color': '#43a047', 'fill-opacity': 0.3 } });
  map.addLayer({ id: 'existing-edge', type: 'line', source: 'existing', paint: { 'line-color': '#2e7d32', 'line-width': 2 } });
  harness.editor = createGeometryEditor(map, {
    snapSources: () => snapSources,
    snapDistance: 12,
    onProblem: (problem) => harness.problems.push(problem),
    onChange: (geometry) => harness.changes.push(geometry),
  });
  harness.ready = true;
});
