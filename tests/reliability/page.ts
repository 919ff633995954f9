// The kill test's page (bundled with esbuild by tests/e2e/helpers/reliability.ts and served on
// 127.0.0.1): the real store (renderer/src/db) in real Chromium. `window.killTest.run(steps)`
// applies the edit script with transact/undo/redo and reports every committed change to the
// runner the moment its promise resolves (`window.killTestAck`, a Playwright binding);
// `window.killTest.dump()` reads back what the runner verifies after a relaunch.
import {
  OneMapDatabase,
  getFeatures,
  openDatabase,
  readLayerFeatures,
  redo,
  seed,
  transact,
  undo,
  undoState,
  type CommittedChange,
  type FeatureOperation,
  type StoredJournalEntry,
} from '../../renderer/src/db';
import type { Feature, GeoJsonFeature } from '../../shared/model';
import {
  checkStoreLoss,
  describeStoreLoss,
  raiseStoreMarker,
  readStoreMarker,
  resetStoreMarker,
  watchDataLoss,
} from '../../renderer/src/db/store-loss';
import { KILL_AUTHOR, KILL_LAYER_ID, bytesHash, canonical, contentOf, killLayer, photoBytes, seedContents, stepNote, type Content, type Step, type StepOperation } from './model';

/** What the page reports for every change whose transact/undo/redo promise resolved. */
export interface Ack {
  step: number;
  changeId: string;
  entryCount: number;
  firstSequence: number;
  lastSequence: number;
  /** Final value of every feature the change touched. */
  features: { id: string; content: Content | null }[];
  attachments: { id: string; attached: boolean }[];
}

export interface StepFailure {
  step: number;
  message: string;
}

/** A journal entry as the runner checks it. */
export interface DumpEntry {
  sequence: number;
  id: string;
  changeId: string;
  note: string | null;
  layerId: string;
  featureId: string;
  operation: StoredJournalEntry['operation'];
  attachmentId: string | null;
  before: Content | null;
  after: Content | null;
  undoes: string | null;
  redoes: string | null;
}

export interface Dump {
  journalCount: number;
  maxSequence: number;
  /** Journal entries above the given sequence, in order. */
  tail: DumpEntry[];
  /** Current features of the layer. */
  features: { id: string; content: Content }[];
  /**
   * For every feature the tail touches: its journal chain (each entry's `before` is the previous
   * entry's `after`, revisions +1) and its current value equal to its last entry's `after`.
   */
  chainProblems: string[];
  attachments: { id: string; layerId: string; featureId: string; attached: boolean; byteSize: number; hash: string; hasThumbnail: boolean }[];
  undoTop: string | null;
  redoTop: string | null;
}

let database: OneMapDatabase | null = null;
/** Chromium's data-loss report of every open this page makes (see renderer/src/db/store-loss.ts). */
const lossWatch = watchDataLoss();

/** What `open` found: whether it seeded, and a store-loss report if the store was emptied. */
export interface Opened {
  seeded: boolean;
  /** null: no loss detected. Else who saw it (the browser's report, the marker) and the text. */
  loss: { detectedBy: ('browser' | 'marker')[]; text: string } | null;
}

function db(): OneMapDatabase {
  if (database === null) throw new Error('killTest.open() first');
  return database;
}

function toOperation(operation: StepOperation): FeatureOperation {
  const layerId = KILL_LAYER_ID;
  switch (operation.kind) {
    case 'create':
      return { kind: 'create', layerId, feature: { id: operation.featureId, geometry: operation.content.geometry, properties: operation.content.properties, status: operation.content.status } };
    case 'update':
      return { kind: 'update', layerId, featureId: operation.featureId, properties: operation.properties, ...(operation.status === undefined ? {} : { status: operation.status }) };
    case 'update-geometry':
      return { kind: 'update-geometry', layerId, featureId: operation.featureId, geometry: operation.geometry };
    case 'delete':
      return { kind: 'delete', layerId, featureId: operation.featureId };
    case 'attach': {
      const bytes = photoBytes(operation.attachmentId, operation.byteSize);
      return {
        kind: 'attach',
        layerId,
        featureId: operation.featureId,
        attachment: {
          id: operation.attachmentId,
          blob: new Blob([bytes as BlobPart], { type: 'image/jpeg' }),
          fileName: `${operation.attachmentId}.jpg`,
          mediaType: 'image/jpeg',
          thumbnail: operation.withThumbnail ? new Blob([bytes.slice(0, 32) as BlobPart], { type: 'image/jpeg' }) : null,
        },
      };
    }
    case 'detach':
      return { kind: 'detach', layerId, featureId: operation.featureId, attachmentId: operation.attachmentId };
  }
}

async function runStep(step: Step): Promise<CommittedChange | null> {
  const note = stepNote(step.step);
  if (step.action !== 'change') return (step.action === 'undo' ? undo : redo)(db(), { author: KILL_AUTHOR, note });
  return transact(db(), { author: KILL_AUTHOR, note, operations: step.operations.map(toOperation) });
}

const dumpContent = (feature: Feature | null): Content | null => contentOf(feature);

function dumpEntry(entry: StoredJournalEntry): DumpEntry {
  return {
    sequence: entry.sequence,
    id: entry.id,
    changeId: entry.changeId,
    note: entry.note ?? null,
    layerId: entry.layerId,
    featureId: entry.featureId,
    operation: entry.operation,
    attachmentId: entry.attachment?.id ?? null,
    before: dumpContent(entry.before),
    after: dumpContent(entry.after),
    undoes: entry.undoes ?? null,
    redoes: entry.redoes ?? null,
  };
}

/** The revision a feature entry leaves (a delete leaves a tombstone one above `before`). */
const revisionAfter = (entry: StoredJournalEntry): number => entry.after?.revision ?? (entry.before as Feature).revision + 1;

async function chainProblems(tail: readonly StoredJournalEntry[]): Promise<string[]> {
  const problems: string[] = [];
  const touched = new Map<string, number>();
  for (const entry of tail) if (entry.layerId === KILL_LAYER_ID) touched.set(entry.featureId, (touched.get(entry.featureId) ?? 0) + 1);
  if (touched.size === 0) return problems;
  const current = await getFeatures(db(), KILL_LAYER_ID, [...touched.keys()]);
  const seeded = seedContents();
  for (const [featureId, tailCount] of touched) {
    // The feature's tail entries plus the one before them (newest first, by primary key).
    const newest = await db().journal.where('[layerId+featureId]').equals([KILL_LAYER_ID, featureId]).reverse().limit(tailCount + 1).toArray();
    const entries = newest.reverse().filter((entry) => entry.operation !== 'attach' && entry.operation !== 'detach');
    if (entries.length === 0) continue;
    const first = entries[0] as StoredJournalEntry;
    if (newest.length === tailCount && first.before !== null) {
      // The tail holds the feature's whole history: it starts from the seed.
      const seed = seeded.get(featureId);
      if (seed === undefined || canonical(contentOf(first.before)) !== canonical(seed) || first.before.revision !== 1) problems.push(`${featureId}: first entry #${first.sequence} does not start from the seed`);
    }
    for (let index = 1; index < entries.length; index += 1) {
      const previous = entries[index - 1] as StoredJournalEntry;
      const entry = entries[index] as StoredJournalEntry;
      if (canonical(previous.after) !== canonical(entry.before)) problems.push(`${featureId}: entry #${entry.sequence} before ≠ entry #${previous.sequence} after`);
      if (revisionAfter(entry) !== revisionAfter(previous) + 1) problems.push(`${featureId}: revision ${revisionAfter(previous)} → ${revisionAfter(entry)} at #${entry.sequence}`);
    }
    const last = entries[entries.length - 1] as StoredJournalEntry;
    const value = current.get(featureId) ?? null;
    if (canonical(value) !== canonical(last.after)) problems.push(`${featureId}: current value ≠ after of its last journal entry #${last.sequence}`);
  }
  return problems;
}

const killTest = {
  /** Opens (and on first use seeds) the database; deletes the databases of earlier epochs. */
  async open(name: string, obsolete: readonly string[]): Promise<Opened> {
    for (const old of obsolete) {
      await new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase(old);
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error);
      });
      resetStoreMarker(old, 0);
    }
    database = await openDatabase(new OneMapDatabase(name, { indexedDB: lossWatch.factory }));
    // The store-loss check, as the app makes it at start-up: before seeding or writing anything.
    const last = await database.journal.orderBy(':id').last();
    const report = checkStoreLoss({ databaseName: name, journalMaxSequence: last?.sequence ?? 0, marker: readStoreMarker(name), browserReport: lossWatch.reportFor(name) });
    const loss = report === null ? null : { detectedBy: report.detectedBy, text: describeStoreLoss(report) };
    if (report !== null) resetStoreMarker(name, last?.sequence ?? 0); // reported once; the runner starts over
    if ((await database.layerBases.get(KILL_LAYER_ID)) !== undefined) return { seeded: false, loss };
    const features: GeoJsonFeature[] = [...seedContents()].map(([id, content]) => ({
      type: 'Feature',
      id,
      geometry: content.geometry,
      properties: { ...content.properties, status: content.status },
    }));
    await seed(database, { layers: [killLayer], demoCollections: [{ layer: KILL_LAYER_ID, features }], time: new Date('2021-06-30T00:00:00Z') });
    return { seeded: true, loss };
  },

  /** Everything the runner verifies after a relaunch. */
  async dump(afterSequence: number): Promise<Dump> {
    const journal = db().journal;
    const [journalCount, lastEntry, tail] = await Promise.all([journal.count(), journal.orderBy(':id').last(), journal.where(':id').above(afterSequence).toArray()]);
    const features = (await readLayerFeatures(db(), KILL_LAYER_ID)).map((feature) => ({ id: feature.id, content: contentOf(feature) as Content }));
    const attachments = [];
    for (const record of await db().attachments.toArray()) {
      attachments.push({
        id: record.id,
        layerId: record.layerId,
        featureId: record.featureId,
        attached: record.removedAt === null,
        byteSize: record.byteSize,
        hash: bytesHash(new Uint8Array(await record.blob.arrayBuffer())),
        hasThumbnail: record.thumbnail !== null,
      });
    }
    const state = await undoState(db());
    return {
      journalCount,
      maxSequence: lastEntry?.sequence ?? 0,
      tail: tail.map(dumpEntry),
      features,
      chainProblems: await chainProblems(tail),
      attachments,
      undoTop: state.undo?.changeId ?? null,
      redoTop: state.redo?.changeId ?? null,
    };
  },

  /** Runs the steps one after another, acknowledging each as soon as its promise resolves. */
  async run(steps: readonly Step[]): Promise<number> {
    let done = 0;
    for (const step of steps) {
      let committed: CommittedChange | null;
      try {
        committed = await runStep(step);
        if (committed === null) throw new Error(`nothing to ${step.action}`);
        // The app raises the marker after every committed change (renderer/src/db/store-loss.ts).
        raiseStoreMarker(db().name, committed.entries[committed.entries.length - 1]?.sequence ?? 0);
      } catch (error) {
        void window.killTestFailure?.({ step: step.step, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
        return done;
      }
      // Sent at once, not awaited: the runner records it when it arrives, and may kill right then.
      void window.killTestAck?.({
        step: step.step,
        changeId: committed.changeId,
        entryCount: committed.entries.length,
        firstSequence: committed.entries[0]?.sequence ?? -1,
        lastSequence: committed.entries[committed.entries.length - 1]?.sequence ?? -1,
        features: committed.features.map((feature) => ({ id: feature.featureId, content: contentOf(feature.feature) })),
        attachments: committed.attachments.map((attachment) => ({ id: attachment.id, attached: attachment.attached })),
      });
      done += 1;
    }
    return done;
  },

  /**
   * Sabotage `ack-before-transact` (kill-cycles.mjs --sabotage): reports each change as saved
   * when it starts it, before the store commits — what the kill test must catch.
   */
  async runAckingEarly(steps: readonly Step[]): Promise<number> {
    let done = 0;
    for (const step of steps) {
      void window.killTestAck?.({ step: step.step, changeId: '', entryCount: 0, firstSequence: -1, lastSequence: -1, features: [], attachments: [] });
      try {
        const committed = await runStep(step);
        if (committed === null) throw new Error(`nothing to ${step.action}`);
        raiseStoreMarker(db().name, committed.entries[committed.entries.length - 1]?.sequence ?? 0);
      } catch (error) {
        void window.killTestFailure?.({ step: step.step, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
        return done;
      }
      done += 1;
    }
    return done;
  },
};

export type KillTestPage = typeof killTest;

declare global {
  interface Window {
    killTest: KillTestPage;
    killTestAck?: (ack: Ack) => Promise<void>;
    killTestFailure?: (failure: StepFailure) => Promise<void>;
  }
}

window.killTest = killTest;
document.title = 'kill-test ready';
