// POST /v1/changes: one change (the journal entries of one `transact` on a device) merged into the
// hub in one transaction. Refusals (scope, unknown layer, missing attachment bytes, reused change
// id) throw before COMMIT, so nothing of a refused change is written.
import { escapeLiteral, type Pool, type PoolClient } from 'pg';
import { readField, mergeAgainstBase, nextHubState, type BaseConflict, type BaseMergeResult, type HubFeatureState } from '../../shared/sync';
import type { PushAnswer, PushFeatureResult, PushRequest } from '../../shared/sync/hub/changes';
import { validateFeatureAgainstLayer, type JournalEntry, type LayerDefinition } from '../../shared/model';
import { inScope, type HubUser } from '../auth/user';
import { inBatchedTransaction } from '../db/transaction';
import type { HubFaults } from '../faults';
import { HubError } from './errors';
import { keyOf, lockFeatures, featureWriteSql, logPhotoChange, setWriter, writeFeature, writePhoto, type FeatureWrite, type LockedFeature, type WriterSettings } from './features';
import { requestHash, storeAnswerSql, storedAnswer } from './idempotency';
import { addCarriedLayers } from './layers';
import { openChangeSql, openedChange, type OpenedChange } from './open';
import { sessionRefusal } from '../auth/hook';
import { hubUserFromRow, tokenSha256 } from '../auth/tokens';

export type { HubFaults };

/** With `token`, the token's user is checked again inside the transaction, and that user's scope is the one applied. */
export async function pushChange(pool: Pool, signedIn: HubUser, request: PushRequest, faults?: HubFaults, token?: string): Promise<PushAnswer> {
  let user = signedIn;
  const hash = requestHash(request);
  const first = request.entries[0];
  const open = openChangeSql({
    changeId: request.changeId,
    userId: user.id,
    device: request.device,
    requestSha256: hash,
    // The first entry's settings; applyChange's writes set each entry's own.
    writer: writerOf(request, user, first),
    features: request.entries.map((entry) => ({ layerId: entry.layerId, featureId: entry.featureId })),
    layerIds: [...new Set(request.entries.map((entry) => entry.layerId))].sort(),
    ...(token === undefined ? {} : { tokenSha256: tokenSha256(token) }),
  });
  // Round trips: BEGIN + claim + settings + advisory locks + layers; the rows locked and read;
  // one write per entry; the answer stored + COMMIT.
  const answer = await inBatchedTransaction(pool, open, async (client, results) => {
    const opened = openedChange(results[0]?.rows[0], token !== undefined);
    if (opened.session !== undefined) user = currentUser(opened.session, signedIn);
    if (!opened.claimed) return { value: (await storedAnswer(client, request.changeId, hash)) as PushAnswer };
    const { answer: result, lastWrite } = await applyChange(client, user, request, opened.layers);
    if (lastWrite === undefined) return { value: result, last: storeAnswerSql(request.changeId, result) };
    // The change's one write goes with the answer and COMMIT; its version, from the triggers, is
    // put into the answer by SQL (result is NOT NULL: no written row, no commit).
    return {
      value: result,
      last: `WITH written AS (${featureWriteSql(lastWrite, (text) => (text === null ? 'NULL' : escapeLiteral(text)))})
        ${storeAnswerSql(request.changeId, result, "jsonb_set(%s, '{features,0,version}', (SELECT to_jsonb(version) FROM written))")} RETURNING result`,
      finish: (stored) => (stored.rows[0] as { result: PushAnswer }).result,
    };
  });
  faults?.afterCommit?.(request.changeId);
  return answer;
}

function currentUser(session: OpenedChange['session'], signedIn: HubUser): HubUser {
  if (session == null || Number(session.id) !== signedIn.id) throw sessionRefusal('unknown');
  if (session.expired) throw sessionRefusal('expired');
  if (session.disabled) throw sessionRefusal('disabled');
  return hubUserFromRow(session);
}

function writerOf(request: PushRequest, user: HubUser, entry: JournalEntry | undefined): WriterSettings {
  return {
    changeId: request.changeId,
    entryId: entry?.id ?? '',
    userId: user.id,
    userName: user.name,
    device: entry?.device ?? null,
    authorName: entry?.authorName ?? null,
    note: entry?.note ?? null,
    clientTime: entry?.time ?? null,
  };
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

interface AppliedChange {
  answer: PushAnswer;
  /** The change's only write, not yet run: the caller sends it with the answer and COMMIT. */
  lastWrite?: FeatureWrite;
}

async function applyChange(client: PoolClient, user: HubUser, request: PushRequest, stored: Map<string, LayerDefinition>): Promise<AppliedChange> {
  const layers = await addCarriedLayers(client, user, request.entries.map((entry) => entry.layerId), stored, request.layers ?? []);
  // The opening statement took the advisory locks of exactly these features (it runs only when it claimed the change).
  const locked = await lockFeatures(client, request.entries.map((entry) => ({ layerId: entry.layerId, featureId: entry.featureId })), { advisoryLocksHeld: true });
  for (const entry of request.entries) {
    const where = `feature "${entry.featureId}" of layer "${entry.layerId}"`;
    checkScope(user, [locked.get(keyOf(entry.layerId, entry.featureId))?.state.content.county, entry.before?.county, entry.after?.county].filter((county) => county !== undefined), where);
  }
  await checkAttachments(client, request);

  const refs = new Map((request.attachments ?? []).map((ref) => [ref.attachmentId, ref]));
  const states = new Map<string, LockedFeature | null>();
  const results = new Map<string, PushFeatureResult>();
  const photosChanged = new Set<string>();
  let lastWrite: FeatureWrite | undefined;
  for (const entry of request.entries) {
    const key = keyOf(entry.layerId, entry.featureId);
    const current = states.has(key) ? (states.get(key) ?? null) : (locked.get(key) ?? null);
    const layer = layers.get(entry.layerId) as LayerDefinition;
    const merged = refuseInvalid(mergeAgainstBase(current?.state ?? null, entry), current?.state ?? null, entry, layer);
    const writer = writerOf(request, user, entry);
    let version = current?.version ?? 0;
    const write: FeatureWrite | null =
      merged.write === 'upsert' && merged.content !== null ? { layerId: entry.layerId, featureId: entry.featureId, content: merged.content, exists: current !== null, writer }
      : merged.write === 'delete' ? { layerId: entry.layerId, featureId: entry.featureId, content: null, exists: true, writer }
      : null;
    // A lone entry's write with nothing after it (no conflict or photo row needs its version) is left to the caller.
    if (write !== null && request.entries.length === 1 && merged.conflicts.length === 0 && merged.photos.length === 0) lastWrite = write;
    else if (write !== null) version = await writeFeature(client, write);
    if (merged.photos.length > 0) {
      photosChanged.add(key);
      // The photo's history row (trigger) names this entry, not the last one written.
      await setWriter(client, writer);
    }
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

  await logPhotosOnly(client, request.changeId, photosChanged, locked, states, results);
  const features = [...results.values()].map((feature) => ({ ...feature, applied: [...new Set(feature.applied)], unchanged: [...new Set(feature.unchanged)] }));
  const applied = features.some((feature) => feature.applied.length > 0);
  const conflicted = features.some((feature) => feature.conflicts.length > 0);
  const status = conflicted ? (applied ? 'partly-applied' : 'conflict') : applied ? 'applied' : 'noop';
  const answer: PushAnswer = { changeId: request.changeId, status, features };
  return lastWrite === undefined ? { answer } : { answer, lastWrite };
}

/** Change-log rows for features whose photos changed while their row was not written. */
async function logPhotosOnly(client: PoolClient, changeId: string, keys: Set<string>, locked: Map<string, LockedFeature>, states: Map<string, LockedFeature | null>, results: Map<string, PushFeatureResult>): Promise<void> {
  const rows = [...keys]
    .map((key) => ({ key, start: locked.get(key)?.version ?? 0, end: states.get(key), feature: results.get(key) }))
    .filter((row) => row.end != null && row.feature !== undefined && row.end.version === row.start)
    .sort((a, b) => (a.end?.state.content.county ?? 0) - (b.end?.state.content.county ?? 0) || a.key.localeCompare(b.key));
  for (const row of rows) {
    if (row.end == null || row.feature === undefined) continue;
    await logPhotoChange(client, changeId, row.feature.layerId, row.feature.featureId, row.end.state.content.county, row.end.version);
  }
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
