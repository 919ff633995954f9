// When the next daily backup is due: pure functions, unit-tested; the timers are in scheduler.ts.
import type { BackupEntry } from '../../../../shared/ipc/backups';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** The first check waits until the app has settled (the map drawn, the first edits made). */
export const STARTUP_DELAY_MS = 15_000;
/** Timers are re-armed at least this often, so a sleeping laptop or a changed clock is noticed. */
export const CHECK_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Milliseconds until a daily backup is due: 0 when there is none, or the newest is 24 h old or
 * more. A newest backup dated in the future (the clock was set back) counts as made now, so
 * the wait is never longer than a day.
 */
export function dailyBackupDueInMs(backups: readonly Pick<BackupEntry, 'reason' | 'createdAt'>[], now: Date): number {
  let newest = Number.NEGATIVE_INFINITY;
  for (const backup of backups) {
    if (backup.reason !== 'daily') continue;
    const time = Date.parse(backup.createdAt);
    if (Number.isFinite(time) && time > newest) newest = time;
  }
  if (newest === Number.NEGATIVE_INFINITY) return 0;
  const age = now.getTime() - newest;
  return Math.min(DAY_MS, Math.max(0, DAY_MS - age));
}

/** How long to wait before the next check, given when the next backup is due. */
export function nextCheckDelayMs(dueInMs: number): number {
  return Math.min(CHECK_INTERVAL_MS, Math.max(1_000, dueInMs));
}
