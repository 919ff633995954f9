// Imports off the main thread (comlink): reading a file (shared/io: parse, CRS, encoding) and
// committing it to the store (renderer/src/db importFeatures, one transaction), both with progress
// and a working Cancel. The file read last is kept here, so the commit does not send it back.
import * as Comlink from 'comlink';
import sqlWasmUrl from 'sql.js/dist/sql-wasm.wasm?url';
import { configureSqlJs, importFile, ImportError, type ImportOptions, type ImportProgress, type ImportResult } from '../../../shared/io';
import { pointInPolygon, representativePoint } from '../../../shared/geo';
import type { LayerDefinition } from '../../../shared/model';
import {
  ChangeAbortedError,
  importFeatures,
  ImportValidationError,
  OneMapDatabase,
  StoreError,
  type ImportCommitProgress,
  type ImportCommitReport,
  type ImportProblem,
} from '../db';
import { buildImportFeatures, type ConversionProblem, type FieldMapping, type SkippedFeature } from '../features/import/mapping';

configureSqlJs({ locateFile: () => sqlWasmUrl });

/** An ImportError as plain data (errors do not cross postMessage with their fields). */
export interface ReadFailure {
  ok: false;
  code: string;
  zh: string;
  en: string;
  location: ImportError['location'];
}

export type ReadOutcome = { ok: true; result: ImportResult } | ReadFailure;

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
  | { ok: false; kind: 'failed'; zh: string; en: string };

let lastRead: ImportResult | null = null;
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

const api = {
  /** Reads a file; keeps the result for {@link commit}. Rejections become `{ ok: false }` with the ImportError's fields. */
  async read(fileName: string, bytes: Uint8Array, options: ReadOptions, onProgress?: (progress: ImportProgress) => void): Promise<ReadOutcome> {
    controller?.abort();
    const own = new AbortController();
    controller = own;
    lastRead = null;
    lastReadName = null;
    try {
      const result = await importFile(fileName, bytes, { ...options, signal: own.signal, ...(onProgress ? { onProgress } : {}) });
      lastRead = result;
      lastReadName = fileName;
      return { ok: true, result };
    } catch (error) {
      if (error instanceof ImportError) return { ok: false, code: error.code, zh: error.zh, en: error.en, location: error.location };
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, code: 'failed', zh: `无法读取“${fileName}”（${reason}）。`, en: `Cannot read "${fileName}" (${reason}).`, location: {} };
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
      const built = buildImportFeatures(source.features.features, layer, request.mapping);
      if (built.problemCount > 0) return { ok: false, kind: 'conversion', problems: built.problems, problemCount: built.problemCount };
      for (const feature of built.features) feature.county = countyOf(request.counties, feature.geometry);
      if (own.signal.aborted) return { ok: false, kind: 'cancelled' };
      const report = await importFeatures(database, {
        author: request.author,
        target: request.target.kind === 'new' ? { kind: 'new', layer } : { kind: 'existing', layerId: layer.id },
        features: built.features,
        total: built.features.length,
        signal: own.signal,
        ...(request.note === undefined ? {} : { note: request.note }),
        ...(lastReadName === null ? {} : { source: lastReadName }),
        ...(onProgress ? { onProgress } : {}),
        ...(beforeWrite ? { beforeWrite: () => beforeWrite() } : {}),
      });
      return { ok: true, report, skipped: built.skipped };
    } catch (error) {
      if (error instanceof ChangeAbortedError) return { ok: false, kind: 'cancelled' };
      if (error instanceof ImportValidationError) return { ok: false, kind: 'validation', problems: error.problems, problemCount: error.problemCount, ...error.messages };
      if (error instanceof StoreError) return { ok: false, kind: 'failed', ...error.messages };
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return { ok: false, kind: 'failed', zh: `导入失败，未写入任何数据（${reason}）。`, en: `The import failed; nothing was written (${reason}).` };
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
