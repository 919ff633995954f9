// The seeded profile that tests start from (seed.setup.ts) is the store a first start writes:
// restored exactly (every table, record by record, packed chunks included), and taken by the app
// as already seeded (opening it writes nothing). A fresh profile seeded now has the same tables
// and counts, and the same layer definitions and targets.
import { readFileSync } from 'node:fs';
import { test, expect, watchPage, type Page } from './helpers/test';
import { AppDriver } from './drivers/app-driver';
import { StoreProbe, type TableDigest } from './drivers/store-probe';
import { seededProfiles } from './helpers/profiles';

/** Milliseconds from opening the store to the end of seeding, as the app marks them. */
function seedingMs(page: Page): Promise<number> {
  return page.evaluate(() => {
    const [opening] = performance.getEntriesByName('onemap:workspace-opening');
    const [seeded] = performance.getEntriesByName('onemap:workspace-seeded');
    return Math.round((seeded?.startTime ?? NaN) - (opening?.startTime ?? NaN));
  });
}

test('a restored seeded profile holds the saved store exactly, and the app does not seed it again', { tag: '@smoke' }, async ({ page, app, store, browser, baseURL }) => {
  test.setTimeout(480_000);
  const saved = JSON.parse(readFileSync(seededProfiles.main.digest, 'utf8')) as Record<string, TableDigest>;
  expect(saved.featureChunks?.count, 'the saved profile has packed chunks').toBeGreaterThan(0);

  // The restored store before the app runs: a blank page on the app's origin reads it.
  await page.route('**/seeded-profile-probe', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>probe</title>' }));
  await page.goto('./seeded-profile-probe');
  expect(await store.digest()).toEqual(saved);

  // The app opens it as seeded: nothing rewritten, quicker than a first start.
  await app.open();
  expect(await store.digest()).toEqual(saved);
  const restoredMs = await seedingMs(page);

  // A first start in an empty profile seeds the same tables, counts, layers and targets.
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  try {
    const fresh = await context.newPage();
    const watch = watchPage(fresh, baseURL ?? '');
    await new AppDriver(fresh).open();
    const seeded = await new StoreProbe(fresh).digest();
    const counts = (digest: Record<string, TableDigest>) => Object.fromEntries(Object.entries(digest).map(([table, { count }]) => [table, count]));
    expect(counts(seeded)).toEqual(counts(saved));
    expect(seeded.layers).toEqual(saved.layers);
    expect(seeded.targets).toEqual(saved.targets);
    expect(watch.problems).toEqual([]);
    console.log(`[seeded profile] store open to seeded: ${restoredMs} ms restored, ${await seedingMs(fresh)} ms on a first start`);
  } finally {
    await context.close();
  }
});
