// The workbench's incremental feature lists must equal a fresh read of the layer (same features,
// same order) after any run of edits the change feed can report.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Feature } from '../../../shared/model';
import { LayerTally, type TallySnapshot } from '../../../shared/analysis/layer-tally';
import { LayerFeatureList } from '../../../renderer/src/db/layer-feature-list';
import { mergeBaseWithEdits } from '../../../renderer/src/db/merge';
import type { FeatureEditRecord } from '../../../renderer/src/db/records';

// Status, county, demo flag and the coded value vary with the version, so edits move features between tally groups.
function feature(id: string, version: number): Feature {
  return {
    id,
    layerId: 'wells',
    geometry: { type: 'Point', coordinates: [115.7, 37.7] },
    properties: version % 4 === 3 ? { version } : { version, kind: ['urban', 'rural', 'industrial'][version % 3] },
    status: ['registered', 'sealed', 'verified'][version % 3],
    county: version % 5 === 4 ? null : [131102, 131121][version % 2],
    demo: version % 7 === 0,
    createdAt: '2021-01-01T00:00:00.000Z',
    updatedAt: '2021-01-01T00:00:00.000Z',
    revision: version,
  } as Feature;
}


const baseIds = Array.from({ length: 12 }, (_, index) => `b${index}`);
const otherIds = ['n0', 'n1', 'n2', 'n3'];
const operation = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), id: fc.constantFrom(...baseIds, ...otherIds) }),
  fc.record({ kind: fc.constant('delete' as const), id: fc.constantFrom(...baseIds, ...otherIds) }),
  fc.constant({ kind: 'sync' as const }),
);

/** A tally's groups in a stable order, for comparing two tallies of the same features. */
function groupsOf(tally: TallySnapshot) {
  return [...tally.groups].map((group) => JSON.stringify(group)).sort();
}

describe('LayerFeatureList', () => {
  it('after any run of edits equals a fresh read of the layer, in order', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), fc.integer({ min: 1, max: 5 }), (operations, chunkSize) => {
        const chunks: { featureIds: string[]; features: Feature[] }[] = [];
        for (let start = 0; start < baseIds.length; start += chunkSize) {
          const ids = baseIds.slice(start, start + chunkSize);
          chunks.push({ featureIds: ids, features: ids.map((id, index) => feature(id, start + index)) });
        }
        const edits = new Map<string, FeatureEditRecord>();
        let sequence = 0;
        let version = baseIds.length;
        const read = () => mergeBaseWithEdits(chunks, [...edits.values()].sort((left, right) => left.sequence - right.sequence));
        const list = new LayerFeatureList(
          chunks.map((chunk) => chunk.featureIds),
          read(),
          ['kind'],
        );
        let cursor = 0;
        const sync = () => {
          // What readLayerChangesSince reports: one row per feature written after the cursor, by sequence.
          const rows = [...edits.values()].filter((row) => row.sequence > cursor).sort((left, right) => left.sequence - right.sequence);
          list.apply(
            rows.flatMap((row) => (row.feature === null ? [] : [row.feature])),
            rows.flatMap((row) => (row.feature === null ? [row.featureId] : [])),
          );
          cursor = sequence;
          expect(list.features()).toEqual(read());
          expect(groupsOf(list.tally())).toEqual(groupsOf(new LayerTally(['kind'], read()).snapshot()));
        };
        for (const step of operations) {
          if (step.kind === 'sync') sync();
          else {
            sequence += 1;
            version += 1;
            edits.set(step.id, { layerId: 'wells', featureId: step.id, feature: step.kind === 'write' ? feature(step.id, version) : null, revision: version, sequence, changeId: `c${sequence}` });
          }
        }
        sync();
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the same array until a change, and a new one after', () => {
    const list = new LayerFeatureList([['a', 'b']], [feature('a', 0), feature('b', 0)]);
    const before = list.features();
    expect(list.features()).toBe(before);
    list.apply([feature('b', 1)], []);
    expect(list.features()).not.toBe(before);
    expect(list.features().map((entry) => entry.properties.version)).toEqual([0, 1]);
  });
});
