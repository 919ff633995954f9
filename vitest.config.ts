import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    reporters: ['default'],
    testTimeout: 20_000,
    // Some suites load the demo inputs in beforeAll (seconds; far longer on a loaded machine).
    hookTimeout: 60_000,
  },
});
