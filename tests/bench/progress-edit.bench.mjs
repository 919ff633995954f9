// Issue 19 item 4: one status edit must not block the main thread > 50 ms for the progress
// dashboard, at 1,000,000 features. For each layer size (10,000 — the baseline — and 1,000,000 in
// the same run): a bench database of its own in the web shell's origin, seeded with that many
// wells through the store's seed(); the app's built progress worker follows it with the wells
// target's card spec (what the dashboard asks); each round seals the first well of the overdue
// list with transact() and times it until the worker's numbers count it on the main thread,
// with the longest main-thread task in between (PerformanceObserver 'longtask', plus a
// heartbeat's largest gap, which also sees tasks under 50 ms). Once per size, the old path — the
// whole layer re-read and the card recomputed on the main thread — is timed the same way.
/* global window */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleForEvaluate, environmentInfo, formatMs, guardContext, launchChromium, loadNote, roundsFromEnvironment, root, summarize } from './lib.mjs';

export const name = 'progress-edit';
export const title = 'Issue 19.4: one status edit → the dashboard numbers, longest main-thread task, 10,000 vs 1,000,000 wells';

const asOf = '2021-06-30';
const targetId = 'wells-non-agricultural-2021';

/** The built progress worker's URL: named in one of the app's script chunks. */
async function progressWorkerUrl(baseUrl) {
  const html = await (await fetch(baseUrl)).text();
  const scripts = [...html.matchAll(/(?:src|href)="\.?(\/assets\/[^"]+\.js)"/g)].map((match) => match[1]);
  const seen = new Set();
  while (scripts.length > 0) {
    const script = scripts.shift();
    if (seen.has(script)) continue;
    seen.add(script);
    const code = await (await fetch(new URL(script, baseUrl))).text();
    const worker = code.match(/progress\.worker-[\w-]+\.js/);
    if (worker) return new URL(`/assets/${worker[0]}`, baseUrl).href;
    for (const match of code.matchAll(/["'`](?:\.\/|\/assets\/)([\w.-]+\.js)["'`]/g)) scripts.push(`/assets/${match[1]}`);
  }
  throw new Error('progress-edit: no progress.worker-*.js in the built app');
}

async function inputs() {
  const json = async (file) => JSON.parse(await readFile(path.join(root, file), 'utf8'));
  const layers = await json('seeds/layers.json');
  const targets = (await json('seeds/targets-2021.json')).filter((target) => target.id === targetId);
  const templates = (await json('seeds/demo/wells-non-agricultural.geojson')).features;
  const counties = (await json('geodata/hengshui-counties.geojson')).features.map((feature) => feature.properties.adcode);
  const layer = layers.find((candidate) => candidate.id === 'wells');
  return { layers: [layer], targets, templates, spec: { previousTargets: [], counties, asOf, rowsShown: 100 } };
}

async function measureSize(browser, baseUrl, script, workerUrl, input, { total, rounds, delayMs, log }) {
  const context = await browser.newContext();
  const databaseName = `onemap-bench-progress-${total}`;
  try {
    const watch = await guardContext(context, [baseUrl]);
    const page = await context.newPage();
    // A plain document of the app's origin (not the app, whose own work would share the thread).
    await page.goto(new URL('/geodata/attribution.json', baseUrl).href);
    await page.evaluate(() => {
      globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig ?? {}, { jitless: true });
    });
    await page.evaluate(script);
    const seeded = await page.evaluate((argument) => window.__benchProgress.seedWells(argument), { databaseName, layers: input.layers, targets: input.targets, templates: input.templates, total });
    log(`  ${total.toLocaleString('en')} wells seeded in ${(seeded.ms / 1000).toFixed(1)} s`);
    const spec = { ...input.spec, layer: seeded.layer, targets: seeded.targets };
    page.on('console', (message) => {
      if (message.type() === 'error') log(`  page error: ${message.text()}`);
    });
    const first = await page.evaluate((argument) => window.__benchProgress.startFollow(argument), { workerUrl, databaseName, spec });
    log(`  worker's first numbers after ${formatMs(first.ms)}: ${first.progress.featuresDone} done of ${first.progress.featuresInScope} in scope; the page's chunk directory built in ${formatMs(first.directoryMs)} (not timed)`);
    const samples = [];
    // One warm-up edit (not counted): the first transact of a page compiles its validators.
    for (let round = -1; round < rounds; round += 1) {
      const sample = await page.evaluate((argument) => window.__benchProgress.timeEdit(argument), { databaseName, delayMs });
      log(
        `  ${total.toLocaleString('en')} ${round < 0 ? 'warm-up' : `round ${round + 1}/${rounds}`} ${sample.featureId}: shown after ${formatMs(sample.shownMs)} (committed ${formatMs(sample.commitMs)}); longest task ${sample.longTasks === 0 ? '< 50 ms' : formatMs(sample.longestTaskMs)}, heartbeat gap ${formatMs(sample.maxGapMs)}`,
      );
      if (round >= 0) samples.push(sample);
    }
    const recompute = await page.evaluate((argument) => window.__benchProgress.timeRecompute(argument), { databaseName, spec });
    log(
      `  ${total.toLocaleString('en')} old path (re-read ${recompute.features} + recompute on the main thread): ${formatMs(recompute.totalMs)} (read ${formatMs(recompute.readMs)}, compute ${formatMs(recompute.computeMs)}); longest task ${formatMs(recompute.longestTaskMs)}, heartbeat gap ${formatMs(recompute.maxGapMs)}`,
    );
    await page.evaluate((argument) => window.__benchProgress.finish(argument), { databaseName });
    watch.assertClean(`${total} wells`);
    return { total, seededMs: seeded.ms, firstNumbersMs: first.ms, samples, recompute };
  } finally {
    await context.close();
  }
}

export async function run({ baseUrl, log }) {
  const rounds = roundsFromEnvironment(7);
  const delayMs = Number(process.env.ONEMAP_BENCH_PROGRESS_DELAY_MS ?? 0);
  const sizes = (process.env.ONEMAP_BENCH_PROGRESS_SIZES ?? '10000,1000000').split(',').map(Number);
  const loadBefore = os.loadavg()[0];
  log(`  1-min load average at start: ${os.loadavg().map((value) => value.toFixed(2)).join(' / ')}`);
  const script = await bundleForEvaluate('tests/bench/progress-edit-page.mjs');
  const workerUrl = await progressWorkerUrl(baseUrl);
  const input = await inputs();
  const browser = await launchChromium();
  try {
    const results = [];
    for (const total of sizes) results.push(await measureSize(browser, baseUrl, script, workerUrl, input, { total, rounds, delayMs, log }));
    const load = { before: loadBefore, after: os.loadavg()[0], cpus: os.cpus().length };
    log(`  1-min load average at end: ${os.loadavg().map((value) => value.toFixed(2)).join(' / ')}`);
    const rows = [];
    const summaries = results.map((result) => {
      const stat = (key) => summarize(result.samples.map((sample) => sample[key]));
      const summary = { total: result.total, shownMs: stat('shownMs'), commitMs: stat('commitMs'), longestTaskMs: stat('longestTaskMs'), maxGapMs: stat('maxGapMs'), firstNumbersMs: result.firstNumbersMs, recompute: result.recompute };
      const size = `${result.total.toLocaleString('en')} wells`;
      const task = (ms) => (ms < 50 ? '< 50 ms' : formatMs(ms));
      rows.push(
        [`${size}: edit → numbers on the main thread`, formatMs(summary.shownMs.median), formatMs(summary.shownMs.p90), ''],
        [`${size}:   edit → committed (transact)`, formatMs(summary.commitMs.median), formatMs(summary.commitMs.p90), ''],
        [`${size}: longest main-thread task (longtask)`, task(summary.longestTaskMs.median), task(summary.longestTaskMs.p90), `max ${task(summary.longestTaskMs.max)}`],
        [`${size}: largest heartbeat gap`, formatMs(summary.maxGapMs.median), formatMs(summary.maxGapMs.p90), `max ${formatMs(summary.maxGapMs.max)}`],
        [`${size}: worker's first numbers (one read of the layer)`, formatMs(summary.firstNumbersMs), '', 'off the main thread'],
        [`${size}: old path, re-read + recompute on the main thread`, formatMs(result.recompute.totalMs), '', `longest task ${task(result.recompute.longestTaskMs)}`],
      );
      return summary;
    });
    const [base, large] = summaries;
    if (large) rows.push([`longest heartbeat gap, ${large.total.toLocaleString('en')} / ${base.total.toLocaleString('en')}`, '', '', `${(large.maxGapMs.median / base.maxGapMs.median).toFixed(2)}×`]);
    return {
      tables: [
        {
          title: `${title}\n${loadNote(load)}1-min load average ${load.before.toFixed(2)} → ${load.after.toFixed(2)} on ${load.cpus} CPUs; ${rounds} edits per size${delayMs > 0 ? `; DELIBERATE SLOWDOWN ${delayMs} ms on the main thread when the numbers arrive` : ''}`,
          columns: ['metric', 'median', 'p90', 'note'],
          rows,
        },
      ],
      data: { rounds, delayMs, environment: { ...environmentInfo(browser), loadAverage1m: load }, summaries, results },
    };
  } finally {
    await browser.close();
  }
}
