// The planning layers' change feeds, followed from MapView's first render — before the map
// exists — and handed to the map once its style is ready. Their reads then overlap the label
// font, the style and the basemap's first tiles instead of queueing behind the map's first frames
// (on a software-rendered machine each frame holds the main thread for a few hundred ms), and
// every layer goes onto the map with its first data, all in one batch: one tile load and one frame
// for all of them, not one per layer, each into an empty source first.
import type { PlanningLayerChanges } from './planning-layers';

type Reset = Extract<PlanningLayerChanges, { kind: 'reset' }>;

export type SubscribePlanningLayer = (layerId: string, listener: (changes: PlanningLayerChanges) => void) => () => void;

export interface PlanningFeed {
  /**
   * Calls `first` once every layer has its first reset (at once when they already have), with
   * those resets in the layers' order, then `next` for each change after them — the changes that
   * arrived before the handover first, in order. One handover per feed; returns a detach.
   */
  handOver(first: (resets: ReadonlyMap<string, Reset>) => void, next: (layerId: string, changes: PlanningLayerChanges) => void): () => void;
  /** Resolves once every layer has its first reset (never when the feed is stopped before). */
  readonly complete: Promise<void>;
  stop(): void;
}

export function followPlanningLayers(layerIds: readonly string[], subscribe: SubscribePlanningLayer): PlanningFeed {
  let firsts = new Map<string, Reset>();
  /** Changes after a layer's first reset, held until the handover. */
  let held: Array<[string, PlanningLayerChanges]> = [];
  let receiver: { first: (resets: ReadonlyMap<string, Reset>) => void; next: (layerId: string, changes: PlanningLayerChanges) => void } | null = null;
  let handedOver = false;
  let unsubscribers: Array<() => void> = [];
  let markComplete: () => void = () => undefined;
  const complete = new Promise<void>((resolve) => (markComplete = resolve));

  const handOverIfComplete = () => {
    if (firsts.size >= layerIds.length) markComplete();
    if (!receiver || handedOver || firsts.size < layerIds.length) return;
    handedOver = true;
    receiver.first(new Map(layerIds.map((id) => [id, firsts.get(id)!])));
    const pending = held;
    held = [];
    for (const [layerId, changes] of pending) receiver?.next(layerId, changes);
  };

  const follow = () => {
    unsubscribers = layerIds.map((layerId) =>
      subscribe(layerId, (changes) => {
        if (handedOver) {
          receiver?.next(layerId, changes);
          return;
        }
        if (!firsts.has(layerId)) {
          // The feed starts with a reset; anything else before it has nothing to apply to.
          if (changes.kind !== 'reset') return;
          firsts.set(layerId, changes);
          handOverIfComplete();
          return;
        }
        // A later reset makes what this layer had held moot (its first reset stays: the layer is
        // added with it, and the new one follows).
        if (changes.kind === 'reset') held = held.filter(([id]) => id !== layerId);
        held.push([layerId, changes]);
      }),
    );
  };
  const unfollow = () => {
    unsubscribers.forEach((unsubscribe) => unsubscribe());
    unsubscribers = [];
  };
  follow();
  handOverIfComplete();

  return {
    complete,
    handOver(first, next) {
      if (receiver) throw new Error('planning feed: already handed over');
      if (handedOver) {
        // Handed over before and detached (React runs effects twice in development): the changes
        // since went nowhere, so the layers are read afresh.
        unfollow();
        firsts = new Map();
        held = [];
        handedOver = false;
        follow();
      }
      receiver = { first, next };
      handOverIfComplete();
      return () => {
        receiver = null;
      };
    },
    stop() {
      receiver = null;
      unfollow();
    },
  };
}
