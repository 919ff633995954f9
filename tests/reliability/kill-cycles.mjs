// Runs the kill test on demand: N cycles of "edit in real Chromium, SIGKILL the browser at a
// random point, relaunch on the same profile, verify" (tests/e2e/helpers/reliability.ts, the
// same code the e2e spec runs 20 times). Prints edits acknowledged / lost (silently, or in wipes
// the store-loss check detected) / partial, and whole-database wipes; exits 1 on any loss,
// partial change or other failed verification.
//
//   node tests/reliability/kill-cycles.mjs                  # 1,000 cycles, random seed
//   node tests/reliability/kill-cycles.mjs --cycles 200 --seed 42
//   node tests/reliability/kill-cycles.mjs --cycles 30 --sabotage resolve-before-commit   # must fail
//   node tests/reliability/kill-cycles.mjs --cycles 300 --chromium-defaults --snapshot /tmp/snap   # the wipes
//   node tests/reliability/kill-cycles.mjs --torn-log           # the deterministic torn-log check, both ways
//
// Options: --cycles N (1000), --seed S (random, printed), --sabotage none|resolve-before-commit|
// edits-in-separate-transaction|ack-before-transact, --cycles-per-database N (100),
// --max-failures N (stop early), --max-acks N (40, the kill point's upper bound), --json FILE, --quiet,
// --chromium-defaults (without LEVELDB_SAFE_ARGUMENTS: reproduces Chromium's store wipes),
// --snapshot DIR (copy the profile after every kill, keep it and Chromium's log when a wipe is found).
import { build } from 'esbuild';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const index = argv.indexOf(`--${name}`);
  if (index >= 0) return argv[index + 1];
  const inline = argv.find((argument) => argument.startsWith(`--${name}=`));
  return inline === undefined ? fallback : inline.slice(name.length + 3);
};
const cycles = Number(option('cycles', '1000'));
const seed = Number(option('seed', String(Math.floor(Math.random() * 2 ** 31))));
const sabotage = option('sabotage', 'none');
const maxFailures = option('max-failures', undefined);
const json = option('json', undefined);
const quiet = argv.includes('--quiet');
const mitigation = !argv.includes('--chromium-defaults');
const snapshotDir = option('snapshot', undefined);
const tornLog = argv.includes('--torn-log');
if (!Number.isInteger(cycles) || cycles < 1 || !Number.isInteger(seed)) {
  console.error('usage: node tests/reliability/kill-cycles.mjs [--cycles N] [--seed S] [--sabotage MODE]');
  process.exit(2);
}

// The shared cycle logic is TypeScript: compile it for Node, inside the project so that its
// packages (external) resolve from node_modules.
const cache = path.join(root, 'node_modules', '.cache');
await mkdir(cache, { recursive: true });
const work = await mkdtemp(path.join(cache, 'onemap-kill-cycles-'));
let report;
let tornLogFailed = null;
try {
  const outfile = path.join(work, 'reliability.mjs');
  await build({
    entryPoints: [path.join(root, 'tests/e2e/helpers/reliability.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  const { runKillCycles, runTornLogCheck, describeReport, SABOTAGES } = await import(pathToFileURL(outfile).href);
  if (!SABOTAGES.includes(sabotage)) throw new Error(`--sabotage must be one of ${SABOTAGES.join(', ')}`);
  if (tornLog) {
    let failed = false;
    for (const withMitigation of [true, false]) {
      const torn = await runTornLogCheck({ mitigation: withMitigation, root, log: (line) => console.log(line) });
      const verdict = torn.wiped ? (torn.loss === null ? 'WIPED SILENTLY' : 'wiped, detected and reported') : torn.lost > 0 || torn.partial > 0 ? 'LOST' : 'nothing lost';
      console.log(
        `torn-log check ${withMitigation ? 'with the mitigation' : 'with Chromium defaults'}: ${verdict}; LevelDB reused the torn log: ${torn.reusedLogAfterTear}; ` +
          `${torn.acknowledgedChanges} acknowledged after the tear, ${torn.lost} lost, ${torn.partial} partial (${torn.seconds.toFixed(0)} s)${torn.problems.length > 0 ? `\n  ${torn.problems.slice(0, 6).join('\n  ')}` : ''}`,
      );
      if (withMitigation ? torn.wiped || torn.lost > 0 || torn.partial > 0 : torn.wiped && torn.loss === null) failed = true;
    }
    tornLogFailed = failed;
  } else {
    report = await runKillCycles({
      cycles,
      seed,
      sabotage,
      root,
      cyclesPerDatabase: Number(option('cycles-per-database', '100')),
      maxAcksPerCycle: Number(option('max-acks', '40')),
      mitigation,
      ...(snapshotDir === undefined ? {} : { snapshotDir }),
      ...(maxFailures === undefined ? {} : { maxFailures: Number(maxFailures) }),
      log: (line) => {
        if (!quiet || !line.startsWith('  cycle')) console.log(line);
      },
    });
    console.log(`\n${describeReport(report)}`);
    if (json !== undefined) await writeFile(json, JSON.stringify(report, null, 2));
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
if (tornLogFailed !== null) process.exit(tornLogFailed ? 1 : 0);
process.exit(report.lost === 0 && report.partial === 0 && report.failures.length === 0 ? 0 : 1);
