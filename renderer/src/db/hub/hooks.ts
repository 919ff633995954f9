// React hooks over a hub database: each re-renders when the store changes. `undefined` = loading.
import { useLiveQuery } from 'dexie-react-hooks';
import type { OneMapDatabase } from '../schema';
import type { HubConflictRecord, HubSessionRecord } from '../records';
import { pendingFeatureKeys, readHubSession, readHubStatus } from './workspace';
import { listHubConflicts } from './conflicts';
import { readSkippedFeatures } from './pull-skips';
import type { HubStatus } from './types';

export function useHubStatus(database: OneMapDatabase): HubStatus | undefined {
  return useLiveQuery(() => readHubStatus(database), [database]);
}

/** `${layerId}\u0000${featureId}` of every feature with a change not yet on the hub. */
export function useHubPendingFeatureKeys(database: OneMapDatabase): ReadonlySet<string> | undefined {
  return useLiveQuery(() => pendingFeatureKeys(database), [database]);
}

export function useHubConflicts(database: OneMapDatabase): HubConflictRecord[] | undefined {
  return useLiveQuery(() => listHubConflicts(database), [database]);
}

/** The changes the hub refused, newest first. */
export function useHubRefusedChanges(database: OneMapDatabase) {
  return useLiveQuery(async () => (await database.hubPushes.where('status').equals('refused').toArray()).sort((left, right) => right.firstSequence - left.firstSequence), [database]);
}

/** Features the hub sent that this store could not hold, newest first. */
export function useHubSkippedFeatures(database: OneMapDatabase) {
  return useLiveQuery(() => readSkippedFeatures(database), [database]);
}

/** Who is signed in to the hub this database syncs with (null: nobody yet). */
export function useHubSession(database: OneMapDatabase): HubSessionRecord | null | undefined {
  return useLiveQuery(() => readHubSession(database), [database]);
}
