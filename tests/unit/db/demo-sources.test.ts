import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoLayersUpToDate, recordDemoSources, seed, type OneMapDatabase } from '../../../renderer/src/db';
import { freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

let database: OneMapDatabase;

beforeEach(async () => {
  database = await freshDatabase();
});

afterEach(async () => {
  database.close();
  await database.delete();
});

const sources = [
  { layerId: 'test-wells', url: '/assets/wells-a-AAAA.geojson' },
  { layerId: 'test-wells', url: '/assets/wells-b-BBBB.geojson' },
];

async function seedWells(variant = 0): Promise<void> {
  await seed(database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(300, variant) }], time: SEED_TIME });
}

describe('demo sources: a start with the same bundled files skips fetching them', () => {
  it('nothing is up to date before the files were recorded', async () => {
    await seedWells();
    expect(await demoLayersUpToDate(database, sources)).toEqual(new Set());
  });

  it('the layer is up to date once recorded, for exactly the same file URLs', async () => {
    await seedWells();
    await recordDemoSources(database, sources);
    expect(await demoLayersUpToDate(database, sources)).toEqual(new Set(['test-wells']));
    expect(await demoLayersUpToDate(database, [sources[0]!])).toEqual(new Set());
    expect(await demoLayersUpToDate(database, [sources[0]!, { layerId: 'test-wells', url: '/assets/wells-b-CCCC.geojson' }])).toEqual(new Set());
  });

  it('a base packed again since (other seed files) is no longer up to date', async () => {
    await seedWells();
    await recordDemoSources(database, sources);
    await seedWells(1);
    expect(await demoLayersUpToDate(database, sources)).toEqual(new Set());
  });

  it('a layer without a base (removed, or never seeded) is never up to date', async () => {
    await recordDemoSources(database, sources);
    expect(await demoLayersUpToDate(database, sources)).toEqual(new Set());
  });
});
