import * as Comlink from 'comlink';
import type { PlanningTilesWorkerApi } from './planning-tiles.worker';

let worker: Comlink.Remote<PlanningTilesWorkerApi> | null = null;

/** The one planning-tiles worker of this window, started on first use. */
export function planningTilesWorker(): Comlink.Remote<PlanningTilesWorkerApi> {
  worker ??= Comlink.wrap<PlanningTilesWorkerApi>(new Worker(new URL('./planning-tiles.worker.ts', import.meta.url), { type: 'module', name: 'onemap-planning-tiles' }));
  return worker;
}
