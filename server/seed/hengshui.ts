// Seeds a hub with the embedded Hengshui workspace: its name and 2021 targets, the layer
// definitions (seeds/layers.json), the 11 county polygons (geodata/hengshui-counties.geojson)
// and the demo features (seeds/demo/*.geojson) with the same ids as the app's seeds, so a
// device's demo data and the hub's are the same features. One transaction, logged under change
// id `seed:hengshui`; rows already there are left alone, so seeding twice changes nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { defaultTargetSet, featureFromGeoJson, targetSetIdOf, validateFeatureAgainstLayer, type Feature, type GeoJsonFeature } from '../../shared/model';
import { DEMO_AS_OF, DEMO_LAYER_FILES, hengshuiLayers, hengshuiTargets2021 } from '../../seeds/index';
import { inTransaction } from '../db/transaction';
import { repoFile } from '../repo-files';

export const SEED_CHANGE_ID = 'seed:hengshui';
const BATCH = 500;

export class SeedError extends Error {}

export interface SeedResult {
  /** Rows written per table (0 everywhere on a second run). */
  inserted: { workspace: number; targets: number; layers: number; counties: number; features: number };
}

interface CountyRow {
  adcode: number;
  name: { zh: string; en: string };
  geometry: unknown;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SeedError(`${file}: ${(error as Error).message}`);
  }
}

function readCounties(): CountyRow[] {
  const file = repoFile('geodata/hengshui-counties.geojson');
  const collection = readJson(file) as { features?: { properties?: Record<string, unknown>; geometry?: unknown }[] };
  return (collection.features ?? []).map((feature, index) => {
    const { adcode, name, nameEn } = feature.properties ?? {};
    if (typeof adcode !== 'number' || typeof name !== 'string' || typeof nameEn !== 'string' || feature.geometry == null) {
      throw new SeedError(`${file}: feature ${index} needs adcode, name, nameEn and a geometry`);
    }
    return { adcode, name: { zh: name, en: nameEn }, geometry: feature.geometry };
  });
}

/** The demo features as the app seeds them (shared/model featureFromGeoJson), validated. */
export function readDemoFeatures(): Feature[] {
  const features: Feature[] = [];
  const time = `${DEMO_AS_OF}T00:00:00.000Z`;
  for (const { fileName, layerId } of DEMO_LAYER_FILES) {
    const file = path.join(repoFile('seeds/demo'), fileName);
    const layer = hengshuiLayers.find((candidate) => candidate.id === layerId);
    if (layer === undefined) throw new SeedError(`${file}: layer ${layerId} is not in seeds/layers.json`);
    const collection = readJson(file) as { features?: GeoJsonFeature[] };
    for (const [index, geoJson] of (collection.features ?? []).entries()) {
      let feature: Feature;
      try {
        feature = featureFromGeoJson(geoJson, layerId, { createdAt: time, updatedAt: time });
      } catch (error) {
        throw new SeedError(`${file}: feature ${index}: ${(error as Error).message}`);
      }
      const issues = validateFeatureAgainstLayer(layer, feature);
      if (issues.length > 0) throw new SeedError(`${file}: feature ${feature.id}: ${issues[0]?.path}: ${issues[0]?.message}`);
      features.push({ ...feature, demo: true });
    }
  }
  return features;
}

export async function seedHengshui(pool: Pool): Promise<SeedResult> {
  const counties = readCounties();
  const features = readDemoFeatures();
  return inTransaction(pool, async (client) => {
    await client.query("SELECT set_config('onemap.change_id', $1, true), set_config('onemap.note', 'Hengshui demo workspace', true)", [SEED_CHANGE_ID]);
    const workspace = await client.query(
      `INSERT INTO hub.workspace (key, value) SELECT key, value FROM jsonb_each($1::jsonb) ON CONFLICT (key) DO NOTHING`,
      [JSON.stringify({ name: { zh: '衡水市', en: 'Hengshui' } })]);
    // The 2021 targets, each a row in its start year's set (as migration 5 moves them).
    const targets = await client.query(
      `INSERT INTO hub.targets (id, set_id, layer_id, definition)
       SELECT t->>'id', COALESCE(t->>'setId', 'year-' || left(t->>'startDate', 4)), t->>'layerId', t
       FROM jsonb_array_elements($1::jsonb) AS t ON CONFLICT (id) DO NOTHING`, [JSON.stringify(hengshuiTargets2021)]);
    await client.query(
      `INSERT INTO hub.target_sets (id, definition) SELECT value->>'id', value FROM jsonb_array_elements($1::jsonb)
       ON CONFLICT (id) DO NOTHING`,
      [JSON.stringify([...new Set(hengshuiTargets2021.map(targetSetIdOf))].map((id) => defaultTargetSet(Number(id.slice('year-'.length)))))]);
    const layers = await client.query(
      `INSERT INTO hub.layers (id, definition) SELECT value->>'id', value FROM jsonb_array_elements($1::jsonb)
       ON CONFLICT (id) DO NOTHING`, [JSON.stringify(hengshuiLayers)]);
    const countyRows = await client.query(
      `INSERT INTO hub.counties (adcode, name, geom)
       SELECT (c->>'adcode')::integer, c->'name', ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(c->>'geometry'), 4490))
       FROM jsonb_array_elements($1::jsonb) AS c ON CONFLICT (adcode) DO NOTHING`, [JSON.stringify(counties)]);
    let inserted = 0;
    for (let start = 0; start < features.length; start += BATCH) {
      const batch = features.slice(start, start + BATCH).map((feature) => ({
        layer_id: feature.layerId, id: feature.id, county: feature.county, status: feature.status,
        properties: feature.properties, geometry: feature.geometry, demo: feature.demo, created_at: feature.createdAt,
      }));
      const result = await client.query(
        `INSERT INTO hub.features (layer_id, id, county, status, properties, geometry, demo, created_at)
         SELECT layer_id, id, county, status, properties, geometry, demo, created_at
         FROM jsonb_to_recordset($1::jsonb) AS f(layer_id text, id text, county integer, status text,
           properties jsonb, geometry jsonb, demo boolean, created_at timestamptz)
         ON CONFLICT (layer_id, id) DO NOTHING`, [JSON.stringify(batch)]);
      inserted += result.rowCount ?? 0;
    }
    return {
      inserted: { workspace: workspace.rowCount ?? 0, targets: targets.rowCount ?? 0, layers: layers.rowCount ?? 0, counties: countyRows.rowCount ?? 0, features: inserted },
    };
  });
}
