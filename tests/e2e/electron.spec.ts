// The desktop shell end to end: launches the built app (`npm run build` first) with Playwright's
// Electron driver and checks the window, the typed bridge and the navigation lock.
//
// Where no Electron binary is installed (these build machines cannot download it from GitHub)
// every test is skipped with the reason printed; nothing here can pass vacuously.
import { electron, expect, test, findElectronBinary, repositoryRoot, type ElectronApplication, type Page } from './helpers/electron';
import { MapDriver } from './drivers/map-driver';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppApi } from '../../shared/ipc/app-api';

const electronBinary = findElectronBinary();
if ('missing' in electronBinary) {
  // The list reporter shows skipped tests without their reason; say it once, plainly.
  console.warn(`electron.spec.ts: skipped — ${electronBinary.missing}`);
}

type WindowWithBridge = Window & { onemap: AppApi } & Record<string, unknown>;

test.describe('Electron shell', () => {
  test.skip('missing' in electronBinary, 'missing' in electronBinary ? electronBinary.missing : '');

  let application: ElectronApplication;
  let appWindow: Page;

  test.beforeAll(async () => {
    for (const built of ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html']) {
      expect(existsSync(path.join(repositoryRoot, built)), `${built} is missing: run \`npm run build\` first`).toBe(true);
    }
    application = await electron.launch({
      args: [
        '.',
        // Chromium refuses to start as root without this switch. It turns off the OS-level
        // process sandbox for this test run only; the checks below are about what the page
        // can reach (bridge, navigation, network), which the app's own locks decide.
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ],
      cwd: repositoryRoot,
      timeout: 30_000,
    });
    appWindow = await application.firstWindow();
    await appWindow.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await application?.close();
  });

  test('opens one window on the app origin with the product title', async () => {
    expect(application.windows()).toHaveLength(1);
    expect(appWindow.url()).toBe('app://onemap/index.html');
    await expect(appWindow).toHaveTitle(/OneMap|规划一张图/);
  });

  test('shows the offline Hengshui map with its 11 counties', async () => {
    const map = new MapDriver(appWindow);
    await map.waitForIdle();
    expect(await map.renderedCounties()).toHaveLength(11);
    await expect(appWindow.getByTestId('shell-kind')).toHaveText('桌面版');
  });

  test('the bridge answers getAppInfo and exposes nothing else', async () => {
    const info = await appWindow.evaluate(() => (window as unknown as WindowWithBridge).onemap.getAppInfo());
    expect(info).toMatchObject({ name: 'OneMap', shell: 'electron', platform: process.platform });
    expect(info.electron).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.chrome).toMatch(/^\d+\./);

    const exposed = await appWindow.evaluate(() => {
      const global = window as unknown as WindowWithBridge;
      return {
        methods: Object.keys(global.onemap).sort(),
        frozen: Object.isFrozen(global.onemap),
        hasRequire: typeof global.require,
        hasProcess: typeof global.process,
        hasIpcRenderer: typeof global.ipcRenderer,
      };
    });
    expect(exposed).toEqual({
      methods: ['addBasemapPackage', 'deleteBackup', 'getAppInfo', 'getLanguage', 'listBackups', 'listBasemapPackages', 'readBackup', 'removeBasemapPackage', 'setLanguage', 'writeBackup'],
      frozen: true,
      hasRequire: 'undefined',
      hasProcess: 'undefined',
      hasIpcRenderer: 'undefined',
    });
  });

  test('the bridge rejects an invalid payload', async () => {
    const outcome = await appWindow.evaluate(() =>
      (window as unknown as WindowWithBridge).onemap
        .setLanguage('fr' as never)
        .then(() => 'resolved')
        .catch((error: unknown) => String(error)),
    );
    expect(outcome).toMatch(/invalid payload/);
  });

  test('navigating to another origin is blocked', async () => {
    await appWindow.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    // A blocked navigation leaves no event to wait for: give it time to (not) happen.
    await appWindow.waitForTimeout(1_000);
    expect(appWindow.url()).toBe('app://onemap/index.html');

    const opened = await appWindow.evaluate(() => window.open('https://example.com/') === null);
    expect(opened).toBe(true);
    expect(application.windows()).toHaveLength(1);
  });

  test('requests to other origins never leave the app', async () => {
    const outcome = await appWindow.evaluate(() =>
      fetch('https://example.com/').then(
        () => 'fetched',
        () => 'blocked',
      ),
    );
    expect(outcome).toBe('blocked');
  });

  test('app:// answers a Range request with 206', async () => {
    const response = await appWindow.evaluate(async () => {
      const answer = await fetch('app://onemap/index.html', { headers: { Range: 'bytes=0-4' } });
      return { status: answer.status, contentRange: answer.headers.get('content-range'), body: await answer.text() };
    });
    expect(response.status).toBe(206);
    expect(response.contentRange).toMatch(/^bytes 0-4\/\d+$/);
    expect(response.body).toHaveLength(5);
  });
});
