// React hooks for exchanging edits (sync.ts): the review queue, known peers and the user's name.
// Each re-renders when the store changes, in this window or another. `undefined` = loading.
import { useLiveQuery } from 'dexie-react-hooks';
import type { OneMapDatabase } from './schema';
import { META_KEYS } from './records';
import { listSyncConflicts, listSyncPeers, type SyncConflictView, type SyncPeer } from './sync';

/** The conflicts waiting for a person. */
export function useSyncConflicts(database: OneMapDatabase): SyncConflictView[] | undefined {
  return useLiveQuery(() => listSyncConflicts(database), [database]);
}

/** `layerId/featureId` of every feature with a conflict waiting. */
export function useConflictedFeatureKeys(database: OneMapDatabase): ReadonlySet<string> | undefined {
  return useLiveQuery(async () => new Set((await listSyncConflicts(database)).map((view) => `${view.layerId}/${view.featureId}`)), [database]);
}

export function useSyncPeers(database: OneMapDatabase): SyncPeer[] | undefined {
  return useLiveQuery(() => listSyncPeers(database), [database]);
}

/** The user's name (null until given). */
export function useUserName(database: OneMapDatabase): string | null | undefined {
  return useLiveQuery(async () => {
    const row = await database.meta.get(META_KEYS.userName);
    return typeof row?.value === 'string' ? row.value : null;
  }, [database]);
}
