import { useTranslation } from 'react-i18next';
import { useHubSync } from '../../lib/hub-sync';
import { useWorkbench } from '../../lib/workbench-store';
import { useValueFormat } from '../../app/value-format';
import { hubTabId } from './tab';

/** Which sentence the header shows for the sync's state (pure: unit-tested). */
export function indicatorText(
  sync: { hub: unknown; address: string | null | undefined; phase: string; lastProblem: string | null; lastSyncAt: string | null; offlineSince: string | null; waiting: number },
): { key: string; time?: 'last' } | null {
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

/** The quiet line in the header (never a dialog): synced / syncing / not synced since … / sign in again; opens the panel. */
export function HubIndicator() {
  const { t } = useTranslation();
  const sync = useHubSync();
  const format = useValueFormat();
  const setTab = useWorkbench((state) => state.setTab);
  const lastSyncAt = sync.status?.lastSyncAt ?? sync.state.lastSyncAt;
  const waiting = sync.status?.waitingChanges ?? sync.state.waitingChanges;
  const text = indicatorText({ hub: sync.hub, address: sync.address, phase: sync.state.phase, lastProblem: sync.state.lastProblem, lastSyncAt, offlineSince: sync.state.offlineSince, waiting });
  if (text === null) return null;
  return (
    <button
      type="button"
      className={`hub-indicator hub-indicator-${sync.state.phase}`}
      title={t('hub.indicator.hint')}
      onClick={() => setTab(hubTabId)}
      data-testid="hub-indicator"
      data-phase={sync.hub === null ? 'signed-out' : sync.state.phase}
      data-waiting={waiting}
    >
      {t(text.key, { count: waiting, time: text.time && lastSyncAt ? format.timestamp(lastSyncAt) : '' })}
    </button>
  );
}
