// GET /v1/conflicts and POST /v1/conflicts/:id/resolve: scope, open/all, and resolutions written
// as changes (logged, versioned, idempotent) that leave the conflict on record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZAOQIANG, change, counts, entry, push, pushHub, seed, uniqueId, type PushHub } from './fixture';

let hub: PushHub;
beforeAll(async () => {
  hub = await pushHub();
});
afterAll(async () => {
  await hub?.close();
});

/** A feature with a conflict on properties.name (hub 'A', theirs 'B'); returns the conflict id. */
async function conflicted(): Promise<{ featureId: string; conflictId: number }> {
  const featureId = uniqueId('W');
  await push(hub, 'surveyor', change([entry(featureId, 'create', null, seed)]));
  await push(hub, 'surveyor', change([entry(featureId, 'update', seed, { ...seed, properties: { name: 'A', depth: 10 } })]));
  const answer = await push(hub, 'planner', change([entry(featureId, 'update', seed, { ...seed, properties: { name: 'B', depth: 10 } })]));
  const conflictId = (answer.body.features as { conflicts: { id: number }[] }[])[0]?.conflicts[0]?.id;
  if (conflictId === undefined) throw new Error('expected a conflict');
  return { featureId, conflictId };
}

const list = (user: string, query = '') => hub.app.inject({ method: 'GET', url: `/v1/conflicts${query}`, headers: { 'x-test-user': user } });
const resolve = (user: string, conflictId: number, body: Record<string, unknown>) =>
  hub.app.inject({ method: 'POST', url: `/v1/conflicts/${conflictId}/resolve`, headers: { 'x-test-user': user }, payload: body });
const row = async (featureId: string) => (await hub.db.pool.query('SELECT properties, status, version, deleted FROM hub.features WHERE id = $1', [featureId])).rows[0];

describe('conflicts', () => {
  it('lists the open conflicts of the user’s counties with both sides; another county sees none and may not ask', async () => {
    const { featureId, conflictId } = await conflicted();
    const mine = await list('surveyor');
    expect(mine.statusCode).toBe(200);
    const found = mine.json().conflicts.find((conflict: { id: number }) => conflict.id === conflictId);
    expect(found).toMatchObject({ featureId, kind: 'field', field: 'properties.name', base: 'seed', theirs: 'B', hub: 'A', user: 'planner', device: 'tablet-a', resolvedAt: null });
    expect((await list('other')).json().conflicts).toEqual([]);
    const asked = await list('other', '?counties=131102');
    expect(asked.statusCode).toBe(403);
    expect(asked.json().error.code).toBe('out-of-scope');
    expect((await list('admin', `?counties=${ZAOQIANG}`)).json().conflicts).toEqual([]);
  });

  it('"theirs" writes the pushed value as a logged, versioned change; the conflict stays on record, resolved', async () => {
    const { featureId, conflictId } = await conflicted();
    const body = { changeId: uniqueId('resolve'), choice: 'theirs' };
    const answer = await resolve('planner', conflictId, body);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ conflictId, changeId: body.changeId, choice: 'theirs', version: 3, written: true });
    expect(await row(featureId)).toMatchObject({ properties: { name: 'B', depth: 10 }, version: '3' });
    const history = await hub.db.pool.query('SELECT change_id, entry_id, user_name, note FROM hub.history WHERE feature_id = $1 AND version = 3', [featureId]);
    expect(history.rows).toEqual([{ change_id: body.changeId, entry_id: `resolve:${conflictId}`, user_name: 'planner', note: `resolves conflict ${conflictId} (theirs)` }]);
    const stored = await hub.db.pool.query('SELECT resolved_at IS NOT NULL AS resolved, resolved_by, resolution, resolution_change_id FROM hub.conflicts WHERE id = $1', [conflictId]);
    expect(stored.rows[0]).toMatchObject({ resolved: true, resolved_by: String(hub.users.planner.id), resolution: { choice: 'theirs' }, resolution_change_id: body.changeId });
    // The same resolution again: the same answer, nothing written.
    const before = await counts(hub);
    const again = await resolve('planner', conflictId, body);
    expect(again.json()).toEqual(answer.json());
    expect(await counts(hub)).toEqual(before);
    // Another resolution of a resolved conflict is refused.
    const other = await resolve('planner', conflictId, { changeId: uniqueId('resolve'), choice: 'hub' });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('already-resolved');
    // Gone from the open list, still in the full one.
    expect((await list('planner')).json().conflicts.some((conflict: { id: number }) => conflict.id === conflictId)).toBe(false);
    const all = (await list('planner', '?open=false')).json().conflicts.find((conflict: { id: number }) => conflict.id === conflictId);
    expect(all).toMatchObject({ resolvedBy: 'planner', resolutionChangeId: body.changeId });
  });

  it('"hub" keeps the hub value and writes no feature version', async () => {
    const { featureId, conflictId } = await conflicted();
    const answer = await resolve('surveyor', conflictId, { changeId: uniqueId('resolve'), choice: 'hub' });
    expect(answer.json()).toMatchObject({ written: false, version: 2 });
    expect(await row(featureId)).toMatchObject({ properties: { name: 'A', depth: 10 }, version: '2' });
  });

  it('"value" writes an edited value after checking it against the layer', async () => {
    const { featureId, conflictId } = await conflicted();
    const tooLong = await resolve('planner', conflictId, { changeId: uniqueId('resolve'), choice: 'value', value: 'x'.repeat(51) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.message).toContain('value');
    const wrongType = await resolve('planner', conflictId, { changeId: uniqueId('resolve'), choice: 'value', value: { nested: true } });
    expect(wrongType.statusCode).toBe(400);
    const missing = await resolve('planner', conflictId, { changeId: uniqueId('resolve'), choice: 'value' });
    expect(missing.statusCode).toBe(400);
    const answer = await resolve('planner', conflictId, { changeId: uniqueId('resolve'), choice: 'value', value: 'A+B' });
    expect(answer.statusCode).toBe(200);
    expect(await row(featureId)).toMatchObject({ properties: { name: 'A+B', depth: 10 }, version: '3' });
  });

  it('resolves an edit-deleted conflict by bringing the feature back with the pushed content', async () => {
    const featureId = uniqueId('W');
    await push(hub, 'surveyor', change([entry(featureId, 'create', null, seed)]));
    await push(hub, 'surveyor', change([entry(featureId, 'delete', seed, null)]));
    const edit = await push(hub, 'planner', change([entry(featureId, 'update', seed, { ...seed, status: 'scheduled' })]));
    const conflictId = (edit.body.features as { conflicts: { id: number }[] }[])[0]?.conflicts[0]?.id as number;
    const answer = await resolve('planner', conflictId, { changeId: uniqueId('resolve'), choice: 'theirs' });
    expect(answer.statusCode).toBe(200);
    expect(await row(featureId)).toMatchObject({ deleted: false, status: 'scheduled' });
    const history = await hub.db.pool.query("SELECT operation FROM hub.history WHERE feature_id = $1 ORDER BY version", [featureId]);
    expect(history.rows.map((entryRow) => entryRow.operation)).toEqual(['create', 'delete', 'restore']);
  });

  it('refuses a resolution from outside the conflict’s county, and an unknown conflict', async () => {
    const { conflictId } = await conflicted();
    const answer = await resolve('other', conflictId, { changeId: uniqueId('resolve'), choice: 'theirs' });
    expect(answer.statusCode).toBe(403);
    expect((await resolve('admin', 999_999_999, { changeId: uniqueId('resolve'), choice: 'hub' })).statusCode).toBe(404);
  });
});
