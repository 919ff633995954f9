import { describe, expect, it } from 'vitest';
import { carriedOverdue, doneByDeadline } from '../../../shared/analysis';
import { fact, target } from '../analysis/fixtures';

const wells2021 = target({ id: 'wells-2021', quantity: 4, layerId: 'wells', metric: { kind: 'count', scope: { where: [{ field: 'wellClass', in: ['non-agricultural'] }] }, done: { statuses: ['sealed'] } }, completionDateField: 'sealedDate' });
const wells2022 = target({ id: 'wells-2022', setId: 'year-2022', quantity: 10, startDate: '2022-01-01', deadline: '2022-12-31', layerId: 'wells', metric: { kind: 'count', done: { statuses: ['sealed'] } } });
const parks2022 = target({ id: 'parks-2022', quantity: 3, startDate: '2022-01-01', deadline: '2022-12-31', layerId: 'parks', metric: { kind: 'count', done: { statuses: ['completed'] } } });

const sealedInTime = fact('wells', 'sealed', 131102, { wellClass: 'non-agricultural', sealedDate: '2021-11-30' });
const sealedLate = fact('wells', 'sealed', 131102, { wellClass: 'non-agricultural', sealedDate: '2022-02-01' });
const open = fact('wells', 'registered', 131103, { wellClass: 'non-agricultural' });
const agricultural = fact('wells', 'registered', 131103, { wellClass: 'agricultural' });
const sealedUndated = fact('wells', 'sealed', 131103, { wellClass: 'non-agricultural' });
const features = [sealedInTime, sealedLate, open, agricultural, sealedUndated];

describe('overdue carried into the next year', () => {
  it('done by the deadline: done, and completed on or before it when the date is known', () => {
    expect([sealedInTime, sealedLate, open, sealedUndated].map((feature) => doneByDeadline(wells2021, feature))).toEqual([true, false, false, true]);
  });

  it("carries the previous year's unfinished features of the same layer, with the days past the deadline", () => {
    const carried = carriedOverdue(wells2022, [wells2021], features, '2022-01-31');
    expect(carried.map((row) => [row.feature.id, row.from.id, row.daysOverdue])).toEqual([
      [sealedLate.id, 'wells-2021', 31],
      [open.id, 'wells-2021', 31],
    ]);
    expect(carriedOverdue(wells2022, [wells2021], features, '2021-06-30').map((row) => row.daysOverdue)).toEqual([null, null]);
  });

  it('carries nothing into a target on another layer', () => {
    expect(carriedOverdue(parks2022, [wells2021], features, '2022-01-31')).toEqual([]);
  });
});
