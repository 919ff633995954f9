// A new layer from an import: a field per column, typed by its values, and the mapping that fills it.
import { geometryFitsLayerType, type FieldDefinition, type GeoJsonFeature, type LayerDefinition, type LayerGeometryType, type PropertyValue } from '../../../../../shared/model';
import { normalizeDate } from './convert';
import type { FieldMapping } from './types';

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
