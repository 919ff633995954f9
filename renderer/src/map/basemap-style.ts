import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';
import type { FeatureCollection, Point } from 'geojson';
import type { BasemapData } from './basemap-data';

/** The bundled CJK web font (OFL, @fontsource/noto-sans-sc). With no `glyphs` URL in the style,
 * MapLibre draws every label locally with this CSS family, so no system font and no glyph server
 * is needed. */
export const labelFontFamily = 'Noto Sans SC';

export const basemapSymbolLayerIds = ['county-labels', 'seat-labels', 'lake-labels', 'river-labels'] as const;
export const countyFillLayerId = 'county-fill';

/** The counties' tints, by their order in the counties file (printed maps use the same). */
export const countyPalette = ['#f3e9d2', '#e4efd8', '#dde8f3', '#f1e1e6', '#e9e4f4', '#f6efd9', '#e1f0ec', '#f2e5d8', '#e5ecdc', '#ece3ee', '#dfe9ef'];

export function labelField(language: string): ExpressionSpecification {
  return language === 'en' ? ['coalesce', ['get', 'nameEn'], ['get', 'name']] : ['get', 'name'];
}

export function countyLabelPoints(data: BasemapData): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: data.counties.features.map((county) => ({
      type: 'Feature',
      id: county.properties.adcode,
      properties: { adcode: county.properties.adcode, name: county.properties.name, nameEn: county.properties.nameEn },
      geometry: { type: 'Point', coordinates: county.properties.labelPoint },
    })),
  };
}

export function basemapStyle(data: BasemapData, language: string): StyleSpecification {
  const countyColor: ExpressionSpecification = [
    'match',
    ['get', 'adcode'],
    ...data.counties.features.flatMap((county, index) => [county.properties.adcode, countyPalette[index % countyPalette.length]!]),
    '#eeeeee',
  ] as unknown as ExpressionSpecification;
  const text = labelField(language);
  return {
    version: 8,
    name: 'OneMap offline basemap',
    // No `glyphs` and no `sprite`: labels are drawn locally, nothing is fetched.
    sources: {
      counties: { type: 'geojson', data: data.counties, promoteId: 'adcode' },
      'county-label-points': { type: 'geojson', data: countyLabelPoints(data), promoteId: 'adcode' },
      city: { type: 'geojson', data: data.city },
      lakes: { type: 'geojson', data: data.lakes },
      rivers: { type: 'geojson', data: data.rivers },
      seats: { type: 'geojson', data: data.seats },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f7f7f4' } },
      {
        id: countyFillLayerId,
        type: 'fill',
        source: 'counties',
        paint: {
          'fill-color': countyColor,
          'fill-opacity': ['case', ['boolean', ['feature-state', 'focused'], false], 0.95, 0.8],
        },
      },
      { id: 'lake-fill', type: 'fill', source: 'lakes', paint: { 'fill-color': '#9ccbe8', 'fill-outline-color': '#5d9cc7' } },
      {
        id: 'river-line',
        type: 'line',
        source: 'rivers',
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': '#5d9cc7', 'line-width': ['interpolate', ['linear'], ['zoom'], 7, 1, 12, 3] },
      },
      {
        id: 'county-line',
        type: 'line',
        source: 'counties',
        paint: { 'line-color': '#8a7f72', 'line-width': 1, 'line-dasharray': [3, 2] },
      },
      { id: 'city-line', type: 'line', source: 'city', paint: { 'line-color': '#6b4f3a', 'line-width': 2.5 } },
      {
        id: 'seat-circle',
        type: 'circle',
        source: 'seats',
        paint: {
          'circle-radius': ['case', ['==', ['get', 'kind'], 'city-seat'], 5, 3.5],
          'circle-color': '#ffffff',
          'circle-stroke-color': '#3f3f3f',
          'circle-stroke-width': 1.5,
        },
      },
      {
        id: 'river-labels',
        type: 'symbol',
        source: 'rivers',
        minzoom: 8,
        layout: {
          'symbol-placement': 'line',
          'text-field': text,
          'text-font': [labelFontFamily],
          'text-size': 12,
        },
        paint: { 'text-color': '#3b7aa6', 'text-halo-color': '#ffffff', 'text-halo-width': 1 },
      },
      {
        id: 'lake-labels',
        type: 'symbol',
        source: 'lakes',
        layout: { 'text-field': text, 'text-font': [labelFontFamily], 'text-size': 12 },
        paint: { 'text-color': '#2f6f9a', 'text-halo-color': '#ffffff', 'text-halo-width': 1 },
      },
      {
        id: 'seat-labels',
        type: 'symbol',
        source: 'seats',
        minzoom: 9,
        layout: {
          'text-field': text,
          'text-font': [labelFontFamily],
          'text-size': 11,
          'text-offset': [0, 0.9],
          'text-anchor': 'top',
        },
        paint: { 'text-color': '#333333', 'text-halo-color': '#ffffff', 'text-halo-width': 1 },
      },
      {
        id: 'county-labels',
        type: 'symbol',
        source: 'county-label-points',
        layout: {
          'text-field': text,
          'text-font': [labelFontFamily],
          'text-size': ['interpolate', ['linear'], ['zoom'], 7, 13, 11, 18],
          'text-allow-overlap': true,
          'text-ignore-placement': true,
        },
        paint: { 'text-color': '#4a3b2c', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
      },
    ],
  };
}
