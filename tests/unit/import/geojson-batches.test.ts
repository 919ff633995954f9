// The import worker's streaming plumbing (renderer/src/features/import/worker/geojson-batches.ts): a big GeoJSON
// File read as a byte stream, its batches pulled one at a time by the store's importFeatures.
import { describe, expect, test } from 'vitest';
import { ImportError } from '../../../shared/io';
import { blobChunks, ConsumerStopped, geoJsonBatches, isGeoJsonName } from '../../../renderer/src/features/import/worker/geojson-batches';

const encoder = new TextEncoder();

function collection(count: number): Uint8Array<ArrayBuffer> {
  const features = Array.from({ length: count }, (_, index) => ({
    type: 'Feature',
    properties: { name: `测点${index}`, value: index },
    geometry: { type: 'Point', coordinates: [115.3 + (index % 100) * 0.01, 37.3 + Math.floor(index / 100) * 0.01] },
  }));
  return encoder.encode(JSON.stringify({ type: 'FeatureCollection', features }));
}

/** Chunks of `size` bytes, counting how many were handed out (how far the reader got). */
function counted(bytes: Uint8Array, size: number) {
  const state = { handed: 0, total: Math.ceil(bytes.length / size) };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < bytes.length; at += size) {
      state.handed += 1;
      yield bytes.slice(at, at + size);
    }
  }
  return { state, chunks: chunks() };
}

describe('geoJsonBatches', () => {
  test('hands every feature out once, in order, with each batch’s offset in the file', async () => {
    const { chunks } = counted(collection(2_345), 1_000);
    const { batches, summary } = geoJsonBatches('points.geojson', chunks, { batchSize: 500, sampleSize: 600 });
    const seen: number[] = [];
    const offsets: number[] = [];
    for await (const batch of batches) {
      offsets.push(batch.offset);
      for (const feature of batch.features) seen.push(feature.properties?.value as number);
    }
    expect(seen).toEqual(Array.from({ length: 2_345 }, (_, index) => index));
    expect(offsets).toEqual([0, 600, 1_100, 1_600, 2_100]);
    expect((await summary).featureCount).toBe(2_345);
  });

  test('the reader waits for the consumer: it never runs more than a batch ahead', async () => {
    const bytes = collection(5_000);
    const { state, chunks } = counted(bytes, 2_000);
    const { batches } = geoJsonBatches('points.geojson', chunks, { batchSize: 100, sampleSize: 100 });
    const iterator = batches[Symbol.asyncIterator]();
    await iterator.next();
    // Give the reader every chance to run on.
    for (let turn = 0; turn < 50; turn += 1) await new Promise((resolve) => setTimeout(resolve, 0));
    // Two batches of ~80 bytes per feature: a few chunks of 2,000 bytes, far from the whole file.
    expect(state.handed).toBeLessThan(state.total / 4);
    await iterator.return?.();
  });

  test('a consumer that stops early stops the reader; the rest of the file is not read', async () => {
    const { state, chunks } = counted(collection(5_000), 2_000);
    const { batches, summary } = geoJsonBatches('points.geojson', chunks, { batchSize: 100, sampleSize: 100 });
    let taken = 0;
    for await (const _batch of batches) {
      taken += 1;
      if (taken === 3) break;
    }
    await expect(summary).rejects.toBeInstanceOf(ConsumerStopped);
    expect(state.handed).toBeLessThan(state.total / 2);
  });

  test('a bad feature in the middle of the file fails the iterable with the reader’s error, naming the feature', async () => {
    const text = new TextDecoder().decode(collection(1_000)).replace('"value":700}', '"value":700,}');
    const { chunks } = counted(encoder.encode(text), 4_096);
    const { batches } = geoJsonBatches('points.geojson', chunks, { batchSize: 100, sampleSize: 100 });
    let received = 0;
    const failure = await (async () => {
      try {
        for await (const batch of batches) received += batch.features.length;
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(failure).toBeInstanceOf(ImportError);
    expect((failure as ImportError).location.featureIndex).toBe(700);
    expect(received).toBeLessThanOrEqual(700);
  });
});

describe('blobChunks and the GeoJSON name check', () => {
  test('a Blob is read in order as a stream of chunks', async () => {
    const bytes = collection(3_000);
    const parts: Uint8Array[] = [];
    for await (const chunk of blobChunks(new Blob([bytes as Uint8Array<ArrayBuffer>]))) parts.push(chunk);
    const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let at = 0;
    for (const part of parts) {
      joined.set(part, at);
      at += part.length;
    }
    expect(joined).toEqual(bytes);
  });

  test('.geojson and .json files are GeoJSON candidates, other files are not', () => {
    expect(isGeoJsonName('井.GeoJSON')).toBe(true);
    expect(isGeoJsonName('points.json')).toBe(true);
    expect(isGeoJsonName('villages.zip')).toBe(false);
    expect(isGeoJsonName('wells.geojson.zip')).toBe(false);
  });
});
