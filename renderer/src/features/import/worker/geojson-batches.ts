// A big GeoJSON file read as a stream twice in the import worker — once to check it and preview
// a sample, once to commit it — so the file is never held whole in memory (issue 6, item 8: a
// file larger than memory allows is streamed, not refused). Pure plumbing around shared/io's
// importGeoJsonStream: the file's byte stream, and its pushed batches turned into an async
// iterable that `importFeatures` pulls (one batch in flight: the reader waits for the store).
import { importGeoJsonStream, type GeoJsonStreamOptions, type ImportSummary } from '../../../../../shared/io';
import type { GeoJsonFeature } from '../../../../../shared/io/types';

/** GeoJSON files at least this big are streamed by the wizard instead of read whole. */
export const STREAM_GEOJSON_BYTES = 32 * 1024 * 1024;

/** Features kept from a streamed file for the preview (table, map, field types). */
export const STREAM_PREVIEW_FEATURES = 5_000;

export function isGeoJsonName(fileName: string): boolean {
  return /\.(geo)?json$/i.test(fileName);
}

/** The bytes of a Blob (a File) as an async iterable of chunks, read as they are needed. */
export async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Thrown inside the reader when the consumer stopped taking batches. */
export class ConsumerStopped extends Error {
  constructor() {
    super('the consumer of the batches stopped');
    this.name = 'ConsumerStopped';
  }
}

export interface GeoJsonBatches {
  /** The features, a batch at a time, each with the index of its first feature in the file. */
  batches: AsyncIterable<{ features: GeoJsonFeature[]; offset: number }>;
  /** The reader's summary once the file has been read to the end (rejects with its ImportError). */
  summary: Promise<ImportSummary>;
}

/**
 * Reads `chunks` with importGeoJsonStream and hands its batches out through an async iterable,
 * one at a time: the reader waits until the consumer has taken the last one (back-pressure), so at
 * most two batches are in memory. If the consumer stops early, the reader is cancelled through
 * `options.signal` by the caller. A reader error is thrown by the iterable too.
 */
export function geoJsonBatches(fileName: string, chunks: AsyncIterable<Uint8Array>, options: GeoJsonStreamOptions = {}): GeoJsonBatches {
  const queue: { features: GeoJsonFeature[]; offset: number }[] = [];
  let wake: (() => void) | null = null;
  let closed = false;
  /** The consumer stopped taking batches (it failed or was cancelled): the reader stops too. */
  let stopped = false;
  let failure: unknown = null;
  let offset = 0;
  const notify = () => {
    const resume = wake;
    wake = null;
    resume?.();
  };
  const wait = () => new Promise<void>((resolve) => (wake = resolve));
  const summary = importGeoJsonStream(
    fileName,
    chunks,
    async (features) => {
      if (stopped) throw new ConsumerStopped();
      queue.push({ features, offset });
      offset += features.length;
      notify();
      while (queue.length > 0 && !stopped) await wait();
      if (stopped) throw new ConsumerStopped();
    },
    options,
  ).then(
    (result) => {
      closed = true;
      notify();
      return result;
    },
    (error: unknown) => {
      closed = true;
      failure = error;
      notify();
      throw error;
    },
  );
  // The iterable reports the failure; the summary's own rejection must not go unhandled meanwhile.
  summary.catch(() => undefined);
  const batches: AsyncIterable<{ features: GeoJsonFeature[]; offset: number }> = {
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          const next = queue.shift();
          if (next !== undefined) {
            notify();
            yield next;
            continue;
          }
          if (failure !== null) throw failure;
          if (closed) return;
          await wait();
        }
      } finally {
        // Left early (the consumer failed or stopped): release the reader waiting on us.
        if (!closed) {
          stopped = true;
          queue.length = 0;
          notify();
        }
      }
    },
  };
  return { batches, summary };
}
