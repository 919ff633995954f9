// The operations on targets and target sets (apply-target.ts). Types only, like types.ts.
import type { Target, TargetSet } from '../../../../shared/model';

/**
 * - `put-target`: adds the target or replaces the one with its id (the whole definition);
 *   validated with shared/model against its layer and set.
 * - `remove-target`: takes the target away.
 * - `put-target-set` / `remove-target-set`: the same for a set; a set is removed only empty.
 * Journaled in `layerJournal` (before/after, `layerId` `target:<id>` / `target-set:<id>`), so
 * undo, redo and edit packages handle them like layer changes. `layerId` is the target's layer
 * (for a set: `target-set:<id>`); transact reads no features for them.
 */
export type TargetOperation =
  | { kind: 'put-target'; layerId: string; target: Target; applies?: readonly string[] }
  | { kind: 'remove-target'; layerId: string; targetId: string; applies?: readonly string[] }
  | { kind: 'put-target-set'; layerId: string; set: TargetSet; applies?: readonly string[] }
  | { kind: 'remove-target-set'; layerId: string; setId: string; applies?: readonly string[] };

export const TARGET_RECORD_PREFIX = 'target:';
export const TARGET_SET_RECORD_PREFIX = 'target-set:';
