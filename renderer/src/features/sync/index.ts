// The sync feature's public face: the exchange button and the conflict count other panels show.
export { SyncLauncher } from './SyncLauncher';
export { ConflictCountNotice } from './ConflictCountNotice';
