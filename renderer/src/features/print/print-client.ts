// Each print job in its own worker, terminated when the job ends or is cancelled (nothing partial
// is ever saved).
import * as Comlink from 'comlink';
import type { PrintWorkerApi } from './print.worker';

export class PrintCancelled extends Error {
  constructor() {
    super('print cancelled');
    this.name = 'PrintCancelled';
  }
}

export interface PrintJob<T> {
  promise: Promise<T>;
  cancel(): void;
}

export function startPrintJob<T>(run: (remote: Comlink.Remote<PrintWorkerApi>) => Promise<T>): PrintJob<T> {
  const worker = new Worker(new URL('./print.worker.ts', import.meta.url), { type: 'module', name: 'onemap-print' });
  const remote = Comlink.wrap<PrintWorkerApi>(worker);
  let cancelJob: () => void = () => undefined;
  const cancelled = new Promise<never>((_, reject) => {
    cancelJob = () => {
      worker.terminate();
      reject(new PrintCancelled());
    };
  });
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => reject(new Error(event.message || 'print worker failed to start')));
  });
  const promise = Promise.race([run(remote), cancelled, failed]).finally(() => worker.terminate());
  return { promise, cancel: () => cancelJob() };
}
