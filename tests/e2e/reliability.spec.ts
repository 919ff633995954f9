// Issue 4, item 7 — the proof: a random edit script on the real store in real Chromium with a
// persistent profile; the browser process is SIGKILLed at random points (20 times), relaunched
// on the same profile, and every acknowledged change must be there, whole, with a consistent
// journal. The cycle logic is shared with `node tests/reliability/kill-cycles.mjs` (1,000 cycles).
//
// Chromium runs with LEVELDB_SAFE_ARGUMENTS (the switch the Electron shell sets): without it a
// kill between LevelDB's two writes of one log record makes Chromium delete the whole IndexedDB
// on a later launch (≈1 kill in 100 here; tests/reliability/README.md). The second test makes that
// kill deterministic: the torn log tail, with and without the switch.
import { appendFileSync } from 'node:fs';
import { LEVELDB_SAFE_ARGUMENTS, describeReport, expect, runKillCycles, runTornLogCheck, test } from './helpers/reliability';

const cycles = Number(process.env.ONEMAP_KILL_CYCLES ?? 20);
// A fixed seed by default so CI runs the same script; ONEMAP_KILL_SEED=random explores.
const seed = process.env.ONEMAP_KILL_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.ONEMAP_KILL_SEED ?? 20210201);

test(`kill test: ${cycles} SIGKILLs mid-edit lose no acknowledged change`, { tag: '@heavy' }, async () => {
  const testInfo = test.info();
  // ≈5 s a cycle on an idle 2-core machine (20 cycles ≈ 2 min). A cycle is mostly a Chromium
  // launch, which took 15–50 s on this machine loaded 20× over by other jobs: the margin is for that.
  test.setTimeout(Math.max(1_200_000, cycles * 60_000));
  const lines: string[] = [];
  // Also written as it goes, so that a timeout leaves the cycles run so far.
  const progress = testInfo.outputPath('kill-test-progress.log');
  const report = await runKillCycles({
    cycles,
    seed,
    maxFailures: 1,
    log: (line) => {
      lines.push(line);
      appendFileSync(progress, `${line}\n`);
    },
  });
  const summary = describeReport(report);
  console.log(summary);
  await testInfo.attach('kill-test.log', { body: `${lines.join('\n')}\n\n${summary}\n`, contentType: 'text/plain' });
  const failures = report.failures.map((failure) => `cycle ${failure.cycle} (seed ${seed}):\n  ${failure.problems.join('\n  ')}`);
  expect(failures, `failed verifications — replay with ONEMAP_KILL_SEED=${seed}; diagnose with ONEMAP_RELIABILITY_SNAPSHOT=<dir>`).toEqual([]);
  expect(report.cycles).toBe(cycles);
  expect(report.lost, 'acknowledged changes lost').toBe(0);
  expect(report.partial, 'changes present only in part').toBe(0);
  expect(report.databaseWipes, 'relaunches that found the whole database gone').toBe(0);
  expect(report.logReuses, `launches on which IndexedDB's LevelDB appended to its recovered log despite ${LEVELDB_SAFE_ARGUMENTS.join(' ')}: the mitigation no longer works in this Chromium`).toBe(0);
  // The script must really have run: most cycles acknowledge changes before their kill.
  expect(report.acknowledgedChanges).toBeGreaterThan(cycles * 5);
});

test('kill test: a torn LevelDB log tail loses nothing with the safe switch; without it the wipe is reported, never silent', { tag: '@heavy' }, async () => {
  test.setTimeout(600_000); // ≈40 s on an idle machine
  const lines: string[] = [];
  const safe = await runTornLogCheck({ mitigation: true, log: (line) => lines.push(line) });
  const defaults = await runTornLogCheck({ mitigation: false, log: (line) => lines.push(line) });
  const summary = [safe, defaults]
    .map((torn) => `${torn.mitigation ? 'with the switch' : 'Chromium defaults'}: reused the torn log ${torn.reusedLogAfterTear}, wiped ${torn.wiped}, ${torn.acknowledgedChanges} acknowledged after the tear, ${torn.lost} lost, store-loss report: ${torn.loss?.text ?? 'none'} (${torn.seconds.toFixed(0)} s)`)
    .join('\n');
  console.log(summary);
  await test.info().attach('torn-log.log', { body: `${lines.join('\n')}\n\n${summary}\n`, contentType: 'text/plain' });

  expect(safe.reusedLogAfterTear, 'with the switch, LevelDB must not append after the torn record').toBe(false);
  expect(safe.problems, 'with the switch nothing may be lost').toEqual([]);
  expect(safe.wiped).toBe(false);
  expect(safe.lost + safe.partial).toBe(0);
  expect(safe.acknowledgedChanges).toBeGreaterThan(0);

  // Chromium's defaults: today the store is wiped (google/leveldb#1287). Should a Chromium fix
  // that, nothing is lost and this passes too; what must never happen is a SILENT wipe.
  if (defaults.wiped) {
    expect(defaults.loss, 'the wipe must be detected and reported at open').not.toBeNull();
    expect(defaults.loss?.detectedBy).toContain('browser');
  } else {
    expect(defaults.problems).toEqual([]);
  }
});
