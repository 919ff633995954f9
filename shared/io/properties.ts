import type { ImportWarning, PropertyValue } from './types';

/** A property value OneMap can store: JSON scalars; dates as `YYYY-MM-DD` (or ISO time when not midnight UTC); objects and arrays as JSON text. */
export function toPropertyValue(value: unknown, onFlatten?: () => void): PropertyValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  onFlatten?.();
  return JSON.stringify(value);
}

export function flattenedWarning(file?: string): ImportWarning {
  return {
    code: 'property-flattened',
    zh: '部分属性值是对象或数组，已按 JSON 文本保存。',
    en: 'Some property values were objects or arrays and were kept as JSON text.',
    ...(file ? { file } : {}),
  };
}

/** Unique, non-empty column names: blanks become `列N`, repeats get `_2`, `_3`… */
export function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((raw, index) => {
    const base = raw.replace(/^\uFEFF/, '').trim() || `列${index + 1}`;
    let name = base;
    for (let suffix = 2; used.has(name); suffix += 1) name = `${base}_${suffix}`;
    used.add(name);
    return name;
  });
}
