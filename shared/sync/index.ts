// Exchanging edits between devices through files: the edit package format, the per-feature
// merge over the version graph, and the plans an import and a resolution carry out. Pure: the
// store (renderer/src/db/sync.ts) and the property test's model replicas both use it.
export * from './fields';
export * from './merge';
export * from './plan';
export * from './errors';
export * from './package';
export * from './coverage';
export * from './layers';
export * from './base-merge';
export * from './targets';
