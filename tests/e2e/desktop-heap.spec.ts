// Issue 19, item 0: the desktop shell's Chromium switches (shared/shell/chromium-switches.ts) stop
// LevelDB's log reuse with low-end device mode, which alone caps a renderer's V8 heap at ~260 MiB.
// This test launches Chromium with exactly those switches (helpers/chromium.ts); a page must
// hold more than 2 GiB of JS objects in them, with low-end mode on (navigator.deviceMemory says
// so; the kill test proves what the mode does, tests/e2e/reliability.spec.ts).
import { chromium, expect, test } from '@playwright/test';
import { DESKTOP_SWITCH_ARGUMENTS, LEVELDB_SAFE_SWITCH } from '../../shared/shell/chromium-switches';
import { chromiumExecutable, desktopChromiumArguments } from './helpers/chromium';

const GIB = 2 ** 30;

test('a renderer under the desktop switches holds over 2 GiB of JS objects', { tag: '@heavy' }, async ({ baseURL }) => {
  test.setTimeout(300_000);
  expect(desktopChromiumArguments).toEqual(expect.arrayContaining([...DESKTOP_SWITCH_ARGUMENTS]));
  expect(DESKTOP_SWITCH_ARGUMENTS).toContain(`--${LEVELDB_SAFE_SWITCH}`);
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: desktopChromiumArguments });
  try {
    const page = await browser.newPage({ baseURL });
    let crashed = false;
    page.on('crash', () => {
      crashed = true;
    });
    await page.goto('/');
    // deviceMemory is what low-end mode reports (2 GB); without the switch this machine says 8.
    expect(await page.evaluate(() => (navigator as Navigator & { deviceMemory?: number }).deviceMemory)).toBeLessThanOrEqual(2);
    const heap = await page.evaluate((target) => {
      const memory = (performance as Performance & { memory: { jsHeapSizeLimit: number } }).memory;
      // Arrays of unboxed doubles (8 MiB each) live on the V8 heap, unlike typed arrays' stores.
      const held: number[][] = [];
      for (let index = 0; held.length * 8 * 2 ** 20 < target; index += 1) held.push(new Array<number>(2 ** 20).fill(index + 0.5));
      (globalThis as { held?: unknown }).held = held;
      return { limit: memory.jsHeapSizeLimit, arrays: held.length };
    }, 2.25 * GIB);
    // performance.memory's used size is coarse and stale; DevTools reads the heap as it is.
    const devtools = await page.context().newCDPSession(page);
    const { usedSize } = await devtools.send('Runtime.getHeapUsage');
    const sample = await page.evaluate(() => {
      const held = (globalThis as { held?: number[][] }).held ?? [];
      return held.at(-1)?.[12345] ?? -1;
    });
    expect(crashed).toBe(false);
    expect(sample).toBe(heap.arrays - 0.5);
    expect(usedSize).toBeGreaterThan(2 * GIB);
    expect(heap.limit).toBeGreaterThan(2 * GIB);
    test.info().annotations.push({ type: 'heap', description: `limit ${Math.round(heap.limit / 2 ** 20)} MiB, held ${Math.round(usedSize / 2 ** 20)} MiB` });
  } finally {
    await browser.close();
  }
});
