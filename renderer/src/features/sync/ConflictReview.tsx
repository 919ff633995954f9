import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Geometry, LayerDefinition } from '../../../../shared/model';
import { CORE_FIELDS, isPropertyField, propertyKeyOf, readField, type ConflictDetail, type FeatureContent } from '../../../../shared/sync';
import { currentConflict, resolveConflict, type SyncConflictView } from '../../db';
import { useLayers } from '../../db/hooks';
import { useWorkspace } from '../../lib/workspace';
import { localized } from '../../lib/localize';
import { useValueFormat } from '../../app/value-format';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import { ErrorNotice } from '../errors';
import { useMapController } from '../../map/map-controller';
import { useLanguage } from '../../lib/language';

type Side = 'mine' | 'theirs';
type Outcome = { kind: 'idle' } | { kind: 'saving' } | { kind: 'done'; text: string } | { kind: 'failed'; error: OneMapErrorData };

function firstPosition(geometry: Geometry): [number, number] {
  let coordinates: unknown = geometry.coordinates;
  while (Array.isArray(coordinates) && Array.isArray(coordinates[0])) coordinates = coordinates[0];
  const [lon, lat] = coordinates as [number, number];
  return [lon, lat];
}

/** The review queue: each conflict with both versions side by side (and on the map); keep mine, keep theirs, or a merged version. */
export function ConflictReview({ conflicts }: { conflicts: readonly SyncConflictView[] }) {
  const map = useMapController();
  const language = useLanguage();
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const { database } = workspace;
  const layers = useLayers(database);
  const format = useValueFormat();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = conflicts.find((conflict) => conflict.id === selectedId) ?? conflicts[0] ?? null;
  const [fresh, setFresh] = useState<{ id: string; detail: ConflictDetail | null } | null>(null);
  const [choices, setChoices] = useState<Record<string, Side>>({});
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });

  // The conflict as it stands now (versions may have arrived since it was found).
  useEffect(() => {
    if (selected === null) return;
    let live = true;
    void currentConflict(database, selected).then((detail) => {
      if (live) setFresh({ id: selected.id, detail });
    });
    return () => {
      live = false;
    };
  }, [database, selected]);
  const detail = fresh !== null && selected !== null && fresh.id === selected.id ? fresh.detail : (selected?.detail ?? null);

  // Both versions on the map while one is looked at.
  useEffect(() => {
    if (detail === null) return;
    map.setConflictOverlay({ mine: detail.mine.feature?.geometry ?? null, theirs: detail.theirs.feature?.geometry ?? null });
    return () => map.setConflictOverlay(null);
  }, [detail, map]);

  const layer: LayerDefinition | undefined = layers?.find((candidate) => candidate.id === selected?.layerId);
  const conflicting = useMemo(() => new Set(detail?.fields.map((field) => field.field) ?? []), [detail]);
  if (selected === null) return <p className="muted">{t('sync.queue.empty')}</p>;

  const label = (field: string): string => {
    if (field === 'exists') return t('sync.queue.exists');
    if (isPropertyField(field)) {
      const definition = layer?.fields.find((candidate) => candidate.key === propertyKeyOf(field));
      return definition ? localized(definition.label, language) : propertyKeyOf(field);
    }
    if (field === 'status' && layer) return localized(layer.status.label, language);
    return t(`sync.fields.${field as (typeof CORE_FIELDS)[number]}`);
  };
  const show = (content: FeatureContent | null, field: string): string => {
    if (field === 'exists') return content === null ? t('sync.queue.existsDeleted') : t('sync.queue.existsKept');
    const value = readField(content, field);
    if (value === undefined || (value === null && field !== 'county') || content === null) return t('sync.queue.absent');
    if (field === 'geometry') {
      const [lon, lat] = firstPosition(value as Geometry);
      return t('sync.geometrySummary', { type: (value as Geometry).type, lon: lon.toFixed(5), lat: lat.toFixed(5) });
    }
    return format.member(layer, field, value);
  };

  const fields = detail === null ? [] : [...(detail.deletion !== null ? ['exists'] : []), ...CORE_FIELDS, ...[...new Set([...Object.keys(detail.mine.feature?.properties ?? {}), ...Object.keys(detail.theirs.feature?.properties ?? {}), ...[...conflicting].filter(isPropertyField).map(propertyKeyOf)])].sort().map((key) => `properties.${key}`)];
  const decidable = detail === null ? [] : [...(detail.deletion !== null ? ['exists'] : []), ...detail.fields.map((field) => field.field)];

  const merged = (): FeatureContent | null => {
    if (detail === null) return null;
    const keep = detail.deletion === null ? detail.mine.feature !== null || detail.theirs.feature !== null : (choices.exists ?? 'mine') === 'mine' ? detail.mine.feature !== null : detail.theirs.feature !== null;
    if (!keep) return null;
    const base = (detail.mine.feature ?? detail.theirs.feature) as FeatureContent;
    const result: FeatureContent = { ...base, properties: { ...base.properties } };
    for (const field of detail.fields.map((entry) => entry.field)) {
      const side = choices[field] ?? 'mine';
      const source = side === 'mine' ? (detail.mine.feature ?? detail.theirs.feature) : (detail.theirs.feature ?? detail.mine.feature);
      const value = readField(source, field);
      if (isPropertyField(field)) {
        if (value === undefined) delete result.properties[propertyKeyOf(field)];
        else result.properties[propertyKeyOf(field)] = value as never;
      } else (result as unknown as Record<string, unknown>)[field] = value;
    }
    return result;
  };

  const resolve = async (choice: Parameters<typeof resolveConflict>[1]['choice']) => {
    setOutcome({ kind: 'saving' });
    try {
      const committed = await resolveConflict(database, { conflictId: selected.id, choice, author: workspace.identity.deviceId });
      setOutcome({ kind: 'done', text: committed === null ? t('sync.queue.nothingLeft') : t('sync.queue.resolved') });
      setChoices({});
      setSelectedId(null);
    } catch (error) {
      setOutcome({ kind: 'failed', error: oneMapErrorData(error) });
    }
  };

  return (
    <div className="sync-conflicts">
      <ul aria-label={t('sync.queue.list')}>
        {conflicts.map((conflict) => {
          const conflictLayer = layers?.find((candidate) => candidate.id === conflict.layerId);
          const content = conflict.detail.mine.feature ?? conflict.detail.theirs.feature;
          return (
            <li key={conflict.id}>
              <button type="button" aria-current={conflict.id === selected.id} onClick={() => setSelectedId(conflict.id)}>
                {conflictLayer ? localized(conflictLayer.name, language) : conflict.layerId} · {content ? format.name(conflictLayer, { id: conflict.featureId, properties: content.properties }) : conflict.featureId}
                {conflict.reopened && <span className="muted"> {t('sync.queue.reopened')}</span>}
              </button>
            </li>
          );
        })}
      </ul>
      <div>
        {detail?.deletion && <p>{t('sync.queue.deletion')}</p>}
        {selected.detail.invalid && <p className="sync-error">{t('sync.queue.invalid', { issues: selected.detail.invalid.issues.join('; ') })}</p>}
        {detail === null ? (
          <p className="muted">{t('sync.queue.nothingLeft')}</p>
        ) : (
          <table className="sync-diff" data-testid="sync-diff">
            <thead>
              <tr>
                <th>{t('sync.queue.field')}</th>
                <th>{t('sync.queue.mine')}</th>
                <th>{t('sync.queue.theirs')}</th>
                <th>{t('sync.queue.merged')}</th>
              </tr>
            </thead>
            <tbody>
              {fields.map((field) => {
                const isConflict = decidable.includes(field);
                return (
                  <tr key={field} className={isConflict ? 'sync-conflicting' : undefined} data-field={field}>
                    <th scope="row">{label(field)}</th>
                    <td className="sync-mine">{show(detail.mine.feature, field)}</td>
                    <td className="sync-theirs">{show(field === 'exists' || isConflict ? detail.theirs.feature : detail.mine.feature ?? detail.theirs.feature, field)}</td>
                    <td>
                      {isConflict && (
                        <select aria-label={`${t('sync.queue.merged')}: ${label(field)}`} value={choices[field] ?? 'mine'} onChange={(event) => setChoices({ ...choices, [field]: event.target.value as Side })}>
                          <option value="mine">{t('sync.queue.chooseMine')}</option>
                          <option value="theirs">{t('sync.queue.chooseTheirs')}</option>
                        </select>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <p className="sync-legend">
          {t('sync.queue.legendMine')} · {t('sync.queue.legendTheirs')}
        </p>
        <div className="dialog-buttons">
          <button type="button" disabled={outcome.kind === 'saving' || detail === null} onClick={() => void resolve({ kind: 'mine' })}>
            {t('sync.queue.keepMine')}
          </button>
          <button type="button" disabled={outcome.kind === 'saving' || detail === null} onClick={() => void resolve({ kind: 'theirs' })}>
            {t('sync.queue.keepTheirs')}
          </button>
          <button type="button" disabled={outcome.kind === 'saving' || detail === null} onClick={() => void resolve({ kind: 'merged', feature: merged() })}>
            {t('sync.queue.saveMerged')}
          </button>
        </div>
        {outcome.kind === 'failed' ? (
          <ErrorNotice className="sync-error" testId="sync-resolve-status" error={outcome.error} frame={(message) => t('sync.queue.failed', { message })} />
        ) : (
          <p className="sync-status" role="status" data-testid="sync-resolve-status">
            {outcome.kind === 'done' ? outcome.text : ''}
          </p>
        )}
      </div>
    </div>
  );
}
