// Resolving a conflict: keep the hub's value, take the pushed one, or write an edited value. It is
// a change like a push, with its own change id — claimed in hub.applied_changes (idempotent),
// written under the same feature lock and `onemap.*` settings (logged, versioned) — and the
// conflict row keeps who resolved it, when and how.
import type { Pool, PoolClient } from 'pg';
import { z } from 'zod';
import { featureSchema, geometrySchema, propertyValueSchema, validateFeatureAgainstLayer, countyAdcodeSchema } from '../../shared/model';
import { isPropertyField, propertyKeyOf, type FeatureContent } from '../../shared/sync';
import type { ResolveAnswer, ResolveRequest } from '../../shared/sync/hub/changes';
import type { HubUser } from '../auth/user';
import { inTransaction } from '../db/transaction';
import { HubError, parseOrThrow } from './errors';
import { deleteFeature, keyOf, lockFeatures, setWriter, upsertFeature } from './features';
import { claimChange, requestHash, storeAnswer } from './idempotency';
import { layersFor } from './layers';
import { checkScope } from './push';

interface ConflictRow {
  id: string;
  layer_id: string;
  feature_id: string;
  county: number | null;
  kind: 'field' | 'edit-deleted' | 'delete-edited';
  field: string;
  theirs: unknown;
  resolved_at: Date | null;
}

// createdAt may come along (a pushed side keeps it) and is ignored: the hub's stays.
const contentSchema = featureSchema.pick({ geometry: true, properties: true, status: true, county: true, demo: true }).extend({ createdAt: z.string().optional() });

function fieldValueSchema(field: string): z.ZodType {
  if (isPropertyField(field)) return propertyValueSchema;
  switch (field) {
    case 'geometry':
      return geometrySchema;
    case 'status':
      return z.string().min(1);
    case 'county':
      return countyAdcodeSchema.nullable();
    case 'demo':
      return z.boolean();
    default:
      throw new HubError(400, 'invalid-request', `value: field "${field}" cannot be set by a resolution`);
  }
}

function withField(content: FeatureContent, field: string, value: unknown): FeatureContent {
  if (!isPropertyField(field)) return { ...content, [field]: value };
  const properties = { ...content.properties };
  if (value === null) delete properties[propertyKeyOf(field)];
  else properties[propertyKeyOf(field)] = value as FeatureContent['properties'][string];
  return { ...content, properties };
}

export async function resolveConflict(pool: Pool, user: HubUser, conflictId: number, request: ResolveRequest): Promise<ResolveAnswer> {
  const hash = requestHash({ resolve: conflictId, ...request });
  return inTransaction(pool, async (client) => {
    const claimed = await claimChange(client, request.changeId, user.id, null, hash);
    if (claimed.replay !== undefined) return claimed.replay as ResolveAnswer;
    const result = await applyResolution(client, user, conflictId, request);
    await storeAnswer(client, request.changeId, result);
    return result;
  });
}

async function applyResolution(client: PoolClient, user: HubUser, conflictId: number, request: ResolveRequest): Promise<ResolveAnswer> {
  const found = await client.query<ConflictRow>('SELECT id, layer_id, feature_id, county, kind, field, theirs, resolved_at FROM hub.conflicts WHERE id = $1 FOR UPDATE', [conflictId]);
  const conflict = found.rows[0];
  if (conflict === undefined) throw new HubError(404, 'not-found', `conflict ${conflictId} does not exist`, { conflictId });
  const what = `conflict ${conflictId} (feature "${conflict.feature_id}" of layer "${conflict.layer_id}")`;
  checkScope(user, [conflict.county], what);
  if (conflict.resolved_at !== null) throw new HubError(409, 'already-resolved', `${what} was already resolved`, { conflictId });

  const layers = await layersFor(client, user, [conflict.layer_id], []);
  const locked = (await lockFeatures(client, [{ layerId: conflict.layer_id, featureId: conflict.feature_id }])).get(keyOf(conflict.layer_id, conflict.feature_id));
  if (locked === undefined) throw new Error(`hub: ${what}: the feature row is missing`);
  const hub = locked.state;
  checkScope(user, [hub.content.county], what);

  // The decided outcome: null = keep the hub's row as it is; 'delete'; or a content to write.
  let target: FeatureContent | 'delete' | null = null;
  if (request.choice !== 'hub') {
    const chosen = request.choice === 'theirs' ? conflict.theirs : request.value;
    if (conflict.kind === 'field') {
      if (hub.deleted) throw new HubError(409, 'feature-deleted', `${what}: the feature was deleted since; resolve with "hub" or restore it first`, { conflictId });
      const value = parseOrThrow(fieldValueSchema(conflict.field), chosen, 'value');
      target = withField(hub.content, conflict.field, value);
    } else if (chosen === null) {
      target = 'delete';
    } else {
      const { createdAt: _ignored, ...content } = parseOrThrow(contentSchema, chosen, 'value');
      target = { ...content, createdAt: hub.content.createdAt };
    }
  }
  if (target !== null && target !== 'delete') {
    checkScope(user, [target.county], what);
    const layer = layers.get(conflict.layer_id);
    const issues = layer === undefined ? [] : validateFeatureAgainstLayer(layer, { id: conflict.feature_id, layerId: conflict.layer_id, ...target, updatedAt: target.createdAt, revision: 1 });
    const issue = issues[0];
    if (issue !== undefined) throw new HubError(400, 'invalid-request', `value.${issue.path}: ${issue.message}`, { path: `value.${issue.path}`, issues });
  }

  await setWriter(client, {
    changeId: request.changeId,
    entryId: `resolve:${conflictId}`,
    userId: user.id,
    userName: user.name,
    device: null,
    authorName: user.displayName ?? user.name,
    note: `resolves conflict ${conflictId} (${request.choice})`,
    clientTime: null,
  });
  let version = locked.version;
  if (target === 'delete') version = hub.deleted ? version : await deleteFeature(client, conflict.layer_id, conflict.feature_id);
  else if (target !== null) version = await upsertFeature(client, conflict.layer_id, conflict.feature_id, target, true);

  await client.query(
    `UPDATE hub.conflicts SET resolved_at = now(), resolved_by = $2, resolution = $3::jsonb, resolution_change_id = $4 WHERE id = $1`,
    [conflictId, user.id, JSON.stringify({ choice: request.choice, ...(request.value === undefined ? {} : { value: request.value }), version }), request.changeId],
  );
  return { conflictId, changeId: request.changeId, choice: request.choice, version, written: version !== locked.version };
}
