import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { failure, Outcome, type Failure } from '../errors';
import { restoreVersion, type FeatureHistoryEntry } from '../../db';
import { useFeatureHistory } from '../../db/undo-hooks';
import { useFeature } from '../../db/hooks';
import { useSyncPeers, useUserName } from '../../db/sync-hooks';
import { useWorkspace } from '../../lib/workspace';
import type { Feature, LayerDefinition } from '../../../../shared/model';
import { localized } from '../../lib/localize';
import { useValueFormat, type ValueFormat } from '../../app/value-format';

/** What changed between two versions, as "field: before → after" lines, every value as its field shows it. */
function differences(layer: LayerDefinition, before: Feature | null, after: Feature | null, format: ValueFormat, t: (key: string) => string): string[] {
  if (!before || !after) return [];
  const language = format.options.language;
  const lines: string[] = [];
  const line = (label: string, member: string, from: unknown, to: unknown) => lines.push(`${label}: ${format.member(layer, member, from)} → ${format.member(layer, member, to)}`);
  if (before.status !== after.status) line(localized(layer.status.label, language), 'status', before.status, after.status);
  if (before.county !== after.county) line(t('feature.county'), 'county', before.county, after.county);
  for (const field of layer.fields) {
    const from = before.properties[field.key];
    const to = after.properties[field.key];
    if (from !== to) line(localized(field.label, language), `properties.${field.key}`, from, to);
  }
  if (JSON.stringify(before.geometry) !== JSON.stringify(after.geometry)) lines.push(t('editing.history.geometry'));
  return lines;
}

/** An entry a pull applied from the team hub (its author, device and time are the hub's last writer's). */
const fromHub = (entry: FeatureHistoryEntry): boolean => entry.applies?.some((id) => id.startsWith('hub:')) ?? false;

/** The database role of a change made directly on the hub's PostGIS (QGIS, SQL), or null. */
const sqlRole = (entry: FeatureHistoryEntry): string | null => (fromHub(entry) && entry.device.startsWith('sql:') ? entry.device.slice('sql:'.length) : null);

/** A pulled change whose writer the hub did not name (a feature it was seeded with). */
const hubItself = (entry: FeatureHistoryEntry): boolean => fromHub(entry) && entry.device === 'hub';

/**
 * Who changed the feature (the person's name, their device in small print), when (the author's
 * time), the note, before/after — for a change made elsewhere, also the package it arrived in.
 * Any earlier version can be restored, after a confirmation naming what will change (journaled
 * and undoable).
 */
export function HistorySection({ layer, featureId }: { layer: LayerDefinition; featureId: string }) {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const format = useValueFormat();
  const history = useFeatureHistory(workspace.database, layer.id, featureId);
  const current = useFeature(workspace.database, layer.id, featureId);
  const userName = useUserName(workspace.database);
  const peers = useSyncPeers(workspace.database);
  const [message, setMessage] = useState<string | Failure | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const timeText = (iso: string) => format.timestamp(iso);

  // Entries written before a name was given carry none: the name that device goes by now.
  const nameOf = (device: string, authorName: string | null | undefined): string =>
    authorName ?? (device === workspace.identity.deviceId ? userName : peers?.find((peer) => peer.deviceId === device)?.userName) ?? t('history.unnamed');

  // A pulled change names the hub's last writer: a person and device, a QGIS/SQL role, or the hub itself.
  const writerText = (entry: FeatureHistoryEntry): string => {
    const role = sqlRole(entry);
    if (role !== null) return t('history.sql', { role });
    return hubItself(entry) ? t('history.hubItself') : nameOf(entry.device, entry.authorName);
  };

  const restore = async (entry: FeatureHistoryEntry) => {
    setConfirming(null);
    setMessage(null);
    try {
      await restoreVersion(workspace.database, { layerId: layer.id, featureId, journalEntryId: entry.id, author: workspace.identity.deviceId });
      setMessage(t('history.restored'));
    } catch (error) {
      setMessage(failure(error, (reason) => t('history.failed', { reason })));
    }
  };

  return (
    <details className="history">
      <summary>{t('history.heading', { count: history?.length ?? 0 })}</summary>
      {history && history.length === 0 && <p className="muted">{t('history.empty')}</p>}
      <ol className="history-list" reversed>
        {[...(history ?? [])].reverse().map((entry, index) => {
          const changes = confirming === entry.id ? differences(layer, current ?? null, entry.after, format, t) : [];
          return (
            <li key={entry.id} data-testid="history-entry">
              <div className="history-head">
                <strong>{t(`history.operation.${entry.operation}`)}</strong>
                {entry.cause !== 'edit' && <span className="muted"> · {t(`history.cause.${entry.cause}`)}</span>}
                <span className="muted">
                  {' · '}
                  <span data-testid="history-time">{timeText(entry.time)}</span>
                </span>
              </div>
              <div className="history-who">
                {t('history.by')} <span data-testid="history-author">{writerText(entry)}</span>{' '}
                {sqlRole(entry) === null && !hubItself(entry) && (
                  <small className="muted" data-testid="history-device">
                    {t('history.device', { device: entry.device.slice(0, 8) })}
                  </small>
                )}
              </div>
              {fromHub(entry) && (
                <div className="muted" data-testid="history-hub">
                  {t('history.fromHub')}
                </div>
              )}
              {entry.note && (
                <div className="history-note" data-testid="history-note">
                  {entry.note}
                </div>
              )}
              {entry.arrival && (
                <div className="muted" data-testid="history-arrival">
                  {t(entry.arrival.packageId === null ? 'history.arrivedUnknown' : 'history.arrived', {
                    package: entry.arrival.packageId?.slice(0, 8) ?? '',
                    time: timeText(entry.arrival.time),
                    from: nameOf(entry.arrival.fromDevice, entry.arrival.fromName),
                  })}
                </div>
              )}
              <ul className="history-diff">
                {differences(layer, entry.before, entry.after, format, t).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
              {index > 0 && entry.after && (
                <button type="button" className="link" onClick={() => setConfirming(entry.id)} disabled={confirming === entry.id}>
                  {t('history.restore')}
                </button>
              )}
              {confirming === entry.id && (
                <div className="history-confirm" role="alertdialog" aria-label={t('history.restore')}>
                  {changes.length === 0 ? (
                    <p>{t('history.confirm.same')}</p>
                  ) : (
                    <>
                      <p>{t('history.confirm.lead', { count: changes.length })}</p>
                      <ul className="history-diff">
                        {changes.map((line) => (
                          <li key={line}>{line}</li>
                        ))}
                      </ul>
                      <button type="button" onClick={() => void restore(entry)}>
                        {t('history.confirm.go')}
                      </button>{' '}
                    </>
                  )}
                  <button type="button" onClick={() => setConfirming(null)}>
                    {t('history.confirm.cancel')}
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {message && <Outcome value={message} />}
    </details>
  );
}
