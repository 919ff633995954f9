import type { FieldDefinition, LayerDefinition } from '../model/layer-definition';
import { formatBoolean } from '../model/format-value';
import type { PropertyValue } from './types';

/**
 * The words a layer's files carry for people: column names from the layer definition's Chinese labels
 * (井深（米）, 取水井类别, 关停状态) and values by their labels (非农业取水井, 已封填, 是/否) instead of
 * the keys and codes the store keeps (depthM, wellClass, non-agricultural, sealed). The import wizard
 * maps such a file back: its columns answer to the fields' labels, its values to the options' labels.
 */

/** How an export names its columns and values: labels for people (default), or the store's keys and codes. */
export type ExportNaming = 'labels' | 'codes';

/** The extra columns every layer export carries after the layer's fields (keys the store reads back). */
export const STATUS_COLUMN = 'status';
export const COUNTY_COLUMN = 'county';
export const DEMO_COLUMN = 'demo';

/** A field's column title: its Chinese label, with the unit for numbers (井深（米）, which the import matches again). */
export function fieldColumnTitle(field: FieldDefinition): string {
  const unit = (field.type === 'number' || field.type === 'integer') && field.unit !== undefined ? `（${field.unit.zh}）` : '';
  return `${field.label.zh}${unit}`;
}

/**
 * Key → column title for a layer's export with labels: each field's title, then the status (the
 * workflow's own label), county code and demo marking. Titles are unique (a repeat gets its key).
 */
export function labelledColumnTitles(layer: LayerDefinition): Map<string, string> {
  const titles = new Map<string, string>();
  const used = new Set<string>();
  const add = (key: string, title: string) => {
    const unique = used.has(title) || title.trim() === '' ? `${title}（${key}）` : title;
    used.add(unique);
    titles.set(key, unique);
  };
  for (const field of layer.fields) add(field.key, fieldColumnTitle(field));
  add(STATUS_COLUMN, layer.status.label.zh);
  add(COUNTY_COLUMN, '县区代码');
  add(DEMO_COLUMN, '示例数据');
  return titles;
}

/** A stored value as people read it: an option's label, 是/否; other values as they are. */
export function labelledFieldValue(field: FieldDefinition | undefined, value: PropertyValue): PropertyValue {
  if (value === null || field === undefined) return value;
  if (field.type === 'enum') return field.values.find((option) => option.value === value)?.label.zh ?? value;
  if (field.type === 'boolean' && typeof value === 'boolean') return formatBoolean(value, 'zh-CN');
  return value;
}

/** A status code as its state's label (an unknown code stays as it is). */
export function labelledStatus(layer: LayerDefinition, status: string): string {
  return layer.status.states.find((state) => state.value === status)?.label.zh ?? status;
}

/**
 * Properties keyed by field key (plus status, county, demo) → the same under column titles with
 * labelled values, in the same order. Keys the definition does not know keep their key.
 */
export function labelProperties(layer: LayerDefinition, properties: Readonly<Record<string, PropertyValue>>, titles = labelledColumnTitles(layer)): Record<string, PropertyValue> {
  const fields = new Map(layer.fields.map((field) => [field.key, field]));
  const out: Record<string, PropertyValue> = {};
  for (const [key, value] of Object.entries(properties)) {
    let labelled: PropertyValue = value;
    if (key === STATUS_COLUMN && typeof value === 'string') labelled = labelledStatus(layer, value);
    else if (key === DEMO_COLUMN && typeof value === 'boolean') labelled = formatBoolean(value, 'zh-CN');
    else labelled = labelledFieldValue(fields.get(key), value);
    out[titles.get(key) ?? key] = labelled;
  }
  return out;
}
