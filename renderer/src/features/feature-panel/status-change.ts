import type { FeatureOperation } from '../../db';
import { canTransition, type LayerDefinition, type PropertyValue } from '../../../../shared/model';


/** The statuses a feature may move to next, by the layer's workflow. */
export function nextStatuses(layer: LayerDefinition, current: string): string[] {
  return layer.status.states.map((state) => state.value).filter((value) => value !== current && canTransition(layer, current, value));
}

/** The feature's own note field (备注), where a status change's note is written. */
export const noteFieldKey = 'note';

/**
 * The operation that moves a feature to `status` on `date`: the status itself, plus the date in
 * the field the workflow names for that status (e.g. sealedDate for sealed). A non-empty `note`
 * replaces the feature's 备注 (a text field keyed `note`), so the panel, the map and every export
 * show the latest note; the note it replaced stays in the history. The change's journal note
 * carries it too (the caller passes it to `transact`).
 */
export function statusChangeOperation(layer: LayerDefinition, featureId: string, status: string, date: string, note?: string): FeatureOperation {
  const dateField = layer.status.states.find((state) => state.value === status)?.dateField;
  const properties: Record<string, PropertyValue> = {};
  if (dateField) properties[dateField] = date;
  const trimmed = note?.trim();
  if (trimmed && layer.fields.some((field) => field.key === noteFieldKey && field.type === 'string')) properties[noteFieldKey] = trimmed;
  return { kind: 'update', layerId: layer.id, featureId, status, properties };
}
