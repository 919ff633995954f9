import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  compactLayer,
  featureJournal,
  getFeature,
  getLayerBase,
  readLayerFeatures,
  removeAbandonedChunks,
  seed,
  transact,
  type OneMapDatabase,
} from '../../../renderer/src/db';
import { freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

let database: OneMapDatabase;
const byId = (features: { id: string }[]) => [...features].sort((left, right) => (left.id < right.id ? -1 : 1));

beforeEach(async () => {
  database = await freshDatabase();
  await seed(database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(1_500) }], time: SEED_TIME });
  await transact(database, {
    author: 'a',
    operations: [
      { kind: 'update', layerId: 'test-wells', featureId: 'W-00001', properties: { name: 'edited' } },
      { kind: 'delete', layerId: 'test-wells', featureId: 'W-00002' },
      { kind: 'create', layerId: 'test-wells', feature: { id: 'NEW-1', geometry: { type: 'Point', coordinates: [115.6, 37.6] }, properties: {} } },
    ],
  });
});

afterEach(async () => {
  database.close();
  await database.delete();
});

describe('compactLayer', () => {
  it('folds edits into the base: same features, no edit rows, journal untouched', async () => {
    const before = await readLayerFeatures(database, 'test-wells');
    const journalBefore = await database.journal.toArray();
    const report = await compactLayer(database, 'test-wells');
    expect(report).toMatchObject({ foldedEdits: 3, featureCount: 1_500 });
    expect(await database.featureEdits.count()).toBe(0);
    expect(byId(await readLayerFeatures(database, 'test-wells'))).toEqual(byId(before));
    expect(await database.journal.toArray()).toEqual(journalBefore);
    expect(await getFeature(database, 'test-wells', 'NEW-1')).toMatchObject({ id: 'NEW-1', revision: 1 });
    expect((await compactLayer(database, 'test-wells')).generation).toBeNull();
  });

  it('keeps folded user values and deletions when a changed seed file is loaded afterwards', async () => {
    await compactLayer(database, 'test-wells');
    await seed(database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(1_500, 7) }], time: SEED_TIME });
    expect((await getFeature(database, 'test-wells', 'W-00001'))?.properties.name).toBe('edited');
    expect(await getFeature(database, 'test-wells', 'W-00002')).toBeNull();
    expect(await getFeature(database, 'test-wells', 'NEW-1')).not.toBeNull();
    expect(await readLayerFeatures(database, 'test-wells')).toHaveLength(1_500);
    expect((await getLayerBase(database, 'test-wells'))?.foldedDeletions).toEqual(['W-00002']);
  });

  it('keeps editing working on the compacted base (revision continues, history intact)', async () => {
    await compactLayer(database, 'test-wells');
    await transact(database, { author: 'a', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00001', properties: { name: 'again' } }] });
    expect(await getFeature(database, 'test-wells', 'W-00001')).toMatchObject({ revision: 3, properties: { name: 'again' } });
    expect((await featureJournal(database, 'test-wells', 'W-00001')).map((entry) => entry.after?.revision)).toEqual([2, 3]);
  });
});

describe('removeAbandonedChunks', () => {
  it('removes chunks of a generation no base points at (a write cut short), and nothing else', async () => {
    const [chunk] = await database.featureChunks.toArray();
    await database.featureChunks.put({ ...chunk!, id: 'test-wells:999:0000000', generation: 999 });
    expect(await removeAbandonedChunks(database)).toBe(1);
    expect(await readLayerFeatures(database, 'test-wells')).toHaveLength(1_500);
  });
});
