import * as Comlink from 'comlink';
import type { AnalysisWorkerApi } from './analysis.worker';

let worker: Comlink.Remote<AnalysisWorkerApi> | null = null;

/** The one analysis worker of this window, started on first use. */
export function analysisWorker(): Comlink.Remote<AnalysisWorkerApi> {
  worker ??= Comlink.wrap<AnalysisWorkerApi>(new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module', name: 'onemap-analysis' }));
  return worker;
}
