// The hub sync controller's state (SYNC-CONTEXT decision 6), as a pure function of events, so
// every transition is unit-tested apart from timers and the network. The controller
// (renderer/src/lib/hub-sync.tsx) feeds it events and does what the phase says: sync while
// `pushing`/`pulling`, schedule a retry while `offline`, ask to sign in again on `auth-expired`.
// Waiting changes are counted here only for display: they live in the store's journal, and no
// transition ever drops them.

export type HubSyncPhase = 'signed-out' | 'idle' | 'pushing' | 'pulling' | 'offline' | 'auth-expired';

export interface HubSyncState {
  phase: HubSyncPhase;
  /** The last completed sync (ISO time); kept across every phase. */
  lastSyncAt: string | null;
  /** Since when the hub could not be reached (ISO time); null unless offline. */
  offlineSince: string | null;
  /** Local changes not yet on the hub, as last counted. */
  waitingChanges: number;
  /** Why the last cycle ended without syncing, when it did ('failed': an unexpected answer or error). */
  lastProblem: 'offline' | 'auth-expired' | 'failed' | null;
}

export type HubSyncEvent =
  | { type: 'sign-in'; waitingChanges?: number }
  | { type: 'sign-out' }
  /** A cycle starts (on start, after a change, on a timer, "sync now"). */
  | { type: 'sync-start' }
  | { type: 'push-done'; waitingChanges: number }
  | { type: 'pull-done'; time: string }
  | { type: 'network-failed'; time: string }
  | { type: 'unauthorized' }
  /** Anything else stopped the cycle (an answer the app does not understand): back to idle, problem kept. */
  | { type: 'sync-failed' }
  /** The retry timer of the offline phase fired. */
  | { type: 'retry-due' }
  /** The store's count of waiting changes changed (an edit was committed). */
  | { type: 'changes-counted'; waitingChanges: number };

export const SIGNED_OUT: HubSyncState = { phase: 'signed-out', lastSyncAt: null, offlineSince: null, waitingChanges: 0, lastProblem: null };

/** Phases in which a cycle runs. */
export const isSyncing = (state: HubSyncState): boolean => state.phase === 'pushing' || state.phase === 'pulling';

/** The next state. An event that does not apply in a phase leaves the state as it is (the same object). */
export function transition(state: HubSyncState, event: HubSyncEvent): HubSyncState {
  if (event.type === 'changes-counted') return event.waitingChanges === state.waitingChanges ? state : { ...state, waitingChanges: event.waitingChanges };
  if (event.type === 'sign-out') return state.phase === 'signed-out' ? state : { ...state, phase: 'signed-out', offlineSince: null, lastProblem: null };
  switch (state.phase) {
    case 'signed-out':
    case 'auth-expired':
      // Signing in again keeps what was waiting: it is still in the journal.
      if (event.type === 'sign-in') return { ...state, phase: 'idle', offlineSince: null, lastProblem: null, waitingChanges: event.waitingChanges ?? state.waitingChanges };
      return state;
    case 'idle':
    case 'offline':
      if (event.type === 'sync-start' || (event.type === 'retry-due' && state.phase === 'offline')) return { ...state, phase: 'pushing' };
      if (event.type === 'unauthorized') return { ...state, phase: 'auth-expired', lastProblem: 'auth-expired', offlineSince: null };
      return state;
    case 'pushing':
    case 'pulling':
      if (event.type === 'push-done' && state.phase === 'pushing') return { ...state, phase: 'pulling', waitingChanges: event.waitingChanges };
      if (event.type === 'pull-done' && state.phase === 'pulling') return { ...state, phase: 'idle', lastSyncAt: event.time, offlineSince: null, lastProblem: null };
      if (event.type === 'network-failed') return { ...state, phase: 'offline', offlineSince: state.offlineSince ?? event.time, lastProblem: 'offline' };
      if (event.type === 'unauthorized') return { ...state, phase: 'auth-expired', offlineSince: null, lastProblem: 'auth-expired' };
      if (event.type === 'sync-failed') return { ...state, phase: 'idle', lastProblem: 'failed' };
      return state;
  }
}

/**
 * The events of a finished cycle, from how it stopped (the store's SyncReport.stopped): a full
 * cycle is push-done then pull-done; a stop maps to its event.
 */
export function eventsOfCycle(stopped: 'offline' | 'auth-expired' | 'failed' | null, time: string, waitingChanges: number): HubSyncEvent[] {
  if (stopped === null) return [{ type: 'push-done', waitingChanges }, { type: 'pull-done', time }];
  if (stopped === 'offline') return [{ type: 'network-failed', time }];
  if (stopped === 'auth-expired') return [{ type: 'unauthorized' }];
  return [{ type: 'sync-failed' }];
}

/** Retry delay while offline: 15 s, doubling per failed attempt, at most the regular 3-minute period. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(15_000 * 2 ** Math.max(0, failedAttempts - 1), 180_000);
}
