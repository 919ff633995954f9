// One `apply` for the feature operations of a change: each operation goes, in order, to the
// step for its kind (apply-feature.ts, apply-attachment.ts); layer operations were applied before
// (apply-layer.ts). Pure: the state was read by `transact`, which writes what it becomes.
import { applyAttachmentOperation } from './apply-attachment';
import { applyFeatureOperation } from './apply-feature';
import { featureKey, isLayerOperation, isTargetOperation, type ApplyContext, type FeatureState } from './state';
import type { FeatureOperation, OperationProblem } from './types';

/** Applies the change's feature and photo operations to the state. Returns the problems of those refused. */
export function applyFeatureOperations(state: FeatureState, context: ApplyContext, operations: readonly FeatureOperation[]): OperationProblem[] {
  const problems: OperationProblem[] = [];
  operations.forEach((operation, operationIndex) => {
    if (isLayerOperation(operation) || isTargetOperation(operation)) return; // applied before / apply-target.ts
    const featureId = operation.kind === 'create' ? (operation.feature.id ?? context.newId()) : operation.featureId;
    const layer = state.layers.get(operation.layerId);
    const before = state.current.get(featureKey(operation.layerId, featureId)) ?? null;
    const issues =
      layer === undefined
        ? [{ path: 'layerId', message: `unknown layer "${operation.layerId}"` }]
        : operation.kind === 'attach' || operation.kind === 'reattach' || operation.kind === 'detach'
          ? applyAttachmentOperation(state, context, operation, featureId, before)
          : applyFeatureOperation(state, context, layer, operation, featureId, before);
    if (issues.length > 0) problems.push({ operationIndex, layerId: operation.layerId, featureId, issues });
  });
  return problems;
}
