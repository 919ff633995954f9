// A few hundred Hengshui demo features for the QGIS-side tests, written by plain SQL as the hub
// would (source 'hub' needs a change id, so these go in as direct SQL): the real layer
// definitions (seeds/layers.json), the county boundaries (geodata/) and a sample of the demo
// features (seeds/demo/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';

const ROOT = join(import.meta.dirname, '..', '..', '..');

interface DemoFeature {
  id: string;
  properties: Record<string, unknown> & { county: number; status: string };
  geometry: unknown;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
}

/** Every `step`-th feature of a demo file, so each county keeps some. */
function sample(path: string, step: number): DemoFeature[] {
  const collection = readJson(path) as { features: DemoFeature[] };
  return collection.features.filter((_, index) => index % step === 0);
}

export interface SeededCounts {
  /** Features per layer id and county. */
  byLayerCounty: Map<string, Map<number, number>>;
  total: (layerId: string, county?: number) => number;
}

export async function seedHengshui(pool: Pool): Promise<SeededCounts> {
  const layers = readJson('seeds/layers.json') as { id: string }[];
  await pool.query(
    `INSERT INTO hub.layers (id, definition) SELECT l ->> 'id', l FROM jsonb_array_elements($1::jsonb) AS l`,
    [JSON.stringify(layers)],
  );
  const counties = readJson('geodata/hengshui-counties.geojson') as {
    features: { properties: { adcode: number; name: string; nameEn: string }; geometry: unknown }[];
  };
  await pool.query(
    `INSERT INTO hub.counties (adcode, name, geom)
     SELECT (c #>> '{properties,adcode}')::integer,
       jsonb_build_object('zh', c #>> '{properties,name}', 'en', c #>> '{properties,nameEn}'),
       ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(c ->> 'geometry'), 4490))
     FROM jsonb_array_elements($1::jsonb) AS c`,
    [JSON.stringify(counties.features)],
  );

  const samples: [string, DemoFeature[]][] = [
    ['wells', [...sample('seeds/demo/wells-agricultural.geojson', 10), ...sample('seeds/demo/wells-non-agricultural.geojson', 10)]],
    ['pocket-parks', sample('seeds/demo/pocket-parks.geojson', 1)],
    ['farmland', sample('seeds/demo/farmland.geojson', 1)],
  ];
  const byLayerCounty = new Map<string, Map<number, number>>();
  for (const [layerId, features] of samples) {
    const rows = features.map((feature) => {
      const { county, status, demo: _demo, ...properties } = feature.properties;
      return { id: feature.id, county, status, properties, geometry: feature.geometry };
    });
    await pool.query(
      `INSERT INTO hub.features (layer_id, id, county, status, properties, geometry, demo)
       SELECT $1, r ->> 'id', (r ->> 'county')::integer, r ->> 'status', r -> 'properties', r -> 'geometry', true
       FROM jsonb_array_elements($2::jsonb) AS r`,
      [layerId, JSON.stringify(rows)],
    );
    const counts = new Map<number, number>();
    for (const row of rows) counts.set(row.county, (counts.get(row.county) ?? 0) + 1);
    byLayerCounty.set(layerId, counts);
  }
  return {
    byLayerCounty,
    total: (layerId, county) => {
      const counts = byLayerCounty.get(layerId) ?? new Map<number, number>();
      if (county !== undefined) return counts.get(county) ?? 0;
      return [...counts.values()].reduce((sum, count) => sum + count, 0);
    },
  };
}
