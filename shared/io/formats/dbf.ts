import { ImportError } from '../errors';
import { decodeLoose, guessEncoding, isAscii, normalizeEncodingLabel } from '../text';
import type { PropertyValue } from '../types';

/**
 * dBASE III tables as Shapefiles carry them. Read here rather than by the `shapefile` package so the
 * encoding can be judged from the raw bytes, deleted records are skipped and dates stay calendar dates.
 */

export interface DbfField {
  name: string;
  type: string;
  length: number;
  decimals: number;
}

export interface DbfTable {
  fields: DbfField[];
  records: Record<string, PropertyValue>[];
  encoding: string;
  encodingSource: 'option' | 'cpg' | 'language-driver' | 'bytes';
}

/** DBF language driver ids (byte 29) → encoding. 0x4D and 0x7A: GBK (code page 936). */
const LANGUAGE_DRIVERS: Record<number, string> = {
  0x01: 'ibm437',
  0x03: 'windows-1252',
  0x4d: 'gbk',
  0x4e: 'euc-kr',
  0x4f: 'big5',
  0x7a: 'gbk',
  0x7b: 'shift_jis',
  0x7c: 'windows-874',
  0x13: 'shift_jis',
  0xc8: 'windows-1250',
  0xc9: 'windows-1251',
};

function invalid(file: string, en: string, zh: string): ImportError {
  return new ImportError('invalid-shapefile', { zh: `属性表 ${file} 已损坏：${zh}`, en: `The attribute table ${file} is damaged: ${en}` }, { file });
}

export function readDbf(bytes: Uint8Array, file: string, encodingHint: { option?: string; cpg?: string }): DbfTable {
  if (bytes.length < 33) throw invalid(file, 'too short for a header', '文件过短');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const recordCount = view.getUint32(4, true);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  if (headerLength < 33 || headerLength > bytes.length || recordLength < 1) throw invalid(file, 'bad header lengths', '文件头长度错误');
  const rawFields: { nameBytes: Uint8Array; type: string; length: number; decimals: number }[] = [];
  for (let offset = 32; offset + 32 <= headerLength && bytes[offset] !== 0x0d; offset += 32) {
    let end = offset;
    while (end < offset + 11 && bytes[end] !== 0) end += 1;
    rawFields.push({
      nameBytes: bytes.subarray(offset, end),
      type: String.fromCharCode(bytes[offset + 11] as number),
      length: bytes[offset + 16] as number,
      decimals: bytes[offset + 17] as number,
    });
  }
  const body = bytes.subarray(headerLength, Math.min(bytes.length, headerLength + recordCount * recordLength));
  if (body.length < recordCount * recordLength) throw invalid(file, `${recordCount} records declared but the file ends early`, `声明有 ${recordCount} 条记录，但文件提前结束`);

  // Encoding: the user's choice, the .cpg, the language driver byte, else the bytes themselves.
  let encoding: string | null = null;
  let encodingSource: DbfTable['encodingSource'] = 'bytes';
  if (encodingHint.option) {
    encoding = normalizeEncodingLabel(encodingHint.option);
    encodingSource = 'option';
  }
  if (!encoding && encodingHint.cpg) {
    encoding = normalizeEncodingLabel(encodingHint.cpg);
    encodingSource = 'cpg';
  }
  if (!encoding && LANGUAGE_DRIVERS[bytes[29] as number]) {
    encoding = LANGUAGE_DRIVERS[bytes[29] as number] as string;
    encodingSource = 'language-driver';
  }
  if (!encoding) {
    const sample = new Uint8Array(body.length + rawFields.reduce((sum, field) => sum + field.nameBytes.length, 0));
    sample.set(body);
    let at = body.length;
    for (const field of rawFields) {
      sample.set(field.nameBytes, at);
      at += field.nameBytes.length;
    }
    encoding = isAscii(sample) ? 'utf-8' : (guessEncoding(sample) ?? 'windows-1252');
    encodingSource = 'bytes';
  }
  const decode = (part: Uint8Array): string => decodeLoose(part, encoding === 'gbk' ? 'gb18030' : (encoding as string));

  const fields: DbfField[] = [];
  const used = new Set<string>();
  for (const raw of rawFields) {
    let name = decode(raw.nameBytes).trim() || `field${fields.length + 1}`;
    for (let suffix = 2; used.has(name); suffix += 1) name = `${name}_${suffix}`;
    used.add(name);
    fields.push({ name, type: raw.type.toUpperCase(), length: raw.length, decimals: raw.decimals });
  }
  const recordWidth = fields.reduce((sum, field) => sum + field.length, 1);
  if (recordWidth > recordLength) throw invalid(file, 'fields wider than a record', '字段总宽度超过记录长度');

  const records: Record<string, PropertyValue>[] = [];
  for (let record = 0; record < recordCount; record += 1) {
    const start = record * recordLength;
    if (body[start] === 0x2a) {
      records.push({ '\u0000deleted': true });
      continue;
    }
    const values: Record<string, PropertyValue> = {};
    let offset = start + 1;
    for (const field of fields) {
      const cell = body.subarray(offset, offset + field.length);
      offset += field.length;
      values[field.name] = fieldValue(field, cell, decode);
    }
    records.push(values);
  }
  return { fields, records, encoding, encodingSource };
}

export const isDeletedRecord = (record: Record<string, PropertyValue>): boolean => record['\u0000deleted'] === true;

function fieldValue(field: DbfField, cell: Uint8Array, decode: (part: Uint8Array) => string): PropertyValue {
  switch (field.type) {
    case 'C': {
      const text = decode(cell).split('\u0000')[0]?.trim() ?? '';
      return text === '' ? null : text;
    }
    case 'N':
    case 'F': {
      const text = String.fromCharCode(...cell).trim();
      if (text === '' || /^\*+$/.test(text)) return null;
      const value = Number(text);
      return Number.isFinite(value) ? value : null;
    }
    case 'L': {
      const text = String.fromCharCode(...cell).trim();
      return /^[YT]$/i.test(text) ? true : /^[NF]$/i.test(text) ? false : null;
    }
    case 'D': {
      const text = String.fromCharCode(...cell).trim();
      return /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : null;
    }
    default: {
      const text = decode(cell).trim();
      return text === '' ? null : text;
    }
  }
}
