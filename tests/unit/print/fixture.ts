// The Hengshui workspace as the print code receives it: the basemap files, the demo features by
// layer in the map's colours, the 2021 targets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature as GeoJsonFeature, FeatureCollection, Geometry } from 'geojson';
import { DEMO_LAYER_FILES, hengshuiLayers, hengshuiTargets2021 } from '../../../seeds/index';
import { featureFromGeoJson, type GeoJsonFeature as OneMapGeoJson } from '../../../shared/model/geojson-feature';
import type { Feature } from '../../../shared/model';
import { drawMapPage, fitBounds, mapPageLayout, paperPoints, type LegendEntry, type MapPageContent, type Orientation, type PaperSize, type PrintBasemap, type PrintLayer } from '../../../shared/print';
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

const legend: LegendEntry[] = [
  { kind: 'heading', text: '非农取水井' },
  { kind: 'item', text: '已登记', shape: 'circle', color: '#74a9cf' },
  { kind: 'item', text: '已封填', shape: 'circle', color: '#045a8d' },
  { kind: 'heading', text: '底图' },
  { kind: 'item', text: '县级界线', shape: 'dashed-line', color: '#8a7f72' },
];

/** A map page of the demo data over Hengshui at `size` (its content, to vary, and the page). */
export function mapPageContent(size: PaperSize, orientation: Orientation): MapPageContent {
  const layout = mapPageLayout(size, orientation);
  return {
    layout,
    scale: layout.scale,
    view: fitBounds([115.1, 37.0, 116.6, 38.3], layout.map),
    layers: ['farmland', 'pocket-parks', 'villages', 'wells'].map((id) => printLayer(id)),
    basemap,
    legend,
    demo: true,
    texts: {
      title: '衡水市非农取水井封填进度图',
      legendHeading: '图例',
      legendMore: '另有 {{count}} 项',
      scale: '比例尺 1:{{denominator}}',
      north: '北',
      dateLine: '制图日期：2021-06-30',
      sourcesLine: '数据来源：行政区划 天地图；规划数据：示例数据',
      creditLine: 'OneMap · WGS84 / Web Mercator',
      watermark: '示例数据 / Demo data',
    },
  };
}

export function mapPage(size: PaperSize, orientation: Orientation, content = mapPageContent(size, orientation)): { width: number; height: number; draw: (surface: never) => void } {
  return { ...paperPoints(size, orientation), draw: (surface) => drawMapPage(surface, content) };
}
