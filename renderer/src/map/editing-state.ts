// What the map's geometry editing is doing now, for the parts of the UI outside the map: the status
// line under the map, and the undo controls (Ctrl+Z must not undo the store while a shape is being
// drawn or edited). One map per window, so one state per window. No MapLibre import here: any
// component may read it.
import { useSyncExternalStore } from 'react';
import type { DrawKind, GeometryProblem } from './geometry-editor';

/** A problem the editing reports: the editor's validity codes, and shapes it cannot edit. */
export type EditingProblem = GeometryProblem | { code: 'multi-part' };

export type EditingSession =
  | { kind: 'draw'; drawKind: DrawKind }
  | { kind: 'edit'; layerId: string; featureId: string };

export interface EditingState {
  session: EditingSession | null;
  /** The last refused change or finish of the session in progress, until the next accepted one. */
  problem: EditingProblem | null;
}

let state: EditingState = { session: null, problem: null };
const listeners = new Set<() => void>();

export function editingState(): EditingState {
  return state;
}

export function setEditingState(next: EditingState): void {
  state = next;
  for (const listener of [...listeners]) listener();
}

/** Whether a shape is being drawn or edited on the map right now. */
export function geometryEditingActive(): boolean {
  return state.session !== null;
}

export function subscribeEditingState(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The editing state, re-rendering on every change. */
export function useEditingState(): EditingState {
  return useSyncExternalStore(subscribeEditingState, editingState, editingState);
}

/** Whether the map can edit this geometry as one shape (a Multi* geometry only with one part). */
export function editableOnMap(geometry: { type: string; coordinates: readonly unknown[] }): boolean {
  return !geometry.type.startsWith('Multi') || geometry.coordinates.length === 1;
}
