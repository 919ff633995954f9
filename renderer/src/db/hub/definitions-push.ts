// Pushing definition changes (`layerJournal` records made here: a layer created in the layer
// editor or given a new definition, a target set or target put or removed) to the hub, one request
// each (`PUT /v1/layers/:id`, `PUT|DELETE /v1/target-sets/:id`, `PUT|DELETE /v1/targets/:id`) with
// the hub version this store last saw as `baseVersion`. The record's id is the request's change id
// (its idempotency key: a record pushed again after a lost answer gets the stored answer). A 409
// `version-conflict` means someone changed it first: the change is recorded refused, and the
// pull that follows puts the hub's record here.
import type { HubClient } from '../../../../shared/sync/hub/client';
import type { HubLayer, HubTarget, HubTargetSet } from '../../../../shared/sync/hub/layers';
import { definitionVersion, type LayerDefinition } from '../../../../shared/model';
import type { HubPushRecord, LayerJournalRecord } from '../records';
import { definitionKey, definitionOf, type DefinitionVersions } from './definition-records';

/** What the panel names a definition change by. */
function nameOf(record: LayerJournalRecord): string {
  const value = record.target?.after ?? record.target?.before ?? record.targetSet?.after ?? record.targetSet?.before ?? record.after;
  if (value === null || value === undefined) return record.layerId;
  return 'title' in value ? value.title.zh : value.name.zh;
}

/** The `hubPushes` fields of a definition change, before its answer. */
export function definitionPushBase(record: LayerJournalRecord, position: number, time: string): Omit<HubPushRecord, 'status'> {
  const definition = definitionOf(record) as NonNullable<ReturnType<typeof definitionOf>>;
  return {
    changeId: record.id,
    firstSequence: position,
    lastSequence: position,
    entryCount: 1,
    features: [],
    definition: { ...definition, name: nameOf(record) },
    time,
  };
}

/**
 * Sends one definition change and notes the hub's new version in `versions`. Throws the
 * HubRequestError of a refusal (the caller records it) or of a failure (the caller stops).
 */
export async function pushDefinition(client: HubClient, record: LayerJournalRecord, versions: DefinitionVersions, device: string, signal?: unknown): Promise<'applied' | 'noop'> {
  const definition = definitionOf(record);
  if (definition === null) return 'noop';
  const { kind, id } = definition;
  const common = { changeId: record.id, baseVersion: versions[definitionKey(kind, id)] ?? 0, device };
  let written: HubLayer | HubTargetSet | HubTarget;
  let status: 'applied' | 'noop';
  if (kind === 'target') {
    const after = record.target?.after ?? null;
    const answer = after === null ? await client.deleteTarget(id, common, signal) : await client.putTarget(id, { ...common, target: after }, signal);
    ({ status, target: written } = answer);
  } else if (kind === 'target-set') {
    const after = record.targetSet?.after ?? null;
    const answer = after === null ? await client.deleteTargetSet(id, common, signal) : await client.putTargetSet(id, { ...common, set: after }, signal);
    ({ status, targetSet: written } = answer);
  } else {
    // Versions inside a definition count the hub's changes: the next one after the hub's.
    const hubVersion = versions[definitionKey('layer-definition', id)];
    const after = record.after as LayerDefinition;
    const layer: LayerDefinition = hubVersion === undefined && common.baseVersion === 0 ? after : { ...after, version: (hubVersion ?? definitionVersion(after) - 1) + 1 };
    const answer = await client.putLayer(id, { ...common, definition: layer }, signal);
    ({ status, layer: written } = answer);
    versions[definitionKey('layer-definition', id)] = definitionVersion(answer.layer.definition);
  }
  versions[definitionKey(kind, id)] = written.version;
  return status;
}
