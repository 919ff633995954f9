// The layer panel's numbers from a layer's tally must equal the counts over its features, under any
// county, status and coded-field filters.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Feature } from '../../../shared/model';
import { LayerTally } from '../../../shared/analysis/layer-tally';
import { countByCodedValue, countByCodedValueInTally, countShownInTally, featuresShown, type CodedField, type LayerSettings } from '../../../renderer/src/lib/layer-state';

const counties = [131102, 131121, 131122];
const statuses = ['registered', 'sealed', 'verified'];
const kinds = ['urban', 'rural', 'industrial'];
const kindField: CodedField = {
  key: 'kind',
  label: { zh: '类别', en: 'Kind' },
  type: 'enum',
  values: kinds.map((value) => ({ value, label: { zh: value, en: value } })),
} as CodedField;

const featureArbitrary = fc.record({
  county: fc.constantFrom<number | null>(...counties, null),
  status: fc.constantFrom(...statuses),
  demo: fc.boolean(),
  // A value outside the field's list and a missing value occur too.
  kind: fc.constantFrom<string | undefined>(...kinds, 'other', undefined),
});

function features(facts: readonly { county: number | null; status: string; demo: boolean; kind: string | undefined }[]): Feature[] {
  return facts.map((fact, index) => ({
    id: `f${index}`,
    layerId: 'wells',
    geometry: { type: 'Point', coordinates: [115.7, 37.7] },
    properties: fact.kind === undefined ? {} : { kind: fact.kind },
    status: fact.status,
    county: fact.county,
    demo: fact.demo,
  })) as unknown as Feature[];
}

const settingsArbitrary = fc.record({
  visible: fc.constant(true),
  opacity: fc.constant(1),
  statuses: fc.option(fc.subarray(statuses), { nil: null }),
  fieldFilters: fc.option(fc.record({ kind: fc.subarray([...kinds, 'other', '']) }), { nil: undefined }),
});

describe('a layer tally', () => {
  it('counts what featuresShown and countByCodedValue count, after adds and removes', () => {
    fc.assert(
      fc.property(
        fc.array(featureArbitrary, { maxLength: 80 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        settingsArbitrary,
        fc.constantFrom<number | null>(...counties, null),
        (facts, removals, settings, county) => {
          let list = features(facts);
          const tally = new LayerTally(['kind'], list);
          for (const at of removals) {
            if (list.length === 0) break;
            const index = at % list.length;
            tally.remove(list[index]!);
            list = list.filter((_, candidate) => candidate !== index);
          }
          const snapshot = tally.snapshot();
          expect(snapshot.total).toBe(list.length);
          expect(snapshot.hasDemo).toBe(list.some((feature) => feature.demo));
          expect(countShownInTally(snapshot, settings as LayerSettings, county)).toBe(featuresShown(list, settings as LayerSettings, county).length);
          const inCounty = list.filter((feature) => county === null || feature.county === county);
          expect(countByCodedValueInTally(snapshot, kindField, county)).toEqual(countByCodedValue(inCounty, kindField));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves a filter on a field it does not tell apart to the features', () => {
    const snapshot = new LayerTally([], features([{ county: 131102, status: 'sealed', demo: false, kind: 'urban' }])).snapshot();
    expect(countShownInTally(snapshot, { visible: true, opacity: 1, statuses: null, fieldFilters: { kind: ['rural'] } }, null)).toBeNull();
    expect(countByCodedValueInTally(snapshot, kindField, null)).toBeNull();
  });

  it('refuses to remove a feature it never counted', () => {
    const tally = new LayerTally([], []);
    expect(() => tally.remove(features([{ county: null, status: 'sealed', demo: false, kind: undefined }])[0]!)).toThrow(/never added/);
  });
});
