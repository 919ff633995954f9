// The kill test (issue 4, item 7): the real store in real Chromium with a persistent profile runs
// a seeded random edit script; at a random point the browser PROCESS is killed with SIGKILL (the
// browser and every child, never a clean close); Chromium is relaunched on the same profile and
// every change acknowledged before the kill must be there, whole, and the journal consistent.
// Shared by tests/e2e/reliability.spec.ts (20 cycles in `npm test`) and
// tests/reliability/kill-cycles.mjs (1,000 on demand). See tests/reliability/README.md.
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { build, type Plugin } from 'esbuild';
import { createServer, type Server } from 'node:http';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumExecutable, offlineChromiumArguments } from './chromium';
import { DESKTOP_SWITCH_ARGUMENTS, LEVELDB_SAFE_SWITCH } from '../../../shared/shell/chromium-switches';
import {
  applyStep,
  bytesHash,
  canonical,
  cloneModel,
  initialModel,
  liveFeatureIds,
  nextStep,
  photoBytes,
  pick,
  randomInt,
  seededRandom,
  stepOfNote,
  type Content,
  type ModelChange,
  type ModelEntry,
  type ModelState,
  type Step,
} from '../../reliability/model';
import type { Ack, Dump, DumpEntry, StepFailure } from '../../reliability/page';

export { test, expect } from '@playwright/test';

/**
 * Deliberate breakage of the bundled store copy (the files in the tree are never touched), to
 * show that the kill test catches it:
 * - `resolve-before-commit`: `transact` resolves when its work is queued, before IndexedDB commits;
 * - `edits-in-separate-transaction`: the journal commits in one transaction, the feature edit
 *   rows in a second one;
 * - `ack-before-transact`: the page reports a change as saved as soon as it starts it.
 */
export type Sabotage = 'none' | 'resolve-before-commit' | 'edits-in-separate-transaction' | 'ack-before-transact';
export const SABOTAGES: readonly Sabotage[] = ['none', 'resolve-before-commit', 'edits-in-separate-transaction', 'ack-before-transact'];

export interface KillCycleOptions {
  /** Kills (each followed by a relaunch and a verification). */
  cycles: number;
  /** Seeds the edit script and the kill points; logged, so a failure can be replayed. */
  seed: number;
  /** Cycles per database: then a fresh database is seeded (keeps the journal small in long runs). */
  cyclesPerDatabase?: number;
  /** Stop after this many failed verifications (default: never). */
  maxFailures?: number;
  /** The kill point: up to this many acknowledged changes per cycle (default 40). */
  maxAcksPerCycle?: number;
  sabotage?: Sabotage;
  /** The project root (default: found from this file). */
  root?: string;
  log?: (line: string) => void;
  /**
   * Diagnosis: after every kill (before the relaunch) the whole profile is copied to
   * `<dir>/last-kill`; when a relaunch finds the database wiped, that copy is kept as
   * `<dir>/wipe-<cycle>-before` and the profile after the relaunch as `<dir>/wipe-<cycle>-after`.
   * Chromium also logs (storage modules, verbose) to `<dir>/chromium-<cycle>.log`.
   * Env: ONEMAP_RELIABILITY_SNAPSHOT.
   */
  snapshotDir?: string;
  /**
   * Launch Chromium with {@link LEVELDB_SAFE_ARGUMENTS} (default true): LevelDB then never
   * appends to a log file a killed process left half-written, which is what made Chromium delete
   * the whole IndexedDB after some kills. `false` runs Chromium's defaults, to reproduce that.
   * Env: ONEMAP_KILL_CHROMIUM_DEFAULTS=1 sets false.
   */
  mitigation?: boolean;
}

/**
 * The switch that keeps LevelDB (IndexedDB's and localStorage's backing store) from reusing its
 * log file on open. Chromium sets `leveldb_env::Options::reuse_logs = !IsLowEndDevice()`
 * (third_party/leveldatabase/env_chromium.cc; off on ChromeOS since crbug.com/460568 for the
 * corruption rate), and LevelDB's `reuse_logs` appends new records after a record that a killed
 * writer left half-written (google/leveldb#1287): the next open reads garbage, "Corruption:
 * checksum mismatch", and Chromium deletes the origin's whole IndexedDB. With this switch the
 * log is turned into a table on open and a new log is started: the torn tail is dropped, as
 * LevelDB intends. The Electron shell sets the same switch (shared/shell/chromium-switches.ts).
 */
export const LEVELDB_SAFE_ARGUMENTS: readonly string[] = [`--${LEVELDB_SAFE_SWITCH}`];

/** The desktop shell's switches; without the mitigation, all of them but {@link LEVELDB_SAFE_ARGUMENTS}. */
function desktopArguments(mitigation: boolean): string[] {
  return DESKTOP_SWITCH_ARGUMENTS.filter((argument) => mitigation || !LEVELDB_SAFE_ARGUMENTS.includes(argument));
}

/** The page draws nothing: no GPU process (a sixth of a launch's time on a loaded machine). */
const KILL_TEST_ARGUMENTS: readonly string[] = ['--disable-gpu'];

export interface CycleFailure {
  cycle: number;
  problems: string[];
}

export interface KillCycleReport {
  seed: number;
  sabotage: Sabotage;
  cycles: number;
  /** Changes (transact/undo/redo calls) whose acknowledgement reached the runner before a kill. */
  acknowledgedChanges: number;
  /** Their journal entries. */
  acknowledgedEntries: number;
  /** Acknowledged changes missing after the relaunch. */
  lost: number;
  /** Changes (acknowledged or not) present only in part, or not as committed. */
  partial: number;
  /** Changes committed whose acknowledgement had not reached the runner when it killed. */
  committedUnacknowledged: number;
  /** Gaps in the journal sequence between changes (allowed: monotonic is required, contiguous is not). */
  sequenceGaps: number;
  /** Relaunches that found the whole database gone (Chromium recreated the origin's IndexedDB): counted in `lost` too. */
  databaseWipes: number;
  /** Of those, the ones the store-loss check (renderer/src/db/store-loss.ts) reported at open. */
  wipesDetected: number;
  /** Acknowledged changes lost in wipes that were detected and reported (part of `lost`); the rest of `lost` went silently. */
  lostInDetectedWipes: number;
  /** Launches on which LevelDB appended to the log file it recovered ("Reusing old log"): 0 with the mitigation. */
  logReuses: number;
  mitigation: boolean;
  killModes: Record<string, number>;
  failures: CycleFailure[];
  seconds: number;
  /** Seconds per cycle: launch + open, verification, edits until the kill, kill. */
  timings: { launch: number; verify: number; edit: number; kill: number };
}

const here = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// The page: bundled with esbuild into a temp dir, served on 127.0.0.1 (one port per run, so
// the origin — and its IndexedDB — stays the same across relaunches).

function sabotagePlugin(sabotage: Sabotage): Plugin {
  const fail = (what: string): never => {
    throw new Error(`sabotage ${sabotage}: transact.ts no longer has ${what} (update the anchors in sabotagePlugin)`);
  };
  const replaceOnce = (source: string, from: string, to: string): string => {
    if (!source.includes(from)) fail(JSON.stringify(from.slice(0, 70)));
    return source.replace(from, to);
  };
  return {
    name: 'kill-test-sabotage',
    setup(builder) {
      builder.onLoad({ filter: /renderer[\\/]src[\\/]db[\\/]transact\.ts$/ }, async (args) => {
        let source = await readFile(args.path, 'utf8');
        // Anchors: `return database.transaction('rw', …, async (…) => {` opens the store
        // transaction; the first `      };\n    })\n` after it closes its callback (after the
        // `return { changeId, … }`); the method chain after it (`.catch(…)`, `.finally(…)`) runs to
        // the `;` before the function's closing `}`.
        const start = / {2}return database\n {4}\.transaction\('rw', transactTables\(database\), async \(([^)]*)\) => \{/.exec(source) ?? fail('the `return database.transaction(...)` opening');
        const close = source.indexOf('\n      };\n    })\n', start.index);
        if (close < 0) fail('the end of the transaction callback');
        const chainStart = close + '\n      };\n    })\n'.length;
        const chainEnd = source.indexOf(';\n}\n', chainStart);
        if (chainEnd < 0) fail('the end of transact()');
        const chain = source.slice(chainStart, chainEnd);
        const opening = `database\n    .transaction('rw', transactTables(database), async (${start[1]}) => {`;
        const before = source.slice(0, start.index);
        const body = source.slice(start.index + start[0].length, close);
        const after = source.slice(chainEnd + ';\n}\n'.length);
        if (sabotage === 'resolve-before-commit') {
          const early = replaceOnce(body, '      return {\n        changeId,\n', '      return ((value: CommittedChange) => { resolveEarly(value); return value; })({\n        changeId,\n');
          source =
            `${before}  let resolveEarly: (value: CommittedChange) => void = () => {};\n  const early = new Promise<CommittedChange>((resolve) => { resolveEarly = resolve; });\n` +
            `  const whenCommitted = ${opening}${early}\n      });\n    })\n${chain};\n  whenCommitted.catch(() => {});\n  return Promise.race([early, whenCommitted]);\n}\n${after}`;
        } else if (sabotage === 'edits-in-separate-transaction') {
          const split = replaceOnce(body, '      if (rows.size > 0) await database.featureEdits.bulkPut([...rows.values()]);', '      pendingRows = [...rows.values()];');
          source =
            `${before}  let pendingRows: FeatureEditRecord[] = [];\n  return ${opening}${split}\n      };\n    })\n` +
            `    .then(async (result) => {\n      if (pendingRows.length > 0) await database.featureEdits.bulkPut(pendingRows);\n      return result;\n    })\n${chain};\n}\n${after}`;
        }
        return { contents: source, loader: 'ts', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

async function bundlePage(root: string, site: string, sabotage: Sabotage): Promise<void> {
  await build({
    entryPoints: [path.join(root, 'tests/reliability/page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: path.join(site, 'page.js'),
    logLevel: 'warning',
    plugins: sabotage === 'resolve-before-commit' || sabotage === 'edits-in-separate-transaction' ? [sabotagePlugin(sabotage)] : [],
  });
  await writeFile(path.join(site, 'index.html'), '<!doctype html><meta charset="utf-8"><title>kill-test</title><script type="module" src="page.js"></script>');
}

async function serve(site: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const name = request.url === '/' ? 'index.html' : (request.url ?? '').slice(1).split('?')[0];
    if (name !== 'index.html' && name !== 'page.js') {
      response.writeHead(404).end();
      return;
    }
    readFile(path.join(site, name)).then(
      (body) => response.writeHead(200, { 'content-type': name.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(body),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

// ---------------------------------------------------------------------------------------------
// The kill: SIGKILL to the Chromium browser process (the child of this Node process running on
// the profile) and to every process below it, found in /proc.

interface ProcessInfo {
  ppid: number;
  cmdline: string;
}

function processTable(): Map<number, ProcessInfo> {
  const table = new Map<number, ProcessInfo>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      table.set(Number(name), { ppid, cmdline });
    } catch {
      // The process ended while we looked.
    }
  }
  return table;
}

/** The browser process on `profile` (a child of this process) and all its descendants, browser first. */
function browserProcessTree(profile: string): number[] {
  const table = processTable();
  const flag = `--user-data-dir=${profile}`;
  const browser = [...table].find(([, info]) => info.ppid === process.pid && info.cmdline.includes(flag));
  if (browser === undefined) return [];
  const tree = [browser[0]];
  for (let index = 0; index < tree.length; index += 1) {
    for (const [pid, info] of table) if (info.ppid === tree[index] && !tree.includes(pid)) tree.push(pid);
  }
  return tree;
}

function profileProcesses(profile: string): number[] {
  return [...processTable()].filter(([, info]) => info.cmdline.includes(profile)).map(([pid]) => pid);
}

function sigkill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** What Chromium left of IndexedDB on the profile: files, and the LevelDB logs / corruption notes. */
function storageDiagnostics(profile: string): string[] {
  const lines: string[] = [];
  const walk = (directory: string, depth: number) => {
    let names: string[] = [];
    try {
      names = readdirSync(directory);
    } catch {
      lines.push(`(no ${directory})`);
      return;
    }
    for (const name of names) {
      const file = path.join(directory, name);
      let size = -1;
      let isDirectory = false;
      try {
        const stat = statSync(file);
        size = stat.size;
        isDirectory = stat.isDirectory();
      } catch {
        // Gone meanwhile.
      }
      lines.push(`${path.relative(profile, file)}${isDirectory ? '/' : ` ${size} B`}`);
      if (isDirectory && depth < 3) walk(file, depth + 1);
      else if (/^(LOG|LOG\.old|corruption_info\.json)$/.test(name)) {
        try {
          for (const line of readFileSync(file, 'utf8').split('\n').slice(-15)) if (line.trim() !== '') lines.push(`    ${line}`);
        } catch {
          // Unreadable.
        }
      }
    }
  };
  walk(path.join(profile, 'Default', 'IndexedDB'), 0);
  return ['storage diagnostics (profile/Default/IndexedDB):', ...lines.slice(0, 80)];
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * True if IndexedDB's LevelDB, on the open just made, appended to the log file it recovered
 * instead of starting a new one (its LOG says "Reusing old log"). (localStorage's LevelDB reuses
 * its log whatever the switch: it sets the option itself.)
 */
function leveldbReusedLog(profile: string): boolean {
  const directories: string[] = [];
  try {
    const indexedDb = path.join(profile, 'Default', 'IndexedDB');
    for (const name of readdirSync(indexedDb)) if (name.endsWith('.leveldb')) directories.push(path.join(indexedDb, name));
  } catch {
    // No IndexedDB yet.
  }
  return directories.some((directory) => {
    try {
      return readFileSync(path.join(directory, 'LOG'), 'utf8').includes('Reusing old log');
    } catch {
      return false;
    }
  });
}

/** Kills the browser hard; returns the number of processes killed. Synchronous: nothing of the page runs in between. */
function killBrowser(profile: string): number {
  const tree = browserProcessTree(profile);
  if (tree.length === 0) throw new Error(`no Chromium process found for ${profile}`);
  for (const pid of tree) sigkill(pid);
  return tree.length;
}

async function waitForProfileProcessesGone(profile: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const left = profileProcesses(profile);
    if (left.length === 0) return;
    for (const pid of left) sigkill(pid);
    await sleep(20);
  }
  throw new Error(`Chromium processes on ${profile} survived SIGKILL`);
}

// ---------------------------------------------------------------------------------------------
// Verification after a relaunch.

interface Sent {
  steps: Step[];
  /** The model's prediction of each step's change, in order. */
  predicted: ModelChange[];
  acks: Map<number, Ack>;
  failures: StepFailure[];
}

interface Checkpoint {
  sequence: number;
  count: number;
}

interface Verification {
  problems: string[];
  lost: number;
  partial: number;
  committedUnacknowledged: number;
  gaps: number;
}

const entryKey = (entry: { featureId: string; operation: string; attachmentId?: string | null; before: Content | null; after: Content | null }) =>
  `${entry.featureId}|${entry.operation}|${entry.attachmentId ?? ''}|${canonical(entry.before)}|${canonical(entry.after)}`;

function sameEntries(found: readonly DumpEntry[], expected: readonly ModelEntry[]): boolean {
  const left = found.map(entryKey).sort();
  const right = expected.map(entryKey).sort();
  return left.length === right.length && left.every((key, index) => key === right[index]);
}

/** Last value per feature of a predicted change. */
function finalValues(change: ModelChange): Map<string, Content | null> {
  const values = new Map<string, Content | null>();
  for (const entry of change.entries) if (entry.operation !== 'attach' && entry.operation !== 'detach') values.set(entry.featureId, entry.after);
  return values;
}

/**
 * Checks the dump against the model and the acknowledgements, and applies to the model the
 * steps found committed. Problems are failures; `lost` and `partial` count changes.
 */
function verify(model: ModelState, checkpoint: Checkpoint, dump: Dump, sent: Sent | null): Verification {
  const problems: string[] = [];
  const result: Verification = { problems, lost: 0, partial: 0, committedUnacknowledged: 0, gaps: 0 };
  const steps = sent?.steps ?? [];
  const acks = sent?.acks ?? new Map<number, Ack>();
  for (const failure of sent?.failures ?? []) problems.push(`step ${failure.step} was refused by the store: ${failure.message}`);

  // Nothing below the checkpoint may change; the tail is made of whole changes, in order.
  if (dump.journalCount !== checkpoint.count + dump.tail.length) problems.push(`journal has ${dump.journalCount} entries; ${checkpoint.count} verified before + ${dump.tail.length} new expected`);
  if (dump.maxSequence < checkpoint.sequence) problems.push(`journal sequence went back from ${checkpoint.sequence} to ${dump.maxSequence}`);
  const groups: DumpEntry[][] = [];
  const seen = new Set<string>();
  let previous = checkpoint.sequence;
  for (const entry of dump.tail) {
    if (entry.sequence <= previous) problems.push(`journal sequence not increasing at #${entry.sequence}`);
    const group = groups[groups.length - 1];
    if (group !== undefined && group[0]?.changeId === entry.changeId) {
      if (entry.sequence !== previous + 1) problems.push(`change ${entry.changeId} is not contiguous in the journal (#${previous} → #${entry.sequence})`);
      group.push(entry);
    } else {
      if (seen.has(entry.changeId)) problems.push(`change ${entry.changeId} interleaved with another change at #${entry.sequence}`);
      if (entry.sequence !== previous + 1) result.gaps += 1;
      seen.add(entry.changeId);
      groups.push([entry]);
    }
    previous = entry.sequence;
  }

  // Which steps the journal holds, by the note every entry carries.
  const stepsInJournal = new Set<number>();
  for (const group of groups) {
    const notes = new Set(group.map((entry) => entry.note));
    const step = stepOfNote(group[0]?.note ?? undefined);
    if (notes.size !== 1 || step === null) problems.push(`change ${group[0]?.changeId} has entries with notes ${[...notes].join(', ')}`);
    else stepsInJournal.add(step);
  }
  for (const [step, ack] of acks) {
    if (!stepsInJournal.has(step)) {
      result.lost += 1;
      problems.push(`LOST: step ${step} (${steps.find((candidate) => candidate.step === step)?.label}) was acknowledged as change ${ack.changeId || '(early ack)'} with ${ack.entryCount} entries, and is not in the journal`);
    }
  }

  // Each change in the journal must be the next step of the script, whole and as predicted.
  let stepIndex = 0;
  for (const group of groups) {
    const step = steps[stepIndex];
    const groupStep = stepOfNote(group[0]?.note ?? undefined);
    if (step === undefined || groupStep !== step.step) {
      problems.push(`journal change ${group[0]?.changeId} (step ${groupStep}) is not the next step of the script (${step?.step ?? 'none sent'})`);
      result.partial += 1;
      break;
    }
    stepIndex += 1;
    const change = applyStep(model, step);
    const changeId = group[0]?.changeId as string;
    change.changeId = changeId;
    const ack = acks.get(step.step);
    if (ack === undefined) result.committedUnacknowledged += 1;
    if (!sameEntries(group, change.entries)) {
      result.partial += 1;
      problems.push(`PARTIAL: step ${step.step} (${step.label}, ${ack === undefined ? 'unacknowledged' : 'acknowledged'}) has ${group.length} journal entries, ${change.entries.length} expected${group.length === change.entries.length ? ' (same count, other values)' : ''}`);
    }
    const expectedLink = change.inverts?.changeId ?? null;
    for (const entry of group) {
      const undoes = change.kind === 'undo' ? expectedLink : null;
      const redoes = change.kind === 'redo' ? expectedLink : null;
      if (entry.undoes !== undoes || entry.redoes !== redoes) {
        problems.push(`step ${step.step} (${step.label}): entry #${entry.sequence} undoes ${entry.undoes} / redoes ${entry.redoes}, expected ${undoes} / ${redoes}`);
        break;
      }
    }
    if (ack !== undefined && ack.changeId !== '') {
      const first = group[0] as DumpEntry;
      const last = group[group.length - 1] as DumpEntry;
      if (ack.changeId !== changeId || ack.entryCount !== group.length || ack.firstSequence !== first.sequence || ack.lastSequence !== last.sequence) {
        problems.push(`step ${step.step}: acknowledged as ${ack.changeId} #${ack.firstSequence}–#${ack.lastSequence} (${ack.entryCount}), journal has ${changeId} #${first.sequence}–#${last.sequence} (${group.length})`);
      }
    }
  }

  // The features, the photos and the undo/redo stacks must be what the committed steps made.
  const stored = new Map(dump.features.map((feature) => [feature.id, feature.content]));
  const live = new Set(liveFeatureIds(model));
  const featureProblems: string[] = [];
  for (const id of live) {
    const value = stored.get(id);
    if (value === undefined) featureProblems.push(`${id} is missing`);
    else if (canonical(value) !== canonical(model.features.get(id))) featureProblems.push(`${id} is ${canonical(value)}, expected ${canonical(model.features.get(id))}`);
  }
  for (const id of stored.keys()) if (!live.has(id)) featureProblems.push(`${id} is present, expected ${model.features.has(id) ? 'deleted' : 'never created'}`);
  if (featureProblems.length > 0) problems.push(`${featureProblems.length} features differ from the committed steps: ${featureProblems.slice(0, 4).join('; ')}`);
  // A change half-present: its journal entries without its feature values, or the reverse.
  if (featureProblems.length > 0 || dump.chainProblems.length > 0) result.partial += 1;

  const photoProblems: string[] = [];
  const storedPhotos = new Map(dump.attachments.map((attachment) => [attachment.id, attachment]));
  for (const [id, expected] of model.attachments) {
    const photo = storedPhotos.get(id);
    if (photo === undefined) photoProblems.push(`photo ${id} is missing`);
    else if (photo.featureId !== expected.featureId || photo.attached !== expected.attached || photo.byteSize !== expected.byteSize) {
      photoProblems.push(`photo ${id}: ${photo.featureId} ${photo.attached ? 'attached' : 'detached'} ${photo.byteSize} B, expected ${expected.featureId} ${expected.attached ? 'attached' : 'detached'} ${expected.byteSize} B`);
    } else if (photo.hash !== bytesHash(photoBytes(id, expected.byteSize))) photoProblems.push(`photo ${id}: bytes differ`);
  }
  for (const id of storedPhotos.keys()) if (!model.attachments.has(id)) photoProblems.push(`photo ${id} is present, expected never attached`);
  if (photoProblems.length > 0) problems.push(`${photoProblems.length} photos differ: ${photoProblems.slice(0, 4).join('; ')}`);

  for (const problem of dump.chainProblems.slice(0, 4)) problems.push(`journal chain: ${problem}`);
  if (dump.chainProblems.length > 4) problems.push(`journal chain: and ${dump.chainProblems.length - 4} more`);

  const undoTop = model.undo[model.undo.length - 1]?.changeId ?? null;
  const redoTop = model.redo[model.redo.length - 1]?.changeId ?? null;
  if (dump.undoTop !== undoTop || dump.redoTop !== redoTop) problems.push(`undo/redo tops ${dump.undoTop} / ${dump.redoTop}, expected ${undoTop} / ${redoTop}`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// One browser life: launch on the profile, open the store, verify, edit until killed.

interface Session {
  context: BrowserContext;
  page: Page;
  closed: Promise<void>;
}

async function launch(
  profile: string,
  url: string,
  onAck: (ack: Ack) => void,
  onFailure: (failure: StepFailure) => void,
  logFile: string | null,
  mitigation: boolean,
): Promise<Session> {
  // ONEMAP_KILL_CHROMIUM_ARGS: extra switches for diagnosis, e.g. "--enable-logging=stderr --v=1" (with DEBUG=pw:browser).
  const extra = [...KILL_TEST_ARGUMENTS, ...desktopArguments(mitigation), ...(process.env.ONEMAP_KILL_CHROMIUM_ARGS ?? '').split(' ').filter((argument) => argument !== '')];
  if (logFile !== null) extra.push('--enable-logging', `--log-file=${logFile}`, '--vmodule=*indexed_db*=3,*quota*=3,*bucket*=3,*storage*=2,*leveldb*=3,*backing_store*=3');
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumExecutable(), args: [...offlineChromiumArguments, ...extra], headless: true });
  const closed = new Promise<void>((resolve) => context.on('close', () => resolve()));
  await context.exposeBinding('killTestAck', (_source, ack: Ack) => onAck(ack));
  await context.exposeBinding('killTestFailure', (_source, failure: StepFailure) => onFailure(failure));
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.waitForFunction(() => document.title === 'kill-test ready');
  return { context, page, closed };
}

type KillMode = 'on-ack' | 'after-ack' | 'timer';

interface KillPlan {
  mode: KillMode;
  /** on-ack / after-ack: the acknowledgement count that triggers the kill. */
  acks: number;
  /** after-ack: delay after that ack; timer: delay after the script starts. */
  delayMs: number;
}

function planKill(seed: number, cycle: number, maxAcks: number): KillPlan {
  const random = seededRandom(seed, cycle, 0x6b696c6c);
  const mode = pick<KillMode>(random, ['on-ack', 'after-ack', 'timer']);
  if (mode === 'timer') return { mode, acks: 1, delayMs: randomInt(random, 0, 1200) };
  return { mode, acks: randomInt(random, 1, maxAcks), delayMs: mode === 'after-ack' ? randomInt(random, 0, 25) : 0 };
}

/** Runs the kill cycles; never throws for a failed verification (see `failures`). */
export async function runKillCycles(options: KillCycleOptions): Promise<KillCycleReport> {
  const started = Date.now();
  const root = options.root ?? path.resolve(here, '..', '..', '..');
  const log = options.log ?? (() => {});
  const sabotage = options.sabotage ?? 'none';
  const cyclesPerDatabase = options.cyclesPerDatabase ?? 100;
  const maxAcks = options.maxAcksPerCycle ?? 40;
  const mitigation = options.mitigation ?? process.env.ONEMAP_KILL_CHROMIUM_DEFAULTS !== '1';
  const report: KillCycleReport = {
    seed: options.seed,
    sabotage,
    cycles: 0,
    acknowledgedChanges: 0,
    acknowledgedEntries: 0,
    lost: 0,
    partial: 0,
    committedUnacknowledged: 0,
    sequenceGaps: 0,
    databaseWipes: 0,
    wipesDetected: 0,
    lostInDetectedWipes: 0,
    logReuses: 0,
    mitigation,
    killModes: {},
    failures: [],
    seconds: 0,
    timings: { launch: 0, verify: 0, edit: 0, kill: 0 },
  };
  const snapshotDir = options.snapshotDir ?? process.env.ONEMAP_RELIABILITY_SNAPSHOT ?? null;
  if (snapshotDir !== null) await mkdir(snapshotDir, { recursive: true });
  const keptLogs = new Set<number>();
  const work = await mkdtemp(path.join(tmpdir(), 'onemap-kill-test-'));
  const profile = path.join(work, 'profile');
  let server: Server | null = null;
  let session: Session | null = null;
  try {
    await bundlePage(root, path.join(work, 'site'), sabotage);
    const served = await serve(path.join(work, 'site'));
    server = served.server;
    log(`kill test: seed ${options.seed}, ${options.cycles} cycles, sabotage ${sabotage}, profile ${profile}, page ${served.url}`);

    let databaseNumber = 0;
    let databaseName = 'kill-test-0';
    let obsolete: string[] = [];
    let model = initialModel();
    let checkpoint: Checkpoint = { sequence: 0, count: 0 };
    let cyclesOnDatabase = 0;
    let sent: Sent | null = null;
    let current: Sent | null = null;

    const newDatabase = () => {
      obsolete = [databaseName];
      databaseNumber += 1;
      databaseName = `kill-test-${databaseNumber}`;
      model = initialModel();
      checkpoint = { sequence: 0, count: 0 };
      cyclesOnDatabase = 0;
    };

    for (let cycle = 0; cycle <= options.cycles; cycle += 1) {
      // Launch on the profile (killed before, except the first time) and verify.
      let phase = Date.now();
      let killed: (() => void) | null = null;
      let onAckCount: ((count: number) => void) | null = null;
      session = await launch(
        profile,
        served.url,
        (ack) => {
          // Recorded the moment it arrives: from here on the change counts as acknowledged.
          if (current === null || current.acks.has(ack.step)) return;
          current.acks.set(ack.step, ack);
          report.acknowledgedChanges += 1;
          report.acknowledgedEntries += ack.entryCount;
          const index = current.steps.findIndex((step) => step.step === ack.step);
          const predicted = current.predicted[index];
          if (predicted !== undefined && ack.changeId !== '') {
            const expected = finalValues(predicted);
            const differs = ack.features.length !== expected.size || ack.features.some((feature) => !expected.has(feature.id) || canonical(expected.get(feature.id)) !== canonical(feature.content));
            if (differs) current.failures.push({ step: ack.step, message: `committed values differ from the model's (ack ${JSON.stringify(ack.features).slice(0, 300)})` });
          }
          onAckCount?.(current.acks.size);
        },
        (failure) => current?.failures.push(failure),
        snapshotDir === null ? null : path.join(snapshotDir, `chromium-${cycle}.log`),
        mitigation,
      );
      const { page } = session;
      const opened = await page.evaluate(([name, old]) => window.killTest.open(name, old), [databaseName, obsolete] as const);
      obsolete = [];
      if (cycle > 0 && leveldbReusedLog(profile)) report.logReuses += 1;
      report.timings.launch += (Date.now() - phase) / 1000;
      phase = Date.now();

      const dump = await page.evaluate((after) => window.killTest.dump(after), checkpoint.sequence);
      const verification = verify(model, checkpoint, dump, sent);
      const wiped = dump.journalCount < checkpoint.count || dump.maxSequence < checkpoint.sequence;
      const before = checkpoint;
      if (opened.loss !== null && !wiped && before.sequence > 0) {
        verification.problems.push(`the store-loss check reported a loss that did not happen: ${opened.loss.text}`);
      }
      report.lost += verification.lost;
      report.partial += verification.partial;
      report.committedUnacknowledged += verification.committedUnacknowledged;
      report.sequenceGaps += verification.gaps;
      checkpoint = { sequence: dump.maxSequence, count: dump.journalCount };
      report.timings.verify += (Date.now() - phase) / 1000;
      const acked = sent?.acks.size ?? 0;
      if (cycle > 0) {
        log(
          `cycle ${cycle}/${options.cycles}: ${acked} acknowledged, ${verification.committedUnacknowledged} committed unacknowledged, ` +
            `${verification.lost} lost, ${verification.partial} partial; journal ${dump.journalCount} entries${verification.problems.length > 0 ? ' — FAILED' : ''}`,
        );
      }
      if (verification.problems.length > 0) {
        if (wiped) {
          report.databaseWipes += 1;
          if (opened.loss !== null) {
            report.wipesDetected += 1;
            report.lostInDetectedWipes += verification.lost;
          }
          verification.problems.unshift(
            `DATABASE WIPED: the journal went from ${before.count} entries (up to #${before.sequence}) to ${dump.journalCount} — ` +
              (opened.loss === null
                ? 'LOST SILENTLY: the store-loss check at open saw nothing'
                : `detected and reported at open by the store-loss check (${opened.loss.detectedBy.join(' + ')}): ${opened.loss.text}`) +
              `; Chromium ${mitigation ? 'WITH' : 'without'} ${LEVELDB_SAFE_ARGUMENTS.join(' ')}; see the storage diagnostics below`,
          );
          verification.problems.push(...storageDiagnostics(profile));
          if (snapshotDir !== null) {
            const before = path.join(snapshotDir, `wipe-${cycle}-before`);
            await rename(path.join(snapshotDir, 'last-kill'), before).catch(() => {});
            await cp(profile, path.join(snapshotDir, `wipe-${cycle}-after`), { recursive: true });
            keptLogs.add(cycle - 1).add(cycle);
            verification.problems.push(`snapshots: ${before} (the profile as the kill left it) and ${before.replace(/-before$/, '-after')}; Chromium logs ${snapshotDir}/chromium-${cycle - 1}.log, chromium-${cycle}.log`);
          }
        }
        report.failures.push({ cycle, problems: verification.problems });
        for (const problem of verification.problems.slice(0, wiped ? 100 : 8)) log(`  ${problem}`);
        if (options.maxFailures !== undefined && report.failures.length >= options.maxFailures) break;
        // The model no longer knows what the store holds: continue on a fresh database.
        newDatabase();
        await page.evaluate(([name, old]) => window.killTest.open(name, old), [databaseName, obsolete] as const);
        obsolete = [];
        const fresh = await page.evaluate(() => window.killTest.dump(0));
        checkpoint = { sequence: fresh.maxSequence, count: fresh.journalCount };
      }
      report.cycles = cycle;
      if (cycle === options.cycles) break;

      // The next part of the script, and where to kill.
      phase = Date.now();
      cyclesOnDatabase += 1;
      if (cyclesOnDatabase > cyclesPerDatabase) {
        newDatabase();
        cyclesOnDatabase = 1;
        await page.evaluate(([name, old]) => window.killTest.open(name, old), [databaseName, obsolete] as const);
        obsolete = [];
      }
      const plan = planKill(options.seed, cycle, maxAcks);
      report.killModes[plan.mode] = (report.killModes[plan.mode] ?? 0) + 1;
      const random = seededRandom(options.seed, cycle);
      const simulation = cloneModel(model);
      const batch: Step[] = [];
      const predicted: ModelChange[] = [];
      const length = plan.mode === 'timer' ? 400 : plan.acks + 150;
      for (let index = 0; index < length; index += 1) {
        const step = nextStep(simulation, random);
        batch.push(step);
        predicted.push(applyStep(simulation, step));
      }
      current = { steps: batch, predicted, acks: new Map(), failures: [] };
      sent = current;

      const target = profile;
      const done = new Promise<void>((resolve) => {
        killed = resolve;
      });
      let processes = 0;
      const kill = () => {
        if (killed === null) return;
        const finish = killed;
        killed = null;
        processes = killBrowser(target);
        current = null; // acks that arrive after the kill do not count
        finish();
      };
      // timer: counted from the first acknowledgement (the first change after a launch is slow).
      onAckCount = (count) => {
        if (count !== (plan.mode === 'timer' ? 1 : plan.acks)) return;
        if (plan.mode === 'on-ack') kill();
        else setTimeout(kill, plan.delayMs);
      };
      const watchdog = setTimeout(() => {
        log(`  cycle ${cycle + 1}: no kill point after 60 s; killing now`);
        kill();
      }, 60_000);
      const running = page
        .evaluate(([steps, early]) => (early ? window.killTest.runAckingEarly(steps) : window.killTest.run(steps)), [batch, sabotage === 'ack-before-transact'] as const)
        .then(
          (count) => {
            // The script ran out (or a step failed) before the kill point: kill now.
            if (killed !== null) log(`  cycle ${cycle + 1}: the page stopped after ${count} steps before the kill point; killing now`);
            kill();
          },
          () => kill(),
        );
      await done;
      clearTimeout(watchdog);
      report.timings.edit += (Date.now() - phase) / 1000;
      phase = Date.now();
      await running;
      await Promise.race([session.closed, sleep(5_000)]);
      await session.context.close().catch(() => {});
      session = null;
      await waitForProfileProcessesGone(target);
      if (snapshotDir !== null) {
        const copy = path.join(snapshotDir, 'last-kill');
        await rm(copy, { recursive: true, force: true });
        await cp(profile, copy, { recursive: true });
        if (!keptLogs.has(cycle - 1)) await rm(path.join(snapshotDir, `chromium-${cycle - 1}.log`), { force: true });
      }
      report.timings.kill += (Date.now() - phase) / 1000;
      if (processes === 0) throw new Error('nothing was killed');
      log(`  cycle ${cycle + 1}: killed ${processes} Chromium processes (${plan.mode}${plan.mode === 'timer' ? ` ${plan.delayMs} ms after the first ack` : ` at ack ${plan.acks}${plan.mode === 'after-ack' ? ` + ${plan.delayMs} ms` : ''}`})`);
    }
  } finally {
    if (session !== null) await session.context.close().catch(() => {});
    server?.close();
    await waitForProfileProcessesGone(profile).catch(() => {});
    await rm(work, { recursive: true, force: true });
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

export function describeReport(report: KillCycleReport): string {
  const perCycle = (value: number) => (report.cycles === 0 ? 0 : value / report.cycles).toFixed(2);
  return [
    `kill test: seed ${report.seed}, sabotage ${report.sabotage}, ${report.cycles} kill cycles in ${report.seconds.toFixed(0)} s (kill modes ${JSON.stringify(report.killModes)})`,
    `edits acknowledged: ${report.acknowledgedChanges} changes (${report.acknowledgedEntries} journal entries)`,
    `lost: ${report.lost} (silently: ${report.lost - report.lostInDetectedWipes}, in wipes detected and reported at open: ${report.lostInDetectedWipes})   partial: ${report.partial}   committed but unacknowledged (allowed): ${report.committedUnacknowledged}   sequence gaps: ${report.sequenceGaps}`,
    `whole-database wipes: ${report.databaseWipes} (detected and reported: ${report.wipesDetected}, silent: ${report.databaseWipes - report.wipesDetected})   ` +
      `Chromium ${report.mitigation ? `with ${LEVELDB_SAFE_ARGUMENTS.join(' ')}` : 'defaults (no mitigation)'}; launches where LevelDB reused its log: ${report.logReuses}`,
    `failed cycles: ${report.failures.length}`,
    `per cycle (s): launch ${perCycle(report.timings.launch)}, verify ${perCycle(report.timings.verify)}, edit ${perCycle(report.timings.edit)}, kill ${perCycle(report.timings.kill)}`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The torn log tail, on purpose: what a kill between LevelDB's two write() calls for one log
// record (header, then payload) leaves, made deterministic instead of waiting ~1 in 100 kills.

export interface TornLogReport {
  mitigation: boolean;
  /** The log file the 7-byte record header (and no payload) was appended to. */
  tornFile: string;
  /** Whether LevelDB appended after the torn record on the next open ("Reusing old log"). */
  reusedLogAfterTear: boolean;
  /** Changes acknowledged after the tear (the ones a wipe on the following open destroys). */
  acknowledgedChanges: number;
  lost: number;
  partial: number;
  /** The final open found the database gone. */
  wiped: boolean;
  /** What the store-loss check reported on the final open (null: nothing). */
  loss: { detectedBy: ('browser' | 'marker')[]; text: string } | null;
  problems: string[];
  seconds: number;
}

/** Appends a log-record header promising `length` bytes and no payload to the newest IndexedDB log. */
async function tearLevelDbLog(profile: string, length = 854): Promise<string> {
  const indexedDb = path.join(profile, 'Default', 'IndexedDB');
  const directory = readdirSync(indexedDb).find((name) => name.endsWith('.indexeddb.leveldb'));
  if (directory === undefined) throw new Error(`no IndexedDB LevelDB directory in ${indexedDb}`);
  const logs = readdirSync(path.join(indexedDb, directory))
    .filter((name) => /^\d+\.log$/.test(name))
    .sort();
  const newest = logs[logs.length - 1];
  if (newest === undefined) throw new Error(`no LevelDB log file in ${directory}`);
  // LevelDB log record header: masked CRC32C (4 bytes, any value: never checked, the payload
  // never arrives), length (2, little-endian), type 1 = FULL.
  const header = Buffer.alloc(7);
  header.writeUInt32LE(0x12345678, 0);
  header.writeUInt16LE(length, 4);
  header.writeUInt8(1, 6);
  const file = path.join(indexedDb, directory, newest);
  await writeFile(file, header, { flag: 'a' });
  return file;
}

/**
 * Edits, kills, tears the IndexedDB log tail as a kill mid-record does, relaunches (LevelDB
 * recovers, dropping the torn record), edits and kills again, relaunches and verifies. Without
 * the mitigation Chromium reuses the log and the last open finds the store corrupt and deletes it
 * (which the store-loss check must report); with it nothing may be lost.
 */
export async function runTornLogCheck(options: { mitigation: boolean; seed?: number; root?: string; log?: (line: string) => void }): Promise<TornLogReport> {
  const started = Date.now();
  const root = options.root ?? path.resolve(here, '..', '..', '..');
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 4242;
  const work = await mkdtemp(path.join(tmpdir(), 'onemap-torn-log-'));
  const profile = path.join(work, 'profile');
  const databaseName = 'torn-log';
  let server: Server | null = null;
  const live: { session: Session | null } = { session: null };
  const report: TornLogReport = { mitigation: options.mitigation, tornFile: '', reusedLogAfterTear: false, acknowledgedChanges: 0, lost: 0, partial: 0, wiped: false, loss: null, problems: [], seconds: 0 };
  try {
    await bundlePage(root, path.join(work, 'site'), 'none');
    const served = await serve(path.join(work, 'site'));
    server = served.server;
    const model = initialModel();
    let checkpoint: Checkpoint = { sequence: 0, count: 0 };
    let sent: Sent | null = null;

    const life = async (index: number, edit: boolean) => {
      const current: Sent = { steps: [], predicted: [], acks: new Map(), failures: [] };
      const session = await launch(profile, served.url, (ack) => current.acks.set(ack.step, ack), (failure) => current.failures.push(failure), null, options.mitigation);
      live.session = session;
      const { page } = session;
      const opened = await page.evaluate((name) => window.killTest.open(name, []), databaseName);
      const reused = index > 0 && leveldbReusedLog(profile);
      const dump = await page.evaluate((after) => window.killTest.dump(after), checkpoint.sequence);
      const verification = verify(model, checkpoint, dump, sent);
      const wiped = dump.journalCount < checkpoint.count || dump.maxSequence < checkpoint.sequence;
      checkpoint = { sequence: dump.maxSequence, count: dump.journalCount };
      log(`torn-log check, life ${index}: journal ${dump.journalCount} entries, ${verification.lost} lost, ${verification.partial} partial${wiped ? ', WIPED' : ''}${opened.loss === null ? '' : `; store-loss check: ${opened.loss.text}`}${reused ? '; LevelDB reused its log' : ''}`);
      if (edit) {
        const random = seededRandom(seed, index);
        const simulation = cloneModel(model);
        for (let step = 0; step < 25; step += 1) {
          const next = nextStep(simulation, random);
          current.steps.push(next);
          current.predicted.push(applyStep(simulation, next));
        }
        const done = await page.evaluate((steps) => window.killTest.run(steps), current.steps);
        if (done !== current.steps.length) throw new Error(`torn-log check: the page stopped after ${done} of ${current.steps.length} steps: ${JSON.stringify(current.failures).slice(0, 300)}`);
        // Chromium writes localStorage to disk some seconds after a change: give the store-loss
        // marker time to get there, so that the check also shows the marker's half of the detection.
        if (index === 1 && !options.mitigation) await sleep(6_000);
        // Every ack has arrived (the page awaits nothing, but its run() awaited every commit and
        // the bindings are delivered in order before run()'s result).
        killBrowser(profile);
        await Promise.race([session.closed, sleep(5_000)]);
        await session.context.close().catch(() => {});
        live.session = null;
        await waitForProfileProcessesGone(profile);
        sent = current;
      } else {
        await session.context.close();
        live.session = null;
        await waitForProfileProcessesGone(profile);
      }
      return { opened, verification, wiped, reused, acknowledged: current.acks.size };
    };

    await life(0, true);
    report.tornFile = await tearLevelDbLog(profile);
    log(`torn-log check: appended a 7-byte record header (854 B promised, none written) to ${path.relative(work, report.tornFile)}`);
    const second = await life(1, true);
    report.reusedLogAfterTear = second.reused;
    report.acknowledgedChanges = second.acknowledged;
    report.problems.push(...second.verification.problems.map((problem) => `after the tear: ${problem}`));
    const third = await life(2, false);
    report.lost = second.verification.lost + third.verification.lost;
    report.partial = second.verification.partial + third.verification.partial;
    report.wiped = second.wiped || third.wiped;
    report.loss = third.opened.loss ?? second.opened.loss;
    report.problems.push(...third.verification.problems);
    if (third.opened.loss !== null && !third.wiped) report.problems.push(`the store-loss check reported a loss that did not happen: ${third.opened.loss.text}`);
  } finally {
    if (live.session !== null) await live.session.context.close().catch(() => {});
    server?.close();
    await waitForProfileProcessesGone(profile).catch(() => {});
    await rm(work, { recursive: true, force: true });
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}
