// Targets and target sets put or removed travel as target changes (shared/sync/targets.ts): this
// device's `layerJournal` target records and those received (kept in meta `sync-target-change:<id>`).
import { targetRegisters, type TargetChange } from '../../../../shared/sync';
import { targetIssues, type LayerDefinition } from '../../../../shared/model';
import type { OneMapDatabase } from '../schema';
import type { LayerJournalRecord } from '../records';
import type { FeatureOperation } from '../transact';
import { TARGET_RECORD_PREFIX, TARGET_SET_RECORD_PREFIX } from '../change/target-types';

export const TARGET_CHANGE_PREFIX = 'sync-target-change:';

/** What an import did to targets: applied (`<kind>:<id>`) and refused here (a layer or field this store lacks). */
export interface TargetChangesReport {
  applied: string[];
  skipped: string[];
}

/** A `layerJournal` record as a target change, when it is one made here (not an applied one). */
function localTargetChange(record: LayerJournalRecord): TargetChange | null {
  if (record.applies !== undefined) return null;
  const common = { id: record.id, author: record.author, ...(record.authorName === undefined ? {} : { authorName: record.authorName }), device: record.device, time: record.time };
  if (record.target !== undefined) return { ...common, kind: 'target', key: record.layerId.slice(TARGET_RECORD_PREFIX.length), target: record.target.after };
  if (record.targetSet !== undefined) return { ...common, kind: 'set', key: record.layerId.slice(TARGET_SET_RECORD_PREFIX.length), set: record.targetSet.after };
  return null;
}

/** Every target change this device knows: its own and those received. Runs in the caller's transaction. */
export async function knownTargetChanges(database: OneMapDatabase): Promise<TargetChange[]> {
  const local = (await database.layerJournal.where('layerId').startsWith('target').toArray()).map(localTargetChange).filter((change): change is TargetChange => change !== null);
  const received = (await database.meta.where('key').startsWith(TARGET_CHANGE_PREFIX).toArray()).map((row) => row.value as TargetChange);
  return [...local, ...received];
}

/** The received changes not yet known here. */
export async function freshTargetChanges(database: OneMapDatabase, changes: readonly TargetChange[]): Promise<TargetChange[]> {
  const ids = changes.map((change) => change.id);
  const known = new Set<string>([
    ...(await database.layerJournal.where('id').anyOf(ids).toArray()).map((record) => record.id),
    ...((await database.meta.where('key').anyOf(ids.map((id) => `${TARGET_CHANGE_PREFIX}${id}`)).primaryKeys()) as string[]).map((key) => key.slice(TARGET_CHANGE_PREFIX.length)),
  ]);
  return changes.filter((change) => !known.has(change.id));
}

/**
 * Adds to an import's operations what the fresh target changes decide: for each target and set
 * whose latest change is a fresh one and differs from what is here, a put or a remove (sets put
 * first, sets removed last). A target whose layer or fields this store does not have is left
 * out and reported (`skipped`), never half-applied. Mutates `operations`.
 */
export async function planTargetChanges(database: OneMapDatabase, fresh: readonly TargetChange[], operations: FeatureOperation[], layers: ReadonlyMap<string, LayerDefinition>): Promise<TargetChangesReport> {
  const report: TargetChangesReport = { applied: [], skipped: [] };
  if (fresh.length === 0) return report;
  const freshIds = new Set(fresh.map((change) => change.id));
  const registers = targetRegisters([...(await knownTargetChanges(database)), ...fresh]);
  const allLayers = new Map(layers);
  for (const layer of await database.layers.toArray()) if (!allLayers.has(layer.id)) allLayers.set(layer.id, layer);
  const puts: FeatureOperation[] = [];
  const setPuts: FeatureOperation[] = [];
  const removes: FeatureOperation[] = [];
  const setRemoves: FeatureOperation[] = [];
  for (const [registerKey, change] of [...registers].sort(([left], [right]) => left.localeCompare(right))) {
    if (!freshIds.has(change.id)) continue;
    const applies = [change.id];
    if (change.kind === 'set') {
      const here = (await database.targetSets.get(change.key)) ?? null;
      if (JSON.stringify(here) === JSON.stringify(change.set ?? null)) continue;
      const layerId = `${TARGET_SET_RECORD_PREFIX}${change.key}`;
      if (change.set) setPuts.push({ kind: 'put-target-set', layerId, set: change.set, applies });
      else if (here !== null) setRemoves.push({ kind: 'remove-target-set', layerId, setId: change.key, applies });
      else continue;
    } else {
      const here = (await database.targets.get(change.key)) ?? null;
      if (JSON.stringify(here) === JSON.stringify(change.target ?? null)) continue;
      if (change.target) {
        if (targetIssues(change.target, [...allLayers.values()]).issues.length > 0) {
          report.skipped.push(registerKey);
          continue;
        }
        puts.push({ kind: 'put-target', layerId: change.target.layerId, target: change.target, applies });
      } else if (here !== null) removes.push({ kind: 'remove-target', layerId: here.layerId, targetId: change.key, applies });
      else continue;
    }
    report.applied.push(registerKey);
  }
  operations.push(...setPuts, ...puts, ...removes, ...setRemoves);
  return report;
}
