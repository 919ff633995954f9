// What the layer editor's form holds (a draft: texts as typed) and the definition it makes. Keys
// of existing fields, allowed values and states never change (features and history hold them);
// new ones get a key from their English label, or a numbered one, unique in the layer. A text
// typed in one language only is used for both. Pure: tested without a DOM.
import {
  parseFieldInput,
  type FieldDefinition,
  type FieldType,
  type LayerDefinition,
  type LayerGeometryType,
  type LocalizedText,
  type PropertyValue,
} from '../../../../shared/model';

export interface TextDraft {
  zh: string;
  en: string;
}

export interface ValueDraft extends TextDraft {
  /** The stored value; empty for a new one until the definition is made. */
  value: string;
  existing: boolean;
}

export interface FieldDraft extends TextDraft {
  key: string;
  existing: boolean;
  type: FieldType;
  required: boolean;
  unit: TextDraft;
  values: ValueDraft[];
  /** For features that lack the field once it is required (as typed). */
  defaultValue: string;
  /** The field as stored: its other settings (range, format, description) are kept. */
  original?: FieldDefinition;
}

export interface StateDraft extends TextDraft {
  value: string;
  existing: boolean;
  /** The index (in the draft's fields) of the date field the state sets, -1 for none. */
  dateField: number;
}

export interface LayerDraft extends TextDraft {
  /** The stored layer; absent for a new one. */
  base?: LayerDefinition;
  geometryType: LayerGeometryType;
  fields: FieldDraft[];
  statusLabel: TextDraft;
  states: StateDraft[];
  /** Indexes into `states`. */
  initial: number;
  transitions: { from: number; to: number }[];
}

const draftText = (text: LocalizedText | undefined): TextDraft => ({ zh: text?.zh ?? '', en: text?.en ?? '' });

export function newFieldDraft(type: FieldType = 'string'): FieldDraft {
  return { key: '', existing: false, type, required: false, zh: '', en: '', unit: { zh: '', en: '' }, values: [], defaultValue: '' };
}

export function newStateDraft(): StateDraft {
  return { value: '', existing: false, zh: '', en: '', dateField: -1 };
}

/** A blank layer: one text field and a two-state workflow to start from. */
export function newLayerDraft(): LayerDraft {
  return {
    zh: '',
    en: '',
    geometryType: 'Point',
    fields: [{ ...newFieldDraft('string'), zh: '名称', en: 'Name' }],
    statusLabel: { zh: '状态', en: 'Status' },
    states: [
      { ...newStateDraft(), zh: '计划', en: 'Planned' },
      { ...newStateDraft(), zh: '完成', en: 'Done' },
    ],
    initial: 0,
    transitions: [{ from: 0, to: 1 }],
  };
}

export function draftOf(layer: LayerDefinition): LayerDraft {
  const states = layer.status.states;
  const indexOf = (value: string) => states.findIndex((state) => state.value === value);
  return {
    ...draftText(layer.name),
    base: layer,
    geometryType: layer.geometryType,
    fields: layer.fields.map((field) => ({
      ...draftText(field.label),
      key: field.key,
      existing: true,
      type: field.type,
      required: field.required,
      unit: draftText('unit' in field ? field.unit : undefined),
      values: field.type === 'enum' ? field.values.map((option) => ({ ...draftText(option.label), value: option.value, existing: true })) : [],
      defaultValue: '',
      original: field,
    })),
    statusLabel: draftText(layer.status.label),
    states: states.map((state) => ({ ...draftText(state.label), value: state.value, existing: true, dateField: layer.fields.findIndex((field) => field.key === state.dateField) })),
    initial: indexOf(layer.status.initial),
    transitions: layer.status.transitions.map((transition) => ({ from: indexOf(transition.from), to: indexOf(transition.to) })),
  };
}

/** Both languages: the one typed stands in for the other; null when neither is. */
function text(draft: TextDraft): LocalizedText | null {
  const zh = draft.zh.trim();
  const en = draft.en.trim();
  if (zh === '' && en === '') return null;
  return { zh: zh === '' ? en : zh, en: en === '' ? zh : en };
}

/** Words of an English label: `Budget (10k yuan)` → ['budget', '10k', 'yuan']. */
const words = (label: string): string[] => label.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

/** A key not in `taken`: `wanted` if it fits `pattern` (numbered after `joiner` if taken), else `fallback` + a number. */
function uniqueKey(wanted: string, pattern: RegExp, fallback: string, taken: Set<string>, joiner: string): string {
  const fits = pattern.test(wanted);
  let key = fits ? wanted : `${fallback}1`;
  for (let index = 2; taken.has(key); index += 1) key = fits ? `${wanted}${joiner}${index}` : `${fallback}${index}`;
  taken.add(key);
  return key;
}

const camel = (label: string): string => words(label).map((word, index) => (index === 0 ? word : word[0]!.toUpperCase() + word.slice(1))).join('');
const slug = (label: string): string => words(label).join('-');
const FIELD_KEY = /^[a-z][a-zA-Z0-9]*$/;
const SLUG = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const missing: LocalizedText = { zh: '', en: '' }; // the model names the empty text

/** The keys a draft's new fields, values and states get (stable for the same draft). */
function withKeys(draft: LayerDraft, takenLayerIds: readonly string[]): { id: string; fields: FieldDraft[]; states: StateDraft[] } {
  const fieldKeys = new Set(draft.fields.filter((field) => field.existing).map((field) => field.key));
  const fields = draft.fields.map((field) => {
    const values = new Set(field.values.filter((option) => option.existing).map((option) => option.value));
    return {
      ...field,
      key: field.existing ? field.key : uniqueKey(field.key.trim() || camel(field.en), FIELD_KEY, 'field', fieldKeys, ''),
      values: field.values.map((option) => (option.existing ? option : { ...option, value: uniqueKey(option.value.trim() || slug(option.en), /^\S+$/, 'v', values, '-') })),
    };
  });
  const stateValues = new Set(draft.states.filter((state) => state.existing).map((state) => state.value));
  const states = draft.states.map((state) => (state.existing ? state : { ...state, value: uniqueKey(state.value.trim() || slug(state.en), SLUG, 'state', stateValues, '-') }));
  const id = draft.base?.id ?? uniqueKey(slug(draft.en), SLUG, 'layer', new Set(takenLayerIds), '-');
  return { id, fields, states };
}

function fieldOf(field: FieldDraft): FieldDefinition {
  const label = text(field) ?? missing;
  const kept = field.original === undefined ? {} : Object.fromEntries(Object.entries(field.original).filter(([name]) => !['label', 'required', 'unit', 'values'].includes(name)));
  const common = { ...kept, key: field.key, type: field.type, label, required: field.required };
  const unit = text(field.unit);
  if (field.type === 'integer' || field.type === 'number') return { ...common, ...(unit === null ? {} : { unit }) } as FieldDefinition;
  if (field.type === 'enum') return { ...common, values: field.values.map((option) => ({ value: option.value, label: text(option) ?? missing })) } as FieldDefinition;
  return common as FieldDefinition;
}

/**
 * The definition a draft makes (checked by the caller with shared/model), and the defaults typed
 * for required fields. A changed layer keeps its id, geometry type and the settings the editor
 * does not show; its `version` is the stored one + 1.
 */
export function definitionOf(draft: LayerDraft, takenLayerIds: readonly string[] = []): { layer: LayerDefinition; defaults: Record<string, PropertyValue> } {
  const { id, fields, states } = withKeys(draft, takenLayerIds);
  const base = draft.base;
  const stateValue = (index: number) => states[index]?.value ?? '';
  const layer: LayerDefinition = {
    ...(base ?? {}),
    id,
    name: text(draft) ?? missing,
    geometryType: base?.geometryType ?? draft.geometryType,
    fields: fields.map(fieldOf),
    status: {
      label: text(draft.statusLabel) ?? missing,
      states: states.map((state) => ({ value: state.value, label: text(state) ?? missing, ...(fields[state.dateField] === undefined ? {} : { dateField: fields[state.dateField]!.key }) })),
      initial: stateValue(draft.initial),
      transitions: draft.transitions.map((transition) => ({ from: stateValue(transition.from), to: stateValue(transition.to) })),
    },
    ...(base === undefined ? { displayField: fields[0]?.key } : { version: (base.version ?? 1) + 1 }),
  };
  if (layer.displayField === undefined || !layer.fields.some((field) => field.key === layer.displayField)) delete layer.displayField;
  const defaults: Record<string, PropertyValue> = {};
  fields.forEach((field, index) => {
    if (field.defaultValue.trim() === '') return;
    const parsed = parseFieldInput({ ...(layer.fields[index] as FieldDefinition), required: true }, field.defaultValue);
    // A value that does not parse is passed as typed: the model names it an invalid default.
    defaults[field.key] = parsed.ok ? parsed.value : field.defaultValue;
  });
  return { layer, defaults };
}

/** The draft without field `index`: the states that set it set none, later indexes move up. */
export function withoutField(draft: LayerDraft, index: number): LayerDraft {
  return {
    ...draft,
    fields: draft.fields.filter((_, at) => at !== index),
    states: draft.states.map((state) => ({ ...state, dateField: state.dateField === index ? -1 : state.dateField > index ? state.dateField - 1 : state.dateField })),
  };
}

/** The draft without state `index`: its transitions go, the initial state stays where it was (or the first). */
export function withoutState(draft: LayerDraft, index: number): LayerDraft {
  const shift = (at: number) => (at > index ? at - 1 : at);
  return {
    ...draft,
    states: draft.states.filter((_, at) => at !== index),
    initial: draft.initial === index ? 0 : shift(draft.initial),
    transitions: draft.transitions.filter((transition) => transition.from !== index && transition.to !== index).map((transition) => ({ from: shift(transition.from), to: shift(transition.to) })),
  };
}
