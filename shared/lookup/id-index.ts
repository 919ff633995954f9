// An exact index of a chunk generation's ids, cut into buckets: for every id, its 31-bit hash and
// the chunk it is in. A lookup hashes the id once (`hashId`, the Bloom filter's hashes), picks its
// bucket from h2's top bits, reads that ONE bucket and binary-searches h1 in it: the chunk(s) with
// that hash are the candidates (confirmed by the chunk's `featureIds`; two ids of a bucket sharing
// h1 — ≈ 4,096 / 2^31 per lookup — only add a candidate chunk, never hide one).
//
// A bucket is stored as two one-byte strings (char code = byte, like the Bloom filters), so the
// store's record stays plain JSON: `hashes`, 4 bytes big-endian per id, ascending; `chunks`, at
// the same position, 4 bytes big-endian: the chunk's sequence (its id is derived from it). About
// 8 bytes per id: 32 KB for a bucket of 4,096 ids. The bucket count is a power of two derived from
// the generation's chunk count (≈ 1,000 ids each), so a reader knows which bucket to read before
// reading any (`idIndexBucketCount`), and a bucket holds ≈ 4,096 ids at most when chunks are full.
import type { IdHash } from './bloom-filter';
import { bytesToBinaryString } from './binary-string';

/** The stored form's version; a bucket in another format is not read (the lookup falls back). */
export const ID_INDEX_FORMAT = 1;
/** Ids per bucket aimed at: a bucket row of ≈ 32 KB. */
export const ID_INDEX_BUCKET_IDS = 4_096;
/** Ids per chunk assumed when sizing (the packer's chunk size). */
export const ID_INDEX_IDS_PER_CHUNK = 1_000;
/** Bucket numbers come from h2's top 16 bits: at most 2^16 buckets. */
const BUCKET_BITS_MAX = 16;
/** Inside a bucket's sort, hash and position share one float64: 31 + 22 bits ≤ 53. */
const POSITION_BITS = 22;
const POSITION_SPAN = 2 ** POSITION_BITS;

export class IdIndexFormatError extends Error {
  constructor(message: string) {
    super(`id index: ${message}`);
    this.name = 'IdIndexFormatError';
  }
}

/** The number of buckets of a generation of `chunkCount` chunks: a power of two, 1 to 65,536. */
export function idIndexBucketCount(chunkCount: number): number {
  if (!Number.isInteger(chunkCount) || chunkCount < 0) throw new RangeError(`id index: chunk count must be a whole number ≥ 0, got ${chunkCount}`);
  const wanted = Math.ceil((chunkCount * ID_INDEX_IDS_PER_CHUNK) / ID_INDEX_BUCKET_IDS);
  let count = 1;
  while (count < wanted && count < 2 ** BUCKET_BITS_MAX) count *= 2;
  return count;
}

function bucketBits(bucketCount: number): number {
  const bits = Math.log2(bucketCount);
  if (!Number.isInteger(bits) || bits < 0 || bits > BUCKET_BITS_MAX) throw new RangeError(`id index: bucket count must be a power of two ≤ 2^${BUCKET_BITS_MAX}, got ${bucketCount}`);
  return bits;
}

/** The bucket of an id's hash: the top bits of h2 (independent of h1, which the bucket stores). */
export function idIndexBucketOf(hash: IdHash, bucketCount: number): number {
  return (hash.h2 >>> 15) >>> (BUCKET_BITS_MAX - bucketBits(bucketCount));
}

/** One bucket as stored (the store adds its key, layer and generation). */
export interface IdIndexBucket {
  format: number;
  bucket: number;
  bucketCount: number;
  /** Ids in the bucket. */
  count: number;
  /** `count` × 4 bytes: the ids' h1, ascending, as a one-byte string. */
  hashes: string;
  /** `count` × 4 bytes: the chunk sequence of the id at the same position, as a one-byte string. */
  chunks: string;
}

function putUint32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}

function uint32At(text: string, index: number): number {
  const at = index * 4;
  return ((text.charCodeAt(at) << 24) | (text.charCodeAt(at + 1) << 16) | (text.charCodeAt(at + 2) << 8) | text.charCodeAt(at + 3)) >>> 0;
}

/**
 * Collects (hash, chunk) pairs of one generation as its chunks are written, then cuts them into
 * buckets. About 10 bytes per id held.
 */
export class IdIndexBuilder {
  private h1 = new Uint32Array(4_096);
  private top = new Uint16Array(4_096);
  private chunk = new Uint32Array(4_096);
  private size = 0;
  private chunks = 0;

  /** Ids added so far. */
  get idCount(): number {
    return this.size;
  }

  /** Chunks added so far (each {@link addChunk} call is one chunk). */
  get chunkCount(): number {
    return this.chunks;
  }

  /** Adds one chunk: its sequence and its ids' hashes. */
  addChunk(sequence: number, hashes: readonly IdHash[]): void {
    if (!Number.isInteger(sequence) || sequence < 0 || sequence > 0xffffffff) throw new RangeError(`id index: chunk sequence must be a uint32, got ${sequence}`);
    this.chunks += 1;
    const needed = this.size + hashes.length;
    if (needed > this.h1.length) {
      let capacity = this.h1.length;
      while (capacity < needed) capacity *= 2;
      const h1 = new Uint32Array(capacity);
      h1.set(this.h1.subarray(0, this.size));
      const top = new Uint16Array(capacity);
      top.set(this.top.subarray(0, this.size));
      const chunk = new Uint32Array(capacity);
      chunk.set(this.chunk.subarray(0, this.size));
      this.h1 = h1;
      this.top = top;
      this.chunk = chunk;
    }
    for (const hash of hashes) {
      this.h1[this.size] = hash.h1;
      this.top[this.size] = hash.h2 >>> 15;
      this.chunk[this.size] = sequence;
      this.size += 1;
    }
  }

  /** All `bucketCount` buckets (empty ones too), each sorted by hash. */
  build(bucketCount: number = idIndexBucketCount(this.chunks)): IdIndexBucket[] {
    const shift = BUCKET_BITS_MAX - bucketBits(bucketCount);
    const { size, h1, top, chunk } = this;
    // Counting sort into buckets: positions of bucket b are order[start[b] .. start[b + 1]).
    const start = new Uint32Array(bucketCount + 1);
    for (let index = 0; index < size; index += 1) start[(top[index]! >>> shift) + 1]! += 1;
    for (let bucket = 0; bucket < bucketCount; bucket += 1) start[bucket + 1]! += start[bucket]!;
    const fill = start.slice(0, bucketCount);
    const order = new Uint32Array(size);
    for (let index = 0; index < size; index += 1) order[fill[top[index]! >>> shift]!++] = index;
    const buckets: IdIndexBucket[] = [];
    for (let bucket = 0; bucket < bucketCount; bucket += 1) {
      const from = start[bucket]!;
      const count = start[bucket + 1]! - from;
      const positions = order.subarray(from, from + count);
      let sorted: ArrayLike<number>;
      if (count < POSITION_SPAN) {
        // hash · 2^22 + position in the bucket: one numeric typed-array sort, no comparator.
        const keys = new Float64Array(count);
        for (let at = 0; at < count; at += 1) keys[at] = h1[positions[at]!]! * POSITION_SPAN + at;
        keys.sort();
        const byHash = new Uint32Array(count);
        for (let at = 0; at < count; at += 1) byHash[at] = positions[keys[at]! % POSITION_SPAN]!;
        sorted = byHash;
      } else sorted = Array.from(positions).sort((left, right) => h1[left]! - h1[right]! || left - right);
      const hashBytes = new Uint8Array(count * 4);
      const chunkBytes = new Uint8Array(count * 4);
      for (let at = 0; at < count; at += 1) {
        const index = sorted[at]!;
        putUint32(hashBytes, at * 4, h1[index]!);
        putUint32(chunkBytes, at * 4, chunk[index]!);
      }
      buckets.push({ format: ID_INDEX_FORMAT, bucket, bucketCount, count, hashes: bytesToBinaryString(hashBytes), chunks: bytesToBinaryString(chunkBytes) });
    }
    return buckets;
  }
}

/** Throws {@link IdIndexFormatError} unless `row` is a bucket this code can read. */
export function checkIdIndexBucket(row: Partial<IdIndexBucket>): asserts row is IdIndexBucket {
  if (row.format !== ID_INDEX_FORMAT) throw new IdIndexFormatError(`format ${String(row.format)} is not ${ID_INDEX_FORMAT}`);
  const { count, hashes, chunks, bucket, bucketCount } = row;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw new IdIndexFormatError(`count ${String(count)}`);
  if (typeof hashes !== 'string' || hashes.length !== count * 4) throw new IdIndexFormatError(`hashes of ${typeof hashes === 'string' ? hashes.length : typeof hashes} chars for ${count} ids`);
  if (typeof chunks !== 'string' || chunks.length !== count * 4) throw new IdIndexFormatError(`chunks of ${typeof chunks === 'string' ? chunks.length : typeof chunks} chars for ${count} ids`);
  if (typeof bucketCount !== 'number' || typeof bucket !== 'number' || !(bucket >= 0 && bucket < bucketCount)) throw new IdIndexFormatError(`bucket ${String(bucket)} of ${String(bucketCount)}`);
}

/**
 * The chunk sequences of the ids in `bucket` whose h1 is the hash's (binary search, no copy):
 * empty if the id is not in the generation; one for an id that is (more only on a hash collision).
 */
export function searchIdIndexBucket(bucket: Pick<IdIndexBucket, 'count' | 'hashes' | 'chunks'>, hash: IdHash): number[] {
  const target = hash.h1;
  let low = 0;
  let high = bucket.count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (uint32At(bucket.hashes, middle) < target) low = middle + 1;
    else high = middle;
  }
  const found: number[] = [];
  for (let at = low; at < bucket.count && uint32At(bucket.hashes, at) === target; at += 1) {
    const sequence = uint32At(bucket.chunks, at);
    if (!found.includes(sequence)) found.push(sequence);
  }
  return found;
}
