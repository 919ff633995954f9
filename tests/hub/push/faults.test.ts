// The afterCommit hook runs after COMMIT and before the answer: a hub that dies there has written
// the change, and the client's retry with the same change id gets the stored answer.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { change, counts, entry, push, pushHub, seed, uniqueId, type PushHub } from './fixture';

const seen: string[] = [];
let failNext = false;
let hub: PushHub;
beforeAll(async () => {
  hub = await pushHub({
    afterCommit: (changeId) => {
      seen.push(changeId);
      if (failNext) {
        failNext = false;
        throw new Error('hub died before answering');
      }
    },
  });
});
afterAll(async () => {
  await hub?.close();
});

it('a change committed before a lost answer is applied once; the retry gets its answer', async () => {
  const featureId = uniqueId('W');
  const body = change([entry(featureId, 'create', null, seed)]);
  failNext = true;
  const lost = await push(hub, 'surveyor', body);
  expect(lost.status).toBe(500);
  expect(seen).toEqual([body.changeId]);
  const afterLost = await counts(hub);
  expect(afterLost.features).toBe(1);
  const retry = await push(hub, 'surveyor', body);
  expect(retry.status).toBe(200);
  expect(retry.body).toMatchObject({ changeId: body.changeId, status: 'applied', features: [{ featureId, version: 1 }] });
  expect(await counts(hub)).toEqual(afterLost);
});
