import { useTranslation } from 'react-i18next';
import { useHubRefusedChanges, useHubSkippedFeatures, type HubRefusedChange } from '../../db';
import { useHubSync } from '../../lib/hub-sync';
import { useWorkbenchData } from '../../lib/workbench-data';
import { useWorkspace } from '../../lib/workspace';
import { useValueFormat } from '../../app/value-format';
import { AddressSection } from './AddressSection';
import { SignInForm } from './SignInForm';
import { hubRefusalCodes } from './refusals';
import './hub.css';


/** The changes the hub refused for good, each with its reason (they never block the others). */
function RefusedChanges() {
  const { t } = useTranslation();
  const { database } = useWorkspace();
  const format = useValueFormat();
  const { layers } = useWorkbenchData();
  const refused: HubRefusedChange[] = (useHubRefusedChanges(database) ?? []) as HubRefusedChange[];
  if (refused.length === 0) return null;
  const reason = (change: HubRefusedChange) =>
    change.code && (hubRefusalCodes as readonly string[]).includes(change.code) ? t(`hub.refused.reason.${change.code}`) : t('hub.refused.reason.other', { code: change.code ?? '—' });
  const featureText = (key: string) => {
    const [layerId = key, featureId = ''] = key.split('/');
    const layer = layers.find((candidate) => candidate.id === layerId);
    return format.code(layer, { id: featureId, properties: {} });
  };
  // A definition change names what it wrote; a feature change its features.
  const subject = (change: HubRefusedChange) =>
    change.definition === undefined ? change.features.map(featureText).join('、') : t(`hub.refused.definition.${change.definition.kind}`, { name: change.definition.name });
  return (
    <section className="hub-refused" data-testid="hub-refused">
      <h3>{t('hub.refused.heading', { count: refused.length })}</h3>
      <ul>
        {refused.map((change) => (
          <li key={change.changeId} data-testid="hub-refused-item" data-code={change.code ?? ''}>
            {t('hub.refused.item', { time: format.timestamp(change.time), features: subject(change), reason: reason(change) })}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Features the hub holds that this store's layers refuse (left out of the pull, never blocking it). */
function SkippedFeatures() {
  const { t } = useTranslation();
  const { database } = useWorkspace();
  const format = useValueFormat();
  const { layers } = useWorkbenchData();
  const skipped = useHubSkippedFeatures(database) ?? [];
  if (skipped.length === 0) return null;
  return (
    <section className="hub-refused" data-testid="hub-skipped">
      <h3>{t('hub.skipped.heading', { count: skipped.length })}</h3>
      <p className="muted">{t('hub.skipped.hint')}</p>
      <ul>
        {skipped.map((record) => (
          <li key={`${record.layerId}/${record.featureId}`} data-testid="hub-skipped-item">
            {t('hub.skipped.item', {
              feature: format.code(layers.find((layer) => layer.id === record.layerId), { id: record.featureId, properties: {} }),
              version: record.version,
              reason: record.reason,
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** 团队同步 / Team hub: address, sign in / out, who, the sync's status, sync now, refused changes. */
export function HubPanel() {
  const { t } = useTranslation();
  const sync = useHubSync();
  const format = useValueFormat();
  const { countyName } = useWorkbenchData();
  const { state, status } = sync;
  const session = status?.session ?? null;

  return (
    <div className="hub-panel" data-testid="hub-panel">
      <h2>{t('hub.heading')}</h2>
      <AddressSection />
      {sync.hub === null ? (
        sync.address && <SignInForm />
      ) : (
        <>
          {session !== null && (
            <div className="hub-who">
              <p data-testid="hub-who">{t('hub.who', { name: session.user.displayName ?? session.user.name, role: t(`hub.role.${session.user.role}`) })}</p>
              <p className="muted" data-testid="hub-counties">
                {t('hub.counties', { counties: session.user.counties === 'all' ? t('hub.countiesAll') : session.user.counties.map(countyName).join('、') })}
              </p>
            </div>
          )}
          {state.phase === 'auth-expired' && <SignInForm again={sync.hub.user} />}
          <p className="hub-phase" role="status" data-testid="hub-phase" data-phase={state.phase}>
            {t(`hub.phase.${state.phase}`)}
          </p>
          {state.lastProblem === 'failed' && state.phase === 'idle' && (
            <p className="muted" data-testid="hub-failed">
              {t('hub.failed')}
            </p>
          )}
          <div className="hub-status">
            <p data-testid="hub-last-sync" data-at={status?.lastSyncAt ?? undefined}>{status?.lastSyncAt ? t('hub.lastSync', { time: format.timestamp(status.lastSyncAt) }) : t('hub.neverSynced')}</p>
            <p data-testid="hub-waiting" data-count={status?.waitingChanges ?? 0}>
              {t('hub.waiting', { count: status?.waitingChanges ?? 0 })}
            </p>
            <p data-testid="hub-conflicts" data-count={status?.openConflicts ?? 0}>
              {t('hub.conflicts', { count: status?.openConflicts ?? 0 })}
            </p>
          </div>
          <div className="dialog-buttons">
            <button type="button" onClick={sync.syncNow} disabled={state.phase === 'pushing' || state.phase === 'pulling' || state.phase === 'auth-expired'} data-testid="hub-sync-now">
              {t('hub.syncNow')}
            </button>
            <button type="button" onClick={() => void sync.signOut()} title={t('hub.signOutHint')} data-testid="hub-sign-out">
              {t('hub.signOut')}
            </button>
          </div>
          <RefusedChanges />
          <SkippedFeatures />
        </>
      )}
    </div>
  );
}
