// When the hub sync runs (issue 16): at start, 2 s after the last committed change, every
// 3 minutes, and on "sync now" — one run at a time. A run that finds the hub unreachable is
// retried later with a growing delay, quietly (changes made meanwhile wait for that retry, so an
// offline day does not try every 2 s). A run that finds the token expired halts the schedule
// until the person signs in again. Stopping (sign-out, the workspace closing) aborts the run.
// The run itself (syncOnce and the state machine) is the caller's; this file only keeps time.

import { retryDelayMs } from '../../../shared/sync/hub/sync-state';

/** How a run ended, as far as scheduling cares. */
export type SyncRunOutcome = 'done' | 'offline' | 'failed' | 'auth-expired' | 'aborted';

/** Why a run started (shown nowhere; for tests and logs). */
export type SyncTrigger = 'start' | 'change' | 'periodic' | 'retry' | 'now';

export interface SyncSchedule {
  /** Quiet time after the last committed change before it is pushed. */
  debounceMs: number;
  /** Time between runs while the hub answers. */
  periodMs: number;
  /** Delays before the 1st, 2nd… retry after a failed run; the last one repeats. */
  backoffMs: readonly number[];
}

export const DEFAULT_SYNC_SCHEDULE: SyncSchedule = {
  debounceMs: 2_000,
  periodMs: 3 * 60_000,
  // The state machine's offline retry delays: 15 s, 30 s, 60 s, 120 s, then every 3 minutes.
  backoffMs: [1, 2, 3, 4, 5].map(retryDelayMs),
};

export interface SyncSchedulerOptions {
  /** One sync; must end on `signal` abort (answering 'aborted'). */
  run(signal: AbortSignal, trigger: SyncTrigger): Promise<SyncRunOutcome>;
  schedule?: SyncSchedule;
  /** Told when a run is retried and after how long (the indicator says "retrying"). */
  onRetryScheduled?(delayMs: number, failures: number): void;
}

export interface SyncScheduler {
  /** Runs at once and keeps the schedule from then on. */
  start(): void;
  /** A change was committed: run once the changes pause for `debounceMs` (not while the hub is unreachable). */
  noteChange(): void;
  /** Runs at once, or right after the run in progress. */
  syncNow(): void;
  /** Aborts the run in progress and cancels every timer; nothing runs after this. */
  stop(): void;
  readonly state: { running: boolean; failures: number; halted: boolean; stopped: boolean };
}

export function createSyncScheduler(options: SyncSchedulerOptions): SyncScheduler {
  const schedule = options.schedule ?? DEFAULT_SYNC_SCHEDULE;
  let running: AbortController | null = null;
  let again: SyncTrigger | null = null;
  let failures = 0;
  let halted = false; // auth expired: nothing runs until start() or syncNow()
  let stopped = false;
  let debounce: ReturnType<typeof setTimeout> | null = null;
  let next: ReturnType<typeof setTimeout> | null = null;

  const clear = (timer: ReturnType<typeof setTimeout> | null) => {
    if (timer !== null) clearTimeout(timer);
    return null;
  };

  const arm = (delayMs: number, trigger: SyncTrigger) => {
    next = clear(next);
    next = setTimeout(() => {
      next = null;
      launch(trigger);
    }, delayMs);
  };

  const launch = (trigger: SyncTrigger) => {
    if (stopped) return;
    if (running !== null) {
      again ??= trigger;
      return;
    }
    next = clear(next);
    const controller = new AbortController();
    running = controller;
    void options
      .run(controller.signal, trigger)
      .catch((): SyncRunOutcome => 'failed')
      .then((outcome) => finish(controller, controller.signal.aborted ? 'aborted' : outcome));
  };

  const finish = (controller: AbortController, outcome: SyncRunOutcome) => {
    if (running === controller) running = null;
    if (stopped || outcome === 'aborted') return;
    const queued = again;
    again = null;
    if (outcome === 'auth-expired') {
      halted = true;
      next = clear(next);
      debounce = clear(debounce);
      return;
    }
    if (outcome === 'done') {
      failures = 0;
      if (queued !== null) launch(queued);
      else arm(schedule.periodMs, 'periodic');
      return;
    }
    // offline or failed: a later, longer wait; a "sync now" pressed meanwhile has had its try.
    const delay = schedule.backoffMs[Math.min(failures, schedule.backoffMs.length - 1)] ?? schedule.periodMs;
    failures += 1;
    arm(delay, 'retry');
    options.onRetryScheduled?.(delay, failures);
  };

  return {
    start() {
      if (stopped) return;
      halted = false;
      launch('start');
    },
    noteChange() {
      if (stopped || halted || failures > 0) return;
      debounce = clear(debounce);
      debounce = setTimeout(() => {
        debounce = null;
        launch('change');
      }, schedule.debounceMs);
    },
    syncNow() {
      if (stopped) return;
      halted = false;
      debounce = clear(debounce);
      launch('now');
    },
    stop() {
      stopped = true;
      debounce = clear(debounce);
      next = clear(next);
      running?.abort();
      running = null;
    },
    get state() {
      return { running: running !== null, failures, halted, stopped };
    },
  };
}
