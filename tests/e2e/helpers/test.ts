// The only place specs and drivers get Playwright from. Every page is watched: a request to any
// origin other than the app's own fails the test (the app is offline by design), and so does a
// Content-Security-Policy violation or an uncaught page error.
// Fixtures: `app` (open the app, wait for the map), `store` (read IndexedDB), `secondProfile`
// (another machine: its own browser context, seeded, watched the same way). Option
// `seededProfile`: the saved profile every context starts from (null: empty, a first start).
import { test as base, expect, type BrowserContext, type ConsoleMessage, type Page, type Route, type TestInfo } from '@playwright/test';
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
      const routing = async (route: Route) => {
        const url = route.request().url();
        if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin) {
          await route.continue();
        } else {
          watch.outsideRequests.push(url);
          await route.abort('blockedbyclient');
        }
      };
      const onPageError = (error: Error) => watch.pageErrors.push(error.message);
      const onConsole = (message: ConsoleMessage) => {
        if (/Content.Security.Policy|Refused to/i.test(message.text())) watch.cspViolations.push(message.text());
      };
      await page.route('**/*', routing);
      page.on('pageerror', onPageError);
      page.on('console', onConsole);
      await use(watch);
      // Detached, so that a page shared by several tests (shareOpenedApp) is watched once per test.
      page.off('pageerror', onPageError);
      page.off('console', onConsole);
      if (!page.isClosed()) await page.unroute('**/*', routing);
      expect(watch.outsideRequests, 'requests that left the app origin').toEqual([]);
      expect(watch.cspViolations, 'Content-Security-Policy violations').toEqual([]);
      expect(watch.pageErrors, 'uncaught page errors').toEqual([]);
    },
    { auto: true },
  ],
});

/**
 * For a describe block whose tests only read and leave the app as they found it (view, panels,
 * language, settings): the app is opened once, in one context restored from the seeded profile,
 * and every test's `page` is that page, already open and idle (a test does not open it again).
 * Opening the app is most of such a test's time (a software-rendered map on two cores). The
 * block's tests run in order in one worker (fullyParallel is off); after a failure Playwright
 * starts a new worker, which opens the app again for the tests after it. Problems on the page
 * (outside requests, CSP violations, page errors) fail the test they happen in, and those while
 * opening fail the first test.
 */
export function shareOpenedApp(): void {
  let shared: Promise<{ context: BrowserContext; page: Page; watch: { problems: string[] } }> | null = null;
  test.use({
    page: async ({ browser, baseURL, contextOptions, viewport, seededProfile }, use) => {
      shared ??= (async () => {
        const context = await browser.newContext({ ...contextOptions, baseURL, viewport });
        if (seededProfile !== null) await restoreProfile(context, seededProfiles[seededProfile].state);
        const page = await context.newPage();
        const watch = watchPage(page, baseURL ?? 'http://127.0.0.1/');
        await new AppDriver(page).open();
        return { context, page, watch };
      })();
      const { page, watch } = await shared;
      await use(page);
      expect(watch.problems.splice(0), 'problems on the shared page').toEqual([]);
    },
  });
  test.afterAll(async () => {
    const opened = await shared?.catch(() => null);
    shared = null;
    await opened?.context.close();
  });
}

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
