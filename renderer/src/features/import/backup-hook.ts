// The backup taken right before an import writes (issue 6): the backup feature's own function.
import type { OneMapDatabase } from '../../db';
import { backupBeforeImport } from '../backup';

/** Runs before the import's write; the import waits for it (a failure stops the import, nothing written). */
export function backupBeforeImportHook(database: OneMapDatabase, label: string): Promise<void> {
  return backupBeforeImport(database, label);
}
