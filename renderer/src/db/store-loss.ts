// Detecting a store that the browser emptied behind our back.
//
// Chromium deletes an origin's whole IndexedDB when it judges the LevelDB files corrupt on open
// (its "recovering from a corrupted (and deleted) database" path). A hard kill (crash, power
// cut, task-manager kill) at the wrong instant can cause that: LevelDB's `reuse_logs` appends new
// records after a record half-written when the process died, and the next open reads garbage
// ("checksum mismatch"). See tests/reliability/README.md. The open then SUCCEEDS on a brand-new
// empty database, so without a check the app would silently re-seed and carry on.
//
// Two independent signals, either is enough:
// 1. the browser's own report: Chromium sets `dataLoss: 'total'` (and `dataLossMessage`) on the
//    `upgradeneeded` event of the open that recreated the database. `watchDataLoss()` wraps the
//    IDBFactory given to Dexie to record it (Dexie does not pass it on);
// 2. a marker kept OUTSIDE IndexedDB (localStorage by default) with the highest journal sequence
//    the store is known to have committed. If the journal now ends below it, data is gone,
//    whatever the cause (corruption recovery, eviction, someone clearing site data).
//
// Self-contained: no Dexie, no UI. The caller shows the message and offers a restore.

/** Chromium's `IDBVersionChangeEvent.dataLoss` (not in the standard DOM typings). */
export type BrowserDataLoss = 'none' | 'total';

export interface BrowserDataLossReport {
  status: BrowserDataLoss;
  /** e.g. "IndexedDB (database was corrupt): checksum mismatch". */
  message: string;
  databaseName: string;
}

/** Records the browser's data-loss report of every open made through `factory`. */
export interface DataLossWatch {
  /** Give this to Dexie: `new OneMapDatabase(name, { indexedDB: watch.factory, IDBKeyRange })`. */
  readonly factory: IDBFactory;
  /** The last total-loss report for `databaseName` since the watch started (null: none). */
  reportFor(databaseName: string): BrowserDataLossReport | null;
}

export function watchDataLoss(factory: IDBFactory = indexedDB): DataLossWatch {
  const reports = new Map<string, BrowserDataLossReport>();
  const open = (name: string, version?: number): IDBOpenDBRequest => {
    const request = version === undefined ? factory.open(name) : factory.open(name, version);
    // A listener, not `onupgradeneeded`: Dexie sets that property itself.
    request.addEventListener('upgradeneeded', (event) => {
      const { dataLoss, dataLossMessage } = event as IDBVersionChangeEvent & { dataLoss?: unknown; dataLossMessage?: unknown };
      if (dataLoss === 'total') reports.set(name, { status: 'total', message: typeof dataLossMessage === 'string' ? dataLossMessage : '', databaseName: name });
    });
    return request;
  };
  const wrapped: IDBFactory = {
    open,
    deleteDatabase: (name: string) => factory.deleteDatabase(name),
    databases: () => factory.databases(),
    cmp: (first: unknown, second: unknown) => factory.cmp(first, second),
  };
  return { factory: wrapped, reportFor: (databaseName) => reports.get(databaseName) ?? null };
}

/** Where the marker lives: localStorage in the renderer; anything with the same two calls in tests. */
export interface MarkerStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface StoreMarker {
  /** The highest journal sequence known committed. */
  sequence: number;
  /** When the marker was last raised (ISO time). */
  at: string;
}

const markerKey = (databaseName: string) => `onemap.store-marker.${databaseName}`;

function defaultMarkerStorage(): MarkerStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // localStorage access can throw (disabled storage)
  }
}

export function readStoreMarker(databaseName: string, storage: MarkerStorage | null = defaultMarkerStorage()): StoreMarker | null {
  if (storage === null) return null;
  try {
    const raw = storage.getItem(markerKey(databaseName));
    if (raw === null) return null;
    const value = JSON.parse(raw) as Partial<StoreMarker>;
    return typeof value.sequence === 'number' && Number.isFinite(value.sequence) ? { sequence: value.sequence, at: typeof value.at === 'string' ? value.at : '' } : null;
  } catch {
    return null;
  }
}

/**
 * Raises the marker to `sequence` (never lowers it: call after every committed change, order
 * does not matter). Never throws: a marker that could not be written only weakens detection.
 */
export function raiseStoreMarker(databaseName: string, sequence: number, storage: MarkerStorage | null = defaultMarkerStorage(), now: Date = new Date()): void {
  if (storage === null || !(sequence > 0)) return;
  const current = readStoreMarker(databaseName, storage);
  if (current !== null && current.sequence >= sequence) return;
  try {
    storage.setItem(markerKey(databaseName), JSON.stringify({ sequence, at: now.toISOString() } satisfies StoreMarker));
  } catch {
    // Quota or disabled storage: detection falls back on the browser's report.
  }
}

/**
 * Sets the marker to exactly `sequence` (0 removes it): after a restore from a backup, after the
 * user accepted a reported loss, or when the database is deliberately deleted.
 */
export function resetStoreMarker(databaseName: string, sequence: number, storage: MarkerStorage | null = defaultMarkerStorage(), now: Date = new Date()): void {
  if (storage === null) return;
  try {
    if (sequence > 0) storage.setItem(markerKey(databaseName), JSON.stringify({ sequence, at: now.toISOString() } satisfies StoreMarker));
    else storage.removeItem(markerKey(databaseName));
  } catch {
    // See raiseStoreMarker.
  }
}

export interface StoreLossReport {
  databaseName: string;
  /** Which signal saw it (both when both did). */
  detectedBy: ('browser' | 'marker')[];
  /** The browser's message, if it reported the loss. */
  browserMessage: string | null;
  /** The journal sequence the marker vouches for, and where the journal ends now. */
  expectedSequence: number | null;
  foundSequence: number;
  markerTime: string | null;
}

/**
 * Pure decision: was the store emptied (or cut back) since the marker was raised? Call it right
 * after opening, before seeding or writing anything, with the journal's highest sequence (0 for
 * an empty journal).
 */
export function checkStoreLoss(input: {
  databaseName: string;
  journalMaxSequence: number;
  marker: StoreMarker | null;
  browserReport: BrowserDataLossReport | null;
}): StoreLossReport | null {
  const byBrowser = input.browserReport !== null && input.browserReport.status === 'total';
  const byMarker = input.marker !== null && input.marker.sequence > input.journalMaxSequence;
  if (!byBrowser && !byMarker) return null;
  return {
    databaseName: input.databaseName,
    detectedBy: [...(byBrowser ? (['browser'] as const) : []), ...(byMarker ? (['marker'] as const) : [])],
    browserMessage: byBrowser ? (input.browserReport?.message ?? '') : null,
    expectedSequence: input.marker?.sequence ?? null,
    foundSequence: input.journalMaxSequence,
    markerTime: input.marker?.at ?? null,
  };
}

/** A one-line description for logs (the UI words it in its own locale files). */
export function describeStoreLoss(report: StoreLossReport): string {
  const parts = [`store "${report.databaseName}" lost data (detected by ${report.detectedBy.join(' and ')})`];
  if (report.browserMessage !== null) parts.push(`browser: ${report.browserMessage || 'total data loss'}`);
  if (report.expectedSequence !== null) parts.push(`journal ends at #${report.foundSequence}, had reached #${report.expectedSequence}${report.markerTime ? ` by ${report.markerTime}` : ''}`);
  return parts.join('; ');
}
