// The pure `update-layer` step (db/change/apply-layer-definition.ts), without a database: the next
// version, a caller's stale version refused, a received definition keeping its own version, one
// definition change per layer and change, features named by field when the new definition
// refuses them, and the inverse used by undo.
import { describe, expect, it } from 'vitest';
import type { Feature, LayerDefinition } from '../../../shared/model';
import { applyLayerOperations } from '../../../renderer/src/db/change/apply-layer';
import { inverseDefinitionChange, updatedLayerFeatureIssues } from '../../../renderer/src/db/change/apply-layer-definition';
import type { LayerJournalRecord } from '../../../renderer/src/db/records';
import { testWellsLayer } from './store-fixtures';

const TIME = '2026-12-07T00:00:00.000Z';
const layer: LayerDefinition = { ...testWellsLayer, version: 3 };
const relabelled: LayerDefinition = { ...layer, fields: layer.fields.map((field) => (field.key === 'name' ? { ...field, label: { zh: '井名', en: 'Well name' } } : field)) };
const plan = (operations: Parameters<typeof applyLayerOperations>[1]) => applyLayerOperations(new Map([[layer.id, layer]]), operations, TIME);
const withoutVersion = ({ version: _version, ...definition }: LayerDefinition) => definition;

describe('update-layer', () => {
  it('gives the definition the next version', () => {
    const { plan: result, problems } = plan([{ kind: 'update-layer', layerId: layer.id, layer: withoutVersion(relabelled) }]);
    expect(problems).toEqual([]);
    expect(result.updatedLayers).toEqual([{ before: layer, after: { ...relabelled, version: 4 } }]);
    expect(result.layers.get(layer.id)?.version).toBe(4);
  });

  it('refuses a version that does not follow the stored one, and a changed id or field type', () => {
    expect(plan([{ kind: 'update-layer', layerId: layer.id, layer: { ...relabelled, version: 3 } }]).problems[0]?.issues[0]?.path).toBe('layer.version');
    const retyped = { ...layer, fields: layer.fields.map((field) => (field.key === 'depthM' ? { key: 'depthM', type: 'string' as const, required: false, label: field.label } : field)) };
    expect(plan([{ kind: 'update-layer', layerId: layer.id, layer: withoutVersion(retyped) }]).problems[0]?.issues[0]?.message).toMatch(/^field-type-changed/);
    expect(plan([{ kind: 'update-layer', layerId: 'elsewhere', layer: withoutVersion(relabelled) }]).problems[0]?.issues[0]?.message).toBe('no layer "elsewhere"');
  });

  it('keeps the version of a definition received from another device, several ahead', () => {
    const { plan: result, problems } = plan([{ kind: 'update-layer', layerId: layer.id, layer: { ...relabelled, version: 7 }, applies: ['change-1'] }]);
    expect(problems).toEqual([]);
    expect(result.updatedLayers[0]?.after.version).toBe(7);
  });

  it('allows one definition change per layer and change, not with a rename or a removal', () => {
    const twice = plan([
      { kind: 'update-layer', layerId: layer.id, layer: withoutVersion(relabelled) },
      { kind: 'update-layer', layerId: layer.id, layer: withoutVersion(layer) },
    ]);
    expect(twice.problems.map((problem) => problem.operationIndex)).toEqual([1]);
    expect(plan([{ kind: 'update-layer', layerId: layer.id, layer: withoutVersion(relabelled) }, { kind: 'rename-layer', layerId: layer.id, name: { zh: '井', en: 'Wells' } }]).problems).toHaveLength(1);
    expect(plan([{ kind: 'update-layer', layerId: layer.id, layer: withoutVersion(relabelled) }, { kind: 'remove-layer', layerId: layer.id }]).problems).toHaveLength(1);
  });

  it('names the field and how many features the new definition refuses', () => {
    const feature = (id: string, depthM: number): Feature => ({
      id,
      layerId: layer.id,
      geometry: { type: 'Point', coordinates: [115.6, 37.7] },
      properties: { depthM },
      status: 'registered',
      county: null,
      demo: false,
      createdAt: TIME,
      updatedAt: TIME,
      revision: 1,
    });
    const shallow = { ...layer, fields: layer.fields.map((field) => (field.key === 'depthM' ? { ...field, max: 50 } : field)) };
    const issues = updatedLayerFeatureIssues(shallow, [feature('W-1', 40), feature('W-2', 80), feature('W-3', 120)]);
    expect(issues).toEqual([{ path: 'depthM', message: expect.stringMatching(/^2 feature\(s\) of layer "test-wells" would be invalid \(first W-2/) }]);
  });

  it('is undone by the definition before, without its version', () => {
    const record = { id: 'r', changeId: 'c', layerId: layer.id, operation: 'update-layer', before: layer, after: { ...relabelled, version: 4 }, author: 'a', device: 'd', time: TIME } satisfies LayerJournalRecord;
    expect(inverseDefinitionChange(record)).toEqual([{ kind: 'update-layer', layerId: layer.id, layer: withoutVersion(layer) }]);
  });
});
