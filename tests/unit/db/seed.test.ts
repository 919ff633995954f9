import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  getFeature,
  getLayerBase,
  readLayerFeatures,
  seed,
  SeedError,
  transact,
  type DemoLayerCollection,
  type OneMapDatabase,
} from '../../../renderer/src/db';
import { dumpStore, freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

let database: OneMapDatabase;

beforeEach(async () => {
  database = await freshDatabase();
});

afterEach(async () => {
  database.close();
  await database.delete();
});

const wellsInput = (features = generatedWells(2_500)) => ({
  layers: [testWellsLayer],
  demoCollections: [{ layer: 'test-wells', features }],
  time: SEED_TIME,
});

describe('seed', () => {
  it('packs a layer into chunks of 1,000 and reads every feature back', async () => {
    const report = await seed(database, wellsInput());
    expect(report.layersPacked).toEqual([expect.objectContaining({ layerId: 'test-wells', featureCount: 2_500 })]);
    expect(await database.featureChunks.count()).toBe(3);
    const features = await readLayerFeatures(database, 'test-wells');
    expect(features).toHaveLength(2_500);
    expect(await getFeature(database, 'test-wells', 'W-00042')).toMatchObject({
      id: 'W-00042',
      layerId: 'test-wells',
      county: 131102,
      demo: true,
      revision: 1,
      createdAt: SEED_TIME.toISOString(),
      properties: { name: 'Well 42' },
    });
    expect(await getFeature(database, 'test-wells', 'W-99999')).toBeNull();
  });

  it('is idempotent: a second run writes nothing and the dump is identical', async () => {
    await seed(database, wellsInput());
    const first = await dumpStore(database);
    const report = await seed(database, { ...wellsInput(), time: new Date('2022-01-01T00:00:00Z') });
    expect(report).toEqual({ layersWritten: [], targetsWritten: [], layersPacked: [], layersUnchanged: ['test-wells'] });
    expect(await dumpStore(database)).toEqual(first);
  });

  it('never overwrites a user edit: not on a re-run, not when the seed file changes', async () => {
    await seed(database, wellsInput());
    await transact(database, { author: 'a', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00010', properties: { name: 'edited' } }] });
    await transact(database, { author: 'a', operations: [{ kind: 'delete', layerId: 'test-wells', featureId: 'W-00011' }] });
    await seed(database, wellsInput());
    expect((await getFeature(database, 'test-wells', 'W-00010'))?.properties.name).toBe('edited');

    // A changed seed file (every depth + 1) re-packs the base; the edits still win.
    const changed = await seed(database, { ...wellsInput(generatedWells(2_500, 1)), time: new Date('2021-08-01T00:00:00Z') });
    expect(changed.layersPacked).toHaveLength(1);
    expect((await getFeature(database, 'test-wells', 'W-00010'))?.properties.name).toBe('edited');
    expect(await getFeature(database, 'test-wells', 'W-00011')).toBeNull();
    const reseeded = await getFeature(database, 'test-wells', 'W-00012');
    expect(reseeded).toMatchObject({ revision: 2, createdAt: SEED_TIME.toISOString(), updatedAt: '2021-08-01T00:00:00.000Z' });
    expect(reseeded?.properties.depthM).toBe(generatedWells(12, 1)[11]!.properties!.depthM);
    expect(await readLayerFeatures(database, 'test-wells')).toHaveLength(2_499);
  });

  it('re-packs only what changed in the seed: unchanged features keep revision and times; old chunks are removed', async () => {
    await seed(database, wellsInput());
    const generation = (await getLayerBase(database, 'test-wells'))!.generation;
    const features = generatedWells(2_500);
    features[0] = { ...features[0]!, properties: { ...features[0]!.properties, name: 'renamed' } };
    await seed(database, { ...wellsInput(features), time: new Date('2021-09-01T00:00:00Z') });
    const base = await getLayerBase(database, 'test-wells');
    expect(base!.generation).toBeGreaterThan(generation);
    expect((await database.featureChunks.toArray()).every((chunk) => chunk.generation === base!.generation)).toBe(true);
    expect(await getFeature(database, 'test-wells', 'W-00001')).toMatchObject({ revision: 2, properties: { name: 'renamed' } });
    expect(await getFeature(database, 'test-wells', 'W-00002')).toMatchObject({ revision: 1, updatedAt: SEED_TIME.toISOString() });
  });

  it('refuses invalid seed features and writes no chunk', async () => {
    const features = generatedWells(10);
    features[3] = { ...features[3]!, properties: { ...features[3]!.properties, status: 'exploded' } };
    const error = await seed(database, wellsInput(features)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SeedError);
    expect((error as SeedError).issues).toEqual([{ featureId: 'W-00004', issues: [expect.objectContaining({ path: 'status' })] }]);
    expect(await database.featureChunks.count()).toBe(0);
    expect(await getLayerBase(database, 'test-wells')).toBeUndefined();
  });

  it('updates a changed layer definition or target, and only that', async () => {
    await seed(database, { layers: [testWellsLayer] });
    const renamed = { ...testWellsLayer, name: { zh: '新名', en: 'New name' } };
    expect((await seed(database, { layers: [renamed] })).layersWritten).toEqual(['test-wells']);
    expect((await seed(database, { layers: [renamed] })).layersWritten).toEqual([]);
    expect((await database.layers.get('test-wells'))?.name.en).toBe('New name');
  });
});

describe('seed — the project seeds (seeds/layers.json, targets-2021.json, demo/*.geojson)', () => {
  const root = new URL('../../../seeds/', import.meta.url);
  const readJson = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), 'utf8'));
  const demoFiles = ['wells-non-agricultural', 'wells-agricultural', 'pocket-parks', 'villages', 'farmland'];

  it('loads them all, and a second run changes nothing', async () => {
    const input = {
      layers: readJson('layers.json') as unknown[],
      targets: readJson('targets-2021.json') as unknown[],
      demoCollections: demoFiles.map((name) => readJson(`demo/${name}.geojson`) as DemoLayerCollection),
      time: SEED_TIME,
    };
    const report = await seed(database, input);
    expect(report.layersPacked.map((layer) => layer.layerId).sort()).toEqual(['farmland', 'pocket-parks', 'villages', 'wells']);
    const wells = await readLayerFeatures(database, 'wells');
    expect(wells.filter((well) => well.properties.wellClass === 'non-agricultural')).toHaveLength(1_285);
    expect(await database.targets.count()).toBeGreaterThan(0);
    const dump = await dumpStore(database);
    await seed(database, { ...input, time: new Date() });
    expect(await dumpStore(database)).toEqual(dump);
  });
});
