// `update-layer`: a new definition of an existing layer (the layer editor, its undo and redo, a
// definition received from another device). Pure, like apply-layer.ts: checks the definition and
// what the change may not do (shared/model/layer-definition-change.ts) and gives it the next
// version; `transact` then checks every live feature of the layer against it
// (`updatedLayerFeatureIssues`), so a change that would leave a feature invalid writes nothing.
import {
  definitionChangeProblems,
  definitionVersion,
  validateFeatureAgainstLayer,
  type Feature,
  type LayerDefinition,
  type ValidationIssue,
} from '../../../../shared/model';
import type { LayerPlan } from './apply-layer';
import type { LayerOperation } from './types';
import type { LayerJournalRecord } from '../records';

/** Undo of an `update-layer` record: the definition before, as the next version (versions only grow). */
export function inverseDefinitionChange(record: LayerJournalRecord): LayerOperation[] {
  if (record.before === null) return [];
  const { version: _replaced, ...definition } = record.before;
  return [{ kind: 'update-layer', layerId: record.layerId, layer: definition }];
}

type UpdateLayer = Extract<LayerOperation, { kind: 'update-layer' }>;

/** Applies one `update-layer` to the plan. The layer's `version` is the stored one + 1 (refused if the operation names another). */
export function applyUpdateLayer(plan: LayerPlan, operation: UpdateLayer): ValidationIssue[] {
  const before = plan.layers.get(operation.layerId);
  const busy = plan.newLayers.some((created) => created.layer.id === operation.layerId) || plan.removedLayers.some((removed) => removed.layer.id === operation.layerId);
  if (before === undefined || busy) return [{ path: 'layerId', message: `no layer "${operation.layerId}"` }];
  if (plan.renamedLayers.some((renamed) => renamed.before.id === operation.layerId) || plan.updatedLayers.some((updated) => updated.before.id === operation.layerId)) {
    return [{ path: 'layerId', message: `layer "${operation.layerId}" is changed twice in this change` }];
  }
  // A definition received from another device keeps its version (it may be several ahead).
  const received = operation.applies !== undefined && operation.layer.version !== undefined && operation.layer.version > definitionVersion(before);
  const version = received ? (operation.layer.version as number) : definitionVersion(before) + 1;
  if (operation.layer.version !== undefined && operation.layer.version !== version) {
    return [{ path: 'layer.version', message: `version ${operation.layer.version} does not follow ${definitionVersion(before)} (the layer was changed meanwhile)` }];
  }
  const after: LayerDefinition = { ...operation.layer, version };
  // The features are checked by transact, which reads them all: here only the definitions.
  const problems = definitionChangeProblems({ before: { ...before, version: version - 1 }, after, features: [] });
  if (problems.length > 0) return problems.map((problem) => ({ path: `layer.${problem.path}`, message: `${problem.code}: ${problem.message}` }));
  plan.layers.set(operation.layerId, after);
  plan.updatedLayers.push({ before, after, ...(operation.applies === undefined ? {} : { applies: operation.applies }) });
  return [];
}

/**
 * The live features of a layer the change gave a new definition, as the change leaves them, that
 * the new definition refuses: one issue per field (or status) with how many features and the first.
 */
export function updatedLayerFeatureIssues(layer: LayerDefinition, features: Iterable<Feature>): ValidationIssue[] {
  const byPath = new Map<string, { count: number; first: string; message: string }>();
  for (const feature of features) {
    for (const issue of validateFeatureAgainstLayer(layer, feature)) {
      const known = byPath.get(issue.path);
      if (known === undefined) byPath.set(issue.path, { count: 1, first: feature.id, message: issue.message });
      else known.count += 1;
    }
  }
  return [...byPath].map(([path, { count, first, message }]) => ({ path, message: `${count} feature(s) of layer "${layer.id}" would be invalid (first ${first}: ${message})` }));
}
