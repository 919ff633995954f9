import * as Comlink from 'comlink';
import type { BackupWorkerApi } from './backup.worker';

let worker: Comlink.Remote<BackupWorkerApi> | null = null;

/** The one backup worker of this window, started on first use. */
export function backupWorker(): Comlink.Remote<BackupWorkerApi> {
  worker ??= Comlink.wrap<BackupWorkerApi>(new Worker(new URL('./backup.worker.ts', import.meta.url), { type: 'module', name: 'onemap-backup' }));
  return worker;
}
