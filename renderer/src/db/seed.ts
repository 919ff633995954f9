// Seeding: an idempotent upsert by stable id, separate from schema migrations.
// - layer definitions and targets: written only when they differ from what is stored;
// - demo layers: packed into a new chunk generation only when the seed file's content hash
//   differs from the layer base's `seedVersion`; running the seed again changes nothing;
// - user edits are never touched: edit rows live in their own table and override the base,
//   and features that compaction folded into the base keep their user value on a re-pack.
import {
  featureFromGeoJson,
  layerDefinitionListSchema,
  targetListSchema,
  type Feature,
  type GeoJsonFeature,
  type LayerDefinition,
  type ValidationIssue,
} from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import type { LayerBaseRecord } from './records';
import { META_KEYS } from './records';
import { contentHash, packFeatures, DEFAULT_CHUNK_SIZE } from './spatial-packing';
import { layerBaseFor, readBaseChunks, removeStaleChunks, stageGeneration } from './base';
import { featureValidatorFor } from './validation';
import { ensureWorkspaceIdentity } from './identity';

/** A demo layer file (`seeds/demo/*.geojson`): a FeatureCollection naming its layer. */
export interface DemoLayerCollection {
  layer: string;
  features: readonly GeoJsonFeature[];
}

export interface SeedInput {
  /** Layer definitions (e.g. `seeds/layers.json`), validated here. */
  layers?: readonly unknown[];
  /** Targets (e.g. `seeds/targets-2021.json`), validated here. */
  targets?: readonly unknown[];
  /** Demo layer files; several files may feed one layer (both well files feed `wells`). */
  demoCollections?: readonly DemoLayerCollection[];
  /** The created/updated time of newly seeded features; now when absent. */
  time?: Date;
  /** Validate every feature against its layer (default true). */
  validate?: boolean;
  chunkSize?: number;
  chunksPerTransaction?: number;
}

export interface SeedReport {
  layersWritten: string[];
  targetsWritten: string[];
  /** Layers whose base was (re)packed, with their new feature count. */
  layersPacked: { layerId: string; featureCount: number; seedVersion: string }[];
  /** Layers whose seed version was already current. */
  layersUnchanged: string[];
}

export class SeedError extends Error {
  constructor(
    message: string,
    readonly issues: { featureId: string; issues: ValidationIssue[] }[] = [],
  ) {
    super(message);
    this.name = 'SeedError';
  }
}

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

/** What makes a seeded feature different from another version of itself (not times/revision). */
function seedContent(feature: Feature): string {
  return JSON.stringify([feature.geometry, feature.properties, feature.status, feature.county, feature.demo]);
}

/** The content hash of a layer's seed features, used as its seed version. */
export function demoSeedVersion(layerId: string, features: readonly GeoJsonFeature[]): string {
  return contentHash(
    (function* parts() {
      yield layerId;
      for (const feature of features) yield JSON.stringify(feature);
    })(),
  );
}

async function upsertDefinitions(database: OneMapDatabase, input: SeedInput, report: SeedReport): Promise<void> {
  const layers = input.layers === undefined ? undefined : layerDefinitionListSchema.parse(input.layers);
  const targets = input.targets === undefined ? undefined : targetListSchema.parse(input.targets);
  await database.transaction('rw', database.layers, database.targets, database.meta, database.layerJournal, async () => {
    if (layers !== undefined) {
      const stored = await database.layers.bulkGet(layers.map((layer) => layer.id));
      // A name the user gave a seeded layer (`rename-layer`) stays, and so does a definition the
      // user changed (`update-layer`, the layer editor); otherwise the definition follows the seed.
      const records = await database.layerJournal.where('layerId').anyOf(layers.map((layer) => layer.id)).toArray();
      const renamed = new Set(records.filter((record) => record.operation === 'rename-layer').map((record) => record.layerId));
      const defined = new Set(records.filter((record) => record.operation === 'update-layer').map((record) => record.layerId));
      const seeded = layers.map((layer, index) => (stored[index] === undefined ? layer : defined.has(layer.id) ? stored[index] : renamed.has(layer.id) ? { ...layer, name: stored[index].name } : layer));
      const changed = seeded.filter((layer, index) => !sameJson(stored[index], layer));
      if (changed.length > 0) await database.layers.bulkPut(changed);
      report.layersWritten.push(...changed.map((layer) => layer.id));
      const version = contentHash(layers.map((layer) => JSON.stringify(layer)));
      const previous = await database.meta.get(META_KEYS.layersSeedVersion);
      if (previous?.value !== version) await database.meta.put({ key: META_KEYS.layersSeedVersion, value: version });
    }
    if (targets !== undefined) {
      const stored = await database.targets.bulkGet(targets.map((target) => target.id));
      // A seeded target the user edited or removed (`put-target` / `remove-target`) stays as the user left it.
      const edited = new Set((await database.layerJournal.where('layerId').anyOf(targets.map((target) => `target:${target.id}`)).toArray()).map((record) => record.layerId.slice('target:'.length)));
      const changed = targets.filter((target, index) => !edited.has(target.id) && !sameJson(stored[index], target));
      if (changed.length > 0) await database.targets.bulkPut(changed);
      report.targetsWritten.push(...changed.map((target) => target.id));
      const version = contentHash(targets.map((target) => JSON.stringify(target)));
      const previous = await database.meta.get(META_KEYS.targetsSeedVersion);
      if (previous?.value !== version) await database.meta.put({ key: META_KEYS.targetsSeedVersion, value: version });
    }
  });
}

/**
 * The features of a layer's new base: the seed's features, except that a feature whose base
 * value came from user edits (folded in by compaction) keeps that value, a feature whose deletion
 * was folded in stays deleted, and user-created features folded into the base are kept.
 * Unchanged seed features keep their times and revision; changed ones get revision + 1.
 */
function composeSeededBase(
  seeded: readonly Feature[],
  oldBase: ReadonlyMap<string, { feature: Feature; fromUser: boolean }>,
  foldedDeletions: ReadonlySet<string>,
  time: string,
): { features: Feature[]; userFeatureIds: Set<string> } {
  const features: Feature[] = [];
  const userFeatureIds = new Set<string>();
  const seenIds = new Set<string>();
  for (const feature of seeded) {
    if (seenIds.has(feature.id)) throw new SeedError(`duplicate feature id "${feature.id}" in layer "${feature.layerId}"`);
    seenIds.add(feature.id);
    if (foldedDeletions.has(feature.id)) continue;
    const old = oldBase.get(feature.id);
    if (old === undefined) {
      features.push(feature);
    } else if (old.fromUser) {
      features.push(old.feature);
      userFeatureIds.add(feature.id);
    } else if (seedContent(old.feature) === seedContent(feature)) {
      features.push(old.feature);
    } else {
      features.push({ ...feature, createdAt: old.feature.createdAt, updatedAt: time, revision: old.feature.revision + 1 });
    }
  }
  for (const [featureId, old] of oldBase) {
    if (old.fromUser && !seenIds.has(featureId)) {
      features.push(old.feature);
      userFeatureIds.add(featureId);
    }
  }
  return { features, userFeatureIds };
}

async function seedDemoLayer(
  database: OneMapDatabase,
  layer: LayerDefinition,
  geoJsonFeatures: readonly GeoJsonFeature[],
  input: SeedInput,
  report: SeedReport,
): Promise<void> {
  const seedVersion = demoSeedVersion(layer.id, geoJsonFeatures);
  const base = await database.layerBases.get(layer.id);
  if (base?.seedVersion === seedVersion) {
    report.layersUnchanged.push(layer.id);
    return;
  }

  const time = (input.time ?? new Date()).toISOString();
  const validate = featureValidatorFor(layer);
  const problems: { featureId: string; issues: ValidationIssue[] }[] = [];
  const seeded = geoJsonFeatures.map((geoJson) => {
    let feature: Feature;
    try {
      feature = featureFromGeoJson(geoJson, layer.id, { createdAt: time, updatedAt: time });
    } catch (error) {
      problems.push({ featureId: String(geoJson.id), issues: [{ path: 'feature', message: (error as Error).message }] });
      return null;
    }
    if (input.validate !== false) {
      const issues = validate(feature);
      if (issues.length > 0) problems.push({ featureId: feature.id, issues });
    }
    return feature;
  });
  if (problems.length > 0) {
    throw new SeedError(`${problems.length} invalid seed feature(s) in layer "${layer.id}", first: ${JSON.stringify(problems[0])}`, problems);
  }

  const { oldBase, currentBase } = await database.transaction('r', database.layerBases, database.featureChunks, async () => {
    const current = await database.layerBases.get(layer.id);
    const chunks = await readBaseChunks(database, current);
    const map = new Map<string, { feature: Feature; fromUser: boolean }>();
    for (const chunk of chunks) {
      const userIds = new Set(chunk.userFeatureIds);
      chunk.features.forEach((feature) => map.set(feature.id, { feature, fromUser: userIds.has(feature.id) }));
    }
    return { oldBase: map, currentBase: current };
  });
  const foldedDeletions = currentBase?.foldedDeletions ?? [];
  const composed = composeSeededBase(seeded as Feature[], oldBase, new Set(foldedDeletions), time);
  const packed = packFeatures(composed.features, input.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const generation = await stageGeneration(database, layer.id, packed, {
    userFeatureIds: composed.userFeatureIds,
    ...(input.chunksPerTransaction === undefined ? {} : { chunksPerTransaction: input.chunksPerTransaction }),
  });
  const next: LayerBaseRecord = layerBaseFor(layer.id, generation, packed, { seedVersion, foldedDeletions });
  await database.transaction('rw', database.layerBases, async () => {
    const now = await database.layerBases.get(layer.id);
    if (now?.generation !== currentBase?.generation) {
      throw new SeedError(`layer "${layer.id}" was re-packed by someone else while seeding; run the seed again`);
    }
    await database.layerBases.put(next);
  }).finally(() => removeStaleChunks(database, layer.id));
  report.layersPacked.push({ layerId: layer.id, featureCount: packed.featureCount, seedVersion });
}

/**
 * Seeds layer definitions, targets and demo layers. Idempotent: a second run with the same input
 * writes nothing. Never touches user edits or the journal.
 */
export async function seed(database: OneMapDatabase, input: SeedInput): Promise<SeedReport> {
  const report: SeedReport = { layersWritten: [], targetsWritten: [], layersPacked: [], layersUnchanged: [] };
  await ensureWorkspaceIdentity(database);
  await upsertDefinitions(database, input, report);

  const byLayer = new Map<string, GeoJsonFeature[]>();
  for (const collection of input.demoCollections ?? []) {
    const list = byLayer.get(collection.layer);
    if (list === undefined) byLayer.set(collection.layer, [...collection.features]);
    // A loop, not push(...features): a million arguments would overflow the stack.
    else for (const feature of collection.features) list.push(feature);
  }
  for (const [layerId, features] of byLayer) {
    const layer = await database.layers.get(layerId);
    if (layer === undefined) throw new SeedError(`demo layer "${layerId}" has no layer definition`);
    await seedDemoLayer(database, layer, features, input, report);
  }
  return report;
}
