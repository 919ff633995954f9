// Exchanging edits between devices through files (shared/sync has the format and the merge).
//
// Export: the versions (journal entries) of every feature touched since the last package for a
// peer — or since a date, or all — each feature's whole history, its current value, its layer
// and the photos its versions attach, as one `.onemap` file.
// Import: the file is checked completely first (shared/sync decodeEditPackage: a refused file
// writes nothing). Then, in ONE transaction: the new versions are kept (`syncVersions`), every
// touched feature is merged over its version graph, what merged is applied through `transact`
// (journaled, author = the package's user, undoable as one step), each feature's heads are
// recorded, and every conflict goes to the review queue (`syncConflicts`) with both sides — its
// feature keeps what this device shows until a person decides. Importing a package twice, or
// packages in any order, gives the same result.
// Resolution: keep mine / keep theirs / an edited version, re-merged at the moment of deciding,
// journaled through `transact` (undoable; undoing it reopens the conflict).
// Layers renamed, deleted or restored travel as layer changes (shared/sync/layers.ts): this
// device's `layerJournal` records and those received (kept in meta `sync-layer-change:<id>`).
export { listSyncPeers, type SyncPeer } from './peers';
export { exportEditPackage, type ExportEditPackageOptions, type ExportedEditPackage } from './export';
export { importEditPackage, type ImportEditPackageReport } from './import';
export { listSyncConflicts, currentConflict, resolveConflict, conflictedFeatureKeys, SyncConflictClosedError, type ResolveConflictRequest, type SyncConflictView } from './conflicts';
export { rebuildSyncHeads } from './versions';
export type { DecodedEditPackage } from '../../../../shared/sync';
