// The hub sync state machine: every transition, and what each phase ignores.
import { describe, expect, it } from 'vitest';
import { SIGNED_OUT, eventsOfCycle, retryDelayMs, transition, type HubSyncEvent, type HubSyncPhase, type HubSyncState } from '../../../../shared/sync/hub/sync-state';

const T1 = '2026-12-07T03:00:00.000Z';
const T2 = '2026-12-07T04:00:00.000Z';
const at = (phase: HubSyncPhase, extra: Partial<HubSyncState> = {}): HubSyncState => ({ ...SIGNED_OUT, phase, ...extra });
const run = (state: HubSyncState, events: HubSyncEvent[]): HubSyncState => events.reduce(transition, state);

const ALL_EVENTS: HubSyncEvent[] = [
  { type: 'sign-in' },
  { type: 'sign-out' },
  { type: 'sync-start' },
  { type: 'push-done', waitingChanges: 0 },
  { type: 'pull-done', time: T2 },
  { type: 'network-failed', time: T2 },
  { type: 'unauthorized' },
  { type: 'sync-failed' },
  { type: 'retry-due' },
];

// Expected phase after each event, per phase ('=' = unchanged, same object).
const TABLE: Record<HubSyncPhase, Record<HubSyncEvent['type'], HubSyncPhase | '='>> = {
  'signed-out': { 'sign-in': 'idle', 'sign-out': '=', 'sync-start': '=', 'push-done': '=', 'pull-done': '=', 'network-failed': '=', unauthorized: '=', 'sync-failed': '=', 'retry-due': '=', 'changes-counted': '=' },
  idle: { 'sign-in': '=', 'sign-out': 'signed-out', 'sync-start': 'pushing', 'push-done': '=', 'pull-done': '=', 'network-failed': '=', unauthorized: 'auth-expired', 'sync-failed': '=', 'retry-due': '=', 'changes-counted': '=' },
  pushing: { 'sign-in': '=', 'sign-out': 'signed-out', 'sync-start': '=', 'push-done': 'pulling', 'pull-done': '=', 'network-failed': 'offline', unauthorized: 'auth-expired', 'sync-failed': 'idle', 'retry-due': '=', 'changes-counted': '=' },
  pulling: { 'sign-in': '=', 'sign-out': 'signed-out', 'sync-start': '=', 'push-done': '=', 'pull-done': 'idle', 'network-failed': 'offline', unauthorized: 'auth-expired', 'sync-failed': 'idle', 'retry-due': '=', 'changes-counted': '=' },
  offline: { 'sign-in': '=', 'sign-out': 'signed-out', 'sync-start': 'pushing', 'push-done': '=', 'pull-done': '=', 'network-failed': '=', unauthorized: 'auth-expired', 'sync-failed': '=', 'retry-due': 'pushing', 'changes-counted': '=' },
  'auth-expired': { 'sign-in': 'idle', 'sign-out': 'signed-out', 'sync-start': '=', 'push-done': '=', 'pull-done': '=', 'network-failed': '=', unauthorized: '=', 'sync-failed': '=', 'retry-due': '=', 'changes-counted': '=' },
};

describe('hub sync state machine', () => {
  for (const [phase, row] of Object.entries(TABLE) as [HubSyncPhase, Record<string, HubSyncPhase | '='>][]) {
    for (const event of ALL_EVENTS) {
      it(`${phase} + ${event.type} → ${row[event.type]}`, () => {
        const state = at(phase, { waitingChanges: 3, lastSyncAt: T1 });
        const next = transition(state, event);
        if (row[event.type] === '=') expect(next).toBe(state);
        else expect(next.phase).toBe(row[event.type]);
      });
    }
  }

  it('a full cycle records the sync time and the count left waiting', () => {
    const state = run(at('idle', { waitingChanges: 4 }), [{ type: 'sync-start' }, { type: 'push-done', waitingChanges: 0 }, { type: 'pull-done', time: T2 }]);
    expect(state).toEqual({ phase: 'idle', lastSyncAt: T2, offlineSince: null, waitingChanges: 0, lastProblem: null });
  });

  it('offline keeps the time it began across failed retries, and clears it once a sync completes', () => {
    let state = run(at('idle', { lastSyncAt: T1, waitingChanges: 2 }), [{ type: 'sync-start' }, { type: 'network-failed', time: T1 }]);
    expect(state).toMatchObject({ phase: 'offline', offlineSince: T1, lastSyncAt: T1, waitingChanges: 2, lastProblem: 'offline' });
    state = run(state, [{ type: 'retry-due' }, { type: 'network-failed', time: T2 }]);
    expect(state.offlineSince).toBe(T1);
    state = run(state, [{ type: 'retry-due' }, { type: 'push-done', waitingChanges: 0 }, { type: 'pull-done', time: T2 }]);
    expect(state).toMatchObject({ phase: 'idle', offlineSince: null, lastSyncAt: T2, waitingChanges: 0, lastProblem: null });
  });

  it('a token that expired asks to sign in again and loses no waiting change', () => {
    let state = run(at('idle', { waitingChanges: 5, lastSyncAt: T1 }), [{ type: 'sync-start' }, { type: 'unauthorized' }]);
    expect(state).toMatchObject({ phase: 'auth-expired', waitingChanges: 5, lastProblem: 'auth-expired', lastSyncAt: T1 });
    // No sync runs until the user signs in again; edits made meanwhile are still counted.
    state = run(state, [{ type: 'sync-start' }, { type: 'retry-due' }, { type: 'changes-counted', waitingChanges: 6 }]);
    expect(state).toMatchObject({ phase: 'auth-expired', waitingChanges: 6 });
    state = transition(state, { type: 'sign-in' });
    expect(state).toMatchObject({ phase: 'idle', waitingChanges: 6, lastProblem: null });
  });

  it('changes-counted updates the count in every phase without moving', () => {
    for (const phase of Object.keys(TABLE) as HubSyncPhase[]) {
      const next = transition(at(phase), { type: 'changes-counted', waitingChanges: 9 });
      expect(next).toMatchObject({ phase, waitingChanges: 9 });
    }
  });

  it('maps how a cycle stopped to its events', () => {
    expect(run(at('pushing'), eventsOfCycle(null, T2, 0))).toMatchObject({ phase: 'idle', lastSyncAt: T2 });
    expect(run(at('pushing'), eventsOfCycle('offline', T2, 3)).phase).toBe('offline');
    expect(run(at('pushing'), eventsOfCycle('auth-expired', T2, 3)).phase).toBe('auth-expired');
    expect(run(at('pushing'), eventsOfCycle('failed', T2, 3))).toMatchObject({ phase: 'idle', lastProblem: 'failed' });
  });

  it('retries back off from 15 s to at most 3 minutes', () => {
    expect([1, 2, 3, 4, 5, 6].map(retryDelayMs)).toEqual([15_000, 30_000, 60_000, 120_000, 180_000, 180_000]);
  });
});
