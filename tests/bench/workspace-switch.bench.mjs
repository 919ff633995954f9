// Switching workspaces: from the click in the 工作区 tab to the new map's idle (the marks
// `onemap:workspace-switch-start` → `onemap:map-idle`), for Hengshui (the default, its demo
// layers) and a second city made from the committed boundary Shapefile (its layers copied, no
// features). Baseline in the same run: a reload of the same workspace, navigation → map idle.
// One browser context for the whole run (the registry and both stores live in it).
import os from 'node:os';
import path from 'node:path';
import { formatMs, formatRatio, guardContext, launchChromium, roundsFromEnvironment, root, summarize, environmentInfo } from './lib.mjs';

export const name = 'workspace-switch';
export const title = 'Workspace switch: click → new map idle, vs a reload of the same workspace';

const viewport = { width: 1280, height: 800 };
const city = '示例市';
const hengshui = '衡水市';
const timeout = 240_000;

/** Waits for the first `onemap:map-idle` after the last switch start (or after navigation). */
function idleAfterSwitch(page, since) {
  return page
    .waitForFunction(
      (kind) => {
        const start = kind === 'switch' ? (performance.getEntriesByName('onemap:workspace-switch-start').at(-1)?.startTime ?? Infinity) : 0;
        const idle = performance.getEntriesByName('onemap:map-idle').find((entry) => entry.startTime > start);
        // The default workspace is seeded at every open (an idempotent upsert): how much of it that is.
        const seeded = performance.getEntriesByName('onemap:workspace-seeded').find((entry) => entry.startTime > start);
        return idle ? { idleMs: idle.startTime - start, seededMs: seeded ? seeded.startTime - start : null } : false;
      },
      since,
      { timeout, polling: 50 },
    )
    .then((handle) => handle.jsonValue());
}

async function switchTo(page, workspace) {
  await page.getByRole('tab', { name: '工作区', exact: true }).click();
  await page.getByRole('button', { name: `切换到此工作区：${workspace}` }).click();
  await page.getByTestId('workspace-name').filter({ hasText: workspace }).waitFor({ timeout });
  return idleAfterSwitch(page, 'switch');
}

async function reload(page, workspace) {
  await page.reload({ waitUntil: 'commit' });
  await page.getByTestId('workspace-name').filter({ hasText: workspace }).waitFor({ timeout });
  return idleAfterSwitch(page, 'load');
}

export async function run({ baseUrl, log }) {
  const rounds = roundsFromEnvironment(5);
  const loadBefore = os.loadavg()[0];
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport });
    const watch = await guardContext(context, [baseUrl]);
    const page = await context.newPage();
    await page.goto(baseUrl);
    await idleAfterSwitch(page, 'load');
    log('  Hengshui seeded; making the second city from tests/fixtures/workspaces/shiyi-counties-gk120-gbk.zip');
    await page.getByRole('tab', { name: '工作区', exact: true }).click();
    const form = page.getByTestId('workspace-new');
    await form.getByLabel('工作区名称').fill(city);
    await form.getByLabel('边界文件').setInputFiles(path.join(root, 'tests/fixtures/workspaces/shiyi-counties-gk120-gbk.zip'));
    await form.getByRole('button', { name: '创建并切换' }).click();
    await page.getByTestId('workspace-name').filter({ hasText: city }).waitFor({ timeout });
    await idleAfterSwitch(page, 'switch');

    const samples = { toHengshui: [], reloadHengshui: [], toCity: [], reloadCity: [] };
    const seeded = [];
    for (let round = 0; round < rounds; round += 1) {
      const toHengshui = await switchTo(page, hengshui);
      samples.toHengshui.push(toHengshui.idleMs);
      seeded.push(toHengshui.seededMs);
      samples.reloadHengshui.push((await reload(page, hengshui)).idleMs);
      samples.toCity.push((await switchTo(page, city)).idleMs);
      samples.reloadCity.push((await reload(page, city)).idleMs);
      log(
        `  round ${round + 1}/${rounds}: → ${hengshui} ${formatMs(samples.toHengshui.at(-1))} (store open + seed ${formatMs(seeded.at(-1))}; reload ${formatMs(samples.reloadHengshui.at(-1))}), → ${city} ${formatMs(samples.toCity.at(-1))} (reload ${formatMs(samples.reloadCity.at(-1))})`,
      );
    }
    watch.assertClean('workspace-switch');
    const summary = Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, summarize(values)]));
    const ratios = { hengshui: summary.toHengshui.median / summary.reloadHengshui.median, city: summary.toCity.median / summary.reloadCity.median };
    const load = { before: loadBefore, after: os.loadavg()[0], cpus: os.cpus().length };
    return {
      tables: [
        {
          title: `${title}\n${rounds} rounds, load ${load.before.toFixed(1)} → ${load.after.toFixed(1)} on ${load.cpus} CPUs`,
          columns: ['to', 'switch median', 'switch p90', 'reload median', 'reload p90', 'switch/reload'],
          rows: [
            [`${hengshui} (demo layers)`, formatMs(summary.toHengshui.median), formatMs(summary.toHengshui.p90), formatMs(summary.reloadHengshui.median), formatMs(summary.reloadHengshui.p90), formatRatio(ratios.hengshui)],
            [`${city} (boundaries only)`, formatMs(summary.toCity.median), formatMs(summary.toCity.p90), formatMs(summary.reloadCity.median), formatMs(summary.reloadCity.p90), formatRatio(ratios.city)],
          ],
        },
      ],
      data: { rounds, viewport, hengshuiSeededMs: seeded, environment: { ...environmentInfo(browser), loadAverage1m: load }, summary, ratios, samples },
    };
  } finally {
    await browser.close();
  }
}
