// The operations on a layer itself: create-layer (optionally with an imported base or a
// reinstated one), rename-layer, remove-layer. Pure: each takes the layers read for the change
// and one operation, and adds to the plan of what to write — or returns the problems. Applied
// before the feature operations, so features of the same change can be created in a new layer.
import { layerDefinitionSchema, type LayerDefinition, type ValidationIssue } from '../../../../shared/model';
import { ImportedLayerBase } from '../imported-base';
import { isStagedLayerBase, type StagedLayerBase } from '../staged-base';
import { deletesFeature, isLayerOperation } from './state';
import { applyUpdateLayer } from './apply-layer-definition';
import type { FeatureOperation, LayerOperation, OperationProblem, RemovedLayerState } from './types';

/** A layer the change creates. */
export interface NewLayer {
  layer: LayerDefinition;
  base?: ImportedLayerBase | StagedLayerBase;
  reinstate?: RemovedLayerState;
  source?: string;
  applies?: readonly string[];
}

/** What the layer operations of a change write: starts with the layers read, by id. */
export interface LayerPlan {
  /** Every layer the change names, the ones it creates included. */
  layers: Map<string, LayerDefinition>;
  newLayers: NewLayer[];
  removedLayers: { layer: LayerDefinition; applies?: readonly string[] }[];
  renamedLayers: { before: LayerDefinition; after: LayerDefinition; applies?: readonly string[] }[];
  /** `update-layer` (apply-layer-definition.ts). */
  updatedLayers: { before: LayerDefinition; after: LayerDefinition; applies?: readonly string[] }[];
}

/** What a layer operation needs to know of the rest of its change. */
export interface LayerOperationContext {
  /** The change's time, ISO (an imported base's features must have been made at it). */
  time: string;
  /** Layers that feature operations of the change act on. */
  featureLayerIds: ReadonlySet<string>;
  /** Layers that feature operations of the change keep features in (anything but deletes). */
  keptLayerIds: ReadonlySet<string>;
}

export function layerOperationContext(operations: readonly FeatureOperation[], time: string): LayerOperationContext {
  return {
    time,
    featureLayerIds: new Set(operations.filter((operation) => !isLayerOperation(operation)).map((operation) => operation.layerId)),
    keptLayerIds: new Set(operations.filter((operation) => !isLayerOperation(operation) && !deletesFeature(operation)).map((operation) => operation.layerId)),
  };
}

const schemaIssues = (issues: readonly { path: PropertyKey[]; message: string }[]): ValidationIssue[] =>
  issues.map((issue) => ({ path: `layer.${issue.path.join('.')}`, message: issue.message }));

/** Applies one layer operation to the plan. Returns the problems; none when applied. */
export function applyLayerOperation(plan: LayerPlan, context: LayerOperationContext, operation: LayerOperation): ValidationIssue[] {
  if (operation.kind === 'update-layer') return applyUpdateLayer(plan, operation);
  const { layers, newLayers, removedLayers, renamedLayers } = plan;
  const isNew = newLayers.some((candidate) => candidate.layer.id === operation.layerId);
  if (operation.kind === 'remove-layer' || operation.kind === 'rename-layer') {
    const layer = layers.get(operation.layerId);
    if (layer === undefined || isNew) return [{ path: 'layerId', message: `no layer "${operation.layerId}"` }];
    if (removedLayers.some((removed) => removed.layer.id === layer.id)) return [{ path: 'layerId', message: `layer "${operation.layerId}" is removed in this change` }];
    if (plan.updatedLayers.some((updated) => updated.before.id === layer.id)) return [{ path: 'layerId', message: `layer "${operation.layerId}" gets a new definition in this change` }];
    if (operation.kind === 'rename-layer') {
      if (renamedLayers.some((renamed) => renamed.before.id === layer.id)) return [{ path: 'layerId', message: `layer "${operation.layerId}" is renamed twice` }];
      const parsed = layerDefinitionSchema.safeParse({ ...layer, name: operation.name });
      if (!parsed.success) return schemaIssues(parsed.error.issues);
      renamedLayers.push({ before: layer, after: parsed.data, ...(operation.applies === undefined ? {} : { applies: operation.applies }) });
      return [];
    }
    // Its features may only be deleted with it (undo of a small import deletes them, then the layer).
    if (context.keptLayerIds.has(operation.layerId)) return [{ path: 'layerId', message: 'a layer can be removed only in a change that deletes the features it touches' }];
    if (renamedLayers.some((renamed) => renamed.before.id === layer.id)) return [{ path: 'layerId', message: `layer "${operation.layerId}" is renamed in this change` }];
    removedLayers.push({ layer, ...(operation.applies === undefined ? {} : { applies: operation.applies }) });
    return [];
  }
  const parsed = layerDefinitionSchema.safeParse(operation.layer);
  if (!parsed.success) return schemaIssues(parsed.error.issues);
  if (parsed.data.id !== operation.layerId) return [{ path: 'layer.id', message: `the layer's id "${parsed.data.id}" is not "${operation.layerId}"` }];
  if (layers.has(operation.layerId)) return [{ path: 'layer.id', message: `layer "${operation.layerId}" already exists` }];
  const { base, reinstate } = operation;
  if (base !== undefined) {
    // Every feature of the base was validated against this very definition as it was added.
    const staged = isStagedLayerBase(base);
    if (!(base instanceof ImportedLayerBase) && !staged) return [{ path: 'base', message: 'a base must be an ImportedLayerBase or a StagedLayerBase made by the import' }];
    if (base.layer !== operation.layer) return [{ path: 'base', message: 'the base was validated against another layer definition' }];
    if (!staged && base.invalid) return [{ path: 'base', message: 'the base holds features that were refused' }];
    if (base.time !== context.time) return [{ path: 'base', message: `the base's features were made at ${base.time}, not at the change's time ${context.time}` }];
    if (reinstate !== undefined) return [{ path: 'reinstate', message: 'a new layer has a base or a reinstated base, not both' }];
    if (context.featureLayerIds.has(operation.layerId)) return [{ path: 'base', message: 'a layer imported with a base has no other feature operations in its change' }];
  }
  if (reinstate !== undefined && reinstate.base !== null && reinstate.base.layerId !== operation.layerId) return [{ path: 'reinstate', message: 'the reinstated base is of another layer' }];
  layers.set(operation.layerId, parsed.data);
  newLayers.push({
    layer: parsed.data,
    ...(base === undefined ? {} : { base }),
    ...(reinstate === undefined ? {} : { reinstate }),
    ...(operation.source === undefined ? {} : { source: operation.source }),
    ...(operation.applies === undefined ? {} : { applies: operation.applies }),
  });
  return [];
}

/** Applies every layer operation of the change, in order, to a plan starting from the layers read. */
export function applyLayerOperations(layers: Map<string, LayerDefinition>, operations: readonly FeatureOperation[], time: string): { plan: LayerPlan; problems: OperationProblem[] } {
  const plan: LayerPlan = { layers, newLayers: [], removedLayers: [], renamedLayers: [], updatedLayers: [] };
  const context = layerOperationContext(operations, time);
  const problems: OperationProblem[] = [];
  operations.forEach((operation, operationIndex) => {
    if (!isLayerOperation(operation)) return;
    const issues = applyLayerOperation(plan, context, operation);
    if (issues.length > 0) problems.push({ operationIndex, layerId: operation.layerId, featureId: null, issues });
  });
  return { plan, problems };
}
