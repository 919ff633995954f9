// The exact id index (shared/lookup/id-index.ts): every id is found in exactly its chunk through
// its one bucket; an absent id finds nothing or only a chunk holding an id of the same hash; hash
// collisions and empty buckets; the bucket count from the chunk count; the stored form's checks.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkIdIndexBucket,
  hashId,
  IdIndexBuilder,
  idIndexBucketCount,
  idIndexBucketOf,
  IdIndexFormatError,
  searchIdIndexBucket,
  type IdHash,
  type IdIndexBucket,
} from '../../../shared/lookup';

/** Builds an index of `chunks` (ids per chunk, the chunk's sequence = its position × `stride`). */
function indexOf(chunks: readonly (readonly string[])[], stride = 1, bucketCount?: number): IdIndexBucket[] {
  const builder = new IdIndexBuilder();
  chunks.forEach((ids, position) => builder.addChunk(position * stride, ids.map(hashId)));
  return builder.build(bucketCount ?? idIndexBucketCount(chunks.length));
}

function lookUp(buckets: readonly IdIndexBucket[], hash: IdHash): number[] {
  const bucket = buckets[idIndexBucketOf(hash, buckets.length)]!;
  return searchIdIndexBucket(bucket, hash);
}

const idsArbitrary = fc.array(fc.array(fc.string({ unit: 'grapheme', maxLength: 24 }), { maxLength: 60 }), { maxLength: 40 });

describe('IdIndexBuilder and searchIdIndexBucket', () => {
  it('finds every id in exactly its chunk, and an absent id nowhere but a same-hash chunk (any ids, any bucket count)', () => {
    fc.assert(
      fc.property(idsArbitrary, fc.array(fc.string({ maxLength: 24 })), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 156_250 }), (chunks, others, bits, stride) => {
        // Ids unique across the generation, as the store's are.
        const seen = new Set<string>();
        const unique = chunks.map((ids) => ids.filter((id) => !seen.has(id) && seen.add(id)));
        const buckets = indexOf(unique, stride, 2 ** bits);
        expect(buckets.length).toBe(2 ** bits);
        expect(buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(seen.size);
        const chunksOfHash = new Map<string, Set<number>>();
        unique.forEach((ids, position) => {
          for (const id of ids) {
            const { h1, h2 } = hashId(id);
            const key = `${h1}/${idIndexBucketOf({ h1, h2 }, 2 ** bits)}`;
            chunksOfHash.set(key, (chunksOfHash.get(key) ?? new Set()).add(position * stride));
          }
        });
        unique.forEach((ids, position) => {
          for (const id of ids) {
            const found = lookUp(buckets, hashId(id));
            expect(found, id).toContain(position * stride);
            // More than its chunk only when another id of that chunk-set shares bucket and h1.
            const { h1, h2 } = hashId(id);
            expect(new Set(found), id).toEqual(chunksOfHash.get(`${h1}/${idIndexBucketOf({ h1, h2 }, 2 ** bits)}`));
          }
        });
        for (const other of others) {
          if (seen.has(other)) continue;
          const { h1, h2 } = hashId(other);
          const found = lookUp(buckets, { h1, h2 });
          expect(new Set(found), other).toEqual(chunksOfHash.get(`${h1}/${idIndexBucketOf({ h1, h2 }, 2 ** bits)}`) ?? new Set());
        }
      }),
      { numRuns: 150 },
    );
  });

  it('keeps ids of equal hash side by side and returns every chunk holding one (forced collisions)', () => {
    const builder = new IdIndexBuilder();
    const collide: IdHash = { h1: 123_456, h2: 0x7fff_0001 };
    builder.addChunk(7, [collide, { h1: 5, h2: 0x7fff_0001 }]);
    builder.addChunk(9, [{ h1: 2 ** 31 - 1, h2: 0x7fff_0001 }, collide]);
    builder.addChunk(11, [collide, { h1: 0, h2: 1 }]);
    const [, last] = builder.build(2);
    expect(last!.count).toBe(5);
    expect(searchIdIndexBucket(last!, collide).sort((a, b) => a - b)).toEqual([7, 9, 11]);
    expect(searchIdIndexBucket(last!, { h1: 2 ** 31 - 1, h2: 0x7fff_0001 })).toEqual([9]);
    expect(searchIdIndexBucket(last!, { h1: 6, h2: 0x7fff_0001 })).toEqual([]);
    expect(searchIdIndexBucket(builder.build(2)[0]!, { h1: 0, h2: 1 })).toEqual([11]);
  });

  it('writes empty buckets too, which find nothing', () => {
    const buckets = indexOf([['a'], []], 1, 64);
    expect(buckets).toHaveLength(64);
    expect(buckets.filter((bucket) => bucket.count === 0)).toHaveLength(63);
    for (const bucket of buckets) {
      checkIdIndexBucket(bucket);
      if (bucket.count === 0) expect(searchIdIndexBucket(bucket, hashId('a'))).toEqual([]);
    }
    expect(lookUp(buckets, hashId('a'))).toEqual([0]);
    const none = new IdIndexBuilder().build();
    expect(none).toHaveLength(1);
    expect(none[0]!.count).toBe(0);
  });

  it('sizes buckets at ≈ 4,096 ids of full chunks: a power of two from the chunk count', () => {
    expect([0, 1, 4, 5, 9, 1_000, 3_000].map(idIndexBucketCount)).toEqual([1, 1, 1, 2, 4, 256, 1_024]);
    expect(idIndexBucketCount(10_000_000)).toBe(65_536);
    // 1,000 chunks of 1,000 well-like ids: every bucket near 3,900 ids, ≈ 31 KB as stored.
    const builder = new IdIndexBuilder();
    for (let chunk = 0; chunk < 1_000; chunk += 1) builder.addChunk(chunk, Array.from({ length: 1_000 }, (_, at) => hashId(`P-${String(chunk * 1_000 + at).padStart(7, '0')}`)));
    const buckets = builder.build();
    expect(buckets).toHaveLength(256);
    const counts = buckets.map((bucket) => bucket.count);
    expect(Math.min(...counts)).toBeGreaterThan(3_500);
    expect(Math.max(...counts)).toBeLessThan(4_300);
    expect(Math.max(...buckets.map((bucket) => bucket.hashes.length + bucket.chunks.length))).toBeLessThan(36_000);
    // Stored as one-byte strings (plain JSON).
    expect(buckets.every((bucket) => [...bucket.hashes, ...bucket.chunks].every((char) => char.charCodeAt(0) <= 0xff))).toBe(true);
    expect(lookUp(buckets, hashId('P-0765432'))).toEqual([765]);
  });

  it('refuses a stored bucket it cannot read', () => {
    const [good] = indexOf([['a', 'b', 'c']]);
    expect(() => checkIdIndexBucket(good!)).not.toThrow();
    for (const bad of [{ ...good!, format: 2 }, { ...good!, hashes: good!.hashes.slice(1) }, { ...good!, chunks: [] as unknown as string }, { ...good!, count: -1 }, { ...good!, bucket: 1 }]) {
      expect(() => checkIdIndexBucket(bad)).toThrow(IdIndexFormatError);
    }
    expect(() => new IdIndexBuilder().build(3)).toThrow(RangeError);
    expect(() => new IdIndexBuilder().addChunk(-1, [])).toThrow(RangeError);
  });
});
