// Committing an import: every feature validated against the target layer first (nothing is written
// if one fails, and the error names it), then ONE change through `transact` — one `changeId`, one
// IndexedDB transaction — so that undo removes the whole import as one step and a cancel or a
// failure leaves the store exactly as it was. Two shapes of that change:
// - into a NEW layer, big (PACKED_IMPORT_MIN_FEATURES or more, or a count not known — the bulk
//   load): the features become the new layer's packed base
//   (staged-base.ts: validated as they stream in and written, a chunk at a time in small
//   transactions of their own, to a staged generation no layer points at — memory bounded
//   whatever the file's size; then one small `create-layer` switches over); one `layerJournal`
//   record says "imported N features from F", no journal entry or edit row per feature. Undo
//   removes the layer, redo brings it back. A refusal, cancel or failure deletes the staged chunks.
// - into an EXISTING layer, or a small new one (created in the same change): one `create`
//   operation per feature, each journaled — edits like any other, so edit packages carry them.
import { layerDefinitionSchema, type LayerDefinition, type ValidationIssue } from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import type { BoundingBox } from './records';
import { ChangeAbortedError, ChangeRejectedError, transact, type FeatureOperation, type NewFeature } from './transact';
import { MAX_PROBLEMS, PACKED_IMPORT_MIN_FEATURES, ImportValidationError, type ImportCommitReport, type ImportFeature, type ImportFeaturesRequest, type ImportProblem } from './import-request';
import { importedFeature } from './imported-base';
import { checkFeature } from './validation';
import { DEFAULT_STAGING_BUFFER, StagedImport } from './staged-base';

export { PACKED_IMPORT_MIN_FEATURES, ImportValidationError } from './import-request';
export type { ImportCommitProgress, ImportCommitReport, ImportFeature, ImportFeaturesRequest, ImportProblem, ImportTarget } from './import-request';

/** Whether an import into a new layer is written as a packed base (see {@link PACKED_IMPORT_MIN_FEATURES}). */
function packsNewLayer(request: ImportFeaturesRequest): boolean {
  if (request.packed !== undefined) return request.packed;
  const { features } = request;
  const count = request.total ?? (Array.isArray(features) && (features.length === 0 || !Array.isArray(features[0])) ? features.length : undefined);
  return count === undefined || count >= PACKED_IMPORT_MIN_FEATURES;
}

function extendBbox(bbox: BoundingBox | null, coordinates: unknown): BoundingBox | null {
  let box = bbox;
  const visit = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number' && typeof value[1] === 'number') {
      const [x, y] = value as [number, number];
      if (box === null) box = [x, y, x, y];
      else {
        if (x < box[0]) box[0] = x;
        if (y < box[1]) box[1] = y;
        if (x > box[2]) box[2] = x;
        if (y > box[3]) box[3] = y;
      }
      return;
    }
    for (const item of value) visit(item);
  };
  visit(coordinates);
  return box;
}

async function* batchesOf(features: ImportFeaturesRequest['features'], batchSize: number): AsyncGenerator<readonly ImportFeature[]> {
  if (Array.isArray(features) && (features.length === 0 || !Array.isArray(features[0]))) {
    const list = features as readonly ImportFeature[];
    for (let start = 0; start < list.length; start += batchSize) yield list.slice(start, start + batchSize);
    return;
  }
  for await (const batch of features as AsyncIterable<readonly ImportFeature[]>) yield batch;
}

/** Lets the page paint (progress bar) and see a click on Cancel between batches. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Checks one feature, as the store would have it, against its layer: the store's own schema and
 * `validateFeatureAgainstLayer` (geometry kind, field types and ranges, required fields, allowed
 * values, status) — exactly what `transact` checks for a create.
 */
export function validateImportFeature(layer: LayerDefinition, feature: ImportFeature, time: string): ValidationIssue[] {
  // A placeholder id when the file gives none: no UUID made just to check the feature.
  return checkFeature(layer, importedFeature(layer, time, { ...feature, id: feature.id ?? 'new' }));
}

const toNewFeature = (feature: ImportFeature): NewFeature => {
  const { sourceIndex: _sourceIndex, ...rest } = feature;
  return rest;
};

/**
 * Imports features into a layer (or a new layer) as one change. Validates everything first and
 * throws {@link ImportValidationError} naming the features and fields that do not fit — nothing
 * written; {@link ChangeAbortedError} when `signal` fires before the write — nothing written;
 * `ChangeRejectedError` when the store refuses (e.g. an id that already exists) — nothing written.
 */
export async function importFeatures(database: OneMapDatabase, request: ImportFeaturesRequest): Promise<ImportCommitReport> {
  const checkAborted = () => {
    if (request.signal?.aborted === true) throw new ChangeAbortedError();
  };
  const started = performance.now();
  const time = request.time ?? new Date();
  const isoTime = time.toISOString();
  const layer = request.target.kind === 'new' ? request.target.layer : await database.layers.get(request.target.layerId);
  if (layer === undefined) {
    throw new ImportValidationError([{ featureIndex: -1, field: 'layer', message: `unknown layer "${request.target.kind === 'existing' ? request.target.layerId : ''}"` }], 1);
  }

  const problems: ImportProblem[] = [];
  let problemCount = 0;
  const report = (problem: ImportProblem) => {
    problemCount += 1;
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };
  if (request.target.kind === 'new' && packsNewLayer(request)) return importNewLayer(database, request, request.target.layer, { started, time, report, problems, problemCount: () => problemCount });
  // Into an existing layer — or a new layer of fewer than PACKED_IMPORT_MIN_FEATURES features,
  // created in the same change: one journaled `create` per feature.
  const operations: FeatureOperation[] = [];
  if (request.target.kind === 'new') operations.push({ kind: 'create-layer', layerId: layer.id, layer, ...(request.source === undefined ? {} : { source: request.source }) });
  const featureOffset = operations.length;
  const sourceIndexes: (number | undefined)[] = [];
  const ids = new Map<string, number>();
  let bbox: BoundingBox | null = null;
  let done = 0;
  request.onProgress?.({ phase: 'validate', done, ...(request.total === undefined ? {} : { total: request.total }) });
  for await (const batch of batchesOf(request.features, request.batchSize ?? 5_000)) {
    checkAborted();
    for (const feature of batch) {
      const featureIndex = done;
      done += 1;
      const where = { featureIndex, ...(feature.sourceIndex === undefined ? {} : { sourceIndex: feature.sourceIndex }), ...(feature.id === undefined ? {} : { featureId: feature.id }) };
      for (const issue of validateImportFeature(layer, feature, isoTime)) report({ ...where, field: issue.path, message: issue.message });
      if (feature.id !== undefined) {
        const previous = ids.get(feature.id);
        if (previous !== undefined) report({ ...where, field: 'id', message: `the id "${feature.id}" is also feature ${previous + 1}'s` });
        else ids.set(feature.id, featureIndex);
      }
      if (problemCount === 0) {
        operations.push({ kind: 'create', layerId: layer.id, feature: toNewFeature(feature) });
        sourceIndexes.push(feature.sourceIndex);
        bbox = extendBbox(bbox, feature.geometry.coordinates);
      }
    }
    request.onProgress?.({ phase: 'validate', done, ...(request.total === undefined ? {} : { total: request.total }) });
    await nextTask();
  }
  if (problemCount > 0) throw new ImportValidationError(problems, problemCount);
  if (done === 0) throw new ImportValidationError([{ featureIndex: -1, field: 'features', message: 'nothing to import' }], 1);
  checkAborted();
  const validated = performance.now();

  await request.beforeWrite?.();
  checkAborted();
  request.onProgress?.({ phase: 'write', done: 0, total: done });
  await nextTask();
  let committed;
  try {
    committed = await transact(database, {
      author: request.author,
      operations,
      time,
      ...(request.note === undefined ? {} : { note: request.note }),
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
  } catch (error) {
    if (error instanceof ChangeRejectedError) {
      // Name the features as the caller knows them, not as operations.
      const mapped: ImportProblem[] = error.problems.map((problem) => {
        const featureIndex = problem.operationIndex - featureOffset;
        const sourceIndex = sourceIndexes[featureIndex];
        const issue = problem.issues[0];
        return {
          featureIndex,
          ...(sourceIndex === undefined ? {} : { sourceIndex }),
          ...(problem.featureId === null ? {} : { featureId: problem.featureId }),
          field: issue?.path ?? (featureIndex < 0 ? 'layer' : 'feature'),
          message: problem.issues.map((candidate) => candidate.message).join('; '),
        };
      });
      throw new ImportValidationError(mapped.slice(0, MAX_PROBLEMS), mapped.length);
    }
    throw error;
  }
  const written = performance.now();
  request.onProgress?.({ phase: 'done', done, total: done });
  return {
    changeId: committed.changeId,
    layerId: layer.id,
    createdLayer: committed.createdLayers.includes(layer.id),
    added: done,
    featureIds: committed.features.map((feature) => feature.featureId),
    bbox,
    validateMs: validated - started,
    writeMs: written - validated,
  };
}

interface ImportContext {
  started: number;
  time: Date;
  report: (problem: ImportProblem) => void;
  problems: ImportProblem[];
  problemCount: () => number;
}

/**
 * The bulk load, streamed (staged-base.ts): each feature is validated as its batch comes and
 * written, with its neighbours, to a staged chunk generation in small transactions of its own while
 * the file is still being read — memory bounded whatever the file's size. Then one small change
 * creates the layer on that base. Any refusal, cancel or failure deletes the staged chunks.
 */
async function importNewLayer(database: OneMapDatabase, request: ImportFeaturesRequest, layer: LayerDefinition, context: ImportContext): Promise<ImportCommitReport> {
  const { started, time, report, problems, problemCount } = context;
  const checkAborted = () => {
    if (request.signal?.aborted === true) throw new ChangeAbortedError();
  };
  // The definition first (cheap, and the features are checked against it): nothing is read in vain.
  const definition = layerDefinitionSchema.safeParse(layer);
  if (!definition.success) {
    const issues = definition.error.issues.map((issue) => ({ featureIndex: -1, field: `layer.${issue.path.join('.')}`, message: issue.message }));
    throw new ImportValidationError(issues.slice(0, MAX_PROBLEMS), issues.length);
  }
  if ((await database.layers.get(layer.id)) !== undefined) throw new ImportValidationError([{ featureIndex: -1, field: 'layer.id', message: `layer "${layer.id}" already exists` }], 1);
  checkAborted();
  const staged = await StagedImport.start(database, layer, time.toISOString(), request.staging ?? {});
  const total = request.total === undefined ? {} : { total: request.total };
  const bufferCap = request.staging?.bufferCap ?? DEFAULT_STAGING_BUFFER;
  // The ids, for the report, only while the import is small enough to be held (bounded memory).
  let featureIds: string[] | null = [];
  let done = 0;
  let committed;
  let base;
  let validated = started;
  try {
    request.onProgress?.({ phase: 'validate', done, stored: 0, ...total });
    for await (const batch of batchesOf(request.features, request.batchSize ?? 5_000)) {
      checkAborted();
      for (const feature of batch) {
        const featureIndex = done;
        done += 1;
        const { sourceIndex: _sourceIndex, ...input } = feature;
        const { issues, duplicateOf, id } = staged.add(input, featureIndex);
        if (issues.length === 0 && duplicateOf === undefined) {
          if (problemCount() === 0 && featureIds !== null) {
            if (featureIds.length < bufferCap) featureIds.push(id);
            else featureIds = null;
          }
          continue;
        }
        const where = { featureIndex, ...(feature.sourceIndex === undefined ? {} : { sourceIndex: feature.sourceIndex }), ...(feature.id === undefined ? {} : { featureId: feature.id }) };
        for (const issue of issues) report({ ...where, field: issue.path, message: issue.message });
        if (duplicateOf !== undefined) report({ ...where, field: 'id', message: `the id "${feature.id ?? ''}" is also feature ${duplicateOf + 1}'s` });
      }
      request.onProgress?.({ phase: 'validate', done, stored: staged.writtenFeatures, ...total });
      // Hold the reader back while too many chunks wait to be written (bounded memory).
      if (problemCount() === 0) await staged.settle();
      await nextTask();
    }
    if (problemCount() > 0) throw new ImportValidationError(problems, problemCount());
    if (done === 0) throw new ImportValidationError([{ featureIndex: -1, field: 'features', message: 'nothing to import' }], 1);
    checkAborted();
    validated = performance.now();

    await request.beforeWrite?.();
    checkAborted();
    request.onProgress?.({ phase: 'write', done: 0, total: done });
    await nextTask();
    // What is still held is staged now (a small import: all of it, packed as before).
    const finishing = staged.finish();
    const ticker = setInterval(() => {
      const { written, made } = staged.progress;
      request.onProgress?.({ phase: 'write', done: made === 0 ? 0 : Math.min(done, Math.round((written / made) * done)), total: done });
    }, 100);
    try {
      base = await finishing;
    } finally {
      clearInterval(ticker);
    }
    checkAborted();
    committed = await transact(database, {
      author: request.author,
      operations: [{ kind: 'create-layer', layerId: layer.id, layer, base, ...(request.source === undefined ? {} : { source: request.source }) }],
      time,
      ...(request.note === undefined ? {} : { note: request.note }),
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
  } catch (error) {
    // Nothing of the import may stay: its staged chunks go (small transactions). Should that fail
    // too, the next start sweeps them (removeAbandonedImports).
    await staged.discard().catch(() => undefined);
    if (error instanceof ChangeRejectedError) {
      const issues = error.problems.flatMap((problem) => problem.issues);
      throw new ImportValidationError(
        issues.slice(0, MAX_PROBLEMS).map((issue) => ({ featureIndex: -1, field: issue.path, message: issue.message })),
        issues.length,
      );
    }
    if (request.signal?.aborted === true && !(error instanceof ImportValidationError)) throw new ChangeAbortedError();
    throw error;
  }
  staged.release();
  const written = performance.now();
  request.onProgress?.({ phase: 'done', done, total: done });
  return {
    changeId: committed.changeId,
    layerId: layer.id,
    createdLayer: true,
    added: done,
    featureIds: featureIds ?? [],
    // The staging's extent of the features: the same as the other path's `extendBbox`.
    bbox: base.bbox === null ? null : [...base.bbox],
    validateMs: validated - started,
    writeMs: written - validated,
  };
}
