// The staging records of imports into a new layer (meta `import-staging:<generation>`, written by
// staged-base.ts) and their sweep: whether the import that staged a generation is still running
// (a Web Lock it holds, or — without Web Locks, in Node — this context's registry), and removing
// the staged chunks of those that are not (a crash or a closed window mid-import).
import type { OneMapDatabase } from './schema';
import type { ImportStagingRecord } from './records';
import { META_KEYS } from './records';
import { deleteChunks } from './chunk-filters';

/** Chunks deleted per transaction when a staging is discarded. */
const DELETE_CHUNKS_PER_TRANSACTION = 25;

// ---- liveness: is the import that staged a generation still running? ----

interface LockManagerLike {
  request(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => unknown): Promise<unknown>;
}

function lockManager(): LockManagerLike | undefined {
  return (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
}

/** Stagings of this JS context that are running (the fallback without Web Locks). */
const running = new Set<string>();

const lockName = (database: OneMapDatabase, token: string) => `onemap-import-staging:${database.name}:${token}`;

/** Holds the import's lock until the returned function is called. */
export async function holdLiveness(database: OneMapDatabase, token: string): Promise<() => void> {
  const name = lockName(database, token);
  running.add(name);
  const manager = lockManager();
  let release: () => void = () => undefined;
  if (manager !== undefined) {
    const held = new Promise<void>((resolve) => (release = resolve));
    await new Promise<void>((acquired, failed) => {
      manager.request(name, {}, () => {
        acquired();
        return held;
      }).catch(failed);
    });
  }
  return () => {
    running.delete(name);
    release();
  };
}

async function isRunning(database: OneMapDatabase, token: string): Promise<boolean> {
  const name = lockName(database, token);
  if (running.has(name)) return true;
  const manager = lockManager();
  if (manager === undefined) return false;
  return (await manager.request(name, { ifAvailable: true }, (lock) => lock === null)) === true;
}

export const stagingKey = (generation: number) => `${META_KEYS.importStagingPrefix}${generation}`;

/** Deletes the chunks (and their id filters) of one layer generation, a few per transaction, then its id index. */
export async function deleteGeneration(database: OneMapDatabase, layerId: string, generation: number): Promise<number> {
  let removed = 0;
  for (;;) {
    const keys = await database.transaction('rw', database.featureChunks, database.featureFilters, async () => {
      const found = await database.featureChunks.where('[layerId+generation]').equals([layerId, generation]).limit(DELETE_CHUNKS_PER_TRANSACTION).primaryKeys();
      if (found.length > 0) await deleteChunks(database, found);
      return found;
    });
    if (keys.length === 0) {
      // The generation's index rows (and any row a version 6 store left: its pack).
      await database.transaction('rw', database.featureFilters, () => database.featureFilters.where('[layerId+generation]').equals([layerId, generation]).delete());
      return removed;
    }
    removed += keys.length;
  }
}

/** Staging records (meta rows) of all imports, running or not. */
export async function readImportStagings(database: OneMapDatabase): Promise<ImportStagingRecord[]> {
  const rows = await database.meta.where('key').startsWith(META_KEYS.importStagingPrefix).toArray();
  return rows.map((row) => row.value as ImportStagingRecord);
}

/**
 * Removes the staged chunks (and staging records) of imports that are no longer running — left by
 * a crash or a closed window mid-import. Run at start; cheap when there are none. Returns the
 * number of chunks removed.
 */
export async function removeAbandonedImports(database: OneMapDatabase): Promise<number> {
  let removed = 0;
  for (const staging of await readImportStagings(database)) {
    if (await isRunning(database, staging.token)) continue;
    removed += await deleteGeneration(database, staging.layerId, staging.generation);
    await database.transaction('rw', database.meta, () => database.meta.delete(stagingKey(staging.generation)));
  }
  return removed;
}
