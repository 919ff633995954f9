import { configDefaults, defineConfig } from 'vitest/config';

// Projects: `unit` and `unit-logic` (no outside services) and `hub` (integration tests against a
// real PostgreSQL + PostGIS cluster that tests/hub/harness/global-setup.ts starts once per run).
// `npx vitest run` runs them all; `--project 'unit*'` the unit tests, `--project hub` the hub's.
// `unit-logic` holds the folders of pure logic (no store, DOM or module mocks), run without a
// fresh module graph per file: their imports were most of their time (85-114 s -> 35-39 s).
const logicFolders = ['analysis', 'crs', 'geo', 'model', 'sync'].map((folder) => `tests/unit/${folder}/**/*.test.ts`);

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...logicFolders],
          environment: 'node',
          testTimeout: 20_000,
          // Some suites load the demo inputs in beforeAll (seconds; far longer on a loaded machine).
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'unit-logic',
          include: logicFolders,
          environment: 'node',
          isolate: false,
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'hub',
          include: ['tests/hub/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/hub/harness/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
