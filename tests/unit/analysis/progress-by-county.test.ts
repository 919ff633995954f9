import { describe, expect, it } from 'vitest';
import { progressByCounty } from '../../../shared/analysis/progress-by-county';
import { allWells, cellMu, farmland, JIZHOU, TAOCHENG, target, wellClosure, ZAOQIANG } from './fixtures';

describe('progressByCounty', () => {
  it('gives a row per county in the given order, then one for features without county', () => {
    const rows = progressByCounty(wellClosure, allWells, [TAOCHENG, JIZHOU, ZAOQIANG, 131122]);
    expect(rows.map((row) => [row.county, row.done, row.scope, row.percentOfScope])).toEqual([
      [TAOCHENG, 2, 3, (2 / 3) * 100],
      [JIZHOU, 1, 3, (1 / 3) * 100],
      [ZAOQIANG, 1, 1, 100],
      [131122, 0, 0, null],
      [null, 0, 1, 0],
    ]);
    expect(rows.every((row) => row.quantity === null && row.percentOfQuantity === null)).toBe(true);
  });

  it('adds up to the total', () => {
    const rows = progressByCounty(wellClosure, allWells, [TAOCHENG, JIZHOU, ZAOQIANG]);
    expect(rows.reduce((sum, row) => sum + row.done, 0)).toBe(4);
    expect(rows.reduce((sum, row) => sum + row.featuresInScope, 0)).toBe(8);
  });

  it('measures against an equal share per county', () => {
    const onePerCounty = target({
      id: 'zones',
      quantity: 3,
      layerId: 'farmland',
      metric: { kind: 'count', done: { statuses: ['completed', 'accepted'] } },
      countySplit: { kind: 'each', quantity: 1 },
    });
    const rows = progressByCounty(onePerCounty, Object.values(farmland), [TAOCHENG, JIZHOU, ZAOQIANG]);
    expect(rows.map((row) => [row.county, row.done, row.quantity, row.percentOfQuantity])).toEqual([
      [TAOCHENG, 2, 1, 200],
      [JIZHOU, 1, 1, 100],
      [ZAOQIANG, 0, 1, 0],
    ]);
  });

  it('measures area against a county table, 0 for counties not in it', () => {
    const areaByTable = target({
      id: 'area',
      quantity: 4000,
      layerId: 'farmland',
      metric: { kind: 'area-mu', scope: { where: [{ field: 'kind', in: ['hs'] }] }, done: { statuses: ['completed', 'accepted'] } },
      countySplit: { kind: 'table', rows: [{ county: TAOCHENG, quantity: 1000 }, { county: JIZHOU, quantity: 3000 }] },
    });
    const [taocheng, jizhou, zaoqiang] = progressByCounty(areaByTable, Object.values(farmland), [TAOCHENG, JIZHOU, ZAOQIANG]);
    expect(taocheng?.done).toBeCloseTo(cellMu(115.7, 37.7), 2);
    expect(taocheng?.percentOfQuantity).toBeCloseTo(cellMu(115.7, 37.7) / 10, 3);
    expect(jizhou?.done).toBeCloseTo(cellMu(115.5, 37.55), 2);
    expect(jizhou?.scope).toBeCloseTo(cellMu(115.5, 37.55) + cellMu(115.52, 37.55, 0.02), 1);
    expect(zaoqiang).toMatchObject({ done: 0, quantity: 0, percentOfQuantity: null });
  });
});
