// The Hengshui workspace as the print code receives it: the basemap files, the demo features by
// layer in the map's colours, the 2021 targets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature as GeoJsonFeature, FeatureCollection, Geometry } from 'geojson';
import { DEMO_LAYER_FILES, hengshuiLayers, hengshuiTargets2021 } from '../../../seeds/index';
import { featureFromGeoJson, type GeoJsonFeature as OneMapGeoJson } from '../../../shared/model/geojson-feature';
import type { Feature } from '../../../shared/model';
import type { PrintBasemap, PrintLayer } from '../../../shared/print';
import { statusColors, symbolFamilyOf } from '../../../renderer/src/map/planning-layers';

export const root = join(import.meta.dirname, '../../..');
const read = <T>(path: string): T => JSON.parse(readFileSync(join(root, path), 'utf8')) as T;
const palette = ['#f3e9d2', '#e4efd8', '#dde8f3', '#f1e1e6', '#e9e4f4', '#f6efd9', '#e1f0ec', '#f2e5d8', '#e5ecdc', '#ece3ee', '#dfe9ef'];

export const fontBytes = new Uint8Array(readFileSync(join(root, 'renderer/public/fonts/NotoSansSC-print.ttf')));

type Named = { name: string; adcode: number; labelPoint: [number, number]; kind: string };
const counties = read<FeatureCollection<Geometry, Named>>('geodata/hengshui-counties.geojson');
export const basemap: PrintBasemap = {
  counties: counties.features.map((county, index) => ({ adcode: county.properties.adcode, name: county.properties.name, labelPoint: county.properties.labelPoint, geometry: county.geometry, fill: palette[index % palette.length]! })),
  city: read<FeatureCollection>('geodata/hengshui-city.geojson').features.map((feature) => feature.geometry),
  lakes: read<FeatureCollection>('geodata/hengshui-lakes.geojson').features.map((feature) => feature.geometry),
  rivers: read<FeatureCollection>('geodata/hengshui-rivers.geojson').features.map((feature) => feature.geometry),
  seats: read<FeatureCollection<Geometry, Named>>('geodata/hengshui-seats.geojson').features.map((seat) => ({ coordinates: (seat.geometry as unknown as { coordinates: [number, number] }).coordinates, kind: seat.properties.kind })),
  colors: { county: '#8a7f72', city: '#6b4f3a', lake: '#9ccbe8', river: '#5d9cc7', seat: '#3f3f3f', background: '#f7f7f4' },
};
export const countyList = basemap.counties.map((county) => ({ adcode: county.adcode, name: county.name }));

const time = { createdAt: '2021-01-01T00:00:00.000Z', updatedAt: '2021-01-01T00:00:00.000Z' } as never;
export const featuresByLayer = new Map<string, Feature[]>();
for (const { fileName, layerId } of DEMO_LAYER_FILES) {
  const collection = read<{ features: GeoJsonFeature[] }>(`seeds/demo/${fileName}`);
  const list = featuresByLayer.get(layerId) ?? [];
  for (const feature of collection.features) list.push(featureFromGeoJson(feature as unknown as OneMapGeoJson, layerId, time));
  featuresByLayer.set(layerId, list);
}
export const layers = hengshuiLayers;
export const targets = hengshuiTargets2021;

export function printLayer(layerId: string, features: readonly Feature[] = featuresByLayer.get(layerId) ?? []): PrintLayer {
  const definition = layers.find((layer) => layer.id === layerId)!;
  return {
    id: layerId,
    geometryType: definition.geometryType as PrintLayer['geometryType'],
    colors: Object.fromEntries(statusColors(definition)),
    stroke: symbolFamilyOf(definition).stroke,
    features: features.map((feature) => ({ geometry: feature.geometry as Geometry, status: feature.status })),
  };
}
