// What the e2e team-hub harness needs from server/, bundled by esbuild before use (team-hub.ts):
// Playwright's loader cannot import the seeds' JSON files the hub's seeding reads.
export { startLocalCluster, stopLocalClusterSync } from '../../../server/db/cluster';
export { migrate } from '../../../server/db/migrate';
export { seedHengshui } from '../../../server/seed/hengshui';
export { addUser, setPassword } from '../../../server/users';
