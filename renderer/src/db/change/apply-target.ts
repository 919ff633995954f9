// The operations on targets and target sets: put-target, remove-target, put-target-set,
// remove-target-set (target-types.ts). Pure: each takes the targets, sets and layers read for the
// change and one operation, changes that state and records what to write — or returns the
// problems, each naming the field at fault (shared/model targetIssues). Undo inverts the records
// (`inverseTargetRecord`).
import { listTargetSets, targetIssues, targetSetIdOf, targetSetSchema, type LayerDefinition, type Target, type TargetSet, type ValidationIssue } from '../../../../shared/model';
import type { LayerJournalRecord } from '../records';
import { TARGET_RECORD_PREFIX, TARGET_SET_RECORD_PREFIX, type TargetOperation } from './target-types';
import type { FeatureOperation, OperationProblem } from './types';
import { isTargetOperation } from './state';

/** The targets and sets as read for the change, then as its operations leave them. */
export interface TargetState {
  targets: Map<string, Target>;
  sets: Map<string, TargetSet>;
  layers: ReadonlyMap<string, LayerDefinition>;
}

/** One change to a target or a set: what it was and what it becomes (null: absent). */
export type TargetChange =
  | { kind: 'target'; id: string; before: Target | null; after: Target | null; applies?: readonly string[] }
  | { kind: 'set'; id: string; before: TargetSet | null; after: TargetSet | null; applies?: readonly string[] };

const withApplies = (operation: TargetOperation): { applies?: readonly string[] } => (operation.applies === undefined ? {} : { applies: operation.applies });

/** The set ids a target may name now: stored sets and the sets targets already imply. */
function knownSetIds(state: TargetState): Set<string> {
  return new Set(listTargetSets([...state.sets.values()], [...state.targets.values()]).map((set) => set.id));
}

/** Applies one target operation to the state. Returns the problems; none when applied. */
export function applyTargetOperation(state: TargetState, operation: TargetOperation, changes: TargetChange[]): ValidationIssue[] {
  switch (operation.kind) {
    case 'put-target': {
      const { target, issues } = targetIssues(operation.target, [...state.layers.values()], knownSetIds(state));
      if (target === null) return issues;
      if (target.layerId !== operation.layerId) return [{ path: 'layerId', message: `the target measures "${target.layerId}", not "${operation.layerId}"` }];
      changes.push({ kind: 'target', id: target.id, before: state.targets.get(target.id) ?? null, after: target, ...withApplies(operation) });
      state.targets.set(target.id, target);
      return [];
    }
    case 'remove-target': {
      const before = state.targets.get(operation.targetId);
      if (before === undefined) return [{ path: 'id', message: `no target "${operation.targetId}"` }];
      changes.push({ kind: 'target', id: before.id, before, after: null, ...withApplies(operation) });
      state.targets.delete(before.id);
      return [];
    }
    case 'put-target-set': {
      const parsed = targetSetSchema.safeParse(operation.set);
      if (!parsed.success) return parsed.error.issues.map((issue) => ({ path: `set.${issue.path.map(String).join('.')}`, message: issue.message }));
      const set = parsed.data;
      const sameYear = [...state.sets.values()].find((other) => other.year === set.year && other.id !== set.id);
      if (sameYear !== undefined) return [{ path: 'set.year', message: `the set "${sameYear.id}" is already for ${set.year}` }];
      changes.push({ kind: 'set', id: set.id, before: state.sets.get(set.id) ?? null, after: set, ...withApplies(operation) });
      state.sets.set(set.id, set);
      return [];
    }
    case 'remove-target-set': {
      const before = state.sets.get(operation.setId);
      if (before === undefined) return [{ path: 'set.id', message: `no target set "${operation.setId}"` }];
      const left = [...state.targets.values()].filter((target) => targetSetIdOf(target) === before.id).length;
      if (left > 0) return [{ path: 'set.id', message: `the set "${before.id}" still has ${left} targets` }];
      changes.push({ kind: 'set', id: before.id, before, after: null, ...withApplies(operation) });
      state.sets.delete(before.id);
      return [];
    }
  }
}

/** Applies every target operation of the change, in order. */
export function applyTargetOperations(state: TargetState, operations: readonly FeatureOperation[]): { changes: TargetChange[]; problems: OperationProblem[] } {
  const changes: TargetChange[] = [];
  const problems: OperationProblem[] = [];
  operations.forEach((operation, operationIndex) => {
    if (!isTargetOperation(operation)) return;
    const issues = applyTargetOperation(state, operation, changes);
    if (issues.length > 0) problems.push({ operationIndex, layerId: operation.layerId, featureId: null, issues });
  });
  return { changes, problems };
}

/** The `layerJournal` fields of a target change (the caller adds who, when and the change id). */
export function targetRecordFields(change: TargetChange): Pick<LayerJournalRecord, 'layerId' | 'operation' | 'before' | 'after' | 'target' | 'targetSet'> {
  if (change.kind === 'target') {
    return { layerId: `${TARGET_RECORD_PREFIX}${change.id}`, operation: change.after === null ? 'remove-target' : 'put-target', before: null, after: null, target: { before: change.before, after: change.after } };
  }
  return { layerId: `${TARGET_SET_RECORD_PREFIX}${change.id}`, operation: change.after === null ? 'remove-target-set' : 'put-target-set', before: null, after: null, targetSet: { before: change.before, after: change.after } };
}

/** Whether a `layerJournal` record is a target's or a set's. */
export const isTargetRecord = (record: Pick<LayerJournalRecord, 'operation'>): boolean =>
  record.operation === 'put-target' || record.operation === 'remove-target' || record.operation === 'put-target-set' || record.operation === 'remove-target-set';

/** The operation that undoes a target record: put back what was before, or remove what was added. */
export function inverseTargetRecord(record: LayerJournalRecord): TargetOperation | null {
  if (record.target !== undefined) {
    const { before, after } = record.target;
    if (before !== null) return { kind: 'put-target', layerId: before.layerId, target: before };
    return after === null ? null : { kind: 'remove-target', layerId: after.layerId, targetId: after.id };
  }
  if (record.targetSet !== undefined) {
    const { before, after } = record.targetSet;
    if (before !== null) return { kind: 'put-target-set', layerId: `${TARGET_SET_RECORD_PREFIX}${before.id}`, set: before };
    return after === null ? null : { kind: 'remove-target-set', layerId: `${TARGET_SET_RECORD_PREFIX}${after.id}`, setId: after.id };
  }
  return null;
}

/** How undo names a target record's change: the target's or the set's title (zh), else undefined. */
export function targetRecordName(record: LayerJournalRecord): string | undefined {
  const value = record.target?.after ?? record.target?.before ?? record.targetSet?.after ?? record.targetSet?.before;
  return value?.title.zh;
}
