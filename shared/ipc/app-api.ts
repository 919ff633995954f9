/**
 * The one typed bridge between the renderer and whatever shell hosts it. The Electron preload
 * implements it over IPC (`window.onemap`); the web shell implements it with browser storage.
 * One method per IPC channel (see `ipcChannels`), every payload checked by `ipcPayloadSchemas`.
 */
import type { BackupEntry, BackupList } from './backups';
import type { AddBasemapPackageResult, BasemapPackageList } from './basemap-packages';

/** UI languages the app ships; zh-CN is the default. */
export const uiLanguages = ['zh-CN', 'en'] as const;
export type UiLanguage = (typeof uiLanguages)[number];
export const defaultUiLanguage: UiLanguage = 'zh-CN';

export interface AppInfo {
  /** Product name, e.g. "OneMap". */
  readonly name: string;
  /** The app's own version (package.json). */
  readonly version: string;
  /** Which shell hosts the renderer. */
  readonly shell: 'electron' | 'web';
  /** Electron version, null in the web shell. */
  readonly electron: string | null;
  /** Chromium version, null where the shell cannot tell. */
  readonly chrome: string | null;
  /** Node's `process.platform` in Electron ('linux', 'win32', 'darwin'); the browser's guess in the web shell. */
  readonly platform: string;
  // Deliberately no userData path or any other filesystem location: the renderer has no use for
  // one, and it would hand web content the OS user name and disk layout.
}

export interface AppApi {
  /** Versions and platform, for the About box and bug reports. */
  getAppInfo(): Promise<AppInfo>;
  /** The UI language persisted by the shell (zh-CN until the user picks another). */
  getLanguage(): Promise<UiLanguage>;
  /** Persist the UI language; the desktop shell also relabels its native menu. */
  setLanguage(language: UiLanguage): Promise<void>;
  /** Rolling local backups (shared/ipc/backups.ts): the stored ones, newest first; ids only, never paths. */
  listBackups(): Promise<BackupList>;
  /** Store a backup file (gzip with its OneMap header); rotates the old ones; answers its entry. */
  writeBackup(file: Uint8Array): Promise<BackupEntry>;
  /** The bytes of one stored backup file. */
  readBackup(id: string): Promise<Uint8Array>;
  deleteBackup(id: string): Promise<void>;
  /** Offline basemap packages (shared/ipc/basemap-packages.ts): pick a .pmtiles/.mbtiles file and register it. */
  addBasemapPackage(): Promise<AddBasemapPackageResult>;
  /** The registered basemap packages, oldest first. */
  listBasemapPackages(): Promise<BasemapPackageList>;
  /** Forget a basemap package (the file itself is never touched). */
  removeBasemapPackage(id: string): Promise<void>;
  /**
   * The team hub's origin (shared/ipc/hub.ts), or null: no hub, the app opens its local workspace.
   * Web shell: its own origin when that is a hub (`GET /v1/health`), else null.
   */
  getHubAddress(): Promise<string | null>;
  /**
   * Keep a hub address (an http(s) origin; null forgets it). Desktop: the CSP and the request
   * filter then allow exactly that origin and the window reloads. Web shell: only its own origin.
   * A refused address rejects with a HubShellError (`hub-address-*`).
   */
  setHubAddress(address: string | null): Promise<void>;
  /** The hub token kept by the shell; null when none (the web shell keeps none). */
  loadHubToken(): Promise<string | null>;
  /** Keep the hub token (desktop: encrypted with safeStorage; refused when the system cannot encrypt). Web shell: no-op. */
  saveHubToken(token: string): Promise<void>;
  clearHubToken(): Promise<void>;
}
