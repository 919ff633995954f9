// The header's sentence for the hub sync's state, kept apart from the component so it is unit-tested.

export interface IndicatorInput {
  /** The hub this workspace syncs with; null in the local workspace. */
  hub: unknown;
  /** The hub this shell may reach; null: none; undefined: still asked. */
  address: string | null | undefined;
  phase: string;
  lastProblem: string | null;
  lastSyncAt: string | null;
  waiting: number;
}

/** Which sentence the header shows for the sync's state (pure: unit-tested). */
export function indicatorText(sync: IndicatorInput): { key: string; time?: 'last' } | null {
  if (sync.hub === null) return sync.address ? { key: 'hub.indicator.signedOut' } : null;
  // A hub workspace is 'signed-out' only while its token is read from the vault: nothing to say yet.
  if (sync.phase === 'signed-out') return null;
  if (sync.phase === 'auth-expired') return { key: 'hub.indicator.signInAgain' };
  if (sync.phase === 'pushing' || sync.phase === 'pulling') return { key: 'hub.indicator.syncing' };
  if (sync.phase === 'offline' || sync.lastProblem === 'failed') {
    if (sync.waiting === 0 && sync.phase !== 'offline') return { key: 'hub.indicator.failed' };
    return sync.lastSyncAt === null ? { key: 'hub.indicator.offlineNever' } : { key: 'hub.indicator.offline', time: 'last' };
  }
  if (sync.waiting > 0) return { key: 'hub.indicator.waiting' };
  return sync.lastSyncAt === null ? { key: 'hub.indicator.syncing' } : { key: 'hub.indicator.synced', time: 'last' };
}

