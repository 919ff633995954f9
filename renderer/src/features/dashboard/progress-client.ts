// The window's side of the progress worker: one worker per window, one follow per layer shown.
// The worker starts, and each follow reads its layer, after the map's first draw
// (lib/first-draw.ts): its store reads would compete with the map's for the CPUs, and the map is
// what a start shows first; the cards say 正在统计进度… until their numbers come.
import { useEffect, useState } from 'react';
import * as Comlink from 'comlink';
import type { ProgressSummarySpec } from '../../../../shared/analysis';
import type { ProgressViews, ProgressWorkerApi } from './progress.worker';
import { afterMapDrawn } from '../../lib/first-draw';

let worker: Comlink.Remote<ProgressWorkerApi> | null = null;
let nextId = 1;

function progressWorker(): Comlink.Remote<ProgressWorkerApi> {
  if (worker === null) {
    worker = Comlink.wrap<ProgressWorkerApi>(new Worker(new URL('./progress.worker.ts', import.meta.url), { type: 'module', name: 'onemap-progress' }));
  }
  return worker;
}

/** Follows one layer's progress cards; returns the function that stops it. */
export function followProgress(databaseName: string, spec: ProgressSummarySpec, onViews: (views: ProgressViews) => void): () => void {
  const id = nextId++;
  let stopped = false;
  let sent: Comlink.Remote<ProgressWorkerApi> | null = null;
  void afterMapDrawn().then(() => {
    if (stopped) return;
    sent = progressWorker();
    sent.follow(id, databaseName, spec, Comlink.proxy(onViews)).catch((error: unknown) => console.error('progress summary', spec.layer.id, error));
  });
  return () => {
    stopped = true;
    // A follow never sent has nothing to stop (the worker would keep its id as stopped early).
    if (sent !== null) void sent.stop(id);
  };
}

/**
 * The cards' numbers of every spec (one per layer), by target id; undefined until the first
 * answer. Specs are compared by content, so a re-render with equal specs keeps the follows.
 * While new specs load, the previous numbers stay.
 */
export function useProgressViews(databaseName: string, specs: readonly ProgressSummarySpec[]): ProgressViews | undefined {
  const key = JSON.stringify(specs);
  const [views, setViews] = useState<ProgressViews | undefined>(undefined);
  useEffect(() => {
    const byLayer = new Map<string, ProgressViews>();
    const parsed = JSON.parse(key) as ProgressSummarySpec[];
    const stops = parsed.map((spec) =>
      followProgress(databaseName, spec, (layerViews) => {
        byLayer.set(spec.layer.id, layerViews);
        // Shown once every layer has answered, so no card flips from one set of numbers to another's.
        if (byLayer.size === parsed.length) setViews(new Map([...byLayer.values()].flatMap((entry) => [...entry])));
      }),
    );
    return () => {
      for (const stop of stops) stop();
    };
  }, [databaseName, key]);
  return views;
}
