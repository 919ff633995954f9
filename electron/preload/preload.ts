/**
 * The sandboxed preload: the only bridge between the renderer and main. It exposes one frozen
 * object, `window.onemap`, whose methods each invoke exactly one channel; ipcRenderer itself and
 * any generic send/invoke are never exposed. Sandboxed preloads may only require('electron'), so
 * this file is bundled to one CommonJS file and imports no zod — main validates every payload.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { AppApi } from '../../shared/ipc/app-api';
import { ipcChannels } from '../../shared/ipc/channels';

const api = {
  getAppInfo: () => ipcRenderer.invoke(ipcChannels.getAppInfo, {}),
  getLanguage: () => ipcRenderer.invoke(ipcChannels.getLanguage, {}),
  setLanguage: (language) => ipcRenderer.invoke(ipcChannels.setLanguage, { language }),
  listBackups: () => ipcRenderer.invoke(ipcChannels.listBackups, {}),
  writeBackup: (file) => ipcRenderer.invoke(ipcChannels.writeBackup, { file }),
  readBackup: (id) => ipcRenderer.invoke(ipcChannels.readBackup, { id }),
  deleteBackup: (id) => ipcRenderer.invoke(ipcChannels.deleteBackup, { id }),
  addBasemapPackage: () => ipcRenderer.invoke(ipcChannels.addBasemapPackage, {}),
  listBasemapPackages: () => ipcRenderer.invoke(ipcChannels.listBasemapPackages, {}),
  removeBasemapPackage: (id) => ipcRenderer.invoke(ipcChannels.removeBasemapPackage, { id }),
  getHubAddress: () => ipcRenderer.invoke(ipcChannels.getHubAddress, {}),
  setHubAddress: (address) => ipcRenderer.invoke(ipcChannels.setHubAddress, { address }),
  loadHubToken: () => ipcRenderer.invoke(ipcChannels.loadHubToken, {}),
  saveHubToken: (token) => ipcRenderer.invoke(ipcChannels.saveHubToken, { token }),
  clearHubToken: () => ipcRenderer.invoke(ipcChannels.clearHubToken, {}),
} satisfies AppApi;

contextBridge.exposeInMainWorld('onemap', api);
