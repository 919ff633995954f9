import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSyncScheduler, type SyncRunOutcome, type SyncSchedule, type SyncTrigger } from '../../../renderer/src/lib/hub-sync-schedule';

const schedule: SyncSchedule = { debounceMs: 2_000, periodMs: 180_000, backoffMs: [5_000, 15_000, 30_000] };

/** A fake sync: each run waits until the test ends it with an outcome. */
function fakeRuns() {
  const runs: { trigger: SyncTrigger; signal: AbortSignal; end(outcome: SyncRunOutcome): void }[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const run = (signal: AbortSignal, trigger: SyncTrigger) =>
    new Promise<SyncRunOutcome>((resolve) => {
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      const end = (outcome: SyncRunOutcome) => {
        concurrent -= 1;
        resolve(outcome);
      };
      signal.addEventListener('abort', () => end('aborted'));
      runs.push({ trigger, signal, end });
    });
  return { runs, run, maxConcurrent: () => maxConcurrent, triggers: () => runs.map((entry) => entry.trigger) };
}

/** Lets the scheduler's promise callbacks run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('hub sync schedule', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs at start, then every period while the hub answers', async () => {
    const fake = fakeRuns();
    const scheduler = createSyncScheduler({ run: fake.run, schedule });
    scheduler.start();
    expect(fake.triggers()).toEqual(['start']);
    fake.runs[0]!.end('done');
    await settle();
    await vi.advanceTimersByTimeAsync(179_999);
    expect(fake.runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.triggers()).toEqual(['start', 'periodic']);
    fake.runs[1]!.end('done');
    await vi.advanceTimersByTimeAsync(180_000);
    expect(fake.triggers()).toEqual(['start', 'periodic', 'periodic']);
    scheduler.stop();
  });

  it('debounces committed changes: one run 2 s after the last of a burst', async () => {
    const fake = fakeRuns();
    const scheduler = createSyncScheduler({ run: fake.run, schedule });
    scheduler.start();
    fake.runs[0]!.end('done');
    await settle();
    for (let index = 0; index < 5; index += 1) {
      scheduler.noteChange();
      await vi.advanceTimersByTimeAsync(1_500);
    }
    expect(fake.runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(fake.runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.triggers()).toEqual(['start', 'change']);
    scheduler.stop();
  });

  it('runs one sync at a time: triggers during a run give one more run after it', async () => {
    const fake = fakeRuns();
    const scheduler = createSyncScheduler({ run: fake.run, schedule });
    scheduler.start();
    scheduler.syncNow();
    scheduler.noteChange();
    await vi.advanceTimersByTimeAsync(2_000);
    scheduler.syncNow();
    expect(fake.runs).toHaveLength(1);
    fake.runs[0]!.end('done');
    await settle();
    expect(fake.triggers()).toEqual(['start', 'now']);
    fake.runs[1]!.end('done');
    await settle();
    expect(fake.runs).toHaveLength(2);
    expect(fake.maxConcurrent()).toBe(1);
    scheduler.stop();
  });

  it('backs off while the hub is unreachable, without a run per change, and recovers', async () => {
    const fake = fakeRuns();
    const retries: number[] = [];
    const scheduler = createSyncScheduler({ run: fake.run, schedule, onRetryScheduled: (delay) => retries.push(delay) });
    scheduler.start();
    fake.runs[0]!.end('offline');
    await settle();
    // Edits made offline wait for the retry.
    scheduler.noteChange();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(fake.runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.triggers()).toEqual(['start', 'retry']);
    fake.runs[1]!.end('offline');
    await vi.advanceTimersByTimeAsync(15_000);
    fake.runs[2]!.end('failed');
    await vi.advanceTimersByTimeAsync(30_000);
    fake.runs[3]!.end('offline');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(retries).toEqual([5_000, 15_000, 30_000, 30_000]);
    expect(scheduler.state.failures).toBe(4);
    // The hub is back: the schedule returns to normal.
    fake.runs[4]!.end('done');
    await settle();
    expect(scheduler.state.failures).toBe(0);
    scheduler.noteChange();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fake.triggers().at(-1)).toBe('change');
    scheduler.stop();
  });

  it('"sync now" tries at once even while backing off', async () => {
    const fake = fakeRuns();
    const scheduler = createSyncScheduler({ run: fake.run, schedule });
    scheduler.start();
    fake.runs[0]!.end('offline');
    await settle();
    scheduler.syncNow();
    expect(fake.triggers()).toEqual(['start', 'now']);
    scheduler.stop();
  });

  it('halts when the token expired until the person signs in again', async () => {
    const fake = fakeRuns();
    const scheduler = createSyncScheduler({ run: fake.run, schedule });
    scheduler.start();
    fake.runs[0]!.end('auth-expired');
    await settle();
    scheduler.noteChange();
    await vi.advanceTimersByTimeAsync(10 * 180_000);
    expect(fake.runs).toHaveLength(1);
    expect(scheduler.state.halted).toBe(true);
    scheduler.start();
    expect(fake.triggers()).toEqual(['start', 'start']);
    scheduler.stop();
  });

  it('stop (sign-out) aborts the run in progress and nothing runs after it', async () => {
    const fake = fakeRuns();
    const scheduler = createSyncScheduler({ run: fake.run, schedule });
    scheduler.start();
    scheduler.noteChange();
    scheduler.stop();
    expect(fake.runs[0]!.signal.aborted).toBe(true);
    scheduler.syncNow();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(10 * 180_000);
    expect(fake.runs).toHaveLength(1);
    expect(scheduler.state).toMatchObject({ running: false, stopped: true });
  });

  it('a run that throws counts as failed and is retried later', async () => {
    const scheduler = createSyncScheduler({ run: () => Promise.reject(new Error('bug')), schedule });
    scheduler.start();
    await settle();
    expect(scheduler.state).toMatchObject({ running: false, failures: 1 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(scheduler.state.failures).toBe(2);
    scheduler.stop();
  });
});
