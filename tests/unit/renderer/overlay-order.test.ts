// The overlays' drawing order (renderer/src/map/overlay-order.ts): added when first used, each goes
// below the overlays above it that are already on the map.
import { describe, expect, it } from 'vitest';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { overlayBeforeLayerId, placeOverlay } from '../../../renderer/src/map/overlay-order';

/** The part of a map the order needs: its layer ids bottom to top, and moveLayer. */
function fakeMap(ids: string[]) {
  const order = [...ids];
  const map = {
    getLayersOrder: () => [...order],
    moveLayer(id: string, before?: string) {
      order.splice(order.indexOf(id), 1);
      order.splice(before === undefined ? order.length : order.indexOf(before), 0, id);
    },
  };
  return { map: map as unknown as MapLibreMap, order };
}

const basemap = ['background', 'planning:wells:circle', 'river-labels', 'county-labels'];

describe('overlay order', () => {
  it('puts an overlay on top when nothing above it is on the map', () => {
    const { map } = fakeMap([...basemap, 'geometry-editor-point']);
    expect(overlayBeforeLayerId(map, 'conflicts')).toBeUndefined();
    expect(overlayBeforeLayerId(map, 'importPreview')).toBeUndefined();
  });

  it('puts an overlay below the lowest layer of an overlay above it', () => {
    const { map } = fakeMap([...basemap, 'gps:accuracy-fill', 'gps:position', 'import-preview:fill']);
    expect(overlayBeforeLayerId(map, 'conflicts')).toBe('gps:accuracy-fill');
    expect(overlayBeforeLayerId(map, 'editor')).toBe('gps:accuracy-fill');
    expect(overlayBeforeLayerId(map, 'gps')).toBe('import-preview:fill');
    expect(overlayBeforeLayerId(map, 'areaSelection')).toBe('import-preview:fill');
  });

  it('moves a library\'s layers, added on top, to their place in their own order', () => {
    const { map, order } = fakeMap([...basemap, 'sync-conflict-flags:ring', 'gps:position', 'geometry-editor-polygon', 'geometry-editor-polygon-outline', 'geometry-editor-point']);
    placeOverlay(map, 'editor');
    expect(order).toEqual([...basemap, 'geometry-editor-polygon', 'geometry-editor-polygon-outline', 'geometry-editor-point', 'sync-conflict-flags:ring', 'gps:position']);
  });
});
