// `npm test`: every test in one command — type check, lint, unit tests and hub tests (Vitest; the
// hub tests start a PostgreSQL + PostGIS cluster of their own), the production build, and the
// end-to-end suite (Playwright in Debian's Chromium against the web shell).
// Ends with one line counting all tests: "Total: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTestPrerequisites } from './test-prerequisites.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reports = path.join(root, 'test-reports');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

ensureTestPrerequisites();
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const failures = [];
const started = Date.now();

function step(name, command, args) {
  const stepStarted = Date.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
  const seconds = ((Date.now() - stepStarted) / 1000).toFixed(1);
  const ok = result.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${name} (${seconds} s)`);
  if (!ok) failures.push(name);
  return ok;
}

step('type check (tsc -b)', bin('tsc'), ['-b']);
step('lint (eslint, with import boundaries)', bin('eslint'), ['.']);
step('unit tests (vitest, projects unit and unit-logic)', bin('vitest'), ['run', '--project', 'unit', '--project', 'unit-logic', '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(reports, 'vitest-unit.json')}`]);
step('hub tests (vitest, project hub: a PostgreSQL + PostGIS cluster of their own)', bin('vitest'), ['run', '--project', 'hub', '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(reports, 'vitest-hub.json')}`]);
const built =
  step('build renderer (vite)', bin('vite'), ['build', '--logLevel', 'warn']) &&
  step('build desktop shell (esbuild)', process.execPath, [path.join(root, 'scripts/build-electron.mjs')]);
if (built) step('end-to-end tests (playwright, Chromium)', bin('playwright'), ['test']);
else failures.push('end-to-end tests (not run: the build failed)');

function readJson(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

const vitestReports = ['vitest-unit.json', 'vitest-hub.json'].map((name) => readJson(path.join(reports, name))).filter(Boolean);
const sumOf = (key) => vitestReports.reduce((total, report) => total + (report[key] ?? 0), 0);
const vitest = vitestReports.length === 0 ? null : { numPassedTests: sumOf('numPassedTests'), numFailedTests: sumOf('numFailedTests'), numPendingTests: sumOf('numPendingTests'), numTodoTests: sumOf('numTodoTests') };
const playwright = readJson(path.join(reports, 'playwright.json'));
const passed = (vitest?.numPassedTests ?? 0) + (playwright?.stats?.expected ?? 0) + (playwright?.stats?.flaky ?? 0);
const failed = (vitest?.numFailedTests ?? 0) + (playwright?.stats?.unexpected ?? 0);
const skipped = (vitest?.numPendingTests ?? 0) + (vitest?.numTodoTests ?? 0) + (playwright?.stats?.skipped ?? 0);

if (playwright) {
  for (const suite of walkSuites(playwright.suites ?? [])) {
    for (const spec of suite.specs ?? []) {
      for (const testRun of spec.tests ?? []) {
        const annotation = (testRun.annotations ?? []).find((entry) => entry.type === 'skip');
        if (testRun.status === 'skipped') console.log(`skipped: ${spec.title} — ${annotation?.description ?? 'no reason given'}`);
      }
    }
  }
}

if (playwright) {
  // Wall-clock time of each Playwright project (first test start to last test end).
  const spans = new Map();
  for (const suite of walkSuites(playwright.suites ?? [])) {
    for (const spec of suite.specs ?? []) {
      for (const testRun of spec.tests ?? []) {
        for (const result of testRun.results ?? []) {
          if (!result.startTime) continue;
          const start = Date.parse(result.startTime);
          const span = spans.get(testRun.projectName) ?? { start, end: start };
          spans.set(testRun.projectName, { start: Math.min(span.start, start), end: Math.max(span.end, start + (result.duration ?? 0)) });
        }
      }
    }
  }
  const times = [...spans].map(([name, span]) => `${name} ${((span.end - span.start) / 1000).toFixed(0)} s`);
  if (times.length > 0) console.log(`end-to-end projects: ${times.join('; ')}`);
}

console.log(`\nunit + hub: ${vitest ? `${vitest.numPassedTests} passed, ${vitest.numFailedTests} failed` : 'no report'}; end-to-end: ${playwright ? `${playwright.stats.expected} passed, ${playwright.stats.unexpected} failed, ${playwright.stats.skipped} skipped` : 'no report'}; ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (failures.length > 0) console.log(`failed steps: ${failures.join('; ')}`);
console.log(`Total: ${passed} passed, ${failed + (failures.length > 0 && failed === 0 ? 1 : 0)} failed, ${skipped} skipped`);
process.exit(failures.length > 0 ? 1 : 0);

function* walkSuites(suites) {
  for (const suite of suites) {
    yield suite;
    yield* walkSuites(suite.suites ?? []);
  }
}
