// The only place specs and drivers get Playwright from. Every page is watched: a request to any
// origin other than the app's own fails the test (the app is offline by design), and so does a
// Content-Security-Policy violation or an uncaught page error.
// Fixtures: `app` (open the app, wait for the map), `store` (read IndexedDB), `secondProfile`
// (another machine: its own browser context, seeded, watched the same way). Option
// `seededProfile`: the saved profile every context starts from (null: empty, a first start).
import { test as base, expect, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { AppDriver } from '../drivers/app-driver';
import { StoreProbe } from '../drivers/store-probe';
import { seededProfiles, type SeededProfileOptions } from './profiles';
import { restoreProfile } from './profile-restore';

export interface PageWatch {
  outsideRequests: string[];
  pageErrors: string[];
  cspViolations: string[];
}

/** A second profile: its own context (own IndexedDB, own device id) and page; `problems` as `watch` collects them. */
export interface SecondProfile {
  context: BrowserContext;
  page: Page;
  watch: { problems: string[] };
}

/** The same watch the fixture puts on `page`, for another page (problems collected in one list). */
export function watchPage(page: Page, baseURL: string): { problems: string[] } {
  const origin = new URL(baseURL).origin;
  const watch = { problems: [] as string[] };
  void page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin) await route.continue();
    else {
      watch.problems.push(`request to ${url}`);
      await route.abort('blockedbyclient');
    }
  });
  page.on('pageerror', (error) => watch.problems.push(error.message));
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) watch.problems.push(message.text());
  });
  return watch;
}

export const test = base.extend<SeededProfileOptions & { watch: PageWatch; app: AppDriver; store: StoreProbe; secondProfile: SecondProfile }>({
  seededProfile: [null, { option: true }],
  context: async ({ context, seededProfile }, use) => {
    if (seededProfile !== null) await restoreProfile(context, seededProfiles[seededProfile].state);
    await use(context);
  },
  app: async ({ page }, use) => use(new AppDriver(page)),
  store: async ({ page }, use) => use(new StoreProbe(page)),
  // Seeded like `page` when `page` is (another saved profile: not the same device), else empty
  // like a first start. Closed after the test.
  secondProfile: async ({ browser, baseURL, contextOptions, viewport, seededProfile }, use) => {
    const context = await browser.newContext({ ...contextOptions, baseURL, viewport });
    if (seededProfile !== null && existsSync(seededProfiles.second.state)) await restoreProfile(context, seededProfiles.second.state);
    const page = await context.newPage();
    const watch = watchPage(page, baseURL ?? 'http://127.0.0.1/');
    await use({ context, page, watch });
    await context.close();
  },
  watch: [
    async ({ page, baseURL }, use) => {
      const origin = new URL(baseURL ?? 'http://127.0.0.1/').origin;
      const watch: PageWatch = { outsideRequests: [], pageErrors: [], cspViolations: [] };
      await page.route('**/*', async (route) => {
        const url = route.request().url();
        if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin) {
          await route.continue();
        } else {
          watch.outsideRequests.push(url);
          await route.abort('blockedbyclient');
        }
      });
      page.on('pageerror', (error) => watch.pageErrors.push(error.message));
      page.on('console', (message) => {
        if (/Content.Security.Policy|Refused to/i.test(message.text())) watch.cspViolations.push(message.text());
      });
      await use(watch);
      expect(watch.outsideRequests, 'requests that left the app origin').toEqual([]);
      expect(watch.cspViolations, 'Content-Security-Policy violations').toEqual([]);
      expect(watch.pageErrors, 'uncaught page errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
export type { Page, TestInfo };

/** Saves a screenshot under tests/artifacts/ (kept by CI) and attaches it to the report. */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  const directory = path.resolve('tests/artifacts');
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
  return file;
}
