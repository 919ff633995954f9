// A layer definition received from another device (`define`, shared/sync/layers.ts): the layer is
// created here if it is not (and not removed), or given the received definition when that is a
// newer version than this device's — with the values of removed fields taken off the features
// the package does not bring, as the author's device did. A definition the features here would
// break (a value or state still in use here) is not applied: the import says so.
import { definitionChangeProblems, definitionVersion, propertiesAfterDefinitionChange, type DefinedFeature, type LayerDefinition } from '../../../../shared/model';
import type { LayerChange } from '../../../../shared/sync';
import type { OneMapDatabase } from '../schema';
import type { FeatureOperation } from '../transact';
import { readLayer } from '../repositories';

/** Adds the operations a received definition decides; returns what was done. Runs in the import's transaction. */
export async function planReceivedDefinition(
  database: OneMapDatabase,
  change: LayerChange & { layer: LayerDefinition },
  here: boolean,
  operations: FeatureOperation[],
): Promise<'created' | 'defined' | 'refused' | 'unchanged'> {
  const { layerId, layer } = change;
  if (!here) {
    operations.unshift({ kind: 'create-layer', layerId, layer, applies: [change.id] });
    return 'created';
  }
  const stored = await database.layers.get(layerId);
  // A layer this import creates from the package's layers.json already has the exporter's definition.
  if (stored === undefined || definitionVersion(layer) <= definitionVersion(stored)) return 'unchanged';
  // The features as the import leaves them: the package brings the author's values of its features.
  const features = new Map<string, DefinedFeature & { id: string }>((await readLayer(database, layerId)).features.map((feature) => [feature.id, feature]));
  const brought = new Set<string>();
  for (const operation of operations) {
    if (operation.kind !== 'restore' || operation.layerId !== layerId) continue;
    brought.add(operation.featureId);
    if (operation.to === null) features.delete(operation.featureId);
    else features.set(operation.featureId, { id: operation.featureId, ...operation.to });
  }
  const input = { before: { ...stored, version: definitionVersion(layer) - 1 }, after: layer, features: [...features.values()] };
  if (definitionChangeProblems(input).length > 0) return 'refused';
  operations.push({ kind: 'update-layer', layerId, layer, applies: [change.id] });
  for (const feature of features.values()) {
    const properties = propertiesAfterDefinitionChange(input, feature);
    if (!brought.has(feature.id) && Object.keys(properties).length > 0) operations.push({ kind: 'update', layerId, featureId: feature.id, properties });
  }
  return 'defined';
}
