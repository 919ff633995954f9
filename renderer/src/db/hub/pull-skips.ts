// Pulled features this store cannot hold (SYNC-CONTEXT decision 3). One feature the local layer
// refuses must not stop the pull: its page would be refused again at every sync and nothing after
// it would ever arrive. So the page is written again without that feature (the refused write
// aborted the page's transaction: nothing of it was kept), which is recorded in `hub:skipped` for
// the panel; a later version of it that fits takes it off the list.
import { META_KEYS, type HubSkippedFeature } from '../records';
import type { OneMapDatabase } from '../schema';
import { ChangeRejectedError } from '../change/errors';

/** The records kept (newest first); older ones are dropped, their features stay as they were. */
const KEPT = 500;

export const skipKey = (layerId: string, featureId: string): string => `${layerId}/${featureId}`;

/**
 * The features a refused change names, with why; null when the refusal is not about single
 * features (then nothing can be left out and the refusal stands).
 */
export function refusedFeatures(error: unknown): Map<string, string> | null {
  if (!(error instanceof ChangeRejectedError) || error.problems.length === 0) return null;
  const refused = new Map<string, string>();
  for (const problem of error.problems) {
    if (problem.featureId === null) return null;
    const key = skipKey(problem.layerId, problem.featureId);
    refused.set(key, [refused.get(key), ...problem.issues.map((issue) => `${issue.path}: ${issue.message}`)].filter(Boolean).join('; '));
  }
  return refused;
}

export async function readSkippedFeatures(database: OneMapDatabase): Promise<HubSkippedFeature[]> {
  const value = (await database.meta.get(META_KEYS.hubSkipped))?.value;
  return Array.isArray(value) ? (value as HubSkippedFeature[]) : [];
}

/** Adds this page's skipped features and forgets those it wrote (in the caller's transaction). */
export async function recordSkips(database: OneMapDatabase, skipped: readonly HubSkippedFeature[], written: ReadonlySet<string>): Promise<void> {
  const before = await readSkippedFeatures(database);
  if (skipped.length === 0 && !before.some((record) => written.has(skipKey(record.layerId, record.featureId)))) return;
  const fresh = new Set(skipped.map((record) => skipKey(record.layerId, record.featureId)));
  const kept = before.filter((record) => {
    const key = skipKey(record.layerId, record.featureId);
    return !written.has(key) && !fresh.has(key);
  });
  await database.meta.put({ key: META_KEYS.hubSkipped, value: [...skipped, ...kept].slice(0, KEPT) });
}
