import * as Comlink from 'comlink';
import type { MbtilesWorkerApi } from './mbtiles.worker';

let worker: Comlink.Remote<MbtilesWorkerApi> | null = null;

/** The one MBTiles worker of this window (web shell), started on first use. */
export function mbtilesWorker(): Comlink.Remote<MbtilesWorkerApi> {
  worker ??= Comlink.wrap<MbtilesWorkerApi>(new Worker(new URL('./mbtiles.worker.ts', import.meta.url), { type: 'module', name: 'onemap-mbtiles' }));
  return worker;
}
