// Targets and target sets in the store: what `transact` reads for the target operations and
// writes after them (change/apply-target.ts), and the reads the 目标管理 view and the dashboards use.
import { targetSetIdOf, type LayerDefinition, type Target, type TargetSet } from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import type { LayerJournalRecord } from './records';
import type { FeatureOperation } from './change/types';
import { isTargetOperation } from './change/state';
import { targetRecordFields, type TargetChange, type TargetState } from './change/apply-target';

/** The state the target operations start from: every target and set (few), and the layers they name. Runs in transact's transaction. */
export async function readTargetState(database: OneMapDatabase, operations: readonly FeatureOperation[], layers: ReadonlyMap<string, LayerDefinition>): Promise<TargetState | null> {
  const targetOperations = operations.filter(isTargetOperation);
  if (targetOperations.length === 0) return null;
  const [targets, sets] = await Promise.all([database.targets.toArray(), database.targetSets.toArray()]);
  const known = new Map(layers);
  const missing = [...new Set(targetOperations.flatMap((operation) => (operation.kind === 'put-target' ? [operation.target.layerId] : [])))].filter((id) => !known.has(id));
  for (const layer of await database.layers.bulkGet(missing)) if (layer !== undefined) known.set(layer.id, layer);
  return { targets: new Map(targets.map((target) => [target.id, target])), sets: new Map(sets.map((set) => [set.id, set])), layers: known };
}

/** Writes the target changes and returns their `layerJournal` records (not yet added). */
export async function writeTargetChanges(
  database: OneMapDatabase,
  changes: readonly TargetChange[],
  common: (applies: readonly string[] | undefined) => Omit<LayerJournalRecord, 'operation' | 'before' | 'after' | 'layerId'>,
): Promise<LayerJournalRecord[]> {
  const records: LayerJournalRecord[] = [];
  for (const change of changes) {
    if (change.kind === 'target') {
      if (change.after === null) await database.targets.delete(change.id);
      else await database.targets.put(change.after);
    } else if (change.after === null) await database.targetSets.delete(change.id);
    else await database.targetSets.put(change.after);
    records.push({ ...common(change.applies), ...targetRecordFields(change) });
  }
  return records;
}

/** The stored target sets. */
export function listStoredTargetSets(database: OneMapDatabase): Promise<TargetSet[]> {
  return database.targetSets.toArray();
}

/** The targets of one set (by `setId`; a target without one is found by its start year). */
export async function listTargetsOfSet(database: OneMapDatabase, setId: string): Promise<Target[]> {
  return (await database.targets.toArray()).filter((target) => targetSetIdOf(target) === setId);
}
