// A Bloom filter over string ids: says "certainly not here" or "maybe here" for an id. The store
// keeps one per feature chunk: where a generation's exact id index (id-index.ts) is missing, a
// lookup by id reads only the chunks whose filter says "maybe" (renderer/src/db/chunk-filters.ts).
// `hashId` is also the index's hash (h1 stored, h2's top bits pick the bucket). Serialised as bytes: [format, hashes, ...bit array], or the
// same bytes as a one-byte string (char code = byte) — what the store keeps: plain JSON for the
// tools that save and restore a store, and V8 stores such a string at one byte per character.
//
// 20 bits per id and 14 hashes (≈ 20 · ln 2) give a false-positive rate of ≈ 0.6185^20 ≈ 0.007 %:
// a fallback lookup tests every chunk's filter of a layer, so at 1,000 chunks 14 bits per id (0.12 %) read a
// second, false-positive chunk in about every other lookup (measured, tests/bench/README.md B10);
// at 20 bits, in about one in fifteen, for 43 % more filter bytes.
// Positions come from two 32-bit hashes of the id's UTF-16 code units (FNV-1a and a
// multiply-xorshift hash, each finished with MurmurHash3's fmix32), combined by double hashing
// (h1 + i·h2, on 31 bits): one pass over the id, however many hashes.

import { bytesToBinaryString } from './binary-string';

export const BLOOM_BITS_PER_ID = 20;
export const BLOOM_HASHES = 14;
/** The serialised form's version; a filter in another format is refused, never misread. */
export const BLOOM_FORMAT = 1;
const HEADER_BYTES = 2;
const MIN_BITS = 64;
/** Positions stay below 2^31 so every step is small-integer arithmetic (no float modulo). */
const POSITION_MASK = 0x7fffffff;
const MAX_BITS = 2 ** 30;

export class BloomFilterFormatError extends Error {
  constructor(message: string) {
    super(`Bloom filter: ${message}`);
    this.name = 'BloomFilterFormatError';
  }
}

/** The two base hashes of an id; hash once, test against many filters. */
export interface IdHash {
  readonly h1: number;
  readonly h2: number;
}

function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hashId(id: string): IdHash {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ id.length;
  for (let index = 0; index < id.length; index += 1) {
    const code = id.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // h2 odd and non-zero: the probes never collapse onto one bit.
  return { h1: fmix32(a) & POSITION_MASK, h2: (fmix32(b) | 1) & POSITION_MASK };
}

export class BloomFilter {
  /** Number of bits in the filter (a multiple of 8). */
  readonly bitCount: number;
  readonly hashes: number;

  // Exactly one of the two holds header and bits: `bytes` for a filter being built or read from
  // bytes, `text` for one read from its one-byte string, tested in place (no copy per lookup).
  private constructor(
    private readonly bytes: Uint8Array | null,
    private readonly text: string | null,
  ) {
    const length = bytes?.length ?? (text as string).length;
    this.bitCount = (length - HEADER_BYTES) * 8;
    this.hashes = bytes === null ? (text as string).charCodeAt(1) : (bytes[1] as number);
  }

  /** An empty filter sized for `count` ids. */
  static forCount(count: number, options: { bitsPerId?: number; hashes?: number } = {}): BloomFilter {
    const bitsPerId = options.bitsPerId ?? BLOOM_BITS_PER_ID;
    const hashes = options.hashes ?? BLOOM_HASHES;
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`Bloom filter: count must be a whole number ≥ 0, got ${count}`);
    if (!Number.isInteger(hashes) || hashes < 1 || hashes > 255) throw new RangeError(`Bloom filter: hashes must be 1–255, got ${hashes}`);
    if (!(bitsPerId > 0)) throw new RangeError(`Bloom filter: bits per id must be > 0, got ${bitsPerId}`);
    const bits = Math.max(MIN_BITS, Math.ceil((count * bitsPerId) / 8) * 8);
    if (bits > MAX_BITS) throw new RangeError(`Bloom filter: ${count} ids need ${bits} bits, more than ${MAX_BITS}`);
    const bytes = new Uint8Array(HEADER_BYTES + bits / 8);
    bytes[0] = BLOOM_FORMAT;
    bytes[1] = hashes;
    return new BloomFilter(bytes, null);
  }

  /** A filter holding exactly `ids`. */
  static of(ids: readonly string[], options?: { bitsPerId?: number; hashes?: number }): BloomFilter {
    const filter = BloomFilter.forCount(ids.length, options);
    for (const id of ids) filter.add(id);
    return filter;
  }

  /**
   * Reads a serialised filter: bytes or their one-byte string ({@link toBinaryString}), used in
   * place, not copied. Throws {@link BloomFilterFormatError} if the header says it is not one;
   * any bits are a valid filter (a character above U+00FF, which no writer makes, only reads as
   * more bits set: more "maybe", never a wrong "no").
   */
  static deserialize(serialised: Uint8Array | string): BloomFilter {
    const isText = typeof serialised === 'string';
    if (!isText && !(serialised instanceof Uint8Array)) throw new BloomFilterFormatError(`expected bytes (Uint8Array) or a string, got ${Object.prototype.toString.call(serialised)}`);
    const at = (index: number): number => (isText ? serialised.charCodeAt(index) : (serialised[index] as number));
    const { length } = serialised;
    if (length < HEADER_BYTES + MIN_BITS / 8) throw new BloomFilterFormatError(`${length} bytes is too short (at least ${HEADER_BYTES + MIN_BITS / 8})`);
    if ((length - HEADER_BYTES) * 8 > MAX_BITS) throw new BloomFilterFormatError(`${length} bytes is too long (at most ${HEADER_BYTES + MAX_BITS / 8})`);
    if (at(0) !== BLOOM_FORMAT) throw new BloomFilterFormatError(`format ${at(0)} is not ${BLOOM_FORMAT}`);
    if (at(1) === 0 || at(1) > 255) throw new BloomFilterFormatError(`${at(1)} hashes`);
    return isText ? new BloomFilter(null, serialised) : new BloomFilter(serialised, null);
  }

  serialize(): Uint8Array {
    if (this.bytes !== null) return this.bytes;
    const text = this.text as string;
    const bytes = new Uint8Array(text.length);
    for (let index = 0; index < text.length; index += 1) bytes[index] = text.charCodeAt(index) & 0xff;
    return bytes;
  }

  /** The serialised bytes as a string of char codes 0–255. */
  toBinaryString(): string {
    if (this.text !== null) return this.text;
    return bytesToBinaryString(this.bytes as Uint8Array);
  }

  add(id: string): void {
    this.addHash(hashId(id));
  }

  addHash({ h1, h2 }: IdHash): void {
    const bytes = this.bytes;
    if (bytes === null) throw new Error('Bloom filter: a filter read from text is read-only');
    const bits = this.bitCount;
    let position = h1;
    for (let probe = this.hashes; probe > 0; probe -= 1) {
      const bit = position % bits;
      bytes[HEADER_BYTES + (bit >>> 3)]! |= 1 << (bit & 7);
      position = (position + h2) & POSITION_MASK;
    }
  }

  /** False: the id was never added. True: it probably was (≈ 0.007 % false positives at the defaults). */
  has(id: string): boolean {
    return this.hasHash(hashId(id));
  }

  hasHash({ h1, h2 }: IdHash): boolean {
    const bits = this.bitCount;
    let position = h1;
    const text = this.text;
    if (text !== null) {
      for (let probe = this.hashes; probe > 0; probe -= 1) {
        const bit = position % bits;
        if ((text.charCodeAt(HEADER_BYTES + (bit >>> 3)) & (1 << (bit & 7))) === 0) return false;
        position = (position + h2) & POSITION_MASK;
      }
      return true;
    }
    const bytes = this.bytes as Uint8Array;
    for (let probe = this.hashes; probe > 0; probe -= 1) {
      const bit = position % bits;
      if ((bytes[HEADER_BYTES + (bit >>> 3)]! & (1 << (bit & 7))) === 0) return false;
      position = (position + h2) & POSITION_MASK;
    }
    return true;
  }
}
