// The park-coverage analysis on the map: service areas shaded around parks, residential blocks
// coloured covered / not covered, candidate sites numbered by rank. The numbers come from
// shared/analysis (exact, geodesic); the shaded discs are a drawing aid (see serviceAreaRadius).
import type { ExpressionSpecification, GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { FeatureCollection, Point, Polygon } from 'geojson';
import { labelFontFamily, type basemapSymbolLayerIds } from './basemap-style';
import { setTextIgnorePlacementIfChanged, setVisibilityIfChanged } from './style-changes';

export interface CoverageOverlay {
  radiusMeters: number;
  /** One point per park with `reachMeters`: how far the park itself extends from that point (0 for point parks). */
  serviceCenters: FeatureCollection<Point, { reachMeters: number; latitude: number }>;
  residents: FeatureCollection<Point, { covered: boolean; population: number }>;
  candidates: FeatureCollection<Polygon, { rank: number }>;
  candidateCenters: FeatureCollection<Point, { rank: number }>;
}

const ids = {
  service: 'coverage-service',
  residents: 'coverage-residents',
  candidates: 'coverage-candidates',
  candidateCenters: 'coverage-candidate-centers',
};
const layerIds = [`${ids.service}:disc`, `${ids.residents}:circle`, `${ids.candidates}:fill`, `${ids.candidates}:line`, `${ids.candidateCenters}:label`];
const countyLabelsLayerId: (typeof basemapSymbolLayerIds)[number] = 'county-labels';
const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** Metres per pixel at zoom 0 on the equator for MapLibre's 512 px tiles. */
const metersPerPixelAtZoomZero = 40_075_016.686 / 512;

/**
 * A disc's radius in pixels for `radiusMeters` + the park's own reach, at the feature's latitude
 * (Web Mercator scale), interpolated exponentially over zoom: exact at every zoom for a disc.
 */
function serviceAreaRadius(radiusMeters: number): ExpressionSpecification {
  const pixelsAtZoom = (zoom: number): ExpressionSpecification => [
    '/',
    ['*', ['+', radiusMeters, ['get', 'reachMeters']], 2 ** zoom],
    ['*', metersPerPixelAtZoomZero, ['cos', ['*', ['get', 'latitude'], Math.PI / 180]]],
  ] as unknown as ExpressionSpecification;
  return ['interpolate', ['exponential', 2], ['zoom'], 0, pixelsAtZoom(0), 22, pixelsAtZoom(22)];
}

function ensure(map: MapLibreMap, beforeLayerId: string | undefined): void {
  if (map.getSource(ids.service)) return;
  for (const id of Object.values(ids)) map.addSource(id, { type: 'geojson', data: empty });
  map.addLayer(
    {
      id: layerIds[0]!,
      type: 'circle',
      source: ids.service,
      paint: { 'circle-radius': serviceAreaRadius(300), 'circle-color': '#38a169', 'circle-opacity': 0.18, 'circle-pitch-alignment': 'map' },
    },
    beforeLayerId,
  );
  map.addLayer(
    {
      id: layerIds[1]!,
      type: 'circle',
      source: ids.residents,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, 2, 14, 6],
        'circle-color': ['case', ['get', 'covered'], '#2e7d32', '#e53935'],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 0.6,
      },
    },
    beforeLayerId,
  );
  map.addLayer({ id: layerIds[2]!, type: 'fill', source: ids.candidates, paint: { 'fill-color': '#8e24aa', 'fill-opacity': 0.5 } }, beforeLayerId);
  map.addLayer({ id: layerIds[3]!, type: 'line', source: ids.candidates, paint: { 'line-color': '#6a1b9a', 'line-width': 1.5 } }, beforeLayerId);
  // The numbers collide with each other and with the county names (placed first: this layer lies
  // just below theirs); a better rank wins its place, and every number shows once zoomed in.
  map.addLayer(
    {
      id: layerIds[4]!,
      type: 'symbol',
      source: ids.candidateCenters,
      layout: {
        'text-field': ['to-string', ['get', 'rank']],
        'text-font': [labelFontFamily],
        'text-size': 12,
        'text-offset': [0, -1.1],
        'text-allow-overlap': false,
        'text-padding': 2,
        'symbol-sort-key': ['get', 'rank'],
      },
      paint: { 'text-color': '#4a148c', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    },
    map.getLayer(countyLabelsLayerId) ? countyLabelsLayerId : undefined,
  );
}

/**
 * Draws the analysis (null hides it). Its sources and layers are added the first time there is
 * one to draw, not at start (each empty source is one more load and frame at launch): the areas
 * below `beforeLayerId`, the numbers below the county names.
 */
export function setCoverageOverlay(map: MapLibreMap, overlay: CoverageOverlay | null, beforeLayerId: string | undefined): void {
  // Nothing drawn yet, nothing to hide: the county labels are as the basemap's style has them.
  if (!overlay && !map.getSource(ids.service)) return;
  ensure(map, beforeLayerId);
  const set = (id: string, data: FeatureCollection) => map.getSource<GeoJSONSource>(id)?.setData(data);
  for (const layerId of layerIds) setVisibilityIfChanged(map, layerId, overlay ? 'visible' : 'none');
  // County names always show (allow-overlap); while the numbers are drawn they also take their room.
  if (map.getLayer(countyLabelsLayerId)) setTextIgnorePlacementIfChanged(map, countyLabelsLayerId, !overlay);
  if (!overlay) return;
  map.setPaintProperty(layerIds[0]!, 'circle-radius', serviceAreaRadius(overlay.radiusMeters));
  set(ids.service, overlay.serviceCenters);
  set(ids.residents, overlay.residents);
  set(ids.candidates, overlay.candidates);
  set(ids.candidateCenters, overlay.candidateCenters);
}
