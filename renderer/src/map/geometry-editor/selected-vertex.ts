// The ring around the vertex picked for deletion while editing: a circle layer above terra-draw's.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { FeatureCollection, Position } from 'geojson';

const selectedVertexSource = 'geometry-editor:selected-vertex';

/** Shows the ring at `vertex` (none when undefined), adding its layer the first time and keeping it on top. */
export function showSelectedVertex(map: MapLibreMap, vertex: Position | undefined): void {
  if (!map.getSource(selectedVertexSource)) {
    map.addSource(selectedVertexSource, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: selectedVertexSource,
      type: 'circle',
      source: selectedVertexSource,
      paint: { 'circle-radius': 8, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#1e88e5', 'circle-stroke-width': 3 },
    });
  } else {
    map.moveLayer(selectedVertexSource);
  }
  const data: FeatureCollection = { type: 'FeatureCollection', features: vertex ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: vertex } }] : [] };
  map.getSource<GeoJSONSource>(selectedVertexSource)!.setData(data);
}

export function removeSelectedVertex(map: MapLibreMap): void {
  if (map.getLayer(selectedVertexSource)) map.removeLayer(selectedVertexSource);
  if (map.getSource(selectedVertexSource)) map.removeSource(selectedVertexSource);
}
