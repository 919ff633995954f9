// The daily backup schedule: when a backup is due (pure) and the timer loop around the check.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHECK_INTERVAL_MS, DAY_MS, dailyBackupDueInMs, nextCheckDelayMs, STARTUP_DELAY_MS } from '../../../renderer/src/features/backup/schedule';
import { startDailyBackups } from '../../../renderer/src/features/backup/scheduler';

const now = new Date('2021-08-10T12:00:00.000Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();
const HOUR = 3_600_000;

describe('dailyBackupDueInMs', () => {
  it('is due at once when there is no daily backup, whatever other backups exist', () => {
    expect(dailyBackupDueInMs([], now)).toBe(0);
    expect(dailyBackupDueInMs([{ reason: 'manual', createdAt: hoursAgo(1) }, { reason: 'before-import', createdAt: hoursAgo(2) }], now)).toBe(0);
  });

  it('is due when the newest daily backup is 24 h old or older', () => {
    expect(dailyBackupDueInMs([{ reason: 'daily', createdAt: hoursAgo(24) }], now)).toBe(0);
    expect(dailyBackupDueInMs([{ reason: 'daily', createdAt: hoursAgo(24 * 9) }], now)).toBe(0);
  });

  it('waits for the rest of the day after the newest daily backup', () => {
    expect(dailyBackupDueInMs([{ reason: 'daily', createdAt: hoursAgo(30) }, { reason: 'daily', createdAt: hoursAgo(5) }, { reason: 'manual', createdAt: hoursAgo(0) }], now)).toBe(19 * HOUR);
  });

  it('never waits more than a day when a backup is dated in the future (the clock was set back)', () => {
    expect(dailyBackupDueInMs([{ reason: 'daily', createdAt: new Date(now.getTime() + 300 * DAY_MS).toISOString() }], now)).toBe(DAY_MS);
  });

  it('ignores an unreadable time', () => {
    expect(dailyBackupDueInMs([{ reason: 'daily', createdAt: 'yesterday' }], now)).toBe(0);
  });

  it('re-checks at least hourly and at most once a second', () => {
    expect(nextCheckDelayMs(19 * HOUR)).toBe(CHECK_INTERVAL_MS);
    expect(nextCheckDelayMs(10 * 60_000)).toBe(10 * 60_000);
    expect(nextCheckDelayMs(0)).toBe(1_000);
  });
});

describe('startDailyBackups', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('checks first after the start-up delay, then when the next backup is due', async () => {
    const check = vi.fn<() => Promise<number | null>>().mockResolvedValueOnce(DAY_MS).mockResolvedValue(20 * 60_000);
    const stop = startDailyBackups({ check });
    await vi.advanceTimersByTimeAsync(STARTUP_DELAY_MS - 1);
    expect(check).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(check).toHaveBeenCalledTimes(1);
    // A backup was just made (due in a day): the next check is within the hour, not in a day.
    await vi.advanceTimersByTimeAsync(CHECK_INTERVAL_MS);
    expect(check).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(20 * 60_000);
    expect(check).toHaveBeenCalledTimes(3);
    stop();
    await vi.advanceTimersByTimeAsync(DAY_MS);
    expect(check).toHaveBeenCalledTimes(3);
  });

  it('stops when the shell keeps no backups', async () => {
    const check = vi.fn<() => Promise<number | null>>().mockResolvedValue(null);
    startDailyBackups({ check, startupDelayMs: 10 });
    await vi.advanceTimersByTimeAsync(DAY_MS);
    expect(check).toHaveBeenCalledTimes(1);
  });

  it('reports a failed backup and tries again an hour later', async () => {
    const failure = new Error('disk full');
    const onError = vi.fn();
    const check = vi.fn<() => Promise<number | null>>().mockRejectedValueOnce(failure).mockResolvedValue(DAY_MS);
    const stop = startDailyBackups({ check, onError, startupDelayMs: 10 });
    await vi.advanceTimersByTimeAsync(10);
    expect(onError).toHaveBeenCalledWith(failure);
    await vi.advanceTimersByTimeAsync(CHECK_INTERVAL_MS - 1);
    expect(check).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(check).toHaveBeenCalledTimes(2);
    stop();
  });

  it('runs one check at a time: the next timer is armed only after a slow check finishes', async () => {
    let finish: (value: number) => void = () => undefined;
    const check = vi.fn<() => Promise<number | null>>(() => new Promise<number>((resolve) => (finish = resolve)));
    const stop = startDailyBackups({ check, startupDelayMs: 10 });
    await vi.advanceTimersByTimeAsync(10 + 3 * CHECK_INTERVAL_MS);
    expect(check).toHaveBeenCalledTimes(1);
    finish(5_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(check).toHaveBeenCalledTimes(2);
    stop();
  });
});
