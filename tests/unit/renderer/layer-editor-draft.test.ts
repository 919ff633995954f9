// The layer editor's draft → definition (features/layer-editor/draft.ts): keys made from English
// labels (or numbered), stored keys never changed, a text typed in one language used for both,
// states' date fields followed through removals, the version + 1 of a changed layer.
import { describe, expect, it } from 'vitest';
import { definitionProblems, type LayerDefinition } from '../../../shared/model';
import { definitionOf, draftOf, newFieldDraft, newLayerDraft, newStateDraft, withoutField, withoutState } from '../../../renderer/src/features/layer-editor/draft';
import { testWellsLayer } from '../db/store-fixtures';

describe('a new layer from the editor', () => {
  it('makes a valid 3-state definition with generated keys', () => {
    const draft = newLayerDraft();
    draft.zh = '海绵城市项目';
    draft.en = 'Sponge city projects';
    draft.geometryType = 'Polygon';
    draft.fields.push({ ...newFieldDraft('number'), zh: '投资', en: 'Budget (10k yuan)', unit: { zh: '万元', en: '' } });
    draft.fields.push({ ...newFieldDraft('enum'), zh: '类型', en: '', values: [{ value: '', existing: false, zh: '公园', en: 'Park' }, { value: '', existing: false, zh: '道路', en: '' }] });
    draft.fields.push({ ...newFieldDraft('date'), zh: '开工日期', en: 'Started' });
    draft.fields.push({ ...newFieldDraft('date'), zh: '完工日期', en: 'Started' });
    draft.states = [
      { ...newStateDraft(), zh: '计划', en: 'Planned' },
      { ...newStateDraft(), zh: '在建', en: '', dateField: 3 },
      { ...newStateDraft(), zh: '完工', en: 'Done', dateField: 4 },
    ];
    draft.transitions = [{ from: 0, to: 1 }, { from: 1, to: 2 }];
    const { layer } = definitionOf(draft, ['sponge-city-projects-x']);
    expect(definitionProblems(layer)).toEqual([]);
    expect(layer.id).toBe('sponge-city-projects');
    expect(layer.fields.map((field) => field.key)).toEqual(['name', 'budget10kYuan', 'field1', 'started', 'started2']);
    expect(layer.fields[1]).toMatchObject({ unit: { zh: '万元', en: '万元' } });
    expect(layer.fields[2]).toMatchObject({ label: { zh: '类型', en: '类型' }, values: [{ value: 'park' }, { value: 'v1', label: { zh: '道路', en: '道路' } }] });
    expect(layer.status).toMatchObject({
      initial: 'planned',
      states: [{ value: 'planned' }, { value: 'state1', dateField: 'started' }, { value: 'done', dateField: 'started2' }],
      transitions: [{ from: 'planned', to: 'state1' }, { from: 'state1', to: 'done' }],
    });
    expect(layer.displayField).toBe('name');
    expect(layer.version).toBeUndefined();
  });

  it('takes another id when the one from the name is taken, and a numbered one from a Chinese-only name', () => {
    const draft = { ...newLayerDraft(), zh: '口袋公园', en: 'Pocket parks' };
    expect(definitionOf(draft, ['pocket-parks']).layer.id).toBe('pocket-parks-2');
    expect(definitionOf({ ...draft, en: '' }, ['layer1']).layer.id).toBe('layer2');
  });

  it('follows removed fields and states', () => {
    const draft = newLayerDraft();
    draft.fields.push({ ...newFieldDraft('date'), zh: '日期', en: 'Date' });
    draft.states[1] = { ...draft.states[1]!, dateField: 1 };
    expect(withoutField(draft, 0).states[1]!.dateField).toBe(0);
    expect(withoutField(draft, 1).states[1]!.dateField).toBe(-1);
    draft.states.push({ ...newStateDraft(), zh: '验收', en: 'Accepted' });
    draft.transitions.push({ from: 1, to: 2 });
    expect(withoutState(draft, 1).transitions).toEqual([]);
    expect(withoutState(draft, 0)).toMatchObject({ initial: 0, transitions: [{ from: 0, to: 1 }] });
  });
});

describe('a stored layer in the editor', () => {
  it('comes back unchanged but for the next version; keys and hidden settings stay', () => {
    const { layer } = definitionOf(draftOf(testWellsLayer));
    expect(layer).toEqual({ ...testWellsLayer, version: 2 });
    const versioned: LayerDefinition = { ...testWellsLayer, version: 4 };
    expect(definitionOf(draftOf(versioned)).layer.version).toBe(5);
  });

  it('renames labels without touching keys, adds a field and reads defaults', () => {
    const draft = draftOf(testWellsLayer);
    draft.fields[0] = { ...draft.fields[0]!, zh: '井名', en: 'Well name' };
    draft.fields.push({ ...newFieldDraft('integer'), zh: '批次', en: 'Batch', required: true, defaultValue: '１' });
    const { layer, defaults } = definitionOf(draft);
    expect(layer.fields[0]).toEqual({ ...testWellsLayer.fields[0], label: { zh: '井名', en: 'Well name' } });
    expect(layer.fields.at(-1)).toMatchObject({ key: 'batch', type: 'integer', required: true });
    expect(defaults).toEqual({ batch: 1 });
  });
});
