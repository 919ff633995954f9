import { useTranslation } from 'react-i18next';
import { useHubSync } from '../../lib/hub-sync';
import { useWorkbench } from '../../lib/workbench-store';
import { useValueFormat } from '../../app/value-format';
import { hubTabId } from './tab';
import { indicatorText } from './indicator-text';

/** The quiet line in the header (never a dialog): synced / syncing / not synced since … / sign in again; opens the panel. */
export function HubIndicator() {
  const { t } = useTranslation();
  const sync = useHubSync();
  const format = useValueFormat();
  const setTab = useWorkbench((state) => state.setTab);
  const lastSyncAt = sync.status?.lastSyncAt ?? sync.state.lastSyncAt;
  const waiting = sync.status?.waitingChanges ?? sync.state.waitingChanges;
  const text = indicatorText({ hub: sync.hub, address: sync.address, phase: sync.state.phase, lastProblem: sync.state.lastProblem, lastSyncAt, waiting });
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
