// In a hub workspace: every version of the feature on the team hub (GET …/history), asked for
// when opened — who wrote each (a person and device, or a QGIS/SQL role), when the hub took it,
// the note and what changed. The local history only holds the versions this store pulled.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HubRequestError } from '../../../../shared/sync/hub/client';
import type { HistoryEntry } from '../../../../shared/sync/hub/history';
import { CORE_FIELDS, isPhotoField, isPropertyField, propertyKeyOf } from '../../../../shared/sync';
import type { LayerDefinition } from '../../../../shared/model';
import { useHubSync } from '../../lib/hub-sync';
import { localized } from '../../lib/localize';
import { useValueFormat } from '../../app/value-format';

type Loaded = { entries: HistoryEntry[]; more: boolean };

export function HubHistorySection({ layer, featureId }: { layer: LayerDefinition; featureId: string }) {
  const { t } = useTranslation();
  const sync = useHubSync();
  const format = useValueFormat();
  const language = format.options.language;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<'offline' | 'signIn' | 'other' | null>(null);
  if (sync.hub === null) return null;

  const load = async (before?: number) => {
    const request = sync.featureHistory(layer.id, featureId, before);
    if (request === null) return;
    setBusy(true);
    setProblem(null);
    try {
      const answer = await request;
      setLoaded((previous) => ({ entries: [...(before === undefined ? [] : (previous?.entries ?? [])), ...answer.history], more: answer.more }));
    } catch (error) {
      setProblem(error instanceof HubRequestError && (error.kind === 'offline' || error.kind === 'server') ? 'offline' : error instanceof HubRequestError && error.kind === 'unauthorized' ? 'signIn' : 'other');
    } finally {
      setBusy(false);
    }
  };

  const fieldLabel = (field: string): string => {
    if (isPropertyField(field)) {
      const definition = layer.fields.find((candidate) => candidate.key === propertyKeyOf(field));
      return definition ? localized(definition.label, language) : propertyKeyOf(field);
    }
    if (field === 'status') return localized(layer.status.label, language);
    if ((CORE_FIELDS as readonly string[]).includes(field)) return t(`hubHistory.field.${field}`);
    return field;
  };
  const changeText = (change: HistoryEntry['changes'][number]): string => {
    if (isPhotoField(change.field)) return change.after === undefined || change.after === null || change.after === false ? t('hubHistory.photoRemoved') : t('hubHistory.photoAdded');
    if (change.field === 'geometry') return t('hubHistory.geometry');
    if (change.field === 'exists') return change.after === false || change.after === undefined ? t('hubHistory.deleted') : t('hubHistory.created');
    return `${fieldLabel(change.field)}: ${format.member(layer, change.field, change.before ?? null)} → ${format.member(layer, change.field, change.after ?? null)}`;
  };
  const writer = (entry: HistoryEntry): string =>
    entry.source === 'sql' ? t('history.sql', { role: entry.dbRole }) : (entry.authorName ?? entry.user ?? t('history.hubItself'));

  return (
    <details className="hub-history" data-testid="hub-history" onToggle={(event) => (event.currentTarget.open && loaded === null && !busy ? void load() : undefined)}>
      <summary>{t('hubHistory.heading')}</summary>
      {busy && loaded === null && <p className="muted">{t('hubHistory.loading')}</p>}
      {problem !== null && (
        <p className="muted" role="status" data-testid="hub-history-problem">
          {t(`hubHistory.problem.${problem}`)}
        </p>
      )}
      {loaded !== null && loaded.entries.length === 0 && <p className="muted">{t('hubHistory.empty')}</p>}
      {loaded !== null && (
        <ol className="history-list">
          {loaded.entries.map((entry) => (
            <li key={entry.id} data-testid="hub-history-entry" data-version={entry.version}>
              <div className="history-head">
                <strong>{t(`history.operation.${entry.operation}`)}</strong> <span className="muted">{t('hubHistory.version', { version: entry.version })}</span>
                <br />
                <span>{format.timestamp(entry.serverTime)}</span>
              </div>
              <div className="history-who">
                {t('history.by')} <span data-testid="hub-history-author">{writer(entry)}</span>
                {entry.device !== null && entry.source === 'hub' && (
                  <>
                    {' '}
                    <small className="muted">{t('history.device', { device: entry.device })}</small>
                  </>
                )}
              </div>
              {entry.note && <div className="history-note">{entry.note}</div>}
              {entry.changes.length > 0 && (
                <ul className="history-diff">
                  {entry.changes.map((change) => (
                    <li key={change.field}>{changeText(change)}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
      {loaded?.more === true && (
        <button type="button" disabled={busy} onClick={() => void load(loaded.entries.at(-1)?.id)}>
          {t('hubHistory.more')}
        </button>
      )}
    </details>
  );
}
