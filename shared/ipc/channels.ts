import type { AppApi } from './app-api';

/**
 * IPC channel names, keyed by the `AppApi` method each one carries, so a method without a
 * channel (or a channel without a method) fails to compile. Kept free of zod so the sandboxed
 * preload bundle stays tiny.
 */
export const ipcChannels = {
  getAppInfo: 'onemap:app:get-info',
  getLanguage: 'onemap:preferences:get-language',
  setLanguage: 'onemap:preferences:set-language',
  listBackups: 'onemap:backups:list',
  writeBackup: 'onemap:backups:write',
  readBackup: 'onemap:backups:read',
  deleteBackup: 'onemap:backups:delete',
  addBasemapPackage: 'onemap:basemaps:add',
  listBasemapPackages: 'onemap:basemaps:list',
  removeBasemapPackage: 'onemap:basemaps:remove',
  getHubAddress: 'onemap:hub:get-address',
  setHubAddress: 'onemap:hub:set-address',
  loadHubToken: 'onemap:hub:load-token',
  saveHubToken: 'onemap:hub:save-token',
  clearHubToken: 'onemap:hub:clear-token',
} as const satisfies Record<keyof AppApi, `onemap:${string}`>;

export type IpcMethod = keyof typeof ipcChannels;
export type IpcChannel = (typeof ipcChannels)[IpcMethod];

export const ipcMethods = Object.keys(ipcChannels) as IpcMethod[];
