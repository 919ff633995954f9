// A GeoJSON FeatureCollection read as a stream of byte chunks, a batch of features at a time, so a
// file larger than memory allows is imported, not refused. The bytes are scanned once for the
// structure (strings, escapes, nesting: ../byte-scanner.ts); the complete features of a chunk are
// then decoded and handed to JSON.parse together, as one array (far faster than any JavaScript
// tokenizer, and than one call per feature). When that fails, each feature is parsed on its own, so
// the error names the feature. Only the chunk being read, a feature split across chunks and the
// current batch are held in memory.
import { canonicalCrsCode } from '../../crs';
import { ImportError } from '../errors';
import { checkAborted, LayerNormalizer, type ImportSummary, type RawFeature } from '../normalize';
import { jsonTextOfUtf8, textDecoder, yieldToEventLoop } from '../platform';
import { invalidGeoJson, StructureScanner } from '../byte-scanner';
import { flattenedWarning } from '../properties';
import { FeatureReader, parseJsonAllowingNonFinite } from './geojson';
import type { GeoJsonFeature, ImportOptions } from '../types';

export interface GeoJsonStreamOptions extends ImportOptions {
  /** Features per batch handed to `onBatch` (default 5,000). */
  batchSize?: number;
  /** Features read before the coordinate system is decided (default 10,000): the first batch is this big. */
  sampleSize?: number;
  /** The file's size in bytes, for progress ('read' phase: bytes done / total). */
  totalBytes?: number;
}

function parseElement(text: string, featureIndex: number): unknown {
  try {
    return parseJsonAllowingNonFinite(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImportError('invalid-json', { zh: `要素不是有效的 JSON（${reason}）。`, en: `The feature is not valid JSON (${reason}).` }, { featureIndex }, { reason }, { cause: error });
  }
}

/**
 * Reads a GeoJSON FeatureCollection from `chunks` (e.g. `file.stream()`), hands WGS84 features to
 * `onBatch` in order, a batch at a time (awaited: back-pressure), and returns the report. The same
 * checks as `importFile` (ImportError with the feature index; the coordinate system decided on the
 * first `sampleSize` features). UTF-8 only; a file in another encoding goes through `importFile`.
 * On any error or cancel it throws: the caller discards what it received (nothing is committed
 * before the promise resolves).
 */
export async function importGeoJsonStream(
  fileName: string,
  chunks: AsyncIterable<Uint8Array>,
  onBatch: (features: GeoJsonFeature[], done: number) => void | Promise<void>,
  options: GeoJsonStreamOptions = {},
): Promise<ImportSummary> {
  const encoding = (options.encoding ?? 'utf-8').toLowerCase();
  if (encoding !== 'utf-8' && encoding !== 'utf8') {
    throw new ImportError(
      'undecodable-text',
      { zh: `大文件流式导入只支持 UTF-8 编码的 GeoJSON，而不是 ${options.encoding}。`, en: `Streaming import reads UTF-8 GeoJSON only, not ${options.encoding}.` },
      {},
      { encoding: options.encoding },
    );
  }
  const batchSize = Math.max(1, options.batchSize ?? 5000);
  const sampleSize = Math.max(1, options.sampleSize ?? 10_000);
  const decoder = textDecoder('utf-8', true) as NonNullable<ReturnType<typeof textDecoder>>;
  const members = new Map<string, unknown>();
  let pending: RawFeature[] = [];
  let normalizer: LayerNormalizer | null = null;
  let normalizedCount = 0;
  let bytesRead = 0;
  let first = true;
  let bytesSinceYield = 0;

  const layerInfo = () => {
    const crs = members.get('crs');
    const name = members.get('name');
    return {
      format: 'geojson' as const,
      fields: reader.fields,
      encoding: 'utf-8',
      ...(typeof crs === 'string' ? { fileCrs: crs } : {}),
      layerName: typeof name === 'string' ? name : fileName.replace(/\.[^.]+$/, ''),
      warnings: [],
    };
  };

  const reader = new FeatureReader();
  const parseOne = (bytes: Uint8Array, featureIndex: number): unknown => {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch (error) {
      throw new ImportError('undecodable-text', { zh: '要素中有不是 UTF-8 的字节。', en: 'The feature holds bytes that are not UTF-8.' }, { featureIndex }, {}, { cause: error });
    }
    return parseElement(text, featureIndex);
  };

  /** The elements in `bytes[start, end)` parsed as one array, or null when that fails (bad bytes, bad JSON, NaN, a stray comma…). */
  const parseRun = (bytes: Uint8Array, start: number, end: number): unknown[] | null => {
    const text = jsonTextOfUtf8(bytes.subarray(start, end));
    if (text === null) return null;
    try {
      const values: unknown = JSON.parse(`[${text}]`);
      return Array.isArray(values) ? values : null;
    } catch {
      return null;
    }
  };
  const take = (values: unknown[], firstIndex: number): void => {
    for (let at = 0; at < values.length; at += 1) pending.push(reader.read(values[at], firstIndex + at));
  };

  const scanner = new StructureScanner(
    (bytes, bounds, firstIndex) => {
      const count = bounds.length / 2;
      if (count > 1) {
        // The whole run at once; whatever fails is found again below, feature by feature, with the
        // same error as when each was read alone.
        const values = parseRun(bytes, bounds[0] as number, bounds[bounds.length - 1] as number);
        if (values !== null && values.length === count) {
          take(values, firstIndex);
          return;
        }
      }
      for (let at = 0; at < count; at += 1) {
        const featureIndex = firstIndex + at;
        pending.push(reader.read(parseOne(bytes.subarray(bounds[2 * at], bounds[2 * at + 1]), featureIndex), featureIndex));
      }
    },
    (name, bytes) => {
      const value = parseElement(decoder.decode(bytes), 0);
      if (name === 'crs') {
        const crs = value as { type?: unknown; properties?: Record<string, unknown> } | null;
        const stated = crs?.properties?.name ?? (crs?.type === 'EPSG' ? `EPSG:${String(crs.properties?.code)}` : crs?.properties?.href);
        if (typeof stated === 'string') {
          if (normalizer !== null) {
            throw new ImportError(
              'crs-mismatch',
              {
                zh: `文件在要素之后才声明坐标系（${stated}）：请在导入时手动选择该坐标系。`,
                en: `The file states its coordinate system (${stated}) after its features: choose it by hand when importing.`,
              },
              {},
              { declared: stated },
            );
          }
          members.set('crs', canonicalCrsCode(stated) ?? stated);
        }
      } else {
        members.set(name, value);
      }
    },
    (bytes, start, end, firstIndex) => {
      const values = parseRun(bytes, start, end);
      if (values === null) return -1;
      take(values, firstIndex);
      return values.length;
    },
  );

  const flush = async (final: boolean) => {
    while (pending.length >= (normalizer ? batchSize : sampleSize) || (final && pending.length > 0)) {
      const size = normalizer ? batchSize : sampleSize;
      const batch = pending.length > size ? pending.slice(0, size) : pending;
      pending = pending.length > size ? pending.slice(size) : [];
      normalizer ??= new LayerNormalizer(layerInfo(), options);
      const features = await normalizer.add(batch, normalizedCount);
      normalizedCount += batch.length;
      checkAborted(options.signal);
      await onBatch(features, normalizedCount);
    }
  };

  for await (const chunk of chunks) {
    checkAborted(options.signal);
    let bytes = chunk;
    if (first) {
      first = false;
      if (bytes.length === 0 && options.totalBytes === 0) break;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      else if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
        throw new ImportError('undecodable-text', { zh: '文件是 UTF-16 编码，请另存为 UTF-8。', en: 'The file is UTF-16; save it as UTF-8.' }, {}, { encoding: 'utf-16' });
      }
    }
    scanner.feed(bytes);
    bytesRead += chunk.length;
    options.onProgress?.({ phase: 'read', done: bytesRead, ...(options.totalBytes !== undefined ? { total: options.totalBytes } : {}) });
    await flush(false);
    bytesSinceYield += chunk.length;
    if (bytesSinceYield >= 1 << 20) {
      bytesSinceYield = 0;
      await yieldToEventLoop();
    }
  }
  if (bytesRead === 0) throw new ImportError('empty-file', { zh: `文件“${fileName}”是空的（0 字节）。`, en: `The file "${fileName}" is empty (0 bytes).` }, {}, { fileName });
  if (!scanner.complete) {
    throw invalidGeoJson(
      `文件在第 ${scanner.elements + 1} 个要素处中断（文件不完整）。`,
      `The file ends inside feature ${scanner.elements + 1} (it is incomplete).`,
      scanner.elements,
    );
  }
  if (members.get('type') !== 'FeatureCollection') {
    throw invalidGeoJson(
      `流式导入需要 FeatureCollection，而文件的 type 是“${String(members.get('type'))}”。`,
      `Streaming import needs a FeatureCollection; the file's type is "${String(members.get('type'))}".`,
    );
  }
  if (!scanner.sawFeatures) throw invalidGeoJson('FeatureCollection 缺少 features 数组。', 'The FeatureCollection has no features array.');
  await flush(true);
  normalizer ??= new LayerNormalizer(layerInfo(), options);
  if (reader.flattened) normalizer.warn(flattenedWarning());
  return normalizer.finish();
}
