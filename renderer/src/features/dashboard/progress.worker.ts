// The progress cards' numbers off the main thread. The worker opens the workspace's IndexedDB
// database by name (its own connection), builds each followed layer's progress summary from one
// read of the layer, then follows the layer's change feed (`watchLayer`: Dexie's cross-context
// notifications reach workers) and applies only the features that changed. The window receives
// each card's numbers and the rows its lists show, never the layer's features, so an edit costs
// the main thread a few kilobytes of messages, however big the layer.
import * as Comlink from 'comlink';
import { openOneMapDatabase, watchLayer } from '../../db';
import { ProgressSummary, progressSummaryOf, type ProgressSummarySpec, type TargetProgressView } from '../../../../shared/analysis';
import type { Feature } from '../../../../shared/model';

/** Each card's numbers by target id. */
export type ProgressViews = Map<string, TargetProgressView<Feature>>;

const stops = new Map<number, () => void>();
/** Follows stopped before their database had opened. */
const stoppedEarly = new Set<number>();

const api = {
  /** Calls `onViews` with the layer's cards now and after every committed change, until `stop(id)`. */
  async follow(id: number, databaseName: string, spec: ProgressSummarySpec, onViews: (views: ProgressViews) => void): Promise<void> {
    const database = await openOneMapDatabase(databaseName);
    // The window's callback is a Comlink proxy: released when the follow ends.
    const release = () => (onViews as unknown as Comlink.Remote<(views: ProgressViews) => void>)[Comlink.releaseProxy]();
    if (stoppedEarly.delete(id)) {
      database.close();
      release();
      return;
    }
    let summary = new ProgressSummary<Feature>(spec);
    const stopWatching = watchLayer(
      database,
      spec.layer.id,
      (changes) => {
        if (changes.kind === 'reset') summary = progressSummaryOf(spec, changes.snapshot.features);
        else {
          for (const featureId of changes.removed) summary.remove(featureId);
          for (const feature of changes.upserted) summary.upsert(feature);
        }
        onViews(summary.views());
      },
      (error) => console.error('progress summary', spec.layer.id, error),
    );
    stops.set(id, () => {
      stopWatching();
      database.close();
      release();
    });
  },
  stop(id: number): void {
    const stop = stops.get(id);
    if (stop === undefined) stoppedEarly.add(id);
    else {
      stops.delete(id);
      stop();
    }
  },
};

export type ProgressWorkerApi = typeof api;

Comlink.expose(api);
