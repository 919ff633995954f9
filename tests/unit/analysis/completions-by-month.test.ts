import { describe, expect, it } from 'vitest';
import { completionsByMonth } from '../../../shared/analysis/completions-by-month';
import { allWells, cellMu, farmland, target, wellClosure } from './fixtures';

describe('completionsByMonth', () => {
  it('counts completions per month and the cumulative burn-down up to the as-of month', () => {
    const result = completionsByMonth(wellClosure, allWells, '2021-06-30');
    expect(result.months.map((month) => month.month)).toEqual([
      '2021-01', '2021-02', '2021-03', '2021-04', '2021-05', '2021-06', '2021-07', '2021-08', '2021-09', '2021-10', '2021-11', '2021-12',
    ]);
    // January: sealedInJanuary; March: verifiedInMarch (03-02) and sealedLateInMarch (03-20).
    expect(result.months.map((month) => month.completed)).toEqual([1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(result.months.map((month) => month.cumulative)).toEqual([1, 1, 3, 3, 3, 3, null, null, null, null, null, null]);
    expect(result.months.map((month) => month.remaining)).toEqual([9, 9, 7, 7, 7, 7, null, null, null, null, null, null]);
    // sealedUndated is done but has no date.
    expect(result.undated).toBe(1);
    expect(result.beforeStart).toBe(0);
    expect(result.afterDeadline).toBe(0);
  });

  it('draws the straight line to the deadline by days, both ends included', () => {
    const [january, february, , , , june, , , , , , december] = completionsByMonth(wellClosure, allWells, '2021-06-30').months;
    expect(january?.idealCumulative).toBeCloseTo((10 * 31) / 365, 12);
    expect(february?.idealCumulative).toBeCloseTo((10 * 59) / 365, 12);
    expect(june?.idealCumulative).toBeCloseTo((10 * 181) / 365, 12);
    expect(june?.idealRemaining).toBeCloseTo(10 - (10 * 181) / 365, 12);
    expect(december?.idealCumulative).toBe(10);
  });

  it('stops the line at a mid-month deadline and counts early and late completions apart', () => {
    const shortTarget = target({ ...wellClosure, startDate: '2021-02-01', deadline: '2021-03-15' });
    const result = completionsByMonth(shortTarget, allWells, '2021-12-31');
    expect(result.months.map((month) => month.month)).toEqual(['2021-02', '2021-03']);
    expect(result.beforeStart).toBe(1); // sealed 2021-01-15
    expect(result.afterDeadline).toBe(1); // sealed 2021-03-20
    expect(result.months.map((month) => month.cumulative)).toEqual([1, 2]); // + verified 2021-03-02
    expect(result.months[0]?.idealCumulative).toBeCloseTo((10 * 28) / 43, 12);
    expect(result.months[1]?.idealCumulative).toBe(10);
  });

  it('puts everything in undated when the target names no date field', () => {
    const result = completionsByMonth({ ...wellClosure, completionDateField: undefined }, allWells, '2021-06-30');
    expect(result.undated).toBe(4);
    expect(result.months.every((month) => month.completed === 0)).toBe(true);
  });

  it('adds area per month for area targets and leaves the line out without a quantity', () => {
    const areaTarget = target({
      id: 'farmland',
      quantity: null,
      layerId: 'farmland',
      metric: { kind: 'area-mu', scope: { where: [{ field: 'kind', in: ['hs'] }] }, done: { statuses: ['completed', 'accepted'] } },
      completionDateField: 'completedDate',
    });
    const months = completionsByMonth(areaTarget, Object.values(farmland), '2021-05-31').months;
    expect(months[3]?.completed).toBeCloseTo(cellMu(115.7, 37.7), 2);
    expect(months[4]?.cumulative).toBeCloseTo(cellMu(115.7, 37.7) + cellMu(115.5, 37.55), 2);
    expect(months[5]?.cumulative).toBeNull();
    expect(months.every((month) => month.idealCumulative === null && month.remaining === null)).toBe(true);
  });
});
