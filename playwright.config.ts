import { defineConfig } from '@playwright/test';
import { chromiumExecutable, chromiumArguments } from './tests/e2e/helpers/chromium';
import type { SeededProfileOptions } from './tests/e2e/helpers/profiles';

// The e2e suite drives the built renderer in the web shell (vite preview on 127.0.0.1) with
// Debian's Chromium. Its own port, so a running `npm start` (47615) is never disturbed.
const port = Number(process.env.ONEMAP_TEST_PORT ?? 47625);

// Projects, each after the one before (`playwright test` runs them all; a failed project stops
// the ones after it): `seed` seeds the demo store once and saves the profile; `smoke` (@smoke)
// checks that profile and the first screen; `features` (untagged) starts every test from the
// saved profile, two at a time; `heavy` (@heavy: the kill test, the 300,000-point imports, the
// two-profile runs) one at a time, so their time limits are not shared with another test.
const seeded: SeededProfileOptions = { seededProfile: 'main' };

export default defineConfig<SeededProfileOptions>({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  // Two at a time by default (ONEMAP_E2E_WORKERS=1 for one). On two cores the tests are CPU-bound
  // (software WebGL): two workers take about as long in all as one, and each test nearly twice as long.
  workers: Number(process.env.ONEMAP_E2E_WORKERS ?? 2),
  retries: 0,
  // Generous: a loaded 2-core machine makes the first map idle take tens of seconds.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['json', { outputFile: 'test-reports/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: chromiumExecutable(), args: chromiumArguments },
    // No screencast in the trace: recording frames of a software-rendered map costs each test
    // ~25 % of its time; DOM snapshots and the failure screenshot remain.
    trace: { mode: 'retain-on-failure', screenshots: false },
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'seed', testMatch: /seed\.setup\.ts$/ },
    { name: 'smoke', dependencies: ['seed'], grep: /@smoke/, use: seeded },
    { name: 'features', dependencies: ['smoke'], grepInvert: /@smoke|@heavy/, use: seeded },
    { name: 'heavy', dependencies: ['features'], grep: /@heavy/, workers: 1, use: seeded },
  ],
  webServer: {
    command: `node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { ONEMAP_PORT: String(port) },
  },
});
