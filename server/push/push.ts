// POST /v1/changes: one change (the journal entries of one `transact` on a device) merged into the
// hub in one transaction. Refusals (scope, unknown layer, missing attachment bytes, reused change
// id) throw before COMMIT, so nothing of a refused change is written.
import type { Pool, PoolClient } from 'pg';
import { readField, mergeAgainstBase, nextHubState, type BaseConflict, type BaseMergeResult, type HubFeatureState } from '../../shared/sync';
import type { PushAnswer, PushFeatureResult, PushRequest } from '../../shared/sync/hub/changes';
import { validateFeatureAgainstLayer, type JournalEntry, type LayerDefinition } from '../../shared/model';
import { inScope, type HubUser } from '../auth/user';
import { inTransaction } from '../db/transaction';
import type { HubFaults } from '../faults';
import { HubError } from './errors';
import { deleteFeature, keyOf, lockFeatures, logPhotoChange, setWriter, upsertFeature, writePhoto, type LockedFeature } from './features';
import { claimChange, requestHash, storeAnswer } from './idempotency';
import { layersFor } from './layers';

export type { HubFaults };

export async function pushChange(pool: Pool, user: HubUser, request: PushRequest, faults?: HubFaults): Promise<PushAnswer> {
  const hash = requestHash(request);
  const answer = await inTransaction(pool, async (client) => {
    const claimed = await claimChange(client, request.changeId, user.id, request.device, hash);
    if (claimed.replay !== undefined) return claimed.replay as PushAnswer;
    const result = await applyChange(client, user, request);
    await storeAnswer(client, request.changeId, result);
    return result;
  });
  faults?.afterCommit?.(request.changeId);
  return answer;
}

/** Throws 403 naming the first county of `counties` outside the user's scope. */
export function checkScope(user: HubUser, counties: Iterable<number | null>, what: string): void {
  for (const county of counties) {
    if (!inScope(user, county)) {
      const name = county === null ? 'outside every county' : `county ${county}`;
      throw new HubError(403, 'out-of-scope', `${what} lies in ${name}, outside the counties of user "${user.name}"`, { county: county ?? 0 });
    }
  }
}

async function checkAttachments(client: PoolClient, request: PushRequest): Promise<void> {
  const refs = new Map((request.attachments ?? []).map((ref) => [ref.attachmentId, ref]));
  const needed: string[] = [];
  for (const entry of request.entries) {
    if (entry.operation !== 'attach' || entry.attachment === undefined) continue;
    const ref = refs.get(entry.attachment.id);
    if (ref === undefined) continue; // the request schema refuses this
    needed.push(ref.sha256);
    if (ref.thumbnailSha256 !== undefined) needed.push(ref.thumbnailSha256);
  }
  if (needed.length === 0) return;
  const present = await client.query<{ sha256: string }>('SELECT sha256 FROM hub.attachments WHERE sha256 = ANY($1::text[])', [needed]);
  const have = new Set(present.rows.map((row) => row.sha256));
  const missing = needed.find((sha256) => !have.has(sha256));
  if (missing !== undefined) {
    throw new HubError(409, 'missing-attachment', `attachment ${missing} is not on the hub: upload it first (PUT /v1/attachments/${missing})`, { sha256: missing });
  }
}

/** A merged feature that does not fit its layer is not written: each field it would apply becomes a conflict. */
function refuseInvalid(result: BaseMergeResult, hub: HubFeatureState | null, entry: JournalEntry, layer: LayerDefinition): BaseMergeResult {
  if (result.write !== 'upsert' || result.content === null) return result;
  const issues = validateFeatureAgainstLayer(layer, { id: entry.featureId, layerId: entry.layerId, ...result.content, updatedAt: result.content.createdAt, revision: 1 });
  if (issues.length === 0) return result;
  const hubContent = hub === null || hub.deleted ? null : hub.content;
  const conflicts: BaseConflict[] = result.applied.map((field) => ({
    kind: 'field',
    field,
    base: (entry.operation === 'create' ? undefined : readField(entry.before, field)) ?? null,
    theirs: readField(result.content, field) ?? null,
    hub: readField(hubContent, field) ?? null,
  }));
  return { ...result, write: 'none', content: hub?.content ?? null, applied: [], conflicts: [...result.conflicts, ...conflicts] };
}

async function applyChange(client: PoolClient, user: HubUser, request: PushRequest): Promise<PushAnswer> {
  const layers = await layersFor(client, user, request.entries.map((entry) => entry.layerId), request.layers ?? []);
  const locked = await lockFeatures(client, request.entries.map((entry) => ({ layerId: entry.layerId, featureId: entry.featureId })));
  for (const entry of request.entries) {
    const where = `feature "${entry.featureId}" of layer "${entry.layerId}"`;
    checkScope(user, [locked.get(keyOf(entry.layerId, entry.featureId))?.state.content.county, entry.before?.county, entry.after?.county].filter((county) => county !== undefined), where);
  }
  await checkAttachments(client, request);

  const refs = new Map((request.attachments ?? []).map((ref) => [ref.attachmentId, ref]));
  const states = new Map<string, LockedFeature | null>();
  const results = new Map<string, PushFeatureResult>();
  const contentWritten = new Set<string>();
  const photoOnly = new Map<string, { layerId: string; featureId: string }>();
  for (const entry of request.entries) {
    const key = keyOf(entry.layerId, entry.featureId);
    const current = states.has(key) ? (states.get(key) ?? null) : (locked.get(key) ?? null);
    const layer = layers.get(entry.layerId) as LayerDefinition;
    const merged = refuseInvalid(mergeAgainstBase(current?.state ?? null, entry), current?.state ?? null, entry, layer);
    await setWriter(client, {
      changeId: request.changeId,
      entryId: entry.id,
      userId: user.id,
      userName: user.name,
      device: entry.device,
      authorName: entry.authorName ?? null,
      note: entry.note ?? null,
      clientTime: entry.time,
    });
    let version = current?.version ?? 0;
    if (merged.write === 'upsert' && merged.content !== null) version = await upsertFeature(client, entry.layerId, entry.featureId, merged.content, current !== null);
    else if (merged.write === 'delete') version = await deleteFeature(client, entry.layerId, entry.featureId);
    if (merged.write !== 'none') contentWritten.add(key);
    if (merged.photos.length > 0) photoOnly.set(key, { layerId: entry.layerId, featureId: entry.featureId });
    for (const photo of merged.photos) {
      const ref = refs.get(photo.attachmentId);
      const meta = entry.attachment;
      await writePhoto(client, entry.layerId, entry.featureId, {
        ...photo,
        ...(ref === undefined ? {} : { sha256: ref.sha256, ...(ref.thumbnailSha256 === undefined ? {} : { thumbnailSha256: ref.thumbnailSha256 }) }),
        ...(meta === undefined ? {} : { fileName: meta.fileName, mediaType: meta.mediaType, byteSize: meta.byteSize, createdAt: meta.createdAt }),
      });
    }
    const next = nextHubState(current?.state ?? null, merged);
    states.set(key, next === null ? null : { state: next, version });

    const feature = results.get(key) ?? { layerId: entry.layerId, featureId: entry.featureId, version, applied: [], unchanged: [], conflicts: [] };
    feature.version = version;
    feature.applied.push(...merged.applied);
    feature.unchanged.push(...merged.unchanged);
    const county = next?.content.county ?? entry.after?.county ?? entry.before?.county ?? null;
    for (const conflict of merged.conflicts) {
      const id = await insertConflict(client, user, request, entry, conflict, county, version);
      feature.conflicts.push({ id, field: conflict.field, kind: conflict.kind });
    }
    results.set(key, feature);
  }
  // A photo attached or detached without a content write makes no feature version, so no trigger
  // logs it: log it here, or other devices never pull the photo.
  for (const [key, feature] of photoOnly) if (!contentWritten.has(key)) await logPhotoChange(client, feature.layerId, feature.featureId);

  const features = [...results.values()].map((feature) => ({ ...feature, applied: [...new Set(feature.applied)], unchanged: [...new Set(feature.unchanged)] }));
  const applied = features.some((feature) => feature.applied.length > 0);
  const conflicted = features.some((feature) => feature.conflicts.length > 0);
  const status = conflicted ? (applied ? 'partly-applied' : 'conflict') : applied ? 'applied' : 'noop';
  return { changeId: request.changeId, status, features };
}

async function insertConflict(client: PoolClient, user: HubUser, request: PushRequest, entry: JournalEntry, conflict: BaseConflict, county: number | null, hubVersion: number): Promise<number> {
  const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
  const inserted = await client.query<{ id: string }>(
    `INSERT INTO hub.conflicts (layer_id, feature_id, county, change_id, entry_id, kind, field, base, theirs, hub, hub_version, user_id, device)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::jsonb, $11, $12, $13)
     ON CONFLICT (change_id, entry_id, field) DO NOTHING RETURNING id`,
    [entry.layerId, entry.featureId, county, request.changeId, entry.id, conflict.kind, conflict.field, json(conflict.base), json(conflict.theirs), json(conflict.hub), hubVersion, user.id, request.device],
  );
  const id = inserted.rows[0]?.id;
  if (id !== undefined) return Number(id);
  const existing = await client.query<{ id: string }>('SELECT id FROM hub.conflicts WHERE change_id = $1 AND entry_id = $2 AND field = $3', [request.changeId, entry.id, conflict.field]);
  return Number(existing.rows[0]?.id);
}
