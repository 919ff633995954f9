import { describe, expect, it } from 'vitest';
import { targetSchema, validateTargetAgainstLayer, type TargetInput } from '../../../shared/model/target';
import { layerDefinitionSchema } from '../../../shared/model/layer-definition';
import { inspectionLayerInput } from './fixtures';

const layer = layerDefinitionSchema.parse(inspectionLayerInput);

const closeThem: TargetInput = {
  id: 'close-inspection-points',
  title: { zh: '关闭检查点', en: 'Close inspection points' },
  quote: { text: '关闭10个', sentence: '年内关闭10个检查点。', source: 'a test' },
  quantity: 10,
  unit: { zh: '个', en: 'points' },
  startDate: '2021-01-01',
  deadline: '2021-12-31',
  layerId: 'inspection-points',
  metric: { kind: 'count', scope: { where: [{ field: 'kind', in: ['a'] }] }, done: { statuses: ['closed'] } },
  completionDateField: 'closedDate',
};

describe('targetSchema', () => {
  it('accepts every metric kind and fills defaults', () => {
    const parsed = targetSchema.parse({ ...closeThem, metric: { kind: 'sum', field: 'visits', done: {} } });
    expect(parsed.metric.scope.where).toEqual([]);
    expect(parsed.metric.done.where).toEqual([]);
    for (const kind of ['count', 'area-mu', 'length-km'] as const) {
      expect(targetSchema.safeParse({ ...closeThem, metric: { kind, done: {} } }).success).toBe(true);
    }
  });

  it('allows a target without a number and per-county splits', () => {
    expect(targetSchema.safeParse({ ...closeThem, quantity: null }).success).toBe(true);
    expect(targetSchema.safeParse({ ...closeThem, countySplit: { kind: 'each', quantity: 1 } }).success).toBe(true);
    expect(
      targetSchema.safeParse({ ...closeThem, countySplit: { kind: 'table', rows: [{ county: 131102, quantity: 4 }, { county: 131103, quantity: 6 }] } }).success,
    ).toBe(true);
  });

  it.each([
    ['a deadline before the start', { deadline: '2020-12-31' }],
    ['a quantity of 0', { quantity: 0 }],
    ['an unknown metric kind', { metric: { kind: 'average', done: {} } }],
    ['a sum without a field', { metric: { kind: 'sum', done: {} } }],
    ['an empty condition', { metric: { kind: 'count', scope: { where: [{ field: 'kind', in: [] }] }, done: {} } }],
    ['a quote without its sentence', { quote: { text: '关闭10个', source: 'a test' } }],
  ])('rejects %s', (_label, overrides) => {
    expect(targetSchema.safeParse({ ...closeThem, ...overrides }).success).toBe(false);
  });
});

describe('validateTargetAgainstLayer', () => {
  it('finds nothing wrong with a consistent target', () => {
    expect(validateTargetAgainstLayer(targetSchema.parse(closeThem), layer)).toEqual([]);
  });

  it('names unknown fields, values, statuses and unsuitable metrics', () => {
    const target = targetSchema.parse({
      ...closeThem,
      metric: {
        kind: 'area-mu',
        scope: { where: [{ field: 'colour', in: ['red'] }, { field: 'kind', in: ['z'] }], areaMu: { min: 1 } },
        done: { statuses: ['sealed'] },
      },
      completionDateField: 'name',
    });
    const paths = validateTargetAgainstLayer(target, layer).map((issue) => issue.path);
    expect(paths).toEqual(['metric.kind', 'metric.scope.areaMu', 'metric.scope.where.0', 'metric.scope.where.1', 'metric.done.statuses', 'completionDateField']);
  });

  it('requires a numeric field for sums', () => {
    const target = targetSchema.parse({ ...closeThem, metric: { kind: 'sum', field: 'name', done: {} } });
    expect(validateTargetAgainstLayer(target, layer).map((issue) => issue.path)).toEqual(['metric.field']);
  });
});
