// The store's public API. Everything else in the renderer imports from here, never from dexie.
export { OneMapDatabase, openOneMapDatabase, DEFAULT_DATABASE_NAME } from './schema';
export type {
  AttachmentRecord,
  BoundingBox,
  FeatureChunkRecord,
  FeatureEditRecord,
  LayerBaseRecord,
  StoredJournalEntry,
} from './records';
export { transact, ChangeRejectedError } from './transact';
export type { Change, CommittedChange, CommittedFeature, FeatureOperation, NewFeature, OperationProblem } from './transact';
export { seed, demoSeedVersion, SeedError } from './seed';
export type { DemoLayerCollection, SeedInput, SeedReport } from './seed';
export {
  changeJournal,
  featureJournal,
  getFeature,
  getFeatures,
  getLayer,
  getLayerBase,
  listAttachments,
  listLayers,
  listTargets,
  readLayer,
  readLayerChangesSince,
  readLayerFeatures,
  recentJournal,
  watchLayer,
} from './repositories';
export type { LayerChanges, LayerSnapshot } from './repositories';
export { compactLayer, removeAbandonedChunks, CompactionConflictError } from './compaction';
export type { CompactionReport } from './compaction';
export { ensureWorkspaceIdentity } from './identity';
export type { WorkspaceIdentity } from './identity';
