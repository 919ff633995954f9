import type { FeatureOperation } from '../../db';
import { canTransition, type LayerDefinition, type PropertyValue } from '../../../../shared/model';


/** The statuses a feature may move to next, by the layer's workflow. */
export function nextStatuses(layer: LayerDefinition, current: string): string[] {
  return layer.status.states.map((state) => state.value).filter((value) => value !== current && canTransition(layer, current, value));
}

/**
 * The operation that moves a feature to `status` on `date`: the status itself, plus the date in
 * the field the workflow names for that status (e.g. sealedDate for sealed).
 */
export function statusChangeOperation(layer: LayerDefinition, featureId: string, status: string, date: string): FeatureOperation {
  const dateField = layer.status.states.find((state) => state.value === status)?.dateField;
  const properties: Record<string, PropertyValue> = {};
  if (dateField) properties[dateField] = date;
  return { kind: 'update', layerId: layer.id, featureId, status, properties };
}
