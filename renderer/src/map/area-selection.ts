// Drawing an area on the map to select features (e.g. for a bulk status update): click to add a
// vertex, double-click or Enter to finish, Backspace to remove the last vertex, Esc to cancel.
import type { GeoJSONSource, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import type { Feature as GeoJsonFeature, FeatureCollection, Polygon, Position } from 'geojson';
import { overlayBeforeLayerId } from './overlay-order';

const sourceId = 'area-selection';

function sketch(vertices: readonly Position[], pointer: Position | null): FeatureCollection {
  const ring = pointer ? [...vertices, pointer] : [...vertices];
  const features: GeoJsonFeature[] = ring.map((position) => ({ type: 'Feature', properties: { kind: 'vertex' }, geometry: { type: 'Point', coordinates: position } }));
  if (ring.length >= 2) {
    features.push({ type: 'Feature', properties: { kind: 'edge' }, geometry: { type: 'LineString', coordinates: ring.length >= 3 ? [...ring, ring[0]!] : ring } });
  }
  if (ring.length >= 3) {
    features.push({ type: 'Feature', properties: { kind: 'area' }, geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]!]] } });
  }
  return { type: 'FeatureCollection', features };
}

function ensureLayers(map: MapLibreMap): void {
  if (map.getSource(sourceId)) return;
  map.addSource(sourceId, { type: 'geojson', data: sketch([], null) });
  const before = overlayBeforeLayerId(map, 'areaSelection');
  map.addLayer({ id: `${sourceId}:fill`, type: 'fill', source: sourceId, filter: ['==', ['get', 'kind'], 'area'], paint: { 'fill-color': '#d81b60', 'fill-opacity': 0.12 } }, before);
  map.addLayer({ id: `${sourceId}:edge`, type: 'line', source: sourceId, filter: ['==', ['get', 'kind'], 'edge'], paint: { 'line-color': '#d81b60', 'line-width': 2, 'line-dasharray': [2, 1] } }, before);
  map.addLayer(
    {
      id: `${sourceId}:vertex`,
      type: 'circle',
      source: sourceId,
      filter: ['==', ['get', 'kind'], 'vertex'],
      paint: { 'circle-radius': 4, 'circle-color': '#ffffff', 'circle-stroke-color': '#d81b60', 'circle-stroke-width': 2 },
    },
    before,
  );
}

/**
 * Lets the user draw one polygon; resolves with it, or with null when cancelled. Fewer than three
 * vertices cannot finish (Enter/double-click are ignored until there are three).
 */
export function drawSelectionArea(map: MapLibreMap, signal?: AbortSignal): Promise<Polygon | null> {
  ensureLayers(map);
  const source = map.getSource<GeoJSONSource>(sourceId)!;
  const vertices: Position[] = [];
  let pointer: Position | null = null;
  const canvas = map.getCanvasContainer();
  const doubleClickZoomWasOn = map.doubleClickZoom.isEnabled();
  map.doubleClickZoom.disable();
  canvas.style.cursor = 'crosshair';

  return new Promise((resolve) => {
    const redraw = () => source.setData(sketch(vertices, pointer));
    const finish = (result: Polygon | null) => {
      map.off('click', onClick);
      map.off('dblclick', onDoubleClick);
      map.off('mousemove', onMove);
      window.removeEventListener('keydown', onKey, true);
      signal?.removeEventListener('abort', onAbort);
      if (doubleClickZoomWasOn) map.doubleClickZoom.enable();
      canvas.style.cursor = '';
      source.setData(sketch([], null));
      resolve(result);
    };
    const complete = () => {
      if (vertices.length < 3) return;
      finish({ type: 'Polygon', coordinates: [[...vertices, vertices[0]!]] });
    };
    const onClick = (event: MapMouseEvent) => {
      vertices.push([event.lngLat.lng, event.lngLat.lat]);
      redraw();
    };
    const onDoubleClick = (event: MapMouseEvent) => {
      event.preventDefault();
      // The double-click's two clicks each added the same vertex: keep one.
      const last = vertices[vertices.length - 1];
      const previous = vertices[vertices.length - 2];
      if (last && previous && last[0] === previous[0] && last[1] === previous[1]) vertices.pop();
      complete();
    };
    const onMove = (event: MapMouseEvent) => {
      pointer = [event.lngLat.lng, event.lngLat.lat];
      if (vertices.length > 0) redraw();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        finish(null);
      } else if (event.key === 'Enter') {
        event.preventDefault();
        pointer = null;
        complete();
      } else if (event.key === 'Backspace' && vertices.length > 0) {
        event.preventDefault();
        vertices.pop();
        redraw();
      }
    };
    const onAbort = () => finish(null);
    map.on('click', onClick);
    map.on('dblclick', onDoubleClick);
    map.on('mousemove', onMove);
    window.addEventListener('keydown', onKey, true);
    signal?.addEventListener('abort', onAbort);
  });
}
