// Layer definitions a planner writes: every invalid definition and every invalid change is named
// by its own code (shared/model/layer-definition-change.ts), so the editor and the store say why.
import { describe, expect, it } from 'vitest';
import {
  definitionChangeProblems,
  definitionProblems,
  propertiesAfterDefinitionChange,
  type DefinedFeature,
  type DefinitionProblemCode,
  type LayerDefinition,
} from '../../../shared/model';

const text = (value: string) => ({ zh: value, en: value });

/** A 3-state workflow (planned → building → done), each later state setting its date. */
const layer: LayerDefinition = {
  id: 'sponge-city',
  name: text('Sponge city'),
  geometryType: 'Polygon',
  displayField: 'title',
  fields: [
    { key: 'title', type: 'string', required: true, label: text('Title') },
    { key: 'areaHa', type: 'number', required: false, min: 0, unit: text('ha'), label: text('Area') },
    { key: 'kind', type: 'enum', required: false, label: text('Kind'), values: [{ value: 'park', label: text('Park') }, { value: 'road', label: text('Road') }] },
    { key: 'startedDate', type: 'date', required: false, label: text('Started') },
    { key: 'doneDate', type: 'date', required: false, label: text('Done') },
  ],
  status: {
    label: text('Status'),
    states: [
      { value: 'planned', label: text('Planned') },
      { value: 'building', label: text('Building'), dateField: 'startedDate' },
      { value: 'done', label: text('Done'), dateField: 'doneDate' },
    ],
    initial: 'planned',
    transitions: [
      { from: 'planned', to: 'building' },
      { from: 'building', to: 'done' },
    ],
  },
};

const codes = (problems: readonly { code: DefinitionProblemCode }[]) => problems.map((problem) => problem.code);
const withFields = (fields: LayerDefinition['fields']): LayerDefinition => ({ ...layer, fields });
const withStatus = (status: Partial<LayerDefinition['status']>): LayerDefinition => ({ ...layer, status: { ...layer.status, ...status } });
const [title, areaHa, kind, startedDate, doneDate] = layer.fields as [LayerDefinition['fields'][number], ...LayerDefinition['fields']];

describe('a definition on its own', () => {
  it('accepts the 3-state layer', () => expect(definitionProblems(layer)).toEqual([]));

  const cases: [string, unknown, DefinitionProblemCode, string][] = [
    ['duplicate field keys', withFields([...layer.fields, { ...title!, label: text('Again') }]), 'duplicate-field-key', 'fields.5.key'],
    ['a reserved key', withFields([...layer.fields, { key: 'status', type: 'string', required: false, label: text('S') }]), 'reserved-field-key', 'fields.5.key'],
    ['a key that is not camelCase', withFields([...layer.fields, { key: 'Area ha', type: 'number', required: false, label: text('A') }]), 'invalid-field-key', 'fields.5.key'],
    ['an enum without values', withFields([title!, { key: 'kind', type: 'enum', required: false, label: text('K'), values: [] }, startedDate!, doneDate!]), 'no-allowed-values', 'fields.1.values'],
    ['duplicate allowed values', withFields([title!, { key: 'kind', type: 'enum', required: false, label: text('K'), values: [{ value: 'a', label: text('A') }, { value: 'a', label: text('B') }] }, startedDate!, doneDate!]), 'duplicate-allowed-value', 'fields.1.values'],
    ['an allowed value without a label', withFields([title!, { key: 'kind', type: 'enum', required: false, label: text('K'), values: [{ value: 'a', label: { zh: '', en: 'A' } }] }, startedDate!, doneDate!]), 'missing-text', 'fields.1.values.0.label.zh'],
    ['a field without a label', withFields([{ ...title!, label: { zh: '', en: 'Title' } }, ...layer.fields.slice(1)]), 'missing-text', 'fields.0.label.zh'],
    ['no name', { ...layer, name: { zh: '', en: '' } }, 'missing-text', 'name.zh'],
    ['a layer id that is not a slug', { ...layer, id: 'Sponge City' }, 'invalid-layer-id', 'id'],
    ['no states', withStatus({ states: [], transitions: [] }), 'no-states', 'status.states'],
    ['duplicate states', withStatus({ states: [...layer.status.states, { value: 'done', label: text('Done again') }] }), 'duplicate-state', 'status.states.3'],
    ['a state value that is not a slug', withStatus({ states: [...layer.status.states, { value: 'Half Done', label: text('Half') }] }), 'invalid-state-value', 'status.states.3.value'],
    ['a transition to an unknown state', withStatus({ transitions: [...layer.status.transitions, { from: 'done', to: 'accepted' }] }), 'unknown-state', 'status.transitions.2.to'],
    ['a transition from an unknown state', withStatus({ transitions: [{ from: 'draft', to: 'planned' }] }), 'unknown-state', 'status.transitions.0.from'],
    ['an unknown initial state', withStatus({ initial: 'draft' }), 'unknown-state', 'status.initial'],
    ['a state date that is not a date field', withStatus({ states: [layer.status.states[0]!, { value: 'building', label: text('B'), dateField: 'title' }] , transitions: [] }), 'not-a-date-field', 'status.states.1.dateField'],
    ['a state date that is no field', withStatus({ states: [layer.status.states[0]!, { value: 'building', label: text('B'), dateField: 'openedDate' }], transitions: [] }), 'not-a-date-field', 'status.states.1.dateField'],
    ['a required state date', withFields([title!, areaHa!, kind!, { ...startedDate!, required: true }, doneDate!]), 'required-status-date', 'status.states.1.dateField'],
    ['an unknown display field', { ...layer, displayField: 'name' }, 'unknown-display-field', 'displayField'],
    ['a feature code on a date field', { ...layer, featureCode: { field: 'doneDate', prefix: 'SC' } }, 'feature-code-field', 'featureCode.field'],
  ];
  it.each(cases)('names %s', (_name, definition, code, path) => {
    const problems = definitionProblems(definition);
    expect(problems.map((problem) => [problem.code, problem.path])).toContainEqual([code, path]);
  });

  it('names the field or state a problem is about', () => {
    const [problem] = definitionProblems(withStatus({ transitions: [{ from: 'planned', to: 'accepted' }] }));
    expect(problem).toMatchObject({ code: 'unknown-state', state: 'accepted' });
  });
});

const features: DefinedFeature[] = [
  { status: 'planned', properties: { title: 'North park', kind: 'park', areaHa: 3 } },
  { status: 'building', properties: { title: 'East road', kind: 'road', areaHa: 12, startedDate: '2026-03-01' } },
  { status: 'planned', properties: { title: 'West', kind: null } },
];
const next = (change: Partial<LayerDefinition>): LayerDefinition => ({ ...layer, ...change, version: 2 });

describe('a change of a definition', () => {
  it('accepts new fields, renamed labels and allowed values, and a removed field', () => {
    const after = next({
      fields: [
        { ...title!, label: { zh: '名称', en: 'Name' } },
        { key: 'kind', type: 'enum', required: false, label: text('Kind'), values: [{ value: 'park', label: text('Pocket park') }, { value: 'road', label: text('Road') }, { value: 'square', label: text('Square') }] },
        startedDate!,
        doneDate!,
        { key: 'budget', type: 'number', required: false, unit: text('万元'), label: text('Budget') },
      ],
    });
    expect(definitionChangeProblems({ before: layer, after, features })).toEqual([]);
    // The removed field's value leaves the feature (it stays in history); nothing else changes.
    expect(propertiesAfterDefinitionChange({ before: layer, after, features }, features[0]!)).toEqual({ areaHa: undefined });
  });

  const cases: [string, LayerDefinition, DefinitionProblemCode, Record<string, unknown>][] = [
    ['the id changed', next({ id: 'sponge' }), 'layer-id-changed', {}],
    ['the geometry type changed', next({ geometryType: 'Point' }), 'geometry-type-changed', {}],
    ['a field type changed', next({ fields: [title!, { key: 'areaHa', type: 'string', required: false, label: text('Area') }, kind!, startedDate!, doneDate!] }), 'field-type-changed', { field: 'areaHa' }],
    ['the version skipped', { ...layer, version: 3 }, 'version-not-next', {}],
    ['the version kept', { ...layer }, 'version-not-next', {}],
    ['an allowed value in use removed', next({ fields: [title!, areaHa!, { key: 'kind', type: 'enum', required: false, label: text('Kind'), values: [{ value: 'park', label: text('Park') }] }, startedDate!, doneDate!] }), 'allowed-value-in-use', { field: 'kind', value: 'road', count: 1 }],
    ['a state in use removed', next({ status: { ...layer.status, states: layer.status.states.filter((state) => state.value !== 'building'), transitions: [{ from: 'planned', to: 'done' }] } }), 'state-in-use', { state: 'building', count: 1 }],
    ['a required field added to a layer with features and no default', next({ fields: [...layer.fields, { key: 'owner', type: 'string', required: true, label: text('Owner') }] }), 'required-without-default', { field: 'owner', count: 3 }],
    ['a field made required that a feature lacks', next({ fields: [title!, areaHa!, { ...kind!, required: true }, startedDate!, doneDate!] }), 'required-without-default', { field: 'kind', count: 1 }],
    ['a range narrowed under a stored value', next({ fields: [title!, { key: 'areaHa', type: 'number', required: false, max: 10, label: text('Area') }, kind!, startedDate!, doneDate!] }), 'values-out-of-range', { field: 'areaHa', count: 1 }],
    ['an invalid new definition (transition to an unknown state)', next({ status: { ...layer.status, transitions: [{ from: 'done', to: 'accepted' }] } }), 'unknown-state', { state: 'accepted' }],
  ];
  it.each(cases)('names %s', (_name, after, code, details) => {
    const problems = definitionChangeProblems({ before: layer, after, features });
    expect(codes(problems)).toContain(code);
    expect(problems.find((problem) => problem.code === code)).toMatchObject(details);
  });

  it('takes a default for a new required field, and refuses one that is not a valid value', () => {
    const after = next({ fields: [...layer.fields, { key: 'phase', type: 'integer', required: true, min: 1, label: text('Phase') }] });
    expect(definitionChangeProblems({ before: layer, after, features, defaults: { phase: 1 } })).toEqual([]);
    expect(propertiesAfterDefinitionChange({ before: layer, after, features, defaults: { phase: 1 } }, features[1]!)).toEqual({ phase: 1 });
    expect(codes(definitionChangeProblems({ before: layer, after, features, defaults: { phase: 0 } }))).toEqual(['invalid-default']);
  });

  it('lets a layer with no features take a required field without a default', () => {
    const after = next({ fields: [...layer.fields, { key: 'owner', type: 'string', required: true, label: text('Owner') }] });
    expect(definitionChangeProblems({ before: layer, after, features: [] })).toEqual([]);
  });
});
