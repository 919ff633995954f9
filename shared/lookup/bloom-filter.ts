// A Bloom filter over string ids: says "certainly not here" or "maybe here" for an id. The store
// keeps one per feature chunk so a lookup by id reads only the chunks whose filter says "maybe"
// (renderer/src/db/chunk-filters.ts). Serialised as bytes: [format, hashes, ...bit array], or the
// same bytes as a one-byte string (char code = byte) — what the store keeps: plain JSON for the
// tools that save and restore a store, and V8 stores such a string at one byte per character.
//
// 14 bits per id and 10 hashes (≈ 14 · ln 2) give a false-positive rate of ≈ 0.6185^14 ≈ 0.12 %.
// Positions come from two 32-bit hashes of the id's UTF-16 code units (FNV-1a and a
// multiply-xorshift hash, each finished with MurmurHash3's fmix32), combined by double hashing
// (h1 + i·h2): one pass over the id, however many hashes.

export const BLOOM_BITS_PER_ID = 14;
export const BLOOM_HASHES = 10;
/** The serialised form's version; a filter in another format is refused, never misread. */
export const BLOOM_FORMAT = 1;
const HEADER_BYTES = 2;
const MIN_BITS = 64;

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
  return { h1: fmix32(a), h2: (fmix32(b) | 1) >>> 0 };
}

export class BloomFilter {
  /** Number of bits in the filter (a multiple of 8). */
  readonly bitCount: number;

  private constructor(
    /** Header and bits: what {@link serialize} returns. */
    private readonly bytes: Uint8Array,
  ) {
    this.bitCount = (bytes.length - HEADER_BYTES) * 8;
  }

  get hashes(): number {
    return this.bytes[1] as number;
  }

  /** An empty filter sized for `count` ids. */
  static forCount(count: number, options: { bitsPerId?: number; hashes?: number } = {}): BloomFilter {
    const bitsPerId = options.bitsPerId ?? BLOOM_BITS_PER_ID;
    const hashes = options.hashes ?? BLOOM_HASHES;
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`Bloom filter: count must be a whole number ≥ 0, got ${count}`);
    if (!Number.isInteger(hashes) || hashes < 1 || hashes > 255) throw new RangeError(`Bloom filter: hashes must be 1–255, got ${hashes}`);
    if (!(bitsPerId > 0)) throw new RangeError(`Bloom filter: bits per id must be > 0, got ${bitsPerId}`);
    const bits = Math.max(MIN_BITS, Math.ceil((count * bitsPerId) / 8) * 8);
    const bytes = new Uint8Array(HEADER_BYTES + bits / 8);
    bytes[0] = BLOOM_FORMAT;
    bytes[1] = hashes;
    return new BloomFilter(bytes);
  }

  /** A filter holding exactly `ids`. */
  static of(ids: readonly string[], options?: { bitsPerId?: number; hashes?: number }): BloomFilter {
    const filter = BloomFilter.forCount(ids.length, options);
    for (const id of ids) filter.add(id);
    return filter;
  }

  /**
   * Reads a serialised filter: bytes (used, not copied) or their one-byte string
   * ({@link toBinaryString}); throws {@link BloomFilterFormatError} if it is not one.
   */
  static deserialize(serialised: Uint8Array | string): BloomFilter {
    let bytes: Uint8Array;
    if (typeof serialised === 'string') {
      bytes = new Uint8Array(serialised.length);
      for (let index = 0; index < serialised.length; index += 1) {
        const code = serialised.charCodeAt(index);
        if (code > 0xff) throw new BloomFilterFormatError(`character ${index} (U+${code.toString(16).toUpperCase()}) is not a byte`);
        bytes[index] = code;
      }
    } else if (serialised instanceof Uint8Array) bytes = serialised;
    else throw new BloomFilterFormatError(`expected bytes (Uint8Array) or a string, got ${Object.prototype.toString.call(serialised)}`);
    if (bytes.length < HEADER_BYTES + MIN_BITS / 8) throw new BloomFilterFormatError(`${bytes.length} bytes is too short (at least ${HEADER_BYTES + MIN_BITS / 8})`);
    if (bytes[0] !== BLOOM_FORMAT) throw new BloomFilterFormatError(`format ${bytes[0]} is not ${BLOOM_FORMAT}`);
    if (bytes[1] === 0) throw new BloomFilterFormatError('0 hashes');
    return new BloomFilter(bytes);
  }

  serialize(): Uint8Array {
    return this.bytes;
  }

  /** The serialised bytes as a string of char codes 0–255. */
  toBinaryString(): string {
    let text = '';
    // A few thousand arguments per call stays far below every engine's argument limit.
    for (let start = 0; start < this.bytes.length; start += 4_096) text += String.fromCharCode(...this.bytes.subarray(start, start + 4_096));
    return text;
  }

  add(id: string): void {
    this.addHash(hashId(id));
  }

  addHash({ h1, h2 }: IdHash): void {
    const bits = this.bitCount;
    const bytes = this.bytes;
    let position = h1;
    for (let probe = this.hashes; probe > 0; probe -= 1) {
      const bit = position % bits;
      bytes[HEADER_BYTES + (bit >>> 3)]! |= 1 << (bit & 7);
      position = (position + h2) >>> 0;
    }
  }

  /** False: the id was never added. True: it probably was (≈ 0.1 % false positives at the defaults). */
  has(id: string): boolean {
    return this.hasHash(hashId(id));
  }

  hasHash({ h1, h2 }: IdHash): boolean {
    const bits = this.bitCount;
    const bytes = this.bytes;
    let position = h1;
    for (let probe = this.hashes; probe > 0; probe -= 1) {
      const bit = position % bits;
      if ((bytes[HEADER_BYTES + (bit >>> 3)]! & (1 << (bit & 7))) === 0) return false;
      position = (position + h2) >>> 0;
    }
    return true;
  }
}
