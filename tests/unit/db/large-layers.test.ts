// The large-layers worker's follows (db/large-layers.ts, run here without the worker): a followed
// layer's tally must equal a LayerTally over a fresh read of the same features after any run of
// edits, and its search must give what the window's search rule gives over those features.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readLayerFeatures, seed, transact, type FeatureOperation, type OneMapDatabase } from '../../../renderer/src/db';
import { largeLayerFollows, type TallyData } from '../../../renderer/src/db/large-layers';
import { LayerTally } from '../../../shared/analysis/layer-tally';
import { searchLayer } from '../../../shared/analysis/feature-search';
import { freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from './store-fixtures';

let database: OneMapDatabase;
const size = 60;
const codedKeys = ['depthM'];

beforeEach(async () => {
  database = await freshDatabase();
  await seed(database, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(size) }], time: SEED_TIME });
});

afterEach(async () => {
  database.close();
  await database.delete();
});

const groupsOf = (tally: Pick<TallyData, 'groups'>) => tally.groups.map((group) => JSON.stringify(group)).sort();

/** A follow whose tallies are awaited one by one. */
function follow(follows: ReturnType<typeof largeLayerFollows>, id: number) {
  const tallies: TallyData[] = [];
  let wake: () => void = () => undefined;
  const state = {
    tallies,
    /** Resolves once more than `seen` tallies arrived. */
    after: (seen: number) => (tallies.length > seen ? Promise.resolve() : new Promise<void>((resolve) => (wake = resolve))),
  };
  void follows.follow(id, database.name, 'test-wells', codedKeys, (tally) => {
    tallies.push(tally);
    wake();
  });
  return state;
}

async function freshTally() {
  return new LayerTally(codedKeys, await readLayerFeatures(database, 'test-wells')).snapshot();
}

const wellId = (index: number) => `W-${String(index + 1).padStart(5, '0')}`;

describe('large-layer follows', () => {
  it('keep the tally equal to a fresh count of the layer after any run of edits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('depth' as const), index: fc.integer({ min: 0, max: size - 1 }), depth: fc.constantFrom(1, 2, 3) }),
            fc.record({ kind: fc.constant('schedule' as const), index: fc.integer({ min: 0, max: size - 1 }) }),
            fc.record({ kind: fc.constant('delete' as const), index: fc.integer({ min: 0, max: size - 1 }) }),
            fc.record({ kind: fc.constant('create' as const), depth: fc.constantFrom(1, 2, 3) }),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        async (operations) => {
          const follows = largeLayerFollows();
          const followed = follow(follows, 1);
          await followed.after(0);
          expect(groupsOf(followed.tallies[0]!)).toEqual(groupsOf(await freshTally()));
          const present = new Set((await readLayerFeatures(database, 'test-wells')).map((feature) => feature.id));
          let created = 0;
          for (const step of operations) {
            const featureId = step.kind === 'create' ? `NEW-${Date.now()}-${created++}` : wellId(step.index);
            if (step.kind !== 'create' && !present.has(featureId)) continue;
            const operation: FeatureOperation =
              step.kind === 'depth'
                ? { kind: 'update', layerId: 'test-wells', featureId, properties: { depthM: step.depth } }
                : step.kind === 'schedule'
                  ? { kind: 'update', layerId: 'test-wells', featureId, status: 'sealed', properties: { sealedDate: '2021-05-01' } }
                  : step.kind === 'delete'
                    ? { kind: 'delete', layerId: 'test-wells', featureId }
                    : { kind: 'create', layerId: 'test-wells', feature: { id: featureId, geometry: { type: 'Point', coordinates: [115.5, 37.5] }, properties: { depthM: step.depth } } };
            if (step.kind === 'schedule') {
              const [current] = (await readLayerFeatures(database, 'test-wells')).filter((feature) => feature.id === featureId);
              if (current?.status === 'sealed') continue;
            }
            if (step.kind === 'delete') present.delete(featureId);
            if (step.kind === 'create') present.add(featureId);
            const seen = followed.tallies.length;
            await transact(database, { author: 'test', operations: [operation] });
            await followed.after(seen);
            // liveQuery may bring more than one tally for one commit: the last one is the state.
            await new Promise((resolve) => setTimeout(resolve, 20));
            const last = followed.tallies[followed.tallies.length - 1]!;
            expect(groupsOf(last)).toEqual(groupsOf(await freshTally()));
            expect(last.total).toBe(present.size);
          }
          follows.stop(1);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('search gives the window rule’s first matches over the layer, and follows edits', async () => {
    const follows = largeLayerFollows();
    const followed = follow(follows, 7);
    // Asked before the layer is read: it waits for the read.
    const early = follows.search(7, testWellsLayer, 'well 1', 20);
    await followed.after(0);
    const features = await readLayerFeatures(database, 'test-wells');
    expect((await early).map((feature) => feature.id)).toEqual(searchLayer(testWellsLayer, features, 'well 1', 20).map((feature) => feature.id));
    // Wells 1 and 10–19 (in the base's order, which is not the ids').
    expect((await early).map((feature) => feature.id).sort()).toEqual(['W-00001', ...Array.from({ length: 10 }, (_, index) => wellId(9 + index))]);
    expect(await follows.search(7, testWellsLayer, 'w-00042', 5)).toHaveLength(1);

    const seen = followed.tallies.length;
    await transact(database, { author: 'test', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00042', properties: { name: 'Zhangjiakou road' } }] });
    await followed.after(seen);
    expect((await follows.search(7, testWellsLayer, 'zhangjiakou', 20)).map((feature) => feature.id)).toEqual(['W-00042']);
    expect(await follows.search(7, testWellsLayer, 'zhangjiakou', 0)).toEqual([]);
    follows.stop(7);
    expect(await follows.search(7, testWellsLayer, 'zhangjiakou', 20)).toEqual([]);
  });
});
