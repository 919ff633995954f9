import { defineConfig } from 'vitest/config';

// Two projects: `unit` (no outside services) and `hub` (integration tests against a real
// PostgreSQL + PostGIS cluster that tests/hub/harness/global-setup.ts starts once per run).
// `npx vitest run` runs both; `--project unit` or `--project hub` one of them.
export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
          // Some suites load the demo inputs in beforeAll (seconds; far longer on a loaded machine).
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
