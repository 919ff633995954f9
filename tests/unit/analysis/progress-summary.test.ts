import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  carriedOverdue,
  completionsByMonth,
  isInTargetScope,
  overdueFeatures,
  progressByCounty,
  progressSummaryOf,
  ProgressSummary,
  RankedRows,
  targetProgress,
  type ProgressSummarySpec,
  type SummaryFeature,
  type TargetProgressView,
} from '../../../shared/analysis';
import type { Geometry } from '../../../shared/model/geometry';
import { layerDefinitionSchema } from '../../../shared/model/layer-definition';
import { allWells, JIZHOU, TAOCHENG, target, wellClosure, wellsLayer, ZAOQIANG } from './fixtures';
import { cellPolygon } from '../geo/ellipsoid-reference';

const counties = [TAOCHENG, JIZHOU, ZAOQIANG];
const OTHER_COUNTY = 131199;
const nonAgri = 'non-agricultural';

/** What the dashboard computed per card before the summary: today's functions over every feature. */
function reference<F extends SummaryFeature>(spec: ProgressSummarySpec, features: readonly F[]): Map<string, TargetProgressView<F>> {
  const views = new Map<string, TargetProgressView<F>>();
  const previousOnLayer = spec.previousTargets.some((previous) => previous.layerId === spec.layer.id);
  for (const target of spec.targets) {
    const overdue = spec.layer.schedule && target.quantity !== null ? overdueFeatures(spec.layer, features, spec.asOf, { where: target.metric.scope.where }) : null;
    const carried = previousOnLayer ? carriedOverdue(target, spec.previousTargets, features, spec.asOf) : null;
    views.set(target.id, {
      progress: targetProgress(target, features),
      byCounty: progressByCounty(target, features, spec.counties),
      byMonth: completionsByMonth(target, features, spec.asOf),
      overdue: overdue === null ? null : { count: overdue.length, rows: overdue.slice(0, spec.rowsShown) },
      carried: carried === null ? null : { count: carried.length, rows: carried.slice(0, spec.rowsShown) },
      demo: features.some((feature) => feature.demo && isInTargetScope(target, feature)),
    });
  }
  return views;
}

/** Equal, numbers within a relative 1e-9 (sums of areas after subtractions differ in the last bits). */
function expectClose(actual: unknown, expected: unknown, path = 'view'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Math.abs(actual - expected) > 1e-9 * Math.max(1, Math.abs(expected))) throw new Error(`${path}: ${actual} ≠ ${expected}`);
    return;
  }
  if (expected === null || typeof expected !== 'object' || actual === null || typeof actual !== 'object') {
    expect(actual, path).toEqual(expected);
    return;
  }
  if (expected instanceof Map) {
    expect([...(actual as Map<unknown, unknown>).keys()], path).toEqual([...expected.keys()]);
    for (const [key, value] of expected) expectClose((actual as Map<unknown, unknown>).get(key), value, `${path}.${String(key)}`);
    return;
  }
  expect(Object.keys(actual).sort(), path).toEqual(Object.keys(expected).sort());
  for (const [key, value] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
}

// ---- Wells: count metric, a schedule (overdue list), a previous year's target (carried list).
const ids = Array.from({ length: 9 }, (_, index) => `W-${index}`);
const date = fc.option(fc.constantFrom('2020-06-01', '2020-12-31', '2021-01-15', '2021-03-02', '2021-06-29', '2021-06-30', '2021-07-10', '2022-01-05'), { nil: undefined });
const wellArbitrary: fc.Arbitrary<SummaryFeature> = fc
  .record({
    id: fc.constantFrom(...ids),
    layerId: fc.constantFrom('wells', 'wells', 'wells', 'parks'),
    status: fc.constantFrom('registered', 'scheduled', 'substitute-connected', 'sealed', 'verified'),
    county: fc.constantFrom<number | null>(TAOCHENG, JIZHOU, ZAOQIANG, OTHER_COUNTY, null),
    wellClass: fc.constantFrom(nonAgri, 'agricultural'),
    plannedDate: date,
    sealedDate: date,
    demo: fc.boolean(),
  })
  .map(({ wellClass, plannedDate, sealedDate, ...rest }) => ({
    ...rest,
    geometry: { type: 'Point', coordinates: [115.7, 37.7] } as Geometry,
    properties: { wellClass, ...(plannedDate === undefined ? {} : { plannedDate }), ...(sealedDate === undefined ? {} : { sealedDate }) },
  }));
const wells2020 = target({ ...wellClosure, id: 'wells-2020', startDate: '2020-01-01', deadline: '2020-12-31' });
const sealedOnly = target({
  id: 'sealed-split',
  quantity: null,
  layerId: 'wells',
  metric: { kind: 'count', scope: { where: [] }, done: { statuses: ['sealed'], where: [{ field: 'wellClass', in: [nonAgri] }] } },
  countySplit: { kind: 'table', rows: [{ county: TAOCHENG, quantity: 4 }] },
});
const wellsSpec: ProgressSummarySpec = {
  layer: wellsLayer,
  targets: [target({ ...wellClosure, countySplit: { kind: 'each', quantity: 2 } }), sealedOnly],
  previousTargets: [wells2020],
  counties,
  asOf: '2021-06-30',
  rowsShown: 3,
};

// ---- Farmland: area metric in mu with an area range, polygons of several sizes.
const farmlandLayer = layerDefinitionSchema.parse({
  id: 'farmland',
  name: { zh: '农田', en: 'Farmland' },
  geometryType: 'Polygon',
  fields: [{ key: 'completedDate', type: 'date', required: false, label: { zh: '完成', en: 'Completed' } }],
  status: { label: { zh: '状态', en: 'Status' }, states: ['planned', 'completed'].map((value) => ({ value, label: { zh: value, en: value } })), initial: 'planned', transitions: [] },
});
const farmlandTarget = target({
  id: 'farmland-area',
  quantity: 40,
  layerId: 'farmland',
  metric: { kind: 'area-mu', scope: { where: [], areaMu: { min: 5 } }, done: { statuses: ['completed'] } },
  completionDateField: 'completedDate',
});
const cellArbitrary: fc.Arbitrary<SummaryFeature> = fc
  .record({
    id: fc.constantFrom(...ids),
    status: fc.constantFrom('planned', 'completed'),
    county: fc.constantFrom<number | null>(TAOCHENG, JIZHOU, null),
    size: fc.constantFrom(0.001, 0.003, 0.01, 0.02),
    west: fc.integer({ min: 0, max: 50 }),
    completedDate: date,
    demo: fc.boolean(),
  })
  .map(({ size, west, completedDate, ...rest }) => ({
    ...rest,
    layerId: 'farmland',
    geometry: cellPolygon(115.5 + west * 0.01, 37.6, size, size),
    properties: (completedDate === undefined ? {} : { completedDate }) as SummaryFeature['properties'],
  }));
const farmlandSpec: ProgressSummarySpec = { layer: farmlandLayer, targets: [farmlandTarget], previousTargets: [], counties, asOf: '2021-06-30', rowsShown: 3 };

type Edit = { kind: 'upsert'; feature: SummaryFeature } | { kind: 'remove'; id: string };
const edits = (features: fc.Arbitrary<SummaryFeature>) =>
  fc.array(fc.oneof({ arbitrary: features.map((feature): Edit => ({ kind: 'upsert', feature })), weight: 3 }, { arbitrary: fc.constantFrom(...ids).map((id): Edit => ({ kind: 'remove', id })), weight: 1 }), {
    maxLength: 60,
  });

/** Applies the edits to a summary and to a plain map of current features, comparing after each. */
function checkEdits(spec: ProgressSummarySpec, sequence: readonly Edit[], compare: (actual: unknown, expected: unknown) => void): void {
  const summary = new ProgressSummary(spec);
  const current = new Map<string, SummaryFeature>();
  for (const edit of sequence) {
    if (edit.kind === 'upsert') {
      summary.upsert(edit.feature);
      current.delete(edit.feature.id);
      current.set(edit.feature.id, edit.feature);
    } else {
      summary.remove(edit.id);
      current.delete(edit.id);
    }
    const features = [...current.values()];
    const views = summary.views();
    compare(views, progressSummaryOf(spec, features).views());
    compare(views, reference(spec, features));
  }
}

describe('ProgressSummary', () => {
  it('built from the test wells equals the dashboard functions', () => {
    const spec = { ...wellsSpec, rowsShown: 100 };
    const views = progressSummaryOf(spec, allWells.map((feature) => ({ ...feature, demo: false })));
    expect(views.views()).toEqual(reference(spec, allWells.map((feature) => ({ ...feature, demo: false }))));
    expect(views.views().get('wells')?.progress).toMatchObject({ featuresInScope: 8, featuresDone: 4, done: 4 });
  });

  it('after any sequence of edits equals a fresh summary and the functions, count metric exactly', () => {
    fc.assert(fc.property(edits(wellArbitrary), (sequence) => checkEdits(wellsSpec, sequence, (actual, expected) => expect(actual).toEqual(expected))), { numRuns: 300 });
  });

  it('after any sequence of edits equals them for an area metric with an area range', () => {
    fc.assert(fc.property(edits(cellArbitrary), (sequence) => checkEdits(farmlandSpec, sequence, expectClose)), { numRuns: 150 });
  });

  it('keeps sums of a field and its planned amount', () => {
    const villagesLayer = layerDefinitionSchema.parse({
      ...farmlandLayer,
      id: 'villages',
      geometryType: 'Point',
      fields: [
        { key: 'planned', type: 'number', required: false, label: { zh: '计划', en: 'Planned' } },
        { key: 'converted', type: 'number', required: false, label: { zh: '完成', en: 'Done' } },
      ],
    });
    const sum = target({ id: 'toilets', quantity: 100, layerId: 'villages', metric: { kind: 'sum', field: 'converted', scopeField: 'planned', scope: { where: [] }, done: { where: [] } } });
    const spec: ProgressSummarySpec = { layer: villagesLayer, targets: [sum], previousTargets: [], counties, asOf: '2021-06-30', rowsShown: 3 };
    const village = fc.record({
      id: fc.constantFrom(...ids),
      layerId: fc.constant('villages'),
      status: fc.constantFrom('planned', 'completed'),
      county: fc.constantFrom<number | null>(TAOCHENG, JIZHOU),
      geometry: fc.constant<Geometry>({ type: 'Point', coordinates: [115.7, 37.7] }),
      properties: fc.record({ planned: fc.integer({ min: 0, max: 40 }), converted: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant('seven')) }),
      demo: fc.boolean(),
    });
    fc.assert(fc.property(edits(village), (sequence) => checkEdits(spec, sequence, (actual, expected) => expect(actual).toEqual(expected))), { numRuns: 100 });
  });

  it('zeroes a tally that has no features left', () => {
    const summary = new ProgressSummary(farmlandSpec);
    // Added and taken away in another order, these four areas leave 1.8e-12 mu behind.
    const sizes = [0.013, 0.011, 0.007, 0.029];
    sizes.forEach((size, index) =>
      summary.upsert({ id: `C-${index}`, layerId: 'farmland', status: 'completed', county: TAOCHENG, demo: false, properties: { completedDate: '2021-03-03' }, geometry: cellPolygon(115.5 + index * 0.1, 37.6, size, size * 1.3) }),
    );
    for (const index of [0, 2, 1, 3]) summary.remove(`C-${index}`);
    const view = summary.views().get('farmland-area');
    expect(view?.progress.done).toBe(0);
    expect(view?.progress.scope).toBe(0);
    expect(view?.byCounty[0]?.done).toBe(0);
    expect(view?.byMonth.months[2]?.completed).toBe(0);
  });
});

describe('RankedRows', () => {
  it('keeps the first rows of any sequence of puts and deletes in order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 5 })), { maxLength: 80 }), fc.integer({ min: 1, max: 4 }), (steps, cap) => {
        const compare = (left: { id: string; rank: number }, right: { id: string; rank: number }) => left.rank - right.rank || (left.id < right.id ? -1 : left.id > right.id ? 1 : 0);
        const rows = new RankedRows(cap, compare, (row) => row.id);
        const all = new Map<string, { id: string; rank: number }>();
        for (const [put, key, rank] of steps) {
          const id = `r${key}`;
          if (put) {
            rows.put({ id, rank });
            all.set(id, { id, rank });
          } else {
            rows.delete(id);
            all.delete(id);
          }
          expect(rows.size).toBe(all.size);
          expect(rows.shown()).toEqual([...all.values()].sort(compare).slice(0, cap));
        }
      }),
      { numRuns: 300 },
    );
  });
});
