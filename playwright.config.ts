import { defineConfig } from '@playwright/test';
import { chromiumExecutable, chromiumArguments } from './tests/e2e/helpers/chromium';

// The e2e suite drives the built renderer in the web shell (vite preview on 127.0.0.1) with
// Debian's Chromium. Its own port, so a running `npm start` (47615) is never disturbed.
const port = Number(process.env.ONEMAP_TEST_PORT ?? 47625);

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Generous: a loaded 2-core machine makes the first map idle take tens of seconds.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['json', { outputFile: 'test-reports/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: chromiumExecutable(), args: chromiumArguments },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { ONEMAP_PORT: String(port) },
  },
});
