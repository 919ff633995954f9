import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Geometry, LayerDefinition } from '../../../../shared/model';
import { CORE_FIELDS, isPropertyField, propertyKeyOf, type FeatureContent } from '../../../../shared/sync';
import { queueHubResolution, type HubConflictView, type HubResolutionChoice } from '../../db';
import { useLayers } from '../../db/hooks';
import { useWorkspace } from '../../lib/workspace';
import { useHubSync } from '../../lib/hub-sync';
import { localized } from '../../lib/localize';
import { useLanguage } from '../../lib/language';
import { useValueFormat } from '../../app/value-format';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import { ErrorNotice } from '../errors';
import { useMapController } from '../../map/map-controller';

function isGeometry(value: unknown): value is Geometry {
  return typeof value === 'object' && value !== null && 'type' in value && 'coordinates' in value;
}

/** The geometry a side of a conflict shows on the map: the field's value, or the whole feature's. */
function geometryOf(conflict: HubConflictView['conflict'], value: unknown): Geometry | null {
  if (conflict.kind === 'field') return conflict.field === 'geometry' && isGeometry(value) ? value : null;
  const content = value as FeatureContent | null;
  return content !== null && isGeometry(content.geometry) ? content.geometry : null;
}

/**
 * The hub's conflicts in the review queue: the field with its base, this computer's pushed
 * value and the hub's, both geometries on the map. Choosing queues a resolution that the next
 * sync sends (at once, when the hub answers); the pull after it brings the result to both sides.
 */
export function HubConflictReview({ conflicts }: { conflicts: readonly HubConflictView[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const format = useValueFormat();
  const map = useMapController();
  const { database } = useWorkspace();
  const sync = useHubSync();
  const layers = useLayers(database);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [failed, setFailed] = useState<OneMapErrorData | null>(null);
  const selected = conflicts.find((row) => row.id === selectedId) ?? conflicts[0] ?? null;
  const conflict = selected?.conflict ?? null;

  useEffect(() => {
    if (conflict === null) return;
    map.setConflictOverlay({ mine: geometryOf(conflict, conflict.theirs), theirs: geometryOf(conflict, conflict.hub) });
    return () => map.setConflictOverlay(null);
  }, [conflict, map]);

  if (selected === null || conflict === null) return null;
  const layerOf = (layerId: string): LayerDefinition | undefined => layers?.find((candidate) => candidate.id === layerId);
  const layer = layerOf(selected.layerId);
  const fieldLabel = (field: string, layer = layerOf(selected.layerId)): string => {
    if (field === '') return t('sync.queue.exists');
    if (isPropertyField(field)) {
      const definition = layer?.fields.find((candidate) => candidate.key === propertyKeyOf(field));
      return definition ? localized(definition.label, language) : propertyKeyOf(field);
    }
    if (field === 'status' && layer) return localized(layer.status.label, language);
    return (CORE_FIELDS as readonly string[]).includes(field) ? t(`sync.fields.${field as (typeof CORE_FIELDS)[number]}`) : field;
  };
  const show = (value: unknown): string => {
    if (conflict.kind !== 'field') return value === null ? t('sync.queue.existsDeleted') : t('sync.queue.existsKept');
    if (value === undefined || value === null) return t('sync.queue.absent');
    if (conflict.field === 'geometry' && isGeometry(value)) return t('sync.hub.geometry', { type: value.type });
    return format.member(layer, conflict.field, value);
  };
  const resolve = async (choice: HubResolutionChoice) => {
    setFailed(null);
    try {
      await queueHubResolution(database, selected.id, choice);
      sync.syncNow();
      setSelectedId(null);
    } catch (error) {
      setFailed(oneMapErrorData(error));
    }
  };
  const pending = selected.pendingResolution;

  return (
    <section className="hub-conflicts" data-testid="hub-conflict-review" aria-label={t('sync.hub.heading')}>
      <h3>{t('sync.hub.heading')}</h3>
      <div className="sync-conflicts">
        <ul aria-label={t('sync.hub.heading')}>
          {conflicts.map((row) => (
            <li key={row.id}>
              <button type="button" aria-current={row.id === selected.id} onClick={() => setSelectedId(row.id)} data-testid="hub-conflict-item">
                {layerOf(row.layerId) ? localized(layerOf(row.layerId)!.name, language) : row.layerId} · {format.code(layerOf(row.layerId), { id: row.featureId, properties: {} })} ·{' '}
                {row.conflict.kind === 'field' ? fieldLabel(row.conflict.field, layerOf(row.layerId)) : t(`sync.hub.kind.${row.conflict.kind}`)}
                {row.pendingResolution !== null && <span className="muted"> {t('sync.hub.queued')}</span>}
              </button>
            </li>
          ))}
        </ul>
        <div>
          <p className="muted">{t('sync.hub.by', { user: conflict.user ?? '—', time: format.timestamp(conflict.createdAt) })}</p>
          <table className="sync-diff" data-testid="hub-conflict-diff">
            <thead>
              <tr>
                <th>{t('sync.queue.field')}</th>
                <th>{t('sync.hub.base')}</th>
                <th>{t('sync.queue.mine')}</th>
                <th>{t('sync.hub.hub')}</th>
              </tr>
            </thead>
            <tbody>
              <tr className="sync-conflicting" data-field={conflict.field}>
                <th scope="row">{fieldLabel(conflict.field)}</th>
                <td data-testid="hub-conflict-base">{show(conflict.base)}</td>
                <td className="sync-mine" data-testid="hub-conflict-mine">
                  {show(conflict.theirs)}
                </td>
                <td className="sync-theirs" data-testid="hub-conflict-hub">
                  {show(conflict.hub)}
                </td>
              </tr>
            </tbody>
          </table>
          <p className="sync-legend">
            {t('sync.queue.legendMine')} · {t('sync.hub.legendHub')}
          </p>
          <div className="dialog-buttons">
            <button type="button" disabled={pending !== null && pending.refused === undefined} onClick={() => void resolve('theirs')} data-testid="hub-conflict-keep-mine">
              {t('sync.queue.keepMine')}
            </button>
            <button type="button" disabled={pending !== null && pending.refused === undefined} onClick={() => void resolve('hub')} data-testid="hub-conflict-keep-hub">
              {t('sync.hub.keepHub')}
            </button>
          </div>
          {failed ? (
            <ErrorNotice className="sync-error" testId="hub-conflict-status" error={failed} frame={(message) => t('sync.queue.failed', { message })} />
          ) : (
            <p className="sync-status" role="status" data-testid="hub-conflict-status">
              {pending?.refused !== undefined ? t('sync.hub.refused', { code: pending.refused.code ?? '—' }) : pending !== null ? t('sync.hub.queuedLong') : ''}
            </p>
          )}
        </div>
      </div>
    </section>
  );
}
