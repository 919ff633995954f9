// The overlays drawn above the planning layers and the basemap, bottom to top. Each is added to
// the map when first used, not at start (an empty source is one more load and frame at launch), so
// the order cannot come from the order of adding: an overlay goes below the first layer of an
// overlay above it that is already on the map.
import type { Map as MapLibreMap } from 'maplibre-gl';

export const overlayLayerPrefixes = {
  /** The geometry editor (terra-draw's layers). */
  editor: 'geometry-editor-',
  conflicts: 'sync-conflict-',
  gps: 'gps:',
  areaSelection: 'area-selection:',
  importPreview: 'import-preview:',
} as const;

export type Overlay = keyof typeof overlayLayerPrefixes;

const bottomToTop: readonly Overlay[] = ['editor', 'conflicts', 'gps', 'areaSelection', 'importPreview'];

/** The layer `overlay`'s layers go before (below), or undefined for the top of the map. */
export function overlayBeforeLayerId(map: MapLibreMap, overlay: Overlay): string | undefined {
  const above = bottomToTop.slice(bottomToTop.indexOf(overlay) + 1).map((name) => overlayLayerPrefixes[name]);
  return map.getLayersOrder().find((id) => above.some((prefix) => id.startsWith(prefix)));
}

/** Moves an overlay's layers (added on top by a library) to their place, keeping their own order. */
export function placeOverlay(map: MapLibreMap, overlay: Overlay): void {
  const before = overlayBeforeLayerId(map, overlay);
  if (before === undefined) return;
  const prefix = overlayLayerPrefixes[overlay];
  for (const id of map.getLayersOrder().filter((layerId) => layerId.startsWith(prefix))) map.moveLayer(id, before);
}
