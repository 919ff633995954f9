import type { Geometry } from '../../shared/model/geometry';
import type { DemoLayerFile } from './types';
import { roundCoordinate } from './local-geometry';
import { DEMO_AS_OF, DEMO_SEED } from './rules';

function roundCoordinates(value: unknown): unknown {
  return typeof value === 'number' ? roundCoordinate(value) : (value as unknown[]).map(roundCoordinates);
}

function sortedProperties(properties: Record<string, unknown>): Record<string, unknown> {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(properties).sort()) sorted[key] = properties[key];
  return sorted;
}

/**
 * GeoJSON text with a stable layout: collection members in a fixed order, one feature per line,
 * feature members `type, id, properties, geometry`, properties in key order, coordinates with
 * at most 6 decimals. Same input, same bytes.
 */
export function serializeDemoLayer(layer: DemoLayerFile): string {
  const header = {
    type: 'FeatureCollection',
    name: layer.fileName.replace(/\.geojson$/, ''),
    layer: layer.layerId,
    demo: true,
    asOf: DEMO_AS_OF,
    seed: DEMO_SEED,
    generator: 'seeds/generator (npm run seeds)',
  };
  const lines = layer.features.map((feature) =>
    JSON.stringify({
      type: 'Feature',
      id: feature.id,
      properties: sortedProperties(feature.properties),
      geometry: { type: feature.geometry.type, coordinates: roundCoordinates(feature.geometry.coordinates) } as Geometry,
    }),
  );
  const head = JSON.stringify(header).slice(0, -1);
  return `${head},"features":[\n${lines.join(',\n')}\n]}\n`;
}
