// Source columns matched to a layer's fields by name and by what their values convert to.
import type { FieldDefinition, GeoJsonFeature, LayerDefinition, PropertyValue } from '../../../../../shared/model';
import { convertValue, normalizeName, statusFromValue } from './convert';
import type { FieldMapping, FieldSource } from './types';

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
