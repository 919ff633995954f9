import * as Comlink from 'comlink';
import type { ExportFormat, ExportOptions } from '../../../../shared/io';
import type { ExportNaming } from '../../../../shared/io/layer-labels';
import type { Feature, LayerDefinition } from '../../../../shared/model';
import type { ExportProgress, ExportWorkerApi, LayerExportOutcome, PdfPageRequest } from './export.worker';

export type { ExportProgress, LayerExportOutcome, PdfPageRequest };

/** The job was cancelled: its worker was terminated mid-way and nothing was produced. */
export class ExportCancelled extends Error {
  constructor() {
    super('export cancelled');
    this.name = 'ExportCancelled';
  }
}

export interface ExportJob<T> {
  promise: Promise<T>;
  /** Stops the work at once (the worker is terminated); `promise` rejects with ExportCancelled. */
  cancel(): void;
}

/** Each job gets its own worker, terminated when the job ends or is cancelled. */
function startJob<T>(run: (remote: Comlink.Remote<ExportWorkerApi>) => Promise<T>): ExportJob<T> {
  const worker = new Worker(new URL('./export.worker.ts', import.meta.url), { type: 'module', name: 'onemap-export' });
  const remote = Comlink.wrap<ExportWorkerApi>(worker);
  let cancelJob: () => void = () => undefined;
  const cancelled = new Promise<never>((_, reject) => {
    cancelJob = () => {
      worker.terminate();
      reject(new ExportCancelled());
    };
  });
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => reject(new Error(event.message || 'export worker failed to start')));
  });
  const promise = Promise.race([run(remote), cancelled, failed]).finally(() => worker.terminate());
  return { promise, cancel: () => cancelJob() };
}

export function startLayerExport(
  features: readonly Feature[],
  layer: LayerDefinition,
  format: ExportFormat,
  options: ExportOptions,
  naming: ExportNaming,
  onProgress: (progress: ExportProgress) => void,
): ExportJob<LayerExportOutcome> {
  return startJob<LayerExportOutcome>(async (remote) => await remote.exportLayer(features, layer, format, options, naming, Comlink.proxy(onProgress)));
}

export function startPdfPage(request: PdfPageRequest): ExportJob<Uint8Array> {
  return startJob<Uint8Array>(async (remote) => await remote.pdfPage(Comlink.transfer(request, [request.image.buffer as ArrayBuffer])));
}
