import { describe, expect, it } from 'vitest';
import { overdueFeatures } from '../../../shared/analysis/overdue-features';
import { allWells, wells, wellsLayer } from './fixtures';

describe('overdueFeatures', () => {
  it('lists features past their planned date and not done, oldest first, with days overdue', () => {
    const overdue = overdueFeatures(wellsLayer, allWells, '2021-06-30');
    expect(overdue.map((entry) => [entry.feature.id, entry.plannedDate, entry.daysOverdue])).toEqual([
      [wells.agricultural.id, '2021-02-01', 149],
      [wells.connectedOverdue.id, '2021-02-10', 140],
      [wells.overdueSinceMay.id, '2021-05-01', 60],
    ]);
  });

  it('is not overdue on the planned day itself, but the day after', () => {
    expect(overdueFeatures(wellsLayer, [wells.dueOnAsOf], '2021-06-30')).toEqual([]);
    expect(overdueFeatures(wellsLayer, [wells.dueOnAsOf], '2021-07-01').map((entry) => entry.daysOverdue)).toEqual([1]);
  });

  it('never lists sealed or verified features, even when sealed late', () => {
    const ids = overdueFeatures(wellsLayer, allWells, '2021-12-31').map((entry) => entry.feature.id);
    expect(ids).not.toContain(wells.sealedLateInMarch.id);
    expect(ids).not.toContain(wells.sealedInJanuary.id);
    expect(ids).toHaveLength(4);
  });

  it('filters by field conditions and ignores other layers', () => {
    const nonAgricultural = overdueFeatures(wellsLayer, allWells, '2021-06-30', { where: [{ field: 'wellClass', in: ['non-agricultural'] }] });
    expect(nonAgricultural.map((entry) => entry.feature.id)).toEqual([wells.connectedOverdue.id, wells.overdueSinceMay.id]);
    expect(overdueFeatures({ ...wellsLayer, id: 'other' }, allWells, '2021-06-30')).toEqual([]);
  });

  it('has nothing to say about a layer without a schedule', () => {
    expect(overdueFeatures({ ...wellsLayer, schedule: undefined }, allWells, '2021-06-30')).toEqual([]);
  });
});
