// What the app-sync benchmark needs from the TypeScript sources, bundled for plain Node by
// hub-sync.bench.mjs: the hub, and the app's store (Dexie over fake-indexeddb) with its sync engine.
import 'fake-indexeddb/auto';
export { startLocalCluster } from '../../server/db/cluster';
export { migrate } from '../../server/db/migrate';
export { buildHub } from '../../server/app';
export { addUser } from '../../server/users';
export { createHubClient } from '../../shared/sync/hub/client';
export { OneMapDatabase, prepareHubWorkspace, readHubStatus, setUserName, syncOnce, transact } from '../../renderer/src/db';
export { WELLS } from '../hub/push/fixture';
