// What the hub sync engine hands the UI (renderer/src/lib/hub-sync.tsx, features/hub): types only.
import type { HubClient, HubRequestError } from '../../../../shared/sync/hub/client';
import type { HubConflictRecord, HubPushRecord, HubSessionRecord } from '../records';

export type { HubConflictRecord, HubPushRecord, HubSessionRecord, HubFeatureRecord, HubResolutionRecord, HubSkippedFeature } from '../records';

/** How a sync cycle ended early: no network / hub down (retry later), the token refused (sign in again), or anything else. */
export type SyncStop = 'offline' | 'auth-expired' | 'failed';

export interface SyncReport {
  /** Changes the hub took (applied, partly applied, in conflict or no-op), definition changes included. */
  pushed: number;
  /** Changes the hub refused for good (recorded in `hubPushes`, skipped). */
  refused: number;
  /** Conflicts open on the hub for this user's counties after the cycle. */
  conflicts: number;
  /** Features pulled that changed this store (created, updated, deleted, dropped). */
  pulled: number;
  /** Layer definitions, target sets and targets the pull changed here. */
  definitions: number;
  /** Queued conflict resolutions sent. */
  resolutions: number;
  /** Null when the whole cycle ran; else why it stopped (what was done before stays done). */
  stopped: SyncStop | null;
  error: HubRequestError | Error | null;
}

export interface SyncOptions {
  client: HubClient;
  /** This installation's device id (the pushed changes' `device`); the store's own when absent. */
  device?: string;
  /** Stops between requests (an AbortSignal); the cycle ends as `failed` with what it did so far kept. */
  signal?: { readonly aborted: boolean };
  /** The clock (tests pin it). */
  now?: () => Date;
  /** Page size for pulls (default 500). */
  pullLimit?: number;
  /** Told when the push part is done and the pull begins (the panel then says it is receiving). */
  onPushed?: () => void;
}

export interface HubStatus {
  /** When the last full sync cycle completed; null if never. */
  lastSyncAt: string | null;
  /** Local changes not yet on the hub (one per change, as undo counts them). */
  waitingChanges: number;
  /** Hub conflicts waiting in the review queue (a queued resolution still counts until it is sent). */
  openConflicts: number;
  /** Changes the hub refused (listed in the panel). */
  refusedChanges: number;
  session: HubSessionRecord | null;
}

/** A hub conflict as the review queue shows it. */
export type HubConflictView = HubConflictRecord;

/** A refused change as the panel lists it. */
export type HubRefusedChange = HubPushRecord & { status: 'refused' };

export type HubResolutionChoice = 'hub' | 'theirs' | 'value';
