import type { BackupStore } from '../backups';
import type { IpcImplementation } from './validated-handler';

/** Channel group "backups": the rolling local backups in the user-data folder (ids, never paths). */
export function backupHandlers(store: BackupStore): {
  listBackups: IpcImplementation<'listBackups'>;
  writeBackup: IpcImplementation<'writeBackup'>;
  readBackup: IpcImplementation<'readBackup'>;
  deleteBackup: IpcImplementation<'deleteBackup'>;
} {
  return {
    listBackups: () => store.list(),
    writeBackup: ({ file }) => store.write(file),
    readBackup: ({ id }) => store.read(id),
    deleteBackup: ({ id }) => store.remove(id),
  };
}
