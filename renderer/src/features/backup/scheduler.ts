// The daily backup while the app is open: a first check shortly after start-up, then one when
// the next backup is due (re-armed at least hourly). One check at a time; a failed backup is
// retried at the next check. The check itself (list, decide, write) is the caller's.
import { CHECK_INTERVAL_MS, nextCheckDelayMs, STARTUP_DELAY_MS } from './schedule';

export interface DailyBackupOptions {
  /**
   * Makes the daily backup if it is due; answers the milliseconds until the next one is due,
   * or null when this shell keeps no backups (the scheduler then stops).
   */
  check(): Promise<number | null>;
  onError?(error: unknown): void;
  startupDelayMs?: number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/** Starts the schedule; the answer stops it. */
export function startDailyBackups(options: DailyBackupOptions): () => void {
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  let stopped = false;
  let timer: unknown = null;

  const arm = (ms: number) => {
    if (!stopped) timer = setTimer(() => void run(), ms);
  };
  const run = async () => {
    timer = null;
    let delay = CHECK_INTERVAL_MS;
    try {
      const dueIn = await options.check();
      if (dueIn === null) return;
      delay = nextCheckDelayMs(dueIn);
    } catch (error) {
      options.onError?.(error);
    }
    arm(delay);
  };
  arm(options.startupDelayMs ?? STARTUP_DELAY_MS);
  return () => {
    stopped = true;
    if (timer !== null) clearTimer(timer);
  };
}
