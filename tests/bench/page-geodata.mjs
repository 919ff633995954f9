// Shared by the benchmark pages (bundled by esbuild into each page): the committed basemap files,
// fetched from /geodata/ on the page's own server, and their bounding box.
/* global document */
import { bbox } from '@turf/bbox';

export async function fetchJson(file) {
  const response = await fetch(new URL(`geodata/${file}`, document.baseURI).href);
  if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
  return response.json();
}

/** [west, south, east, north] of a FeatureCollection. */
export function bboxOf(collection) {
  return bbox(collection);
}

