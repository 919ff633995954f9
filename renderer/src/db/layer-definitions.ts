// Layer definitions a planner makes and changes (the layer editor): each ONE change through
// `transact` — `create-layer` for a new layer, `update-layer` (the whole definition before and
// after, `version` + 1) for a changed one — journaled, undoable, carried in edit packages.
// A changed definition takes the values of removed fields off the features and gives a new
// required field its default, in the same change: the values stay in the features' history and
// undo puts them back. What the change may not do is refused before anything is written, every
// case named (shared/model/layer-definition-change.ts).
import {
  definitionChangeProblems,
  definitionProblems,
  definitionVersion,
  propertiesAfterDefinitionChange,
  type DefinitionProblem,
  type LayerDefinition,
  type LocalizedText,
  type PropertyValue,
} from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import { transact, transactTables, type CommittedChange, type FeatureOperation } from './transact';
import { readLayer } from './repositories';
import { rethrowStorageError, StoreError } from './durability';

/** The definition (or its change) was refused: `problems` says why, each with its code. */
export class LayerDefinitionRefusedError extends StoreError {
  readonly messages: LocalizedText;

  constructor(
    readonly layerId: string,
    readonly problems: readonly DefinitionProblem[],
  ) {
    super('store.layer-definition-refused', `layer "${layerId}": ${problems.map((problem) => `${problem.code} at ${problem.path}: ${problem.message}`).join('; ')}`, undefined, {
      layerId,
      count: problems.length,
    });
    this.name = 'LayerDefinitionRefusedError';
    this.messages = { zh: `图层定义有 ${problems.length} 处问题，未保存。`, en: `The layer definition has ${problems.length} problem(s): nothing was saved.` };
  }
}

export interface LayerDefinitionRequest {
  author: string;
  note?: string;
  time?: Date;
}

const changeOptions = (request: LayerDefinitionRequest) => ({
  author: request.author,
  ...(request.note === undefined ? {} : { note: request.note }),
  ...(request.time === undefined ? {} : { time: request.time }),
});

/** Creates a layer from scratch (no features): one undoable change. */
export function createLayerDefinition(database: OneMapDatabase, request: LayerDefinitionRequest & { layer: LayerDefinition }): Promise<CommittedChange> {
  const { version: _ignored, ...layer } = request.layer;
  const problems = definitionProblems(layer);
  if (problems.length > 0) return Promise.reject(new LayerDefinitionRefusedError(layer.id, problems));
  return database
    .transaction('rw', transactTables(database), async () => {
      if ((await database.layers.get(layer.id)) !== undefined) {
        throw new LayerDefinitionRefusedError(layer.id, [{ code: 'layer-id-taken', path: 'id', message: `a layer "${layer.id}" exists` }]);
      }
      return transact(database, { ...changeOptions(request), operations: [{ kind: 'create-layer', layerId: layer.id, layer }] });
    })
    .catch(rethrowStorageError);
}

/**
 * Gives a layer a new definition: `layer.version` must be the stored version + 1 (else someone
 * changed it meanwhile: refused). `defaults` fill a field made required where features lack it.
 */
export function updateLayerDefinition(
  database: OneMapDatabase,
  request: LayerDefinitionRequest & { layer: LayerDefinition; defaults?: Readonly<Record<string, PropertyValue>> },
): Promise<CommittedChange> {
  const after = request.layer;
  return database
    .transaction('rw', transactTables(database), async () => {
      const before = await database.layers.get(after.id);
      if (before === undefined) throw new LayerDefinitionRefusedError(after.id, [{ code: 'invalid-layer-id', path: 'id', message: `no layer "${after.id}"` }]);
      const { features } = await readLayer(database, after.id);
      const input = { before, after: { ...after, version: after.version ?? definitionVersion(before) + 1 }, features, ...(request.defaults === undefined ? {} : { defaults: request.defaults }) };
      const problems = definitionChangeProblems(input);
      if (problems.length > 0) throw new LayerDefinitionRefusedError(after.id, problems);
      const operations: FeatureOperation[] = [{ kind: 'update-layer', layerId: after.id, layer: input.after }];
      for (const feature of features) {
        const properties = propertiesAfterDefinitionChange(input, feature);
        if (Object.keys(properties).length > 0) operations.push({ kind: 'update', layerId: after.id, featureId: feature.id, properties });
      }
      return transact(database, { ...changeOptions(request), operations });
    })
    .catch(rethrowStorageError);
}
