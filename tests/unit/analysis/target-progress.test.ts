import { describe, expect, it } from 'vitest';
import { targetProgress } from '../../../shared/analysis/target-progress';
import { allWells, cellMu, farmland, meridianKm, roads, target, villages, wellClosure } from './fixtures';

describe('targetProgress', () => {
  it('counts features in the done statuses within the scope', () => {
    // Done: sealedInJanuary, verifiedInMarch, sealedLateInMarch, sealedUndated. The agricultural well
    // and the feature of another layer are out of scope.
    expect(targetProgress(wellClosure, allWells)).toEqual({
      targetId: 'wells',
      quantity: 10,
      done: 4,
      scope: 8,
      remaining: 6,
      percent: 40,
      featuresInScope: 8,
      featuresDone: 4,
    });
  });

  it('has no remaining or percent without a quantity', () => {
    const progress = targetProgress({ ...wellClosure, quantity: null }, allWells);
    expect(progress.remaining).toBeNull();
    expect(progress.percent).toBeNull();
    expect(progress.done).toBe(4);
  });

  it('never reports a negative remainder', () => {
    expect(targetProgress({ ...wellClosure, quantity: 3 }, allWells).remaining).toBe(0);
    expect(targetProgress({ ...wellClosure, quantity: 3 }, allWells).percent).toBeCloseTo(133.333, 3);
  });

  it('sums geodesic area in mu', () => {
    const highStandard = target({
      id: 'farmland',
      quantity: 5000,
      layerId: 'farmland',
      metric: { kind: 'area-mu', scope: { where: [{ field: 'kind', in: ['hs'] }] }, done: { statuses: ['completed', 'accepted'] } },
    });
    const progress = targetProgress(highStandard, Object.values(farmland));
    const doneMu = cellMu(115.7, 37.7) + cellMu(115.5, 37.55); // ≈ 1,467.7 + 1,485.2
    const scopeMu = doneMu + cellMu(115.52, 37.55, 0.02);
    expect(Math.abs(progress.done / doneMu - 1)).toBeLessThan(1e-6);
    expect(Math.abs(progress.scope / scopeMu - 1)).toBeLessThan(1e-6);
    expect(progress.percent).toBeCloseTo((doneMu / 5000) * 100, 3);
    expect(progress.featuresDone).toBe(2);
  });

  it('counts only features whose area lies in the range', () => {
    // The zone cell is 0.005° (~367 mu); the others ~1,470 mu and ~5,940 mu.
    const sizable = target({
      id: 'sizable',
      quantity: 2,
      layerId: 'farmland',
      metric: { kind: 'count', scope: { areaMu: { min: 1000, max: 2000 } }, done: {} },
    });
    expect(targetProgress(sizable, Object.values(farmland))).toMatchObject({ done: 2, featuresInScope: 2 });
  });

  it('sums geodesic length in km', () => {
    const newRoads = target({ id: 'roads', quantity: 100, layerId: 'roads', metric: { kind: 'length-km', done: { statuses: ['completed'] } } });
    const progress = targetProgress(newRoads, Object.values(roads));
    expect(progress.done).toBeCloseTo(meridianKm(37.7, 2), 6); // ≈ 2.2198 km
    expect(progress.scope).toBeCloseTo(meridianKm(37.7, 2) + meridianKm(37.5, 1), 6);
  });

  it('sums a numeric field, ignoring missing and non-numeric values, against a planned field', () => {
    const toilets = target({
      id: 'toilets',
      quantity: 60,
      layerId: 'villages',
      metric: { kind: 'sum', field: 'toiletsConverted', scopeField: 'toiletsPlanned', done: {} },
    });
    expect(targetProgress(toilets, villages)).toMatchObject({ done: 30, scope: 52, remaining: 30, percent: 50 });
    const doneOnlyWhereTreated = target({ id: 'treated-toilets', quantity: 60, layerId: 'villages', metric: { kind: 'sum', field: 'toiletsConverted', done: { statuses: ['treated'] } } });
    expect(targetProgress(doneOnlyWhereTreated, villages)).toMatchObject({ done: 20, scope: 30 });
  });

  it('matches field conditions for done', () => {
    const remediated = target({
      id: 'x',
      quantity: 1,
      layerId: 'villages',
      metric: { kind: 'count', done: { where: [{ field: 'toiletsConverted', in: [10, 20] }] } },
    });
    expect(targetProgress(remediated, villages)).toMatchObject({ done: 2, featuresInScope: 4 });
  });
});
