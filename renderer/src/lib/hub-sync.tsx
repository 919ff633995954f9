// The hub sync controller (issue 16): one per open workspace, provided to the UI by
// <HubSyncProvider> and read with useHubSync(). It keeps the sync state machine
// (shared/sync/hub/sync-state.ts), runs `syncOnce` on the schedule (hub-sync-schedule.ts: at
// start, 2 s after a committed change, every 3 minutes, on "sync now"; one at a time; quiet
// back-off while the hub is unreachable), signs in (token into the shell's vault, then the switch
// to the hub's own workspace) and out (abort, forget the token, back to the local workspace).
// An expired token only asks to sign in again: waiting changes stay in the journal.
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import { eventsOfCycle, SIGNED_OUT, transition, type HubSyncState } from '../../../shared/sync/hub/sync-state';
import type { HubClient } from '../../../shared/sync/hub/client';
import type { HistoryAnswer } from '../../../shared/sync/hub/history';
import { ensureWorkspaceIdentity, prepareHubWorkspace, readHubStatus, saveHubSession, setUserName, syncOnce, useHubStatus, type HubStatus, type OneMapDatabase } from '../db';
import { useRecentJournal } from '../db/hooks';
import { createSyncScheduler, type SyncRunOutcome, type SyncScheduler } from './hub-sync-schedule';
import { hubClient, hubPlatform, type HubPlatform } from './hub-platform';
import { openHubDatabase, originOf, writeHubPointer, type HubTarget } from './hub-workspace';
import { useSwitchWorkspace, useWorkspace } from './workspace';

export interface HubSync {
  /** The hub this shell may reach (an origin); null when there is none; undefined while asked. */
  address: string | null | undefined;
  /** Desktop: the person types the address; web shell: it is the page's own origin. */
  addressEditable: boolean;
  /** The hub this workspace syncs with; null in the local workspace. */
  hub: HubTarget | null;
  state: HubSyncState;
  /** The store's view (last sync, changes waiting, conflicts, refusals, session); undefined while loading or in the local workspace. */
  status: HubStatus | undefined;
  /** Why the last cycle failed, when it failed for another reason than the network or the token. */
  lastError: unknown;
  signIn(user: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  syncNow(): void;
  /** Desktop only: keeps the hub's address (the window reloads so the CSP names it). */
  setAddress(address: string | null): Promise<void>;
  /**
   * Every version of a feature on the hub, newest first (`before`: older than that history row),
   * with who wrote it from where — also writes made in QGIS. Rejects with the client's
   * HubRequestError (offline, unauthorized…); null outside a hub workspace.
   */
  featureHistory(layerId: string, featureId: string, before?: number): Promise<HistoryAnswer> | null;
}

const HubSyncContext = createContext<HubSync | null>(null);

export function useHubSync(): HubSync {
  const value = useContext(HubSyncContext);
  if (!value) throw new Error('useHubSync outside <HubSyncProvider>');
  return value;
}

/** Stops a sign-out's goodbye to the hub from hanging on a dead network. */
const SIGN_OUT_TIMEOUT_MS = 5_000;

function tokenBox() {
  let value: string | null = null;
  return { get: () => value, set: (next: string | null) => void (value = next) };
}

export function HubSyncProvider({ children, platform: givenPlatform }: { children: ReactNode; platform?: HubPlatform }) {
  const workspace = useWorkspace();
  const switchWorkspace = useSwitchWorkspace();
  const { database, hub } = workspace;
  const [platform] = useState(() => givenPlatform ?? hubPlatform());
  const [address, setAddressState] = useState<string | null | undefined>(undefined);
  const [state, dispatch] = useReducer(transition, SIGNED_OUT);
  const [lastError, setLastError] = useState<unknown>(null);
  // The token, read by the client at each request (a box, not state: changing it re-renders nothing).
  const [token] = useState(tokenBox);
  const scheduler = useRef<SyncScheduler | null>(null);
  // Read only in a hub workspace: the outbox scan would walk the local workspace's whole journal.
  const [hubStatus, setHubStatus] = useState<HubStatus | undefined>(undefined);

  useEffect(() => {
    let live = true;
    void platform
      .getAddress()
      .catch(() => null)
      .then((found) => live && setAddressState(found === null ? null : originOf(found)));
    return () => {
      live = false;
    };
  }, [platform]);

  const client: HubClient | null = useMemo(() => (hub === null ? null : hubClient(hub.address, token.get)), [hub, token]);

  // The schedule runs while this hub workspace is open and its token is known.
  useEffect(() => {
    if (hub === null || client === null) return;
    let live = true;
    let prepared = false;
    const vault = platform.vault(database);
    const run = async (signal: AbortSignal): Promise<SyncRunOutcome> => {
      dispatch({ type: 'sync-start' });
      if (!prepared) {
        // Layers, targets and counties from the hub: new layers may have been added since.
        try {
          await prepareHubWorkspace(database, client, signal);
          prepared = true;
        } catch {
          // The cycle below meets the same failure and says what it was.
        }
      }
      const onPushed = () =>
        void readHubStatus(database).then(
          (status) => live && !signal.aborted && dispatch({ type: 'push-done', waitingChanges: status.waitingChanges }),
          () => undefined,
        );
      const report = await syncOnce(database, { client, device: workspace.identity.deviceId, signal, onPushed });
      if (!live || signal.aborted) return 'aborted';
      const waiting = (await readHubStatus(database)).waitingChanges;
      for (const event of eventsOfCycle(report.stopped, new Date().toISOString(), waiting)) dispatch(event);
      setLastError(report.stopped === 'failed' ? report.error : null);
      return report.stopped === null ? 'done' : report.stopped;
    };
    const schedule = createSyncScheduler({ run });
    scheduler.current = schedule;
    void vault.load().then(
      async (found) => {
        if (!live) return;
        token.set(found);
        const waitingChanges = (await readHubStatus(database)).waitingChanges;
        if (!live) return;
        if (found === null) {
          // Nothing to sync with: the person signs in again (what waits stays in the journal).
          dispatch({ type: 'sign-in', waitingChanges });
          dispatch({ type: 'unauthorized' });
          return;
        }
        dispatch({ type: 'sign-in', waitingChanges });
        schedule.start();
      },
      () => live && dispatch({ type: 'unauthorized' }),
    );
    return () => {
      live = false;
      schedule.stop();
      if (scheduler.current === schedule) scheduler.current = null;
    };
  }, [hub, client, database, platform, token, workspace.identity.deviceId]);

  // A change committed here (a version, not a pulled entry): sync 2 s after the last of a burst.
  const latest = useRecentJournal(database, 1);
  const seen = useRef<number | null>(null);
  useEffect(() => {
    const entry = latest?.[0];
    if (latest === undefined) return;
    const sequence = entry?.sequence ?? 0;
    const first = seen.current === null;
    if (!first && sequence > (seen.current ?? 0) && entry?.applies === undefined) scheduler.current?.noteChange();
    seen.current = sequence;
  }, [latest]);
  // More changes waiting than before: also a definition change (it writes no journal entry).
  const waitingBefore = useRef<number | null>(null);
  useEffect(() => {
    if (hubStatus === undefined) return;
    dispatch({ type: 'changes-counted', waitingChanges: hubStatus.waitingChanges });
    if (waitingBefore.current !== null && hubStatus.waitingChanges > waitingBefore.current) scheduler.current?.noteChange();
    waitingBefore.current = hubStatus.waitingChanges;
  }, [hubStatus]);

  const signIn = useCallback(
    async (user: string, password: string) => {
      if (!address) throw new Error('signIn without a hub address');
      const answer = await hubClient(address).signIn({ user, password, device: workspace.identity.deviceId });
      const target: HubTarget = { address, user: answer.user.name };
      const same = hub !== null && hub.address === target.address && hub.user === target.user;
      const { database: hubDatabase } = same ? { database } : await openHubDatabase(target);
      try {
        await platform.vault(hubDatabase).save(answer.token);
        await saveHubSession(hubDatabase, address, answer);
        // The name every edit made here carries (the hub's display name, else the user name).
        await ensureWorkspaceIdentity(hubDatabase).then((identity) => identity.userName ?? setUserName(hubDatabase, answer.user.displayName ?? answer.user.name));
      } finally {
        if (!same) hubDatabase.close();
      }
      writeHubPointer(target);
      if (same) {
        token.set(answer.token);
        dispatch({ type: 'sign-in' });
        scheduler.current?.start();
      } else switchWorkspace(target);
    },
    [address, database, hub, platform, switchWorkspace, token, workspace.identity.deviceId],
  );

  const signOut = useCallback(async () => {
    scheduler.current?.stop();
    dispatch({ type: 'sign-out' });
    if (client !== null && token.get() !== null) await client.signOut(AbortSignal.timeout(SIGN_OUT_TIMEOUT_MS)).catch(() => undefined);
    token.set(null);
    await platform.vault(database).clear();
    writeHubPointer(null);
    switchWorkspace(null);
  }, [client, database, platform, switchWorkspace, token]);

  const syncNow = useCallback(() => scheduler.current?.syncNow(), []);
  const setAddress = useCallback((next: string | null) => platform.setAddress(next === null ? null : originOf(next)), [platform]);

  const featureHistory = useCallback(
    (layerId: string, featureId: string, before?: number) => (client === null ? null : client.history(layerId, featureId, before === undefined ? {} : { before })),
    [client],
  );

  const value: HubSync = { address, addressEditable: platform.addressEditable, hub, state, status: hubStatus, lastError, signIn, signOut, syncNow, setAddress, featureHistory };
  return (
    <HubSyncContext.Provider value={value}>
      {hub !== null && <HubStatusWatch database={database} onStatus={setHubStatus} />}
      {children}
    </HubSyncContext.Provider>
  );
}

/** Follows the hub database's sync status (a live query) for the provider. */
function HubStatusWatch({ database, onStatus }: { database: OneMapDatabase; onStatus(status: HubStatus | undefined): void }) {
  const status = useHubStatus(database);
  useEffect(() => onStatus(status), [status, onStatus]);
  return null;
}
