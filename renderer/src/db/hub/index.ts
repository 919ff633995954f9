// Syncing a hub workspace with the team hub (docs/HUB-API.md; the client is shared/sync/hub/client.ts).
export { hubDatabaseName, openHubWorkspace, isHubDatabase, saveHubSession, readHubSession, metaTokenVault, readHubStatus, pendingFeatureKeys } from './workspace';
export { syncOnce, prepareHubWorkspace } from './sync';
export { pushPending, type PushResult } from './push';
export { pullAll, pullCounties, hubVersionId, type PullPageResult } from './pull';
export { readSkippedFeatures as readHubSkippedFeatures } from './pull-skips';
export { queueHubResolution, listHubConflicts, refreshHubConflicts, sendHubResolutions } from './conflicts';
export { useHubStatus, useHubPendingFeatureKeys, useHubConflicts, useHubRefusedChanges, useHubSkippedFeatures, useHubSession } from './hooks';
export type * from './types';
