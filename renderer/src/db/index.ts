// The store's public API. Everything else in the renderer imports from here, never from dexie.
export { OneMapDatabase, openOneMapDatabase, openCheckedOneMapDatabase, openDatabase, DEFAULT_DATABASE_NAME, type CheckedOpen } from './schema';
export { resetStoreMarker, describeStoreLoss, type StoreLossReport } from './store-loss';
export type {
  AttachmentRecord,
  BoundingBox,
  FeatureChunkRecord,
  FeatureEditRecord,
  LayerBaseRecord,
  LayerJournalRecord,
  MetaRecord,
  StoredJournalEntry,
  SyncConflictRecord,
  SyncHeadRecord,
  SyncVersionRecord,
} from './records';
export { transact, transactTables } from './transact';
export { ChangeRejectedError, ChangeAbortedError } from './change/errors';
export type {
  Change,
  ChangeLinks,
  ChangeSignal,
  CommittedAttachment,
  CommittedChange,
  CommittedFeature,
  FeatureContent,
  FeatureOperation,
  NewAttachment,
  NewFeature,
  OperationProblem,
  TargetOperation,
} from './change/types';
export { listStoredTargetSets, listTargetsOfSet } from './targets';
export { undo, redo, undoState, inverseOperations, changeKindOf, UndoConflictError } from './undo';
export type { ChangeKind, ChangeSummary, UndoOptions, UndoState } from './undo';
export { featureHistory, restoreVersion, RestoreVersionError } from './history';
export type { FeatureHistoryEntry, HistoryCause, RestoreVersionRequest } from './history';
export { attachPhoto, removePhoto, listPhotos, getPhoto, purgeRemovedAttachments } from './attachments';
export type { AttachPhotoRequest, RemovePhotoRequest } from './attachments';
export {
  StoreError,
  StorageFullError,
  DatabaseBlockedError,
  isQuotaExceededError,
  requestPersistentStorage,
  persistentStorageState,
  storageEstimate,
} from './durability';
export type { PersistentStorageState, StorageEstimate, StorageManagerLike } from './durability';
export { exportBackup, restoreBackup, validateBackup, backupToJson, backupFromJson, BackupInvalidError, BACKUP_FORMAT, BACKUP_FORMAT_VERSION } from './backup';
export type { BackupAttachment, EncodedBlob, OneMapBackup, RestoreReport } from './backup';
export { seed, demoSeedVersion, SeedError } from './seed';
export { demoLayersUpToDate, recordDemoSources, type DemoFileSource } from './demo-sources';
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
export type { LargeLayerReset, LayerChanges, LayerSnapshot, WatchLayerOptions } from './repositories';
export { compactLayer, removeAbandonedChunks, CompactionConflictError } from './compaction';
export { removeAbandonedImports } from './staging-sweep';
export type { CompactionReport } from './compaction';
export { ensureWorkspaceIdentity, setUserName, normalizeUserName } from './identity';
export {
  exportEditPackage,
  importEditPackage,
  listSyncPeers,
  listSyncConflicts,
  currentConflict,
  resolveConflict,
  conflictedFeatureKeys,
  rebuildSyncHeads,
  SyncConflictClosedError,
} from './sync';
export type { ExportEditPackageOptions, ExportedEditPackage, ImportEditPackageReport, ResolveConflictRequest, SyncConflictView, SyncPeer } from './sync';
export type { WorkspaceIdentity } from './identity';
export { importFeatures, validateImportFeature, ImportValidationError, PACKED_IMPORT_MIN_FEATURES } from './import';
export type { ImportCommitProgress, ImportCommitReport, ImportFeature, ImportFeaturesRequest, ImportProblem, ImportTarget } from './import';
export { renameLayer, deleteLayer, layerDeletionRefusal, LayerDeletionRefusedError } from './layers';
export type { LayerChangeRequest, LayerDeletionRefusal } from './layers';
export { createLayerDefinition, updateLayerDefinition, LayerDefinitionRefusedError, type LayerDefinitionRequest } from './layer-definitions';
export {
  hubDatabaseName,
  openHubWorkspace,
  isHubDatabase,
  saveHubSession,
  readHubSession,
  metaTokenVault,
  readHubStatus,
  pendingFeatureKeys,
  syncOnce,
  prepareHubWorkspace,
  queueHubResolution,
  listHubConflicts,
  useHubStatus,
  useHubPendingFeatureKeys,
  useHubConflicts,
  useHubRefusedChanges,
  useHubSession,
  useHubSkippedFeatures,
  readHubSkippedFeatures,
} from './hub';
export type {
  SyncReport,
  SyncOptions,
  SyncStop,
  HubStatus,
  HubConflictView,
  HubRefusedChange,
  HubResolutionChoice,
  HubConflictRecord,
  HubPushRecord,
  HubSessionRecord,
  HubFeatureRecord,
  HubResolutionRecord,
  HubSkippedFeature,
} from './hub';
export {
  WORKSPACE_REGISTRY_NAME,
  WORKSPACE_DATABASE_PREFIX,
  listLocalWorkspaces,
  getLocalWorkspace,
  currentLocalWorkspaceId,
  setCurrentLocalWorkspace,
  createLocalWorkspace,
  newWorkspaceId,
  type NewWorkspaceContent,
} from './workspaces';
