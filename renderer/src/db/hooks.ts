// React hooks over the store: each re-renders its component when the data it read changes
// (Dexie liveQuery, across windows too). `undefined` means "still loading".
// The map does not use these for its sources: it follows `watchLayer` (incremental updates).
import { useLiveQuery } from 'dexie-react-hooks';
import type { Feature, LayerDefinition, Target, TargetSet } from '../../../shared/model';
import { listStoredTargetSets } from './targets';
import type { OneMapDatabase } from './schema';
import type { AttachmentRecord, StoredJournalEntry } from './records';
import {
  featureJournal,
  getFeatureLive,
  getLayer,
  listAttachments,
  listLayers,
  listTargets,
  recentJournal,
} from './repositories';

export function useLayers(database: OneMapDatabase): LayerDefinition[] | undefined {
  return useLiveQuery(() => listLayers(database), [database]);
}

export function useLayer(database: OneMapDatabase, layerId: string): LayerDefinition | null | undefined {
  return useLiveQuery(() => getLayer(database, layerId), [database, layerId]);
}

export function useTargets(database: OneMapDatabase, layerId?: string): Target[] | undefined {
  return useLiveQuery(() => listTargets(database, layerId), [database, layerId]);
}

/** The stored target sets (shared/model `listTargetSets` adds those only targets imply). */
export function useStoredTargetSets(database: OneMapDatabase): TargetSet[] | undefined {
  return useLiveQuery(() => listStoredTargetSets(database), [database]);
}

/** One feature (null when deleted or unknown), e.g. for the side panel. */
export function useFeature(database: OneMapDatabase, layerId: string, featureId: string | null): Feature | null | undefined {
  return useLiveQuery(() => (featureId === null ? null : getFeatureLive(database, layerId, featureId)), [database, layerId, featureId]);
}

/** A feature's history, oldest first. */
export function useFeatureJournal(database: OneMapDatabase, layerId: string, featureId: string | null): StoredJournalEntry[] | undefined {
  return useLiveQuery(() => (featureId === null ? [] : featureJournal(database, layerId, featureId)), [database, layerId, featureId]);
}

export function useRecentJournal(database: OneMapDatabase, limit: number): StoredJournalEntry[] | undefined {
  return useLiveQuery(() => recentJournal(database, limit), [database, limit]);
}

export function useAttachments(database: OneMapDatabase, layerId: string, featureId: string | null): AttachmentRecord[] | undefined {
  return useLiveQuery(() => (featureId === null ? [] : listAttachments(database, layerId, featureId)), [database, layerId, featureId]);
}
