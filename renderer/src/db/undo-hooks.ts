// React hooks for undo/redo, history and photos. Each re-renders when the journal or the
// attachments change, in this window or another (Dexie liveQuery). `undefined` means loading.
import { useLiveQuery } from 'dexie-react-hooks';
import type { OneMapDatabase } from './schema';
import type { AttachmentRecord } from './records';
import { undoState, type UndoState } from './undo';
import { featureHistory, type FeatureHistoryEntry } from './history';
import { listPhotos } from './attachments';

/** Whether undo/redo are possible and what they would do (for buttons and their tooltips). */
export function useUndoState(database: OneMapDatabase): UndoState | undefined {
  return useLiveQuery(() => undoState(database), [database]);
}

/** A feature's history, oldest first (empty when no feature is selected). */
export function useFeatureHistory(database: OneMapDatabase, layerId: string, featureId: string | null): FeatureHistoryEntry[] | undefined {
  return useLiveQuery(() => (featureId === null ? [] : featureHistory(database, layerId, featureId)), [database, layerId, featureId]);
}

/** A feature's attached (not removed) photos, oldest first. */
export function usePhotos(database: OneMapDatabase, layerId: string, featureId: string | null): AttachmentRecord[] | undefined {
  return useLiveQuery(() => (featureId === null ? [] : listPhotos(database, layerId, featureId)), [database, layerId, featureId]);
}
