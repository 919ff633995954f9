// Where the seed project (seed.setup.ts) leaves the seeded profiles that the other projects start
// from: Playwright storage states with IndexedDB (and localStorage), plus the store digest taken
// when each was saved. Under test-results/, which Playwright empties at the start of every run.
import path from 'node:path';

const directory = path.resolve('test-results/seeded-profiles');

export const seededProfiles = {
  /** The profile every test's `page` starts from (playwright.config.ts `use.seededProfile`). */
  main: { state: path.join(directory, 'main.json'), digest: path.join(directory, 'main.digest.json') },
  /** A second seeded profile, with its own workspace and device ids, for the `secondProfile` fixture. */
  second: { state: path.join(directory, 'second.json'), digest: path.join(directory, 'second.digest.json') },
} as const;

/** The `seededProfile` option of helpers/test.ts (restored by helpers/profile-restore.ts). */
export interface SeededProfileOptions {
  seededProfile: 'main' | null;
}

/** `test.use(freshProfile)`: the spec's pages start from an empty profile (the app seeds it itself). */
export const freshProfile: SeededProfileOptions = { seededProfile: null };
