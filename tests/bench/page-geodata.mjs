// Shared by the benchmark pages (bundled by esbuild into each page): the committed basemap files,
// fetched from /geodata/ on the page's own server, and their bounding box.
/* global document */
import { bbox } from '@turf/bbox';
import { loadLabelFont } from '../../renderer/src/map/label-font.ts';
import { hengshuiWorkspace } from '../../seeds/workspace.ts';

export async function fetchJson(file) {
  const response = await fetch(new URL(`geodata/${file}`, document.baseURI).href);
  if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
  return response.json();
}

/** [west, south, east, north] of a FeatureCollection. */
export function bboxOf(collection) {
  return bbox(collection);
}


/**
 * The embedded workspace's five basemap files, as `basemapStyle` takes them, with the label font
 * loaded for their names: what the bare bench pages draw under the same style as the app.
 */
export async function loadBenchBasemap() {
  const [counties, city, lakes, rivers, seats] = await Promise.all(
    ['counties', 'city', 'lakes', 'rivers', 'seats'].map((key) => fetchJson(hengshuiWorkspace.basemap.files[key])),
  );
  const labels = [
    ...counties.features.flatMap((f) => [f.properties.name, f.properties.nameEn]),
    ...seats.features.flatMap((f) => [f.properties.name, f.properties.nameEn]),
    ...[...lakes.features, ...rivers.features].flatMap((f) => [f.properties?.name ?? '', f.properties?.nameEn ?? '']),
  ];
  await loadLabelFont(labels);
  return { counties, city, lakes, rivers, seats, attribution: [] };
}
