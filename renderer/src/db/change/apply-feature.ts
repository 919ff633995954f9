// The operations on a feature itself: create, update, update-geometry, delete, restore. Pure:
// each takes the state read for the change and one operation, works out the feature after it,
// validates it (the one feature validator, then the status workflow), and — when it holds —
// drafts the journal entry and records the new value; otherwise it returns the problems.
import { canTransition, featureSchema, makeFeatureCode, type Feature, type LayerDefinition, type PropertyValue, type ValidationIssue } from '../../../../shared/model';
import { checkFeature } from '../validation';
import { detachAllPhotos } from './apply-attachment';
import { featureKey, journalDraft, type ApplyContext, type DraftSyncFields, type FeatureState } from './state';
import type { FeatureEditOperation } from './types';

/** Field checks that need the before state: the workflow and the date of the new status. */
export function statusChangeIssues(layer: LayerDefinition, before: Feature | null, after: Feature, allowAnyStatusChange: boolean): ValidationIssue[] {
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

/** The feature after the operation (null: deleted), or the problems that refuse it. */
function featureAfter(state: FeatureState, context: ApplyContext, layer: LayerDefinition, operation: FeatureEditOperation, featureId: string, before: Feature | null): { after: Feature | null } | { issues: ValidationIssue[] } {
  const key = featureKey(operation.layerId, featureId);
  switch (operation.kind) {
    case 'create': {
      if (before !== null) return { issues: [{ path: 'id', message: `feature "${featureId}" already exists` }] };
      const input = operation.feature;
      const properties = { ...input.properties };
      const code = input.id === undefined ? layer.featureCode : undefined;
      if (code !== undefined && properties[code.field] === undefined) {
        const sequence = (state.codeCounters.get(operation.layerId) ?? 0) + 1;
        state.codeCounters.set(operation.layerId, sequence);
        properties[code.field] = makeFeatureCode(code.prefix, context.deviceId, sequence);
      }
      return {
        after: {
          id: featureId,
          layerId: operation.layerId,
          geometry: input.geometry,
          properties,
          status: input.status ?? layer.status.initial,
          county: input.county ?? null,
          demo: input.demo ?? false,
          createdAt: context.time,
          updatedAt: context.time,
          revision: (state.tombstoneRevisions.get(key) ?? 0) + 1,
        },
      };
    }
    case 'update': {
      if (before === null) return { issues: [{ path: 'id', message: `no feature "${featureId}"` }] };
      const properties: Record<string, PropertyValue> = { ...before.properties };
      for (const [field, value] of Object.entries(operation.properties ?? {})) {
        if (value === undefined) delete properties[field];
        else properties[field] = value;
      }
      return {
        after: {
          ...before,
          properties,
          status: operation.status ?? before.status,
          county: operation.county === undefined ? before.county : operation.county,
          updatedAt: context.time,
          revision: before.revision + 1,
        },
      };
    }
    case 'update-geometry':
      if (before === null) return { issues: [{ path: 'id', message: `no feature "${featureId}"` }] };
      return { after: { ...before, geometry: operation.geometry, updatedAt: context.time, revision: before.revision + 1 } };
    case 'delete':
      if (before === null) return { issues: [{ path: 'id', message: `no feature "${featureId}"` }] };
      return { after: null };
    case 'restore': {
      const to = operation.to;
      if (before === null && to === null) return { issues: [{ path: 'id', message: `feature "${featureId}" is already deleted` }] };
      if (to === null) return { after: null };
      return {
        after: {
          id: featureId,
          layerId: operation.layerId,
          geometry: to.geometry,
          properties: { ...to.properties },
          status: to.status,
          county: to.county,
          demo: to.demo,
          createdAt: to.createdAt,
          updatedAt: context.time,
          revision: before === null ? (state.tombstoneRevisions.get(key) ?? 0) + 1 : before.revision + 1,
        },
      };
    }
  }
}

/**
 * Applies one operation on the feature `featureId` of `layer` (its current value: `before`).
 * Returns the problems; none when applied (entries drafted, the feature's new value recorded).
 */
export function applyFeatureOperation(state: FeatureState, context: ApplyContext, layer: LayerDefinition, operation: FeatureEditOperation, featureId: string, before: Feature | null): ValidationIssue[] {
  const result = featureAfter(state, context, layer, operation, featureId, before);
  if ('issues' in result) return result.issues;
  const { after } = result;
  if (after !== null) {
    // The store's schema, then (if it holds) the layer's rules and the status move. The fast
    // check gives the same issues as schema + layer checks (validation.ts), zod only when in doubt.
    const checked = checkFeature(layer, after);
    const issues = checked.length === 0 || schemaIssues(after).length === 0 ? [...checked, ...statusChangeIssues(layer, before, after, context.allowAnyStatusChange)] : checked;
    if (issues.length > 0) return issues;
  }
  const syncFields: DraftSyncFields = operation.kind === 'restore' ? operation : {};
  if (after === null && before !== null) detachAllPhotos(state, context, syncFields, operation.layerId, featureId);
  state.drafts.push(journalDraft(context, syncFields, operation.layerId, featureId, before === null ? 'create' : after === null ? 'delete' : 'update', { before, after }));
  const key = featureKey(operation.layerId, featureId);
  state.current.set(key, after);
  if (after === null && before !== null) state.tombstoneRevisions.set(key, before.revision + 1);
  return [];
}
