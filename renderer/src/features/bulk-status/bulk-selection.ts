import { canTransition, type Feature, type LayerDefinition } from '../../../../shared/model';

/** Whether the workflow lets `feature` move to `status` (staying put is no move). */
export const movable = (layer: LayerDefinition, feature: Feature, status: string) => feature.status !== status && canTransition(layer, feature.status, status);

/**
 * The status the dialog opens on: the one the most selected features may move to (workflow order
 * breaks ties), never one nothing can move to; '' when no selected feature can move at all.
 */
export function defaultBulkStatus(layer: LayerDefinition, features: readonly Feature[]): string {
  let best = '';
  let bestCount = 0;
  for (const state of layer.status.states) {
    const count = features.filter((feature) => movable(layer, feature, state.value)).length;
    if (count > bestCount) [best, bestCount] = [state.value, count];
  }
  return best;
}
