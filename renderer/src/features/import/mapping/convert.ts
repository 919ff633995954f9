// Source values as field values: names compared loosely, dates in the usual Chinese spellings,
// booleans and enum values by word or label (the checks the attribute form applies to typed input).
import { calendarDateSchema, parseFieldInput, type FieldDefinition, type FieldProblem, type LayerDefinition, type PropertyValue } from '../../../../../shared/model';

/** Lowercase, without spaces, punctuation, brackets and their content's brackets. */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-./\\:：,，、()（）[\]【】<>《》"'“”‘’]/g, '');
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
