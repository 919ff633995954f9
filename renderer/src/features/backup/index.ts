// The backup feature's public face: the header control, and what an import calls before it commits.
export { BackupsControl } from './BackupsControl';
export { StoreLossNotice } from './StoreLossNotice';
export { backupBeforeImport, writeBackup, onBackupsChanged } from './backup-service';
