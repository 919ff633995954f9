/**
 * OneMap's main process: one window, sandboxed, serving the renderer from app://onemap/.
 * Order matters: the app:// scheme must be registered as privileged and the web-contents guards
 * installed before `ready`; the protocol handler and session locks before the window loads.
 */
import path from 'node:path';
import { app, BrowserWindow, Menu, session } from 'electron';
import type { UiLanguage } from '../../shared/ipc';
import { appEntryUrl } from './app-origin';
import { applicationMenuTemplate } from './application-menu';
import { appInfoHandlers } from './ipc/app-info';
import { preferencesHandlers } from './ipc/preferences';
import { registerIpcHandlers } from './ipc/register';
import { createLanguageStore } from './preferences-store';
import { registerAppSchemeAsPrivileged, serveAppProtocol } from './protocol';
import { hardenEveryWebContents, hardenSession } from './security';
import { servedFolders } from './served-folders';

const productName = 'OneMap';
const isDevelopment = !app.isPackaged;

registerAppSchemeAsPrivileged();
hardenEveryWebContents();
// Every renderer sandboxed, including any the app did not create on purpose.
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;

function setApplicationMenu(language: UiLanguage): void {
  const template = applicationMenuTemplate(language, {
    isMac: process.platform === 'darwin',
    withDeveloperTools: isDevelopment,
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 560,
    title: productName,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      // The bundle sits next to main.cjs in dist/electron (and inside app.asar when packaged).
      preload: path.join(__dirname, 'preload.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      enableWebSQL: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: isDevelopment,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  void window.loadURL(appEntryUrl);
  return window;
}

function focusMainWindow(): void {
  if (mainWindow === null) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

async function start(): Promise<void> {
  const defaultSession = session.defaultSession;
  hardenSession(defaultSession, { allowDevTools: isDevelopment });
  serveAppProtocol(
    defaultSession,
    servedFolders({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath }),
  );

  const languageStore = createLanguageStore(path.join(app.getPath('userData'), 'preferences.json'));
  registerIpcHandlers({
    ...appInfoHandlers({
      name: productName,
      version: app.getVersion(),
      versions: process.versions,
      platform: process.platform,
    }),
    ...preferencesHandlers(languageStore, setApplicationMenu),
  });
  setApplicationMenu(await languageStore.get());

  mainWindow = createMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow();
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another OneMap already runs: it gets focused through 'second-instance', this one leaves.
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.whenReady().then(start).catch((error: unknown) => {
    console.error('[main] failed to start', error);
    app.exit(1);
  });
}
