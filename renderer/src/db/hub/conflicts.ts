// Hub conflicts (SYNC-CONTEXT decision 4): the hub records them on push; this store mirrors the
// open ones of the user's counties into `hubConflicts` for the review queue. Resolving one queues
// the resolution on its row; the next sync sends it (`POST /v1/conflicts/:id/resolve`, its own
// change id, so a resend gets the same answer). Keeping the hub's value writes nothing on the
// hub, so that value is applied here at once (as a hub-applied change); the other choices write
// a new hub version, which the pull then brings.
import { HubRequestError, type HubClient } from '../../../../shared/sync/hub/client';
import type { HubConflict } from '../../../../shared/sync/hub/changes';
import { isPropertyField, propertyKeyOf, type FeatureContent } from '../../../../shared/sync';
import type { Feature, PropertyValue } from '../../../../shared/model';
import type { OneMapDatabase } from '../schema';
import type { HubConflictRecord } from '../records';
import { transact, transactTables, type FeatureOperation } from '../transact';
import { readCurrentFeatures } from '../base';
import { randomId } from '../identity';
import { featureContent } from '../undo';
import { hubVersionId } from './pull';
import type { HubResolutionChoice } from './types';

/** Replaces the mirror with the hub's open conflicts; rows with a resolution not yet sent stay. */
export async function refreshHubConflicts(database: OneMapDatabase, client: HubClient, counties: readonly number[] | undefined, signal?: unknown): Promise<number> {
  const open: HubConflict[] = [];
  for (let after: number | undefined; ; ) {
    const page = await client.conflicts({ ...(counties === undefined ? {} : { counties: counties.filter((county) => county !== 0) }), open: true, ...(after === undefined ? {} : { after }) }, signal);
    open.push(...page.conflicts);
    if (!page.more || page.conflicts.length === 0) break;
    after = page.conflicts.at(-1)?.id;
  }
  return database.transaction('rw', database.hubConflicts, async () => {
    const rows = new Map((await database.hubConflicts.toArray()).map((row) => [row.id, row]));
    const fresh: HubConflictRecord[] = open.map((conflict) => ({ id: conflict.id, layerId: conflict.layerId, featureId: conflict.featureId, conflict, pendingResolution: rows.get(conflict.id)?.pendingResolution ?? null }));
    const openIds = new Set(open.map((conflict) => conflict.id));
    const gone = [...rows.values()].filter((row) => !openIds.has(row.id) && row.pendingResolution === null).map((row) => row.id);
    if (gone.length > 0) await database.hubConflicts.bulkDelete(gone);
    if (fresh.length > 0) await database.hubConflicts.bulkPut(fresh);
    return database.hubConflicts.count();
  });
}

/** Queues a resolution of hub conflict `conflictId` (sent at the next sync). */
export async function queueHubResolution(database: OneMapDatabase, conflictId: number, choice: HubResolutionChoice, value?: unknown, time: Date = new Date()): Promise<void> {
  if ((choice === 'value') !== (value !== undefined)) throw new RangeError(choice === 'value' ? 'choice "value" needs a value' : `choice "${choice}" takes no value`);
  await database.transaction('rw', database.hubConflicts, async () => {
    const row = await database.hubConflicts.get(conflictId);
    if (row === undefined) throw new RangeError(`no hub conflict ${conflictId}`);
    await database.hubConflicts.put({ ...row, pendingResolution: { changeId: `resolve-${randomId()}`, choice, ...(value === undefined ? {} : { value }), queuedAt: time.toISOString() } });
  });
}

export function listHubConflicts(database: OneMapDatabase): Promise<HubConflictRecord[]> {
  return database.hubConflicts.orderBy('id').toArray();
}

/** The feature content keeping the hub's side of a conflict, from what this store holds now. */
function keepHub(conflict: HubConflict, local: Feature | null): FeatureContent | null | undefined {
  if (conflict.kind !== 'field') return (conflict.hub as FeatureContent | null) ?? null;
  if (local === null) return undefined;
  const content = featureContent(local);
  const field = conflict.field;
  if (isPropertyField(field)) {
    const properties = { ...content.properties };
    if (conflict.hub === undefined || conflict.hub === null) delete properties[propertyKeyOf(field)];
    else properties[propertyKeyOf(field)] = conflict.hub as PropertyValue;
    return { ...content, properties };
  }
  if (field === 'geometry' || field === 'status' || field === 'county' || field === 'demo') return { ...content, [field]: conflict.hub } as FeatureContent;
  return undefined;
}

/** Applies the hub's value of a conflict kept with choice 'hub' (the hub writes nothing for it). */
async function applyKeptHubValue(database: OneMapDatabase, conflict: HubConflict): Promise<void> {
  await database.transaction('rw', transactTables(database), async () => {
    const local = (await readCurrentFeatures(database, conflict.layerId, [conflict.featureId])).features.get(conflict.featureId) ?? null;
    const to = keepHub(conflict, local);
    if (to === undefined || (to === null && local === null)) return;
    const operation: FeatureOperation = { kind: 'restore', layerId: conflict.layerId, featureId: conflict.featureId, to, applies: [hubVersionId(conflict.layerId, conflict.featureId, conflict.hubVersion)] };
    await transact(database, { author: 'hub', authorName: 'hub', device: 'hub', operations: [operation], allowAnyStatusChange: true });
  });
}

/**
 * Sends every queued resolution. A resolution the hub refuses for good stays queued with the
 * refusal (the review queue says why); 409 already-resolved drops the row. Throws what stops the
 * sync (offline, unauthorized, server).
 */
export async function sendHubResolutions(database: OneMapDatabase, client: HubClient, signal?: unknown): Promise<number> {
  const queued = (await database.hubConflicts.toArray()).filter((row) => row.pendingResolution !== null && row.pendingResolution.refused === undefined);
  let sent = 0;
  for (const row of queued) {
    const resolution = row.pendingResolution!;
    try {
      await client.resolve(row.id, { changeId: resolution.changeId, choice: resolution.choice, ...(resolution.value === undefined ? {} : { value: resolution.value }) }, signal);
      if (resolution.choice === 'hub') await applyKeptHubValue(database, row.conflict);
      await database.hubConflicts.delete(row.id);
      sent += 1;
    } catch (error) {
      if (!(error instanceof HubRequestError) || (error.kind !== 'refused' && error.kind !== 'forbidden') || error.status === 429) throw error;
      if (error.code === 'already-resolved' || error.code === 'not-found') await database.hubConflicts.delete(row.id);
      else await database.hubConflicts.put({ ...row, pendingResolution: { ...resolution, refused: { code: error.code, message: error.message } } });
    }
  }
  return sent;
}
