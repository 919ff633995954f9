import { describe, expect, it } from 'vitest';
import { parseFieldInput, type FieldDefinition } from '../../../shared/model';

const label = { zh: '字段', en: 'Field' };
const depth: FieldDefinition = { key: 'depthM', type: 'number', required: false, min: 0, max: 2000, label };
const count: FieldDefinition = { key: 'toilets', type: 'integer', required: true, min: 0, label };
const name: FieldDefinition = { key: 'name', type: 'string', required: true, maxLength: 4, label };
const sealed: FieldDefinition = { key: 'sealedDate', type: 'date', required: false, label };
const kind: FieldDefinition = { key: 'kind', type: 'enum', required: true, label, values: [{ value: 'compound', label }] };
const flag: FieldDefinition = { key: 'flag', type: 'boolean', required: false, label };

describe('parseFieldInput', () => {
  it('reads numbers, also with full-width digits and separators, within the range', () => {
    expect(parseFieldInput(depth, '577')).toEqual({ ok: true, value: 577 });
    expect(parseFieldInput(depth, '１,２００．５')).toEqual({ ok: true, value: 1200.5 });
    expect(parseFieldInput(depth, '2001')).toEqual({ ok: false, problem: { code: 'above-maximum', maximum: 2000 } });
    expect(parseFieldInput(depth, '-1')).toEqual({ ok: false, problem: { code: 'below-minimum', minimum: 0 } });
    expect(parseFieldInput(depth, '12m')).toEqual({ ok: false, problem: { code: 'not-a-number' } });
    expect(parseFieldInput(depth, '')).toEqual({ ok: true, value: null });
  });

  it('requires whole numbers for integer fields and a value for required ones', () => {
    expect(parseFieldInput(count, '3')).toEqual({ ok: true, value: 3 });
    expect(parseFieldInput(count, '3.5')).toEqual({ ok: false, problem: { code: 'not-an-integer' } });
    expect(parseFieldInput(count, '  ')).toEqual({ ok: false, problem: { code: 'required' } });
  });

  it('checks text length in characters, dates and allowed values', () => {
    expect(parseFieldInput(name, '水滴公园')).toEqual({ ok: true, value: '水滴公园' });
    expect(parseFieldInput(name, '水滴口袋公园')).toEqual({ ok: false, problem: { code: 'too-long', maxLength: 4 } });
    expect(parseFieldInput(sealed, '2021-06-30')).toEqual({ ok: true, value: '2021-06-30' });
    expect(parseFieldInput(sealed, '2021-02-30')).toEqual({ ok: false, problem: { code: 'not-a-date' } });
    expect(parseFieldInput(kind, 'compound')).toEqual({ ok: true, value: 'compound' });
    expect(parseFieldInput(kind, 'tower')).toEqual({ ok: false, problem: { code: 'not-an-option' } });
    expect(parseFieldInput(flag, true)).toEqual({ ok: true, value: true });
    expect(parseFieldInput(flag, '')).toEqual({ ok: true, value: null });
  });
});
