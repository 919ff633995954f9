// What the hub benchmarks (B7, B8) need from the TypeScript sources, bundled once by hub-lib.mjs.
export { startLocalCluster } from '../../server/db/cluster';
export { migrate } from '../../server/db/migrate';
export { buildHub } from '../../server/app';
export { COUNTY_A, COUNTY_B, LAYER, addSimUsers, prepareWorkspace, startHub } from '../hub/harness/hub-world';
export { SimClient, randomSource } from '../hub/harness/sim-client';
export { nodeHttpTransport } from '../hub/harness/node-http-transport';
