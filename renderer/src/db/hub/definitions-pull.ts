// Pulling definitions (every sync: they are small): the hub's layer definitions, target sets and
// targets, applied through `transact` as pulled changes (`applies: ['hub:<kind>/<id>@<version>']`:
// not versions of this device, never pushed back, not in undo), so this store holds what the hub
// holds. A definition with a change of this store still waiting is left alone (the push decides);
// a refused push (409: someone changed it first) is undone here by the hub's record. A layer
// definition whose change the features here refuse, or a target whose layer or fields this store
// lacks, is skipped and reported, never half-applied. The hub's versions are kept as the base of
// this store's next writes.
import type { HubClient } from '../../../../shared/sync/hub/client';
import type { HubLayer, HubTarget, HubTargetSet, LayersResponse, WorkspaceResponse } from '../../../../shared/sync/hub/layers';
import { canonicalJson } from '../../../../shared/sync';
import {
  definitionChangeProblems,
  definitionVersion,
  listTargetSets,
  propertiesAfterDefinitionChange,
  targetIssues,
  targetSetIdOf,
  type LayerDefinition,
} from '../../../../shared/model';
import type { OneMapDatabase } from '../schema';
import { transact, transactTables, type FeatureOperation } from '../transact';
import { readLayer } from '../repositories';
import { TARGET_SET_RECORD_PREFIX } from '../change/target-types';
import { definitionKey, pendingDefinitionKeys, readDefinitionVersions, writeDefinitionVersions, type DefinitionKind } from './definition-records';

export interface DefinitionPullResult {
  /** `kind:id` of every definition this pull changed here. */
  changed: string[];
  /** `kind:id` and why, of what the hub holds and this store could not take. */
  skipped: { key: string; reason: string }[];
}

const applies = (kind: DefinitionKind, record: { id: string; version: number }): string[] => [`hub:${kind}/${record.id}@${record.version}`];
const withoutVersion = ({ version: _version, ...definition }: LayerDefinition): Omit<LayerDefinition, 'version'> => definition;
const sameDefinition = (left: LayerDefinition, right: LayerDefinition): boolean => canonicalJson(withoutVersion(left)) === canonicalJson(withoutVersion(right));
const same = (left: unknown, right: unknown): boolean => canonicalJson(left ?? null) === canonicalJson(right ?? null);

/** Who pulled definition changes are written as: the hub user who wrote them, if they all have one. */
function writerOf(records: readonly { updatedBy?: string | null | undefined }[]): { author: string; authorName: string; device: string } {
  const names = new Set(records.map((record) => record.updatedBy ?? 'hub'));
  const name = names.size === 1 ? ([...names][0] as string) : 'hub';
  return { author: name, authorName: name, device: 'hub' };
}

/** The layer operations that make this store's definitions the hub's (and the features' values of removed fields go). */
async function layerOperations(database: OneMapDatabase, layers: readonly HubLayer[], pending: ReadonlySet<string>, result: DefinitionPullResult): Promise<{ operations: FeatureOperation[]; written: HubLayer[] }> {
  const operations: FeatureOperation[] = [];
  const written: HubLayer[] = [];
  for (const layer of layers) {
    const key = definitionKey('layer', layer.id);
    if (layer.deleted || pending.has(key)) continue;
    const local = await database.layers.get(layer.id);
    if (local === undefined) {
      operations.push({ kind: 'create-layer', layerId: layer.id, layer: layer.definition, applies: applies('layer', layer) });
    } else if (!sameDefinition(local, layer.definition)) {
      // The hub's version inside the definition, or the next one here if this store counted further.
      const after: LayerDefinition = { ...layer.definition, version: Math.max(definitionVersion(layer.definition), definitionVersion(local) + 1) };
      const { features } = await readLayer(database, layer.id);
      const input = { before: { ...local, version: definitionVersion(after) - 1 }, after, features };
      const problems = definitionChangeProblems(input);
      if (problems.length > 0) {
        result.skipped.push({ key, reason: problems.map((problem) => `${problem.code} at ${problem.path}`).join('; ') });
        continue;
      }
      operations.push({ kind: 'update-layer', layerId: layer.id, layer: after, applies: applies('layer', layer) });
      for (const feature of features) {
        const removed = propertiesAfterDefinitionChange(input, feature);
        if (Object.keys(removed).length === 0) continue;
        const properties = { ...feature.properties };
        for (const field of Object.keys(removed)) delete properties[field];
        const to = { geometry: feature.geometry, properties, status: feature.status, county: feature.county, demo: feature.demo, createdAt: feature.createdAt };
        operations.push({ kind: 'restore', layerId: layer.id, featureId: feature.id, to, applies: applies('layer', layer) });
      }
    } else continue;
    written.push(layer);
    result.changed.push(key);
  }
  return { operations, written };
}

/** The target and set operations that make this store's the hub's: sets put, targets put, targets removed, sets removed. */
async function targetOperations(database: OneMapDatabase, sets: readonly HubTargetSet[], targets: readonly HubTarget[], pending: ReadonlySet<string>, result: DefinitionPullResult): Promise<{ operations: FeatureOperation[]; written: (HubTarget | HubTargetSet)[] }> {
  const setPuts: FeatureOperation[] = [];
  const targetPuts: FeatureOperation[] = [];
  const targetRemoves: FeatureOperation[] = [];
  const setRemoves: FeatureOperation[] = [];
  const written: (HubTarget | HubTargetSet)[] = [];
  const localSets = new Map((await database.targetSets.toArray()).map((set) => [set.id, set]));
  const localTargets = new Map((await database.targets.toArray()).map((target) => [target.id, target]));
  const layers = await database.layers.toArray();
  const liveSets = new Set(listTargetSets(sets.filter((set) => !set.deleted).map((set) => set.set), targets.filter((target) => !target.deleted).map((target) => target.target)).map((set) => set.id));
  for (const set of sets) {
    const key = definitionKey('target-set', set.id);
    const here = localSets.get(set.id);
    if (pending.has(key)) continue;
    const layerId = `${TARGET_SET_RECORD_PREFIX}${set.id}`;
    if (set.deleted && here !== undefined) setRemoves.push({ kind: 'remove-target-set', layerId, setId: set.id, applies: applies('target-set', set) });
    else if (!set.deleted && !same(here, set.set)) setPuts.push({ kind: 'put-target-set', layerId, set: set.set, applies: applies('target-set', set) });
    else continue;
    written.push(set);
    result.changed.push(key);
  }
  for (const target of targets) {
    const key = definitionKey('target', target.id);
    const here = localTargets.get(target.id);
    if (pending.has(key)) continue;
    if (target.deleted && here !== undefined) {
      targetRemoves.push({ kind: 'remove-target', layerId: here.layerId, targetId: target.id, applies: applies('target', target) });
    } else if (!target.deleted && !same(here, target.target)) {
      const { issues } = targetIssues(target.target, layers, liveSets);
      if (issues.length > 0) {
        result.skipped.push({ key, reason: issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ') });
        continue;
      }
      targetPuts.push({ kind: 'put-target', layerId: target.target.layerId, target: target.target, applies: applies('target', target) });
    } else continue;
    written.push(target);
    result.changed.push(key);
  }
  // What this store holds and the hub never had (a create the hub refused): the hub's word stands.
  const onHub = new Set(targets.map((target) => target.id));
  for (const here of localTargets.values()) {
    if (onHub.has(here.id) || pending.has(definitionKey('target', here.id))) continue;
    targetRemoves.push({ kind: 'remove-target', layerId: here.layerId, targetId: here.id, applies: [`hub:target/${here.id}@0`] });
    result.changed.push(definitionKey('target', here.id));
  }
  const setsOnHub = new Set(sets.map((set) => set.id));
  const removedTargets = new Set(targetRemoves.map((operation) => (operation as { targetId: string }).targetId));
  for (const here of localSets.values()) {
    if (setsOnHub.has(here.id) || pending.has(definitionKey('target-set', here.id))) continue;
    const left = [...localTargets.values()].some((target) => !removedTargets.has(target.id) && targetSetIdOf(target) === here.id);
    if (left) continue;
    setRemoves.push({ kind: 'remove-target-set', layerId: `${TARGET_SET_RECORD_PREFIX}${here.id}`, setId: here.id, applies: [`hub:target-set/${here.id}@0`] });
    result.changed.push(definitionKey('target-set', here.id));
  }
  return { operations: [...setPuts, ...targetPuts, ...targetRemoves, ...setRemoves], written };
}

/**
 * Applies the hub's definitions (see the file comment). Takes the answers of `GET /v1/workspace`
 * and `GET /v1/layers` when the caller has them; asks for them otherwise.
 */
export async function pullDefinitions(
  database: OneMapDatabase,
  client: HubClient,
  options: { signal?: unknown; workspace?: WorkspaceResponse; layers?: LayersResponse } = {},
): Promise<DefinitionPullResult> {
  const workspace = options.workspace ?? (await client.workspace(options.signal));
  const { layers } = options.layers ?? (await client.layers(options.signal));
  const result: DefinitionPullResult = { changed: [], skipped: [] };
  await database.transaction('rw', [...transactTables(database), database.targets, database.targetSets], async () => {
    const pending = await pendingDefinitionKeys(database);
    const layerChange = await layerOperations(database, layers, pending, result);
    if (layerChange.operations.length > 0) await transact(database, { ...writerOf(layerChange.written), operations: layerChange.operations, allowAnyStatusChange: true });
    // A hub before schema 5 lists no versioned sets and targets: its targets are taken as they are.
    const sets = workspace.targetSets ?? [];
    const targets = workspace.targetRecords ?? workspace.targets.map((target) => ({ id: target.id, version: 1, deleted: false, updatedAt: new Date(0).toISOString(), target }));
    const targetChange = await targetOperations(database, sets, targets, pending, result);
    if (targetChange.operations.length > 0) await transact(database, { ...writerOf(targetChange.written), operations: targetChange.operations });
    const versions = await readDefinitionVersions(database);
    for (const layer of layers) {
      versions[definitionKey('layer', layer.id)] = layer.version;
      versions[definitionKey('layer-definition', layer.id)] = definitionVersion(layer.definition);
    }
    for (const set of sets) versions[definitionKey('target-set', set.id)] = set.version;
    if (workspace.targetRecords !== undefined) for (const target of targets) versions[definitionKey('target', target.id)] = target.version;
    await writeDefinitionVersions(database, versions);
  });
  return result;
}
