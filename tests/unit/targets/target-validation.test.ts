import { describe, expect, it } from 'vitest';
import { listTargetSets, previousTargetSet, targetFieldName, targetIssues, targetSetIdOf, type Target } from '../../../shared/model';
import { hengshuiLayers, hengshuiTargets2021 } from '../../../seeds/index';

const valid: Target = {
  id: 'roads-2022',
  setId: 'year-2022',
  title: { zh: '新建农村公路', en: 'Build rural roads' },
  quote: { text: '新建农村公路100公里', sentence: '新建农村公路100公里。', source: '2022年任务分解表' },
  quantity: 100,
  unit: { zh: '公里', en: 'km' },
  startDate: '2022-01-01',
  deadline: '2022-12-31',
  layerId: 'rural-roads',
  metric: { kind: 'length-km', scope: { where: [{ field: 'planYear', in: [2022] }] }, done: { statuses: ['completed'], where: [] } },
};
const sets = new Set(['year-2021', 'year-2022']);
const issuesOf = (change: (target: Record<string, unknown>) => void) => {
  const target = structuredClone(valid) as unknown as Record<string, unknown>;
  change(target);
  return targetIssues(target, hengshuiLayers, sets).issues;
};

describe('targetIssues names the field at fault', () => {
  it('accepts a valid target and every shipped 2021 target', () => {
    expect(targetIssues(valid, hengshuiLayers, sets)).toEqual({ target: valid, issues: [] });
    for (const target of hengshuiTargets2021) expect(targetIssues(target, hengshuiLayers, sets).issues).toEqual([]);
  });

  const metric = (target: Record<string, unknown>) => target.metric as Record<string, unknown>;
  const cases: [string, (target: Record<string, unknown>) => void, string][] = [
    ['an id that is not a slug', (target) => void (target.id = 'Roads 2022'), 'id'],
    ['an unknown set', (target) => void (target.setId = 'year-2030'), 'setId'],
    ['an empty title', (target) => void (target.title = { zh: '', en: 'x' }), 'title.zh'],
    ['no wording of the report', (target) => void ((target.quote as Record<string, unknown>).text = ''), 'quote.text'],
    ['a zero quantity', (target) => void (target.quantity = 0), 'quantity'],
    ['a qualifier without a quantity', (target) => void Object.assign(target, { quantity: null, quantityQualifier: 'about' }), 'quantityQualifier'],
    ['no unit', (target) => void delete target.unit, 'unit'],
    ['a deadline that is no date', (target) => void (target.deadline = '2022-13-40'), 'deadline'],
    ['a deadline before the start', (target) => void (target.deadline = '2021-12-31'), 'deadline'],
    ['an unknown layer', (target) => void (target.layerId = 'bridges'), 'layerId'],
    ['an unknown metric', (target) => void (metric(target).kind = 'volume'), 'metric.kind'],
    ['an area on a line layer', (target) => void (metric(target).kind = 'area-mu'), 'metric.kind'],
    ['a length on a point layer', (target) => void Object.assign(target, { layerId: 'wells', metric: { kind: 'length-km', scope: { where: [] }, done: { statuses: ['sealed'] } } }), 'metric.kind'],
    ['a sum of a text field', (target) => void (target.metric = { kind: 'sum', field: 'name', scope: { where: [] }, done: {} }), 'metric.field'],
    ['a sum of an unknown field', (target) => void (target.metric = { kind: 'sum', field: 'tons', scope: { where: [] }, done: {} }), 'metric.field'],
    ['an unknown status as done', (target) => void (metric(target).done = { statuses: ['opened'] }), 'metric.done.statuses'],
    ['a scope on an unknown field', (target) => void (metric(target).scope = { where: [{ field: 'lanes', in: [2] }] }), 'metric.scope.where.0'],
    ['a scope value not allowed', (target) => void (metric(target).scope = { where: [{ field: 'roadClass', in: ['motorway'] }] }), 'metric.scope.where.0'],
    ['a scope with no values', (target) => void (metric(target).scope = { where: [{ field: 'planYear', in: [] }] }), 'metric.scope.where.0.in'],
    ['an area range on a line layer', (target) => void (metric(target).scope = { where: [], areaMu: { min: 1 } }), 'metric.scope.areaMu'],
    ['a completion date field that is no date', (target) => void (target.completionDateField = 'name'), 'completionDateField'],
    ['a county split with a bad code', (target) => void (target.countySplit = { kind: 'table', rows: [{ county: 12, quantity: 5 }] }), 'countySplit.rows.0.county'],
    ['a county split with a county twice', (target) => void (target.countySplit = { kind: 'table', rows: [{ county: 131102, quantity: 5 }, { county: 131102, quantity: 1 }] }), 'countySplit.rows.1.county'],
    ['a negative county quantity', (target) => void (target.countySplit = { kind: 'table', rows: [{ county: 131102, quantity: -5 }] }), 'countySplit.rows.0.quantity'],
    ['an unknown property', (target) => void (target.colour = 'red'), 'target'],
  ];
  it.each(cases)('%s', (_name, change, path) => {
    const issues = issuesOf(change);
    expect(issues.map((issue) => issue.path)).toContain(path);
    expect(targetFieldName(path).zh).not.toBe('');
  });

  it('names the fields in Chinese for the planner', () => {
    expect(targetFieldName('metric.scope.where.0').zh).toBe('范围条件');
    expect(targetFieldName('countySplit.rows.1.county').zh).toBe('分县任务');
    expect(targetFieldName('deadline').zh).toBe('截止日期');
  });
});

describe('target sets', () => {
  it('the shipped targets form the 2021 set; stored sets join it, by year', () => {
    expect(new Set(hengshuiTargets2021.map(targetSetIdOf))).toEqual(new Set(['year-2021']));
    const listed = listTargetSets([{ id: 'year-2022', year: 2022, title: { zh: '2022 年', en: '2022' } }], hengshuiTargets2021);
    expect(listed.map((set) => [set.id, set.year])).toEqual([
      ['year-2021', 2021],
      ['year-2022', 2022],
    ]);
    expect(previousTargetSet(listed, listed[1]!)?.id).toBe('year-2021');
    expect(previousTargetSet(listed, listed[0]!)).toBeNull();
  });
});
