// The pure part of the import wizard: source columns → layer fields (auto-matched by name or label,
// remembered per source), values converted to the field types, and a new layer inferred from the
// data. No DOM, no store: unit-tested in tests/unit/import/.
import {
  calendarDateSchema,
  geometryFitsLayerType,
  parseFieldInput,
  type FieldDefinition,
  type FieldProblem,
  type GeoJsonFeature,
  type Geometry,
  type LayerDefinition,
  type LayerGeometryType,
  type PropertyValue,
} from '../../../../shared/model';
import type { ImportFeature } from '../../db/import';

/** Where a layer field's value comes from. */
export type FieldSource = { kind: 'column'; column: string } | { kind: 'constant'; value: PropertyValue } | { kind: 'none' };

export interface FieldMapping {
  /** By layer field key. */
  fields: Record<string, FieldSource>;
  /** The column holding feature ids; null → the file's own ids (GeoJSON id, `onemap_id`), else new ids. */
  idColumn: string | null;
  /** The column holding the status (value or label of a state); null → the layer's initial status. */
  statusColumn: string | null;
}

/** Lowercase, without spaces, punctuation, brackets and their content's brackets. */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-./\\:：,，、()（）[\]【】<>《》"'“”‘’]/g, '');
}

/** The names a field answers to: key, zh and en labels, label parts split at "/", label + unit. */
export function fieldAliases(field: FieldDefinition): string[] {
  const aliases = new Set<string>();
  const add = (text: string | undefined) => {
    if (text === undefined) return;
    const normalized = normalizeName(text);
    if (normalized !== '') aliases.add(normalized);
  };
  add(field.key);
  for (const label of [field.label.zh, field.label.en]) {
    add(label);
    for (const part of label.split(/[/／|]/)) add(part);
    if ((field.type === 'number' || field.type === 'integer') && field.unit !== undefined) {
      add(`${label}${field.unit.zh}`);
      add(`${label}${field.unit.en}`);
      add(`${label}(${field.unit.zh})`);
      add(`${label}(${field.unit.en})`);
    }
  }
  return [...aliases];
}

const ENUM_ALIASES = (field: Extract<FieldDefinition, { type: 'enum' }>, text: string): string | undefined => {
  const wanted = normalizeName(text);
  return field.values.find((option) => [option.value, option.label.zh, option.label.en].some((candidate) => normalizeName(candidate) === wanted))?.value;
};

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', '是', '有', '对', '√', 't']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', '否', '无', '不是', '×', 'f']);

/** `2021/6/30`, `2021-6-30`, `2021.6.30`, `2021年6月30日`, `20210630` → `2021-06-30`; null if not a date. */
export function normalizeDate(text: string): string | null {
  const trimmed = text.trim().normalize('NFKC');
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]00:00(?::00(?:\.0+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(trimmed) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(trimmed);
  if (match === null) return null;
  const date = `${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}`;
  return calendarDateSchema.safeParse(date).success ? date : null;
}

export type ConversionResult = { ok: true; value: PropertyValue } | { ok: false; problem: FieldProblem };

/**
 * A source value (text, number, boolean or null, as shared/io reads it) as the value of a field,
 * checked as the attribute form checks typed input (`parseFieldInput`): numbers from text, dates in
 * the usual Chinese spellings, enum values by value or label, 是/否 for booleans.
 */
export function convertValue(field: FieldDefinition, raw: PropertyValue | undefined): ConversionResult {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) {
    return field.required ? { ok: false, problem: { code: 'required' } } : { ok: true, value: null };
  }
  switch (field.type) {
    case 'string':
      return parseFieldInput(field, typeof raw === 'string' ? raw : String(raw));
    case 'integer':
    case 'number':
      if (typeof raw === 'boolean') return { ok: false, problem: { code: 'not-a-number' } };
      return parseFieldInput(field, String(raw));
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const word = String(raw).trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return { ok: true, value: true };
      if (FALSE_WORDS.has(word)) return { ok: true, value: false };
      return { ok: false, problem: { code: 'not-an-option' } };
    }
    case 'date': {
      const date = typeof raw === 'string' ? normalizeDate(raw) : null;
      return date === null ? { ok: false, problem: { code: 'not-a-date' } } : { ok: true, value: date };
    }
    case 'enum': {
      const value = ENUM_ALIASES(field, String(raw));
      return value === undefined ? { ok: false, problem: { code: 'not-an-option' } } : { ok: true, value };
    }
  }
}

/** The layer state a source status value names (by value or zh/en label), or undefined. */
export function statusFromValue(layer: LayerDefinition, raw: PropertyValue | undefined): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const wanted = normalizeName(String(raw));
  return layer.status.states.find((state) => [state.value, state.label.zh, state.label.en].some((candidate) => normalizeName(candidate) === wanted))?.value;
}

const ID_COLUMN_NAMES = new Set(['id', 'fid', 'onemapid', '编号', '要素编号', 'code']);

function columnValues(features: readonly GeoJsonFeature[], column: string, limit = 2_000): PropertyValue[] {
  const values: PropertyValue[] = [];
  for (const feature of features) {
    if (values.length >= limit) break;
    values.push((feature.properties?.[column] ?? null) as PropertyValue);
  }
  return values;
}

/**
 * Matches source columns to a layer's fields by name: a column named like a field's key, label
 * (zh or en, or a part of it between "/"), or label with its unit, whose values (a sample of up to
 * 2,000) all convert to the field's type. Each column is used once; fields left unmatched get no
 * source. Also finds an id column (编号, id, …, values unique) and a status column whose values all
 * name a state.
 */
export function autoMapFields(columns: readonly string[], layer: LayerDefinition, features: readonly GeoJsonFeature[] = []): FieldMapping {
  const used = new Set<string>();
  const fields: Record<string, FieldSource> = {};
  const convertsAll = (field: FieldDefinition, column: string) =>
    columnValues(features, column).every((value) => {
      const result = convertValue({ ...field, required: false } as FieldDefinition, value);
      return result.ok;
    });
  for (const field of layer.fields) {
    const aliases = fieldAliases(field);
    const column = columns.find((candidate) => !used.has(candidate) && aliases.includes(normalizeName(candidate)) && convertsAll(field, candidate));
    if (column === undefined) fields[field.key] = { kind: 'none' };
    else {
      used.add(column);
      fields[field.key] = { kind: 'column', column };
    }
  }
  // A column cut short (a Shapefile's 10-byte field names: 取水井类别 → 取水井, a repeat → 替代_1) takes
  // the one field still unmatched whose name it begins and whose type its values fit.
  for (const column of columns) {
    if (used.has(column)) continue;
    const stem = truncatedStem(column);
    if (stem.length < 2) continue;
    const candidates = layer.fields.filter(
      (field) => fields[field.key]?.kind === 'none' && fieldAliases(field).some((alias) => alias.startsWith(stem)) && convertsAll(field, column),
    );
    if (candidates.length === 1) {
      used.add(column);
      fields[candidates[0]!.key] = { kind: 'column', column };
    }
  }
  const idColumn =
    columns.find((column) => {
      if (used.has(column)) return false;
      const name = normalizeName(column);
      if (!ID_COLUMN_NAMES.has(name) && !name.endsWith('编号')) return false;
      const values = columnValues(features, column, Infinity);
      return values.every((value) => value !== null && String(value).trim() !== '') && new Set(values.map(String)).size === values.length;
    }) ?? null;
  if (idColumn !== null) used.add(idColumn);
  const statusAliases = new Set(['status', '状态', normalizeName(layer.status.label.zh), normalizeName(layer.status.label.en)]);
  const statusLabel = normalizeName(layer.status.label.zh);
  const statusColumn =
    columns.find(
      (column) =>
        !used.has(column) &&
        (statusAliases.has(normalizeName(column)) || (truncatedStem(column).length >= 2 && statusLabel.startsWith(truncatedStem(column)))) &&
        columnValues(features, column).every((value) => value === null || statusFromValue(layer, value) !== undefined),
    ) ?? null;
  return { fields, idColumn, statusColumn };
}

/** A column name as a possibly shortened field name: normalized, without a `_2` a writer added to keep it unique. */
function truncatedStem(column: string): string {
  return normalizeName(column.replace(/_\d+$/, ''));
}

/** The columns no field, id or status takes (left out of the import, listed in the report). */
export function unmappedColumns(columns: readonly string[], mapping: FieldMapping): string[] {
  const used = new Set<string>();
  for (const source of Object.values(mapping.fields)) if (source.kind === 'column') used.add(source.column);
  if (mapping.idColumn !== null) used.add(mapping.idColumn);
  if (mapping.statusColumn !== null) used.add(mapping.statusColumn);
  return columns.filter((column) => !used.has(column));
}

/** Why a source feature was left out of the import (it is not an error: the report lists them). */
export interface SkippedFeature {
  /** 0-based index in the file's features. */
  sourceIndex: number;
  reason: 'geometry-kind';
  geometryType: Geometry['type'];
}

/** A value that does not fit its field: the whole import is refused, naming each of these. */
export interface ConversionProblem {
  sourceIndex: number;
  field: string;
  /** The column the value came from ('' for a fixed value or the status/id). */
  column: string;
  value: PropertyValue | undefined;
  problem: FieldProblem | { code: 'unknown-status' } | { code: 'empty-id' };
}

export interface BuiltFeatures {
  features: ImportFeature[];
  skipped: SkippedFeature[];
  problems: ConversionProblem[];
}

/**
 * The features to commit: geometry kinds the layer cannot hold are skipped (and listed), every
 * mapped value converted; a value that does not convert is a problem (the import is refused).
 * At most `maxProblems` problems are kept; `problemCount` in the result counts all of them.
 */
export function buildImportFeatures(
  source: readonly GeoJsonFeature[],
  layer: LayerDefinition,
  mapping: FieldMapping,
  options: { maxProblems?: number; /** The index in the file of `source[0]` (a batch of a streamed file). */ indexOffset?: number } = {},
): BuiltFeatures & { problemCount: number } {
  const maxProblems = options.maxProblems ?? 100;
  const indexOffset = options.indexOffset ?? 0;
  const features: ImportFeature[] = [];
  const skipped: SkippedFeature[] = [];
  const problems: ConversionProblem[] = [];
  let problemCount = 0;
  const report = (problem: ConversionProblem) => {
    problemCount += 1;
    if (problems.length < maxProblems) problems.push(problem);
  };
  const fieldsByKey = new Map(layer.fields.map((field) => [field.key, field]));
  source.forEach((feature, position) => {
    const sourceIndex = indexOffset + position;
    if (!geometryFitsLayerType(feature.geometry.type, layer.geometryType)) {
      skipped.push({ sourceIndex, reason: 'geometry-kind', geometryType: feature.geometry.type });
      return;
    }
    const properties: Record<string, PropertyValue> = {};
    for (const [key, mappingSource] of Object.entries(mapping.fields)) {
      const field = fieldsByKey.get(key);
      if (field === undefined) continue;
      const raw = mappingSource.kind === 'column' ? (feature.properties?.[mappingSource.column] as PropertyValue | undefined) : mappingSource.kind === 'constant' ? mappingSource.value : undefined;
      const result = convertValue(field, raw);
      if (!result.ok) report({ sourceIndex, field: key, column: mappingSource.kind === 'column' ? mappingSource.column : '', value: raw, problem: result.problem });
      else if (result.value !== null) properties[key] = result.value;
    }
    for (const field of layer.fields) {
      if (field.required && !(field.key in mapping.fields)) report({ sourceIndex, field: field.key, column: '', value: undefined, problem: { code: 'required' } });
    }
    const imported: ImportFeature = { geometry: feature.geometry, properties, sourceIndex };
    if (mapping.idColumn !== null) {
      const raw = feature.properties?.[mapping.idColumn];
      const id = raw === null || raw === undefined ? '' : String(raw).trim();
      if (id === '') report({ sourceIndex, field: 'id', column: mapping.idColumn, value: raw as PropertyValue, problem: { code: 'empty-id' } });
      else imported.id = id;
    } else if (feature.id !== undefined && String(feature.id).trim() !== '') {
      imported.id = String(feature.id);
    }
    if (mapping.statusColumn !== null) {
      const raw = feature.properties?.[mapping.statusColumn] as PropertyValue | undefined;
      if (raw !== null && raw !== undefined && String(raw).trim() !== '') {
        const status = statusFromValue(layer, raw);
        if (status === undefined) report({ sourceIndex, field: 'status', column: mapping.statusColumn, value: raw, problem: { code: 'unknown-status' } });
        else imported.status = status;
      }
    }
    features.push(imported);
  });
  return { features, skipped, problems, problemCount };
}

// ——— a new layer from an import ———

export type InferredType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

/** The narrowest field type every non-empty value fits: boolean, integer, number, date, else string. */
export function inferFieldType(values: Iterable<PropertyValue | undefined>): InferredType {
  let seen = false;
  let allBoolean = true;
  let allInteger = true;
  let allNumber = true;
  let allDate = true;
  for (const value of values) {
    if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) continue;
    seen = true;
    if (typeof value !== 'boolean') allBoolean = false;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      allNumber = false;
      allInteger = false;
    } else if (!Number.isSafeInteger(value)) allInteger = false;
    if (typeof value !== 'string' || normalizeDate(value) === null) allDate = false;
    if (!allBoolean && !allNumber && !allDate) return 'string';
  }
  if (!seen) return 'string';
  if (allBoolean) return 'boolean';
  if (allInteger) return 'integer';
  if (allNumber) return 'number';
  if (allDate) return 'date';
  return 'string';
}

/** The layer geometry type most of the features fit (ties: Point, LineString, Polygon); null when none. */
export function dominantGeometryType(features: readonly GeoJsonFeature[]): LayerGeometryType | null {
  const counts: Record<LayerGeometryType, number> = { Point: 0, LineString: 0, Polygon: 0 };
  for (const feature of features) {
    for (const type of ['Point', 'LineString', 'Polygon'] as const) if (geometryFitsLayerType(feature.geometry.type, type)) counts[type] += 1;
  }
  const best = (['Point', 'LineString', 'Polygon'] as const).reduce((left, right) => (counts[right] > counts[left] ? right : left));
  return counts[best] === 0 ? null : best;
}

const RESERVED_KEYS = new Set(['status', 'county', 'demo']);

/** A camelCase field key for a column name: its ASCII words, else `field<n>`; unique among `taken`. */
export function fieldKeyFor(column: string, position: number, taken: Set<string>): string {
  const words = column
    .normalize('NFKC')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '');
  const ascii = /^[\x20-\x7e]*$/.test(column) && words.length > 0;
  let key = ascii ? words.map((word, index) => (index === 0 ? word.toLowerCase() : word[0]!.toUpperCase() + word.slice(1).toLowerCase())).join('') : `field${position + 1}`;
  if (!/^[a-z]/.test(key)) key = `f${key}`;
  if (RESERVED_KEYS.has(key)) key = `${key}Value`;
  let unique = key;
  for (let suffix = 2; taken.has(unique); suffix += 1) unique = `${key}${suffix}`;
  taken.add(unique);
  return unique;
}

/** A layer id for a new layer: `import-<n>`, the first not taken. */
export function newLayerId(existing: Iterable<string>): string {
  const taken = new Set(existing);
  let n = 1;
  while (taken.has(`import-${n}`)) n += 1;
  return `import-${n}`;
}

const NAME_COLUMN = /^(name|名称|名字|名)$|名$|名称$/i;
/** Whole numbers that are years or codes read without thousands separators (2021, not 2,021). */
const YEAR_OR_CODE_COLUMN = /年|代码|编码|编号|year|code|(^|[^a-z])id$/i;

/** The status workflow of a layer made by an import: 已登记 → 进行中 → 已完成. */
export const IMPORTED_LAYER_STATUS: LayerDefinition['status'] = {
  label: { zh: '状态', en: 'Status' },
  states: [
    { value: 'registered', label: { zh: '已登记', en: 'Registered' } },
    { value: 'in-progress', label: { zh: '进行中', en: 'In progress' } },
    { value: 'done', label: { zh: '已完成', en: 'Done' } },
  ],
  initial: 'registered',
  transitions: [
    { from: 'registered', to: 'in-progress' },
    { from: 'registered', to: 'done' },
    { from: 'in-progress', to: 'done' },
  ],
};

/**
 * A layer definition for the imported data: one optional field per column, typed by
 * {@link inferFieldType} over all the values, labelled with the column name; the geometry type the
 * most features fit; the display field is the first text column named like a name. With the
 * mapping that fills it.
 */
export function inferNewLayer(input: {
  name: string;
  columns: readonly string[];
  features: readonly GeoJsonFeature[];
  existingLayerIds: Iterable<string>;
}): { layer: LayerDefinition; mapping: FieldMapping } {
  const taken = new Set<string>();
  const fields: FieldDefinition[] = input.columns.map((column, position) => {
    const key = fieldKeyFor(column, position, taken);
    const type = inferFieldType(input.features.map((feature) => feature.properties?.[column] as PropertyValue | undefined));
    const format = type === 'integer' && YEAR_OR_CODE_COLUMN.test(column) ? { format: { grouping: false } } : {};
    return { key, type, required: false, label: { zh: column, en: column }, ...format } as FieldDefinition;
  });
  const display = fields.find((field, index) => field.type === 'string' && NAME_COLUMN.test(input.columns[index] ?? '')) ?? fields.find((field) => field.type === 'string');
  const name = input.name.trim() === '' ? 'Imported' : input.name.trim();
  const layer: LayerDefinition = {
    id: newLayerId(input.existingLayerIds),
    name: { zh: name, en: name },
    geometryType: dominantGeometryType(input.features) ?? 'Point',
    ...(display === undefined ? {} : { displayField: display.key }),
    fields,
    status: IMPORTED_LAYER_STATUS,
  };
  const mapping: FieldMapping = {
    fields: Object.fromEntries(fields.map((field, index) => [field.key, { kind: 'column', column: input.columns[index] as string }])),
    idColumn: null,
    statusColumn: null,
  };
  return { layer, mapping };
}

// ——— remembered mappings ———

/** A source is its file name and its set of columns (order ignored). */
export function mappingMemoryKey(fileName: string, columns: readonly string[]): string {
  return `onemap.import.mapping.v1:${fileName}\u001f${[...columns].sort().join('\u001f')}`;
}

export interface RememberedMapping {
  layerId: string;
  mapping: FieldMapping;
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function rememberMapping(storage: KeyValueStorage, fileName: string, columns: readonly string[], remembered: RememberedMapping): void {
  try {
    storage.setItem(mappingMemoryKey(fileName, columns), JSON.stringify(remembered));
  } catch {
    // Storage full or disabled: the mapping is a convenience, the import itself is done.
  }
}

/** The mapping used last time for this source, kept only where it still fits the layer and the columns. */
export function recallMapping(storage: KeyValueStorage, fileName: string, columns: readonly string[], layer: LayerDefinition): FieldMapping | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage.getItem(mappingMemoryKey(fileName, columns)) ?? 'null');
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const remembered = parsed as Partial<RememberedMapping>;
  if (remembered.layerId !== layer.id || typeof remembered.mapping !== 'object' || remembered.mapping === null) return null;
  const known = new Set(columns);
  const fields: Record<string, FieldSource> = {};
  for (const field of layer.fields) {
    const source = remembered.mapping.fields?.[field.key];
    if (source?.kind === 'column' && known.has(source.column)) fields[field.key] = source;
    else if (source?.kind === 'constant') fields[field.key] = source;
    else fields[field.key] = { kind: 'none' };
  }
  const column = (value: unknown) => (typeof value === 'string' && known.has(value) ? value : null);
  return { fields, idColumn: column(remembered.mapping.idColumn), statusColumn: column(remembered.mapping.statusColumn) };
}
