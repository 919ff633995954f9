// The only place specs and drivers get Playwright from. Every page is watched: a request to any
// origin other than the app's own fails the test (the app is offline by design), and so does a
// Content-Security-Policy violation or an uncaught page error.
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export interface PageWatch {
  outsideRequests: string[];
  pageErrors: string[];
  cspViolations: string[];
}

export const test = base.extend<{ watch: PageWatch }>({
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
