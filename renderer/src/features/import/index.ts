// The import feature's public face: the 导入 / Import button (it opens the wizard, also on a file dropped on the map).
export { ImportLauncher, type ImportLauncherProps } from './ImportLauncher';
export { readFileWithImportReaders } from './worker/read-file';
export type { ReadOutcome, ReadResult } from './worker/import-client';
