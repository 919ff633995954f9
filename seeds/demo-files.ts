/**
 * The committed demo layers (seeds/demo/) and the layer each belongs to. The store seeds them
 * by stable id; the UI marks their features 示例数据 (every one has `demo: true`).
 */
export const DEMO_LAYER_FILES = [
  { fileName: 'wells-non-agricultural.geojson', layerId: 'wells' },
  { fileName: 'wells-agricultural.geojson', layerId: 'wells' },
  { fileName: 'pocket-parks.geojson', layerId: 'pocket-parks' },
  { fileName: 'villages.geojson', layerId: 'villages' },
  { fileName: 'farmland.geojson', layerId: 'farmland' },
  { fileName: 'residential-blocks.geojson', layerId: 'residential-blocks' },
] as const;

/** The date the demo data describes (its statuses are as of this day). */
export { DEMO_AS_OF } from './generator/rules';
