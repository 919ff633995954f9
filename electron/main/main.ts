/**
 * OneMap's main process: one window, sandboxed, serving the renderer from app://onemap/.
 * Order matters: the app:// scheme must be registered as privileged and the web-contents guards
 * installed before `ready`; the protocol handler and session locks before the window loads.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, Menu, safeStorage, session } from 'electron';
import type { UiLanguage } from '../../shared/ipc';
import { appEntryUrl, setAllowedHubOrigin } from './app-origin';
import { applicationMenuTemplate } from './application-menu';
import { appInfoHandlers } from './ipc/app-info';
import { backupHandlers } from './ipc/backups';
import { backupsDirectory, createBackupStore } from './backups';
import { basemapPackageFileFilters, basemapPackageHandlers, createBasemapPackageStore, createBasemapRoute } from './basemap-packages';
import { preferencesHandlers } from './ipc/preferences';
import { hubHandlers } from './ipc/hub';
import { createHubAddressStore, createHubTokenStore } from './hub-settings';
import { registerIpcHandlers } from './ipc/register';
import { createLanguageStore } from './preferences-store';
import { registerAppSchemeAsPrivileged, serveAppProtocol } from './protocol';
import { hardenEveryWebContents, hardenSession } from './security';
import { allowSerialPortChoice } from './serial';
import { servedFolders } from './served-folders';
import { DESKTOP_SWITCHES } from '../../shared/shell/chromium-switches';

const productName = 'OneMap';
const isDevelopment = !app.isPackaged;

registerAppSchemeAsPrivileged();
hardenEveryWebContents();
// IndexedDB's LevelDB must not reuse its write-ahead log across launches: after a hard kill it
// appends to a torn record and the next open finds a checksum mismatch, and Chromium then deletes
// the whole store (tests/reliability/README.md). `enable-low-end-device-mode` (IsLowEndDevice)
// turns log reuse off; its heap cap is lifted by an explicit V8 old-space size. The kill test, the
// e2e suite and the benches run Chromium with the same switches (shared/shell/chromium-switches.ts).
for (const { name, value } of DESKTOP_SWITCHES) {
  if (value === undefined) app.commandLine.appendSwitch(name);
  else app.commandLine.appendSwitch(name, value);
}
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
  // Offline basemap packages: paths in main's own store, tiles read in place under app://onemap/basemaps/.
  const basemapStore = createBasemapPackageStore(path.join(app.getPath('userData'), 'basemap-packages.json'));
  const basemapRoute = createBasemapRoute(basemapStore);
  serveAppProtocol(
    defaultSession,
    servedFolders({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath }),
    basemapRoute,
  );

  // The team hub: the one other origin the CSP and the request filter allow, from hub.json.
  const hubAddresses = createHubAddressStore(path.join(app.getPath('userData'), 'hub.json'));
  setAllowedHubOrigin(await hubAddresses.get());

  const languageStore = createLanguageStore(path.join(app.getPath('userData'), 'preferences.json'));
  // GNSS receiver over Web Serial: the user picks the port in a native chooser (serial.ts).
  allowSerialPortChoice(defaultSession, {
    language: () => languageStore.get(),
    showMessageBox: (contents, options) => {
      const window = BrowserWindow.fromWebContents(contents);
      return window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options);
    },
  });
  registerIpcHandlers({
    ...appInfoHandlers({
      name: productName,
      version: app.getVersion(),
      versions: process.versions,
      platform: process.platform,
    }),
    ...preferencesHandlers(languageStore, setApplicationMenu),
    ...backupHandlers(createBackupStore(backupsDirectory(app))),
    ...hubHandlers({
      addresses: hubAddresses,
      tokens: createHubTokenStore(path.join(app.getPath('userData'), 'hub-token.bin'), safeStorage),
      onAddressChanged: (origin) => {
        // New CSP (app:// responses read it per request) and filter; the reload applies the CSP.
        setAllowedHubOrigin(origin);
        mainWindow?.webContents.reload();
      },
    }),
    ...basemapPackageHandlers({
      store: basemapStore,
      route: basemapRoute,
      pickFile: async () => {
        const options = { properties: ['openFile' as const], filters: basemapPackageFileFilters.map((filter) => ({ ...filter, extensions: [...filter.extensions] })) };
        const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
    }),
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
