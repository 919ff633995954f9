// transact(): the ONE write path for user edits. In a single read-write transaction it reads the
// current features, applies the operations, validates every result, writes the per-feature edit
// rows and appends one journal entry per feature operation — all of it or none of it. The
// promise resolves only after IndexedDB reports the transaction committed, so the UI shows
// "saved" only then.
import {
  canTransition,
  featureSchema,
  journalEntrySchema,
  validateFeatureAgainstLayer,
  type Feature,
  type Geometry,
  type JournalEntry,
  type LayerDefinition,
  type PropertyValue,
  type ValidationIssue,
} from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import type { FeatureEditRecord, StoredJournalEntry } from './records';
import { readCurrentFeatures } from './base';
import { ensureWorkspaceIdentity, randomId } from './identity';

/** A feature to create; the store fills in times and revision. */
export interface NewFeature {
  /** Stable id; a random UUID when absent. */
  id?: string;
  geometry: Geometry;
  properties: Record<string, PropertyValue>;
  /** Defaults to the layer's initial status. */
  status?: string;
  county?: number | null;
  demo?: boolean;
}

export type FeatureOperation =
  | { kind: 'create'; layerId: string; feature: NewFeature }
  | {
      /** Properties and/or status (and county). */
      kind: 'update';
      layerId: string;
      featureId: string;
      /** Merged into the current properties; a key set to `undefined` is removed. */
      properties?: Record<string, PropertyValue | undefined>;
      status?: string;
      county?: number | null;
    }
  | { kind: 'update-geometry'; layerId: string; featureId: string; geometry: Geometry }
  | { kind: 'delete'; layerId: string; featureId: string };

export interface Change {
  /** Who makes the change (shown in history). */
  author: string;
  /** One operation, or many committed as one group (one `changeId`, undone together). */
  operations: readonly FeatureOperation[];
  note?: string;
  /**
   * Skip the status workflow's allowed transitions — for undo and "restore this version",
   * which move a feature back. Field and status values are still validated.
   */
  allowAnyStatusChange?: boolean;
  /** The change's time; now when absent (tests pin it). */
  time?: Date;
}

export interface CommittedFeature {
  layerId: string;
  featureId: string;
  /** The feature after the change; null when deleted. */
  feature: Feature | null;
}

export interface CommittedChange {
  changeId: string;
  time: string;
  /** The journal entries appended, in order, with their journal sequence numbers. */
  entries: StoredJournalEntry[];
  /** The final value of every feature the change touched, once each. */
  features: CommittedFeature[];
}

export interface OperationProblem {
  operationIndex: number;
  layerId: string;
  featureId: string | null;
  issues: ValidationIssue[];
}

/** Thrown (and nothing written) when any operation of a change is invalid. */
export class ChangeRejectedError extends Error {
  constructor(readonly problems: OperationProblem[]) {
    const described = problems
      .slice(0, 5)
      .map((problem) => `#${problem.operationIndex} ${problem.layerId}/${problem.featureId ?? '(new)'}: ${problem.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
    if (problems.length > 5) described.push(`and ${problems.length - 5} more`);
    super(`change rejected: ${described.join(' | ')}`);
    this.name = 'ChangeRejectedError';
  }
}

function featureKey(layerId: string, featureId: string): string {
  return `${layerId}\u0000${featureId}`;
}

function operationFeatureId(operation: FeatureOperation): string | undefined {
  return operation.kind === 'create' ? operation.feature.id : operation.featureId;
}

/** Field checks that need the before state: the workflow and the date of the new status. */
function statusChangeIssues(layer: LayerDefinition, before: Feature | null, after: Feature, allowAnyStatusChange: boolean): ValidationIssue[] {
  if (before !== null && before.status === after.status) return [];
  const issues: ValidationIssue[] = [];
  if (before !== null && !allowAnyStatusChange && !canTransition(layer, before.status, after.status)) {
    issues.push({ path: 'status', message: `"${before.status}" cannot move to "${after.status}"` });
  }
  const state = layer.status.states.find((candidate) => candidate.value === after.status);
  if (before !== null && state?.dateField !== undefined) {
    const date = after.properties[state.dateField];
    if (date === undefined || date === null) {
      issues.push({ path: state.dateField, message: `entering "${after.status}" needs ${state.dateField}` });
    }
  }
  return issues;
}

function schemaIssues(feature: Feature): ValidationIssue[] {
  const result = featureSchema.safeParse(feature);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ path: issue.path.join('.') || 'feature', message: issue.message }));
}

/**
 * Applies a change. Resolves with what was committed once the transaction has committed;
 * rejects with {@link ChangeRejectedError} (nothing written) if any operation is invalid, or with
 * the IndexedDB error (nothing written) if the transaction fails.
 */
export async function transact(database: OneMapDatabase, change: Change): Promise<CommittedChange> {
  if (change.author.trim() === '') throw new ChangeRejectedError([{ operationIndex: -1, layerId: '', featureId: null, issues: [{ path: 'author', message: 'a change needs an author' }] }]);
  const time = (change.time ?? new Date()).toISOString();
  const changeId = randomId();
  const allowAnyStatusChange = change.allowAnyStatusChange === true;

  return database.transaction(
    'rw',
    [database.layers, database.layerBases, database.featureChunks, database.featureEdits, database.journal, database.meta],
    async () => {
      const { deviceId } = await ensureWorkspaceIdentity(database);

      // Read everything the change touches, once, before applying anything.
      const layerIds = [...new Set(change.operations.map((operation) => operation.layerId))];
      const layerRecords = await database.layers.bulkGet(layerIds);
      const layers = new Map<string, LayerDefinition>();
      layerRecords.forEach((layer) => {
        if (layer !== undefined) layers.set(layer.id, layer);
      });
      const current = new Map<string, Feature | null>();
      const tombstoneRevisions = new Map<string, number>();
      for (const layerId of layerIds) {
        const ids = [...new Set(change.operations.filter((operation) => operation.layerId === layerId).map(operationFeatureId).filter((id): id is string => id !== undefined))];
        const { features, edits } = await readCurrentFeatures(database, layerId, ids);
        for (const [featureId, feature] of features) current.set(featureKey(layerId, featureId), feature);
        for (const [featureId, edit] of edits) if (edit.feature === null) tombstoneRevisions.set(featureKey(layerId, featureId), edit.revision);
      }

      const problems: OperationProblem[] = [];
      const drafts: Omit<JournalEntry, 'id'>[] = [];
      change.operations.forEach((operation, operationIndex) => {
        const layer = layers.get(operation.layerId);
        const featureId = operation.kind === 'create' ? (operation.feature.id ?? randomId()) : operation.featureId;
        const reject = (issues: ValidationIssue[]): void => {
          problems.push({ operationIndex, layerId: operation.layerId, featureId, issues });
        };
        if (layer === undefined) return reject([{ path: 'layerId', message: `unknown layer "${operation.layerId}"` }]);
        const key = featureKey(operation.layerId, featureId);
        const before = current.get(key) ?? null;

        let after: Feature | null;
        switch (operation.kind) {
          case 'create': {
            if (before !== null) return reject([{ path: 'id', message: `feature "${featureId}" already exists` }]);
            const input = operation.feature;
            after = {
              id: featureId,
              layerId: operation.layerId,
              geometry: input.geometry,
              properties: { ...input.properties },
              status: input.status ?? layer.status.initial,
              county: input.county ?? null,
              demo: input.demo ?? false,
              createdAt: time,
              updatedAt: time,
              revision: (tombstoneRevisions.get(key) ?? 0) + 1,
            };
            break;
          }
          case 'update': {
            if (before === null) return reject([{ path: 'id', message: `no feature "${featureId}"` }]);
            const properties: Record<string, PropertyValue> = { ...before.properties };
            for (const [field, value] of Object.entries(operation.properties ?? {})) {
              if (value === undefined) delete properties[field];
              else properties[field] = value;
            }
            after = {
              ...before,
              properties,
              status: operation.status ?? before.status,
              county: operation.county === undefined ? before.county : operation.county,
              updatedAt: time,
              revision: before.revision + 1,
            };
            break;
          }
          case 'update-geometry': {
            if (before === null) return reject([{ path: 'id', message: `no feature "${featureId}"` }]);
            after = { ...before, geometry: operation.geometry, updatedAt: time, revision: before.revision + 1 };
            break;
          }
          case 'delete': {
            if (before === null) return reject([{ path: 'id', message: `no feature "${featureId}"` }]);
            after = null;
            break;
          }
        }

        if (after !== null) {
          const issues = schemaIssues(after);
          if (issues.length === 0) issues.push(...validateFeatureAgainstLayer(layer, after), ...statusChangeIssues(layer, before, after, allowAnyStatusChange));
          if (issues.length > 0) return reject(issues);
        }
        drafts.push({
          changeId,
          layerId: operation.layerId,
          featureId,
          operation: operation.kind === 'create' ? 'create' : operation.kind === 'delete' ? 'delete' : 'update',
          before,
          after,
          author: change.author,
          device: deviceId,
          time,
          ...(change.note === undefined ? {} : { note: change.note }),
        });
        current.set(key, after);
        if (after === null && before !== null) tombstoneRevisions.set(key, before.revision + 1);
      });

      const entries: JournalEntry[] = drafts.map((draft) => ({ id: randomId(), ...draft }));
      entries.forEach((entry, index) => {
        const result = journalEntrySchema.safeParse(entry);
        if (!result.success) {
          problems.push({
            operationIndex: index,
            layerId: entry.layerId,
            featureId: entry.featureId,
            issues: result.error.issues.map((issue) => ({ path: `journal.${issue.path.join('.')}`, message: issue.message })),
          });
        }
      });
      // Throwing inside the transaction aborts it: nothing above has been written yet anyway.
      if (problems.length > 0) throw new ChangeRejectedError(problems);

      const sequences = await database.journal.bulkAdd(entries, { allKeys: true });
      const stored: StoredJournalEntry[] = entries.map((entry, index) => ({ ...entry, sequence: sequences[index] as number }));

      // One edit row per feature: its last value in this change.
      const rows = new Map<string, FeatureEditRecord>();
      for (const entry of stored) {
        rows.set(featureKey(entry.layerId, entry.featureId), {
          layerId: entry.layerId,
          featureId: entry.featureId,
          feature: entry.after,
          revision: entry.after?.revision ?? (entry.before as Feature).revision + 1,
          sequence: entry.sequence,
          changeId,
        });
      }
      await database.featureEdits.bulkPut([...rows.values()]);

      return {
        changeId,
        time,
        entries: stored,
        features: [...rows.values()].map((row) => ({ layerId: row.layerId, featureId: row.featureId, feature: row.feature })),
      };
    },
  );
}
