// The window's side of the progress worker: one worker per window, one follow per layer shown.
import { useEffect, useState } from 'react';
import * as Comlink from 'comlink';
import type { ProgressSummarySpec } from '../../../../shared/analysis';
import type { ProgressViews, ProgressWorkerApi } from './progress.worker';
import { afterMapDrawn } from '../../lib/first-draw';

let worker: Comlink.Remote<ProgressWorkerApi> | null = null;
let nextId = 1;

function progressWorker(): Comlink.Remote<ProgressWorkerApi> {
  if (worker === null) {
    const created = Comlink.wrap<ProgressWorkerApi>(new Worker(new URL('./progress.worker.ts', import.meta.url), { type: 'module', name: 'onemap-progress' }));
    // A large layer's cards are built after the map's first draw, which its read would slow down.
    void afterMapDrawn().then(() => created.mapDrawn());
    worker = created;
  }
  return worker;
}

/** Follows one layer's progress cards; returns the function that stops it. */
export function followProgress(databaseName: string, spec: ProgressSummarySpec, onViews: (views: ProgressViews) => void): () => void {
  const remote = progressWorker();
  const id = nextId++;
  remote.follow(id, databaseName, spec, Comlink.proxy(onViews)).catch((error: unknown) => console.error('progress summary', spec.layer.id, error));
  return () => void remote.stop(id);
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
