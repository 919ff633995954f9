import type { FieldDefinition } from './layer-definition';
import type { PropertyValue } from './feature';
import { calendarDateSchema } from './calendar-date';

/** Why a form value cannot be saved; the UI turns the code into zh/en text. */
export type FieldProblem =
  | { code: 'required' }
  | { code: 'not-a-number' }
  | { code: 'not-an-integer' }
  | { code: 'below-minimum'; minimum: number }
  | { code: 'above-maximum'; maximum: number }
  | { code: 'too-long'; maxLength: number }
  | { code: 'not-a-date' }
  | { code: 'not-an-option' };

export type FieldInputResult = { ok: true; value: PropertyValue } | { ok: false; problem: FieldProblem };

/**
 * Reads what a form control holds (text, or a checkbox's boolean) as a field value, checked the
 * same way `featurePropertiesSchema` checks stored values: an empty optional field becomes null,
 * numbers are parsed (full-width digits and thousands separators accepted), ranges, lengths, dates
 * and allowed values enforced. Forms for any layer use it, so a new layer needs no new code.
 */
export function parseFieldInput(field: FieldDefinition, input: string | boolean): FieldInputResult {
  if (field.type === 'boolean') {
    if (typeof input === 'boolean') return { ok: true, value: input };
    return input === '' ? (field.required ? { ok: false, problem: { code: 'required' } } : { ok: true, value: null }) : { ok: true, value: input === 'true' };
  }
  const text = String(input).trim();
  if (text === '') return field.required ? { ok: false, problem: { code: 'required' } } : { ok: true, value: null };
  switch (field.type) {
    case 'string':
      if (field.maxLength !== undefined && [...text].length > field.maxLength) return { ok: false, problem: { code: 'too-long', maxLength: field.maxLength } };
      return { ok: true, value: text };
    case 'integer':
    case 'number': {
      const normalized = text.replace(/[０-９．－]/g, (character) => String.fromCharCode(character.charCodeAt(0) - 0xfee0)).replace(/[,，\s]/g, '');
      const value = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(normalized) ? Number(normalized) : Number.NaN;
      if (!Number.isFinite(value)) return { ok: false, problem: { code: 'not-a-number' } };
      if (field.type === 'integer' && !Number.isInteger(value)) return { ok: false, problem: { code: 'not-an-integer' } };
      if (field.min !== undefined && value < field.min) return { ok: false, problem: { code: 'below-minimum', minimum: field.min } };
      if (field.max !== undefined && value > field.max) return { ok: false, problem: { code: 'above-maximum', maximum: field.max } };
      return { ok: true, value };
    }
    case 'date':
      return calendarDateSchema.safeParse(text).success ? { ok: true, value: text } : { ok: false, problem: { code: 'not-a-date' } };
    case 'enum':
      return field.values.some((option) => option.value === text) ? { ok: true, value: text } : { ok: false, problem: { code: 'not-an-option' } };
  }
}
