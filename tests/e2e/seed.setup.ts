// The seed project: opens the app in two empty profiles, lets each seed the demo store, and saves
// them (IndexedDB and localStorage) for the other projects to start from — one seeding per run
// instead of one per test. The store's digest is saved with each; smoke/seeded-profile.spec.ts
// checks that a restored profile holds exactly that store and that the app does not re-seed it.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, type Page } from './helpers/test';
import { AppDriver } from './drivers/app-driver';
import { StoreProbe } from './drivers/store-probe';
import { freshProfile, seededProfiles } from './helpers/profiles';

test.use(freshProfile);

/** Saves the page's profile once the store is quiet: the digest is the same before and after the save. */
async function saveProfile(page: Page, target: { state: string; digest: string }): Promise<void> {
  const store = new StoreProbe(page);
  mkdirSync(path.dirname(target.state), { recursive: true });
  await expect(async () => {
    const before = await store.digest();
    await page.context().storageState({ path: target.state, indexedDB: true });
    expect(await store.digest()).toEqual(before);
    writeFileSync(target.digest, JSON.stringify(before, null, 1));
  }).toPass({ timeout: 60_000 });
}

test('seed the demo store in two profiles and save them', async ({ page, secondProfile }) => {
  test.setTimeout(600_000);
  await new AppDriver(page).open();
  await saveProfile(page, seededProfiles.main);
  await new AppDriver(secondProfile.page).open();
  await saveProfile(secondProfile.page, seededProfiles.second);
  expect(secondProfile.watch.problems).toEqual([]);
});
