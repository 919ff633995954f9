// Imports off the main thread (comlink): reading a file (shared/io: parse, CRS, encoding) and
// committing it to the store (renderer/src/db importFeatures, one change), both with progress
// and a working Cancel. The window hands over the File itself (a handle, not its bytes). The file
// read last is kept here, so the commit does not send it back: its features — or, for a GeoJSON
// file of STREAM_GEOJSON_BYTES or more, only the File and a preview sample: such a file is read as
// a stream to check it, and streamed again batch by batch into the store at the commit, never held
// whole in memory.
import * as Comlink from 'comlink';
import sqlWasmUrl from 'sql.js/dist/sql-wasm.wasm?url';
import { oneMapErrorData, type OneMapErrorData } from '../../../../../shared/errors';
import { configureSqlJs, importErrorData, importFile, importGeoJsonStream, ImportError, type ImportOptions, type ImportProgress, type ImportResult } from '../../../../../shared/io';
import { pointInPolygon, representativePoint } from '../../../../../shared/geo';
import { geometryFitsLayerType, type Geometry, type LayerDefinition } from '../../../../../shared/model';
import {
  ChangeAbortedError,
  importFeatures,
  ImportValidationError,
  OneMapDatabase,
  StoreError,
  type ImportCommitProgress,
  type ImportCommitReport,
  type ImportProblem,
} from '../../../db';
import { buildImportFeatures, type ConversionProblem, type FieldMapping, type SkippedFeature } from '../mapping';
import type { ImportFeature } from '../../../db';
import { blobChunks, geoJsonBatches, isGeoJsonName, STREAM_GEOJSON_BYTES, STREAM_PREVIEW_FEATURES } from './geojson-batches';

configureSqlJs({ locateFile: () => sqlWasmUrl });

/** A refused read as code + details (errors do not cross postMessage with their fields). */
export interface ReadFailure {
  ok: false;
  error: OneMapErrorData;
  /** What the reader found, for the wizard to offer a choice (a table's header and leading rows…). */
  found?: Readonly<Record<string, unknown>>;
}

/** What the wizard gets from a read: the file's result, counted whole even when only a sample is kept. */
export interface ReadResult extends ImportResult {
  /** Features in the whole file. */
  featureCount: number;
  /** Features per geometry type in the whole file. */
  geometryCounts: Partial<Record<string, number>>;
  /** True when `features` holds only the first features (a big file streamed): the preview sample. */
  sampled: boolean;
}

export type ReadOutcome = { ok: true; result: ReadResult } | ReadFailure;

export type ReadOptions = Omit<ImportOptions, 'onProgress' | 'signal'>;

export interface CountyArea {
  adcode: number;
  geometry: Parameters<typeof pointInPolygon>[1];
}

export interface CommitRequest {
  databaseName: string;
  author: string;
  target: { kind: 'existing'; layerId: string } | { kind: 'new'; layer: LayerDefinition };
  mapping: FieldMapping;
  /** To set each feature's county from its representative point. */
  counties: readonly CountyArea[];
  note?: string;
}

export type CommitOutcome =
  | { ok: true; report: ImportCommitReport; skipped: SkippedFeature[] }
  /** Values that do not convert to their fields (nothing written). */
  | { ok: false; kind: 'conversion'; problems: ConversionProblem[]; problemCount: number }
  /** Features the store refused (nothing written). */
  | { ok: false; kind: 'validation'; problems: ImportProblem[]; problemCount: number; zh: string; en: string }
  | { ok: false; kind: 'cancelled' }
  | { ok: false; kind: 'failed'; zh: string; en: string }
  /** The file refused at the commit (a second read differs, a bad feature): code + details. */
  | { ok: false; kind: 'error'; error: OneMapErrorData };

/** The file read last: its features, or (streamed) the File to stream again and how it was read. */
type LastRead = { kind: 'whole'; result: ReadResult } | { kind: 'stream'; result: ReadResult; file: Blob; options: ReadOptions };

let lastRead: LastRead | null = null;
let lastReadName: string | null = null;
let controller: AbortController | null = null;
const databases = new Map<string, OneMapDatabase>();

function databaseNamed(name: string): OneMapDatabase {
  let database = databases.get(name);
  if (database === undefined || database.closedForUpgrade) {
    // No live queries run here: Dexie's query cache would only cost time on big writes.
    database = new OneMapDatabase(name, { cache: 'disabled' });
    databases.set(name, database);
  }
  return database;
}

function countyOf(counties: readonly CountyArea[], geometry: Parameters<typeof representativePoint>[0]): number | null {
  const point = representativePoint(geometry);
  return counties.find((county) => pointInPolygon(point, county.geometry))?.adcode ?? null;
}

/** Values of a streamed file that do not convert to their fields: the import is refused (nothing written). */
class ConversionFailed extends Error {
  constructor(
    readonly problems: ConversionProblem[],
    readonly problemCount: number,
  ) {
    super(`${problemCount} value(s) do not convert to their fields`);
    this.name = 'ConversionFailed';
  }
}

const MAX_CONVERSION_PROBLEMS = 100;

/**
 * A streamed file's features for the store, batch by batch: read again from the File, each batch
 * converted by the mapping (other geometry kinds skipped) and given its county. A value that does
 * not convert stops the features (the rest of the file is still read, to count every problem) and
 * ends the iterable with {@link ConversionFailed}; a file that changed since it was checked (count
 * or coordinate system) ends it with an ImportError — either way the store writes nothing.
 */
function streamedFeatures(
  fileName: string,
  source: Extract<LastRead, { kind: 'stream' }>,
  layer: LayerDefinition,
  request: CommitRequest,
  signal: AbortSignal,
): { features: AsyncIterable<ImportFeature[]>; skipped: SkippedFeature[] } {
  const skipped: SkippedFeature[] = [];
  async function* features(): AsyncGenerator<ImportFeature[]> {
    const reader = geoJsonBatches(fileName, blobChunks(source.file), { ...source.options, signal, totalBytes: source.file.size });
    const problems: ConversionProblem[] = [];
    let problemCount = 0;
    for await (const batch of reader.batches) {
      const built = buildImportFeatures(batch.features, layer, request.mapping, { indexOffset: batch.offset, maxProblems: MAX_CONVERSION_PROBLEMS - problems.length });
      problemCount += built.problemCount;
      problems.push(...built.problems);
      skipped.push(...built.skipped);
      if (problemCount > 0) continue;
      for (const feature of built.features) feature.county = countyOf(request.counties, feature.geometry);
      yield built.features;
    }
    const summary = await reader.summary;
    if (problemCount > 0) throw new ConversionFailed(problems, problemCount);
    if (summary.featureCount !== source.result.featureCount || summary.sourceCrs !== source.result.sourceCrs) {
      throw new ImportError(
        'file-changed',
        {
          zh: `文件“${fileName}”在检查之后被改动（现有 ${summary.featureCount} 个要素，坐标系 ${summary.sourceCrs}；检查时为 ${source.result.featureCount} 个，${source.result.sourceCrs}），请重新选择文件。`,
          en: `The file "${fileName}" changed after it was checked (now ${summary.featureCount} features in ${summary.sourceCrs}; checked: ${source.result.featureCount} in ${source.result.sourceCrs}). Choose it again.`,
        },
        {},
      );
    }
  }
  return { features: features(), skipped };
}

const api = {
  /**
   * Reads a file; keeps the result for {@link commit}. A big GeoJSON file is streamed (checked to
   * the end, only a preview sample kept). Rejections become `{ ok: false }` with the ImportError's fields.
   */
  async read(fileName: string, file: Blob, options: ReadOptions, onProgress?: (progress: ImportProgress) => void): Promise<ReadOutcome> {
    controller?.abort();
    const own = new AbortController();
    controller = own;
    lastRead = null;
    lastReadName = null;
    try {
      if (isGeoJsonName(fileName) && file.size >= STREAM_GEOJSON_BYTES && (options.encoding === undefined || /^utf-?8$/i.test(options.encoding))) {
        const sample: ImportResult['features']['features'] = [];
        const geometryCounts: Record<string, number> = {};
        const summary = await importGeoJsonStream(
          fileName,
          blobChunks(file),
          (features) => {
            for (const feature of features) {
              geometryCounts[feature.geometry.type] = (geometryCounts[feature.geometry.type] ?? 0) + 1;
              if (sample.length < STREAM_PREVIEW_FEATURES) sample.push(feature);
            }
          },
          { ...options, signal: own.signal, totalBytes: file.size, ...(onProgress ? { onProgress } : {}) },
        );
        const { featureCount, ...rest } = summary;
        const result: ReadResult = { ...rest, features: { type: 'FeatureCollection', features: sample }, featureCount, geometryCounts, sampled: featureCount > sample.length };
        lastRead = { kind: 'stream', result, file, options };
        lastReadName = fileName;
        return { ok: true, result };
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const read = await importFile(fileName, bytes, { ...options, signal: own.signal, ...(onProgress ? { onProgress } : {}) });
      const geometryCounts: Record<string, number> = {};
      for (const feature of read.features.features) geometryCounts[feature.geometry.type] = (geometryCounts[feature.geometry.type] ?? 0) + 1;
      const result: ReadResult = { ...read, featureCount: read.features.features.length, geometryCounts, sampled: false };
      lastRead = { kind: 'whole', result };
      lastReadName = fileName;
      return { ok: true, result };
    } catch (error) {
      if (error instanceof ImportError) return { ok: false, error: importErrorData(error), found: { ...error.details } };
      return { ok: false, error: oneMapErrorData(error) };
    } finally {
      if (controller === own) controller = null;
    }
  },

  /**
   * Commits the file read last: values converted by the mapping (features of another geometry kind
   * skipped), counties set, then one change through `importFeatures`. `beforeWrite` runs in the
   * window right before the write (the backup).
   */
  async commit(request: CommitRequest, onProgress?: (progress: ImportCommitProgress) => void, beforeWrite?: () => Promise<void>): Promise<CommitOutcome> {
    const source = lastRead;
    if (source === null) return { ok: false, kind: 'failed', zh: '没有已读取的文件。', en: 'No file has been read.' };
    controller?.abort();
    const own = new AbortController();
    controller = own;
    try {
      const database = databaseNamed(request.databaseName);
      const layer = request.target.kind === 'new' ? request.target.layer : await database.layers.get(request.target.layerId);
      if (layer === undefined) return { ok: false, kind: 'failed', zh: '目标图层不存在。', en: 'The target layer does not exist.' };
      let features: ImportFeature[] | AsyncIterable<ImportFeature[]>;
      let total: number;
      let skipped: SkippedFeature[];
      if (source.kind === 'whole') {
        const built = buildImportFeatures(source.result.features.features, layer, request.mapping);
        if (built.problemCount > 0) return { ok: false, kind: 'conversion', problems: built.problems, problemCount: built.problemCount };
        for (const feature of built.features) feature.county = countyOf(request.counties, feature.geometry);
        features = built.features;
        total = built.features.length;
        skipped = built.skipped;
      } else {
        const streamed = streamedFeatures(lastReadName ?? 'file', source, layer, request, own.signal);
        features = streamed.features;
        total = Object.entries(source.result.geometryCounts).reduce((sum, [type, count]) => sum + (geometryFitsLayerType(type as Geometry['type'], layer.geometryType) ? (count ?? 0) : 0), 0);
        skipped = streamed.skipped;
      }
      if (own.signal.aborted) return { ok: false, kind: 'cancelled' };
      const report = await importFeatures(database, {
        author: request.author,
        target: request.target.kind === 'new' ? { kind: 'new', layer } : { kind: 'existing', layerId: layer.id },
        features,
        total,
        signal: own.signal,
        ...(request.note === undefined ? {} : { note: request.note }),
        ...(lastReadName === null ? {} : { source: lastReadName }),
        ...(onProgress ? { onProgress } : {}),
        ...(beforeWrite ? { beforeWrite: () => beforeWrite() } : {}),
      });
      return { ok: true, report, skipped };
    } catch (error) {
      if (error instanceof ChangeAbortedError || (own.signal.aborted && error instanceof ImportError && error.code === 'cancelled')) return { ok: false, kind: 'cancelled' };
      if (error instanceof ConversionFailed) return { ok: false, kind: 'conversion', problems: error.problems, problemCount: error.problemCount };
      if (error instanceof ImportError) return { ok: false, kind: 'error', error: importErrorData(error) };
      if (error instanceof ImportValidationError) return { ok: false, kind: 'validation', problems: error.problems, problemCount: error.problemCount, ...error.messages };
      if (error instanceof StoreError) return { ok: false, kind: 'failed', ...error.messages };
      return { ok: false, kind: 'error', error: oneMapErrorData(error) };
    } finally {
      if (controller === own) controller = null;
    }
  },

  /** Cancels the read or commit under way (a commit's transaction is aborted: nothing is written). */
  cancel(): void {
    controller?.abort();
  },

  /** Forgets the file read (the wizard closed). */
  clear(): void {
    lastRead = null;
    lastReadName = null;
  },
};

export type ImportWorkerApi = typeof api;

Comlink.expose(api);
