import { ImportError, type ImportLocation } from './errors';
import { textDecoder } from './platform';

/**
 * Text decoding for files from Chinese offices: UTF-8 (with or without BOM), GBK/GB18030 (what
 * Chinese Windows writes as "ANSI"), UTF-16 with a BOM. GBK is decoded with the GB18030 decoder, a
 * superset (the WHATWG `gbk` label is that decoder too).
 */

export interface DecodedText {
  text: string;
  /** The encoding used: `utf-8`, `gbk`, `utf-16le`… */
  encoding: string;
  /** True when nothing declared the encoding and the bytes decided it. */
  detected: boolean;
}

const BINARY_SNIFF_BYTES = 65_536;

/** Canonical label for what .cpg files, options and XML prologs say. */
export function normalizeEncodingLabel(label: string): string | null {
  const compact = label.trim().toLowerCase().replace(/^ansi\s*/, '').replace(/[\s_]/g, '');
  if (compact === '') return null;
  if (['utf-8', 'utf8', '65001'].includes(compact)) return 'utf-8';
  if (['gbk', 'cp936', '936', 'gb2312', 'gb-2312', 'euc-cn', 'x-gbk', 'windows-936', 'ms936', 'chinese'].includes(compact)) return 'gbk';
  if (['gb18030', '54936'].includes(compact)) return 'gb18030';
  if (['big5', 'cp950', '950'].includes(compact)) return 'big5';
  if (['88591', 'iso-8859-1', 'iso8859-1', 'latin1', '1252', 'cp1252', 'windows-1252'].includes(compact)) return 'windows-1252';
  return textDecoder(compact) ? compact : null;
}

function decodeWith(bytes: Uint8Array, label: string, fatal: boolean): string | null {
  const decoder = textDecoder(label === 'gbk' ? 'gb18030' : label, fatal);
  if (!decoder) return null;
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

function hasBom(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/** True when every byte is ASCII (nothing to tell encodings apart by). */
export function isAscii(bytes: Uint8Array): boolean {
  for (let index = 0; index < bytes.length; index += 1) if ((bytes[index] as number) >= 0x80) return false;
  return true;
}

/** 'utf-8' when the bytes are valid UTF-8 (or ASCII), 'gbk' when valid GB18030, else null. */
export function guessEncoding(bytes: Uint8Array): 'utf-8' | 'gbk' | null {
  if (isAscii(bytes) || decodeWith(bytes, 'utf-8', true) !== null) return 'utf-8';
  if (decodeWith(bytes, 'gbk', true) !== null) return 'gbk';
  return null;
}

/**
 * Decode a text file: a chosen encoding, else the BOM, else `declared` (an XML prolog…), else valid
 * UTF-8, else GBK. Throws 'not-text' for binary data, 'undecodable-text' when nothing fits.
 */
export function decodeText(bytes: Uint8Array, options: { encoding?: string; declared?: string; location?: ImportLocation } = {}): DecodedText {
  const location = options.location ?? {};
  const bom = hasBom(bytes);
  const body = bom === 'utf-8' ? bytes.subarray(3) : bom ? bytes.subarray(2) : bytes;
  if (options.encoding) {
    const label = normalizeEncodingLabel(options.encoding);
    const text = label ? decodeWith(body, label, false) : null;
    if (label === null || text === null) {
      throw new ImportError(
        'undecodable-text',
        { zh: `不认识的文字编码“${options.encoding}”。`, en: `Unknown text encoding "${options.encoding}".` },
        location,
        { encoding: options.encoding },
      );
    }
    return { text, encoding: label, detected: false };
  }
  if (bom) return { text: decodeWith(body, bom, false) ?? '', encoding: bom, detected: false };
  const sniff = body.subarray(0, BINARY_SNIFF_BYTES);
  if (sniff.includes(0)) {
    throw new ImportError(
      'not-text',
      { zh: '文件内容是二进制数据，不是文本：文件可能已损坏，或扩展名不对。', en: 'The file holds binary data, not text: it may be damaged or have the wrong extension.' },
      location,
    );
  }
  const declared = options.declared ? normalizeEncodingLabel(options.declared) : null;
  if (declared && declared !== 'utf-8') {
    const text = decodeWith(body, declared, true);
    if (text !== null) return { text, encoding: declared, detected: false };
  }
  const utf8 = decodeWith(body, 'utf-8', true);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8', detected: false };
  const gbk = decodeWith(body, 'gbk', true);
  if (gbk !== null) return { text: gbk, encoding: 'gbk', detected: true };
  throw new ImportError(
    'undecodable-text',
    {
      zh: '无法识别文件的文字编码（既不是 UTF-8 也不是 GBK）：请在导入时选择编码。',
      en: 'Cannot tell the text encoding (neither UTF-8 nor GBK): choose the encoding when importing.',
    },
    location,
  );
}

/** Decode with a known label, never throwing (replacement characters for bad bytes). */
export function decodeLoose(bytes: Uint8Array, label: string): string {
  return decodeWith(bytes, label, false) ?? decodeWith(bytes, 'utf-8', false) ?? '';
}

let gbkTable: Map<number, number> | null = null;

/**
 * Unicode code point → GBK double-byte code, built once from the platform's own GBK decoder (every
 * lead byte 0x81–0xFE with every trail byte 0x40–0xFE except 0x7F: each pair decodes to exactly one
 * character, U+FFFD where unassigned), so the encoder and the decoders agree byte for byte.
 */
function gbkEncodingTable(): Map<number, number> {
  if (gbkTable) return gbkTable;
  const pairs: number[] = [];
  for (let lead = 0x81; lead <= 0xfe; lead += 1) {
    for (let trail = 0x40; trail <= 0xfe; trail += 1) if (trail !== 0x7f) pairs.push(lead, trail);
  }
  const decoder = textDecoder('gbk');
  if (!decoder) throw new Error('This runtime has no GBK decoder (Node needs full ICU).');
  const text = decoder.decode(Uint8Array.from(pairs));
  const table = new Map<number, number>();
  let pairIndex = 0;
  for (const character of text) {
    const codePoint = character.codePointAt(0) as number;
    const code = ((pairs[pairIndex * 2] as number) << 8) | (pairs[pairIndex * 2 + 1] as number);
    if (codePoint !== 0xfffd && !table.has(codePoint)) table.set(codePoint, code);
    pairIndex += 1;
  }
  gbkTable = table;
  return table;
}

/** Encode text as GBK; characters GBK lacks become `?` and are counted. */
export function encodeGbk(text: string): { bytes: Uint8Array; unencodable: number } {
  const table = gbkEncodingTable();
  const out: number[] = [];
  let unencodable = 0;
  for (const character of text) {
    const codePoint = character.codePointAt(0) as number;
    if (codePoint < 0x80) {
      out.push(codePoint);
      continue;
    }
    const code = table.get(codePoint);
    if (code === undefined) {
      out.push(0x3f);
      unencodable += 1;
    } else {
      out.push(code >> 8, code & 0xff);
    }
  }
  return { bytes: Uint8Array.from(out), unencodable };
}
